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
    zh: '本地区执行的基本养老服务清单（清单目录下的文件夹名，如 nanxun、daye）。更换后，新的测算按新清单进行；已有测算不变。',
    en: 'The basic elderly-care service catalogue this jurisdiction runs (a folder of the catalogue directory, e.g. nanxun, daye). New runs use it; earlier runs stay as they were.',
  },
  schema: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a catalogue folder name: lower-case letters, digits, - and _'),
  initial: (config) => config.catalogue,
  options: (ctx) => ctx.catalogues.jurisdictions(),
  check: (value, ctx) =>
    ctx.catalogues.latest(value)
      ? null
      : {
          zh: `清单目录中没有“${value}”（现有：${ctx.catalogues.jurisdictions().join('、')}）`,
          en: `no catalogue "${value}" in the catalogue directory (there are: ${ctx.catalogues.jurisdictions().join(', ')})`,
        },
});

/** The catalogue the platform's jurisdiction runs now. */
export function catalogueInForce(ctx: AppContext): string {
  return ctx.settings.get(catalogueSetting, ctx.regions.jurisdiction()?.code ?? '');
}
