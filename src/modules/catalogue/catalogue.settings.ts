import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * Which catalogue a jurisdiction runs (a folder of CATALOGUES_DIR: nanxun, daye, ...). A county's
 * is, until an administrator sets it, the deployment's CATALOGUE setting; a city or province
 * above the counties runs none ('') until it is given one of its own (the allowance the city pays
 * on top of the counties'). A county never takes its city's catalogue: the setting does not inherit.
 */
export const catalogueSetting = defineSetting<string>({
  name: 'catalogue',
  label: { zh: '在用服务清单', en: 'Catalogue in force' },
  description: {
    zh: '本地区执行的基本养老服务清单（从清单目录中已有的清单中选择）。更换后，新的测算按新清单进行；已有测算不变。市、省一级只在本级另有出资项目时设置。',
    en: 'The basic elderly-care service catalogue this jurisdiction runs (chosen from the catalogues in the catalogue directory). New runs use it; earlier runs stay as they were. A city or province sets one only for the items it pays itself.',
  },
  schema: z.string().regex(/^([a-z][a-z0-9_-]{0,39})?$/, 'a catalogue folder name: lower-case letters, digits, - and _ (empty: none)'),
  initial: (config, level) => (level === undefined || level === 'county' ? config.catalogue : ''),
  inherit: false,
  // the catalogues on disk, each named by its title and its latest version's date, and none
  choices: (ctx) => [
    { value: '', label: { zh: '不执行本级清单', en: 'No catalogue of its own' } },
    ...ctx.catalogues.jurisdictions().flatMap((j) => {
      const latest = ctx.catalogues.latest(j);
      if (!latest) return [];
      const versions = ctx.catalogues.versions(j).length;
      return [
        {
          value: j,
          label: {
            zh: `${latest.title}（${j}，${latest.effective} 版${versions > 1 ? `，共 ${versions} 版` : ''}${latest.partial ? '，部分' : ''}）`,
            en: `${latest.title} (${j}, version of ${latest.effective}${versions > 1 ? `, ${versions} versions` : ''}${latest.partial ? ', partial' : ''})`,
          },
        },
      ];
    }),
  ],
});

/** The catalogue the jurisdiction of a region runs ('' where it runs none: a city without items of its own). */
export function catalogueOf(ctx: AppContext, regionCode: string): string {
  const j = ctx.regions.jurisdictionOf(regionCode);
  return j ? ctx.settings.get(catalogueSetting, j.code) : '';
}
