import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * Which catalogue a jurisdiction runs (a folder of CATALOGUES_DIR: nanxun, daye, ...). Until an
 * administrator sets it, the deployment's CATALOGUE setting; then the jurisdiction's own, so
 * one platform can host jurisdictions with different catalogues.
 */
export const catalogueSetting = defineSetting<string>({
  name: 'catalogue',
  label: { zh: '在用服务清单', en: 'Catalogue in force' },
  description: {
    zh: '本地区执行的基本养老服务清单（从清单目录中已有的清单中选择）。更换后，新的测算按新清单进行；已有测算不变。',
    en: 'The basic elderly-care service catalogue this jurisdiction runs (chosen from the catalogues in the catalogue directory). New runs use it; earlier runs stay as they were.',
  },
  schema: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a catalogue folder name: lower-case letters, digits, - and _'),
  initial: (config) => config.catalogue,
  // the catalogues on disk, each named by its title and its latest version's date
  choices: (ctx) =>
    ctx.catalogues.jurisdictions().flatMap((j) => {
      const latest = ctx.catalogues.latest(j);
      if (!latest) return [];
      const versions = ctx.catalogues.versions(j).length;
      return [
        {
          value: j,
          label: {
            zh: `${latest.title}（${j}，${latest.effective} 版${versions > 1 ? `，共 ${versions} 版` : ''}）`,
            en: `${latest.title} (${j}, version of ${latest.effective}${versions > 1 ? `, ${versions} versions` : ''})`,
          },
        },
      ];
    }),
});

/** The catalogue the platform's jurisdiction runs now. */
export function catalogueInForce(ctx: AppContext): string {
  return ctx.settings.get(catalogueSetting, ctx.regions.jurisdiction()?.code ?? '');
}
