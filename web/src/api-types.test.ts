import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The console's API types come from the server's zod schemas (issue 13 seam 4): no type
 * declared in web/src repeats, by name, one the schema files in src export, and the two API
 * modules declare no shape of their own.
 */
const root = join(__dirname, '..', '..');
const files = (dir: string, keep: (f: string) => boolean) =>
  readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter(keep)
    .map((f) => join(root, dir, f));

/** Types and interfaces a file declares (not the ones it re-exports). */
const declared = (text: string) =>
  [...text.matchAll(/^\s*(?:export\s+)?(?:interface|type)\s+([A-Z]\w*)\s*(?:<[^>]*>)?\s*(?:=|\{|extends)/gm)].map((m) => m[1]!);

describe('API types in the console', () => {
  const schemaFiles = [...files('src', (f) => f.endsWith('.schema.ts')), join(root, 'src/platform/paging.ts')];
  const serverTypes = new Set(schemaFiles.flatMap((f) => declared(readFileSync(f, 'utf8'))));
  const webFiles = files('web/src', (f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));

  it('the server schema files export the shapes the console reads', () => {
    for (const name of ['Session', 'PersonDetail', 'ImportSummary', 'Roll', 'RunDetail', 'SelfCheckResult', 'CatalogueView', 'Page']) {
      expect(serverTypes.has(name), name).toBe(true);
    }
  });

  it('no type in web/src repeats one of the server schema files', () => {
    const repeats = webFiles.flatMap((f) =>
      declared(readFileSync(f, 'utf8'))
        .filter((n) => serverTypes.has(n))
        .map((n) => `${f.slice(root.length + 1)}: ${n}`),
    );
    expect(repeats).toEqual([]);
  });

  it('shared/api.ts and the modules’ types.ts re-export the server types and declare only the client’s own', () => {
    expect(declared(readFileSync(join(root, 'web/src/shared/api.ts'), 'utf8')).sort()).toEqual(['RequestOptions', 'UnauthorizedHandler']);
    for (const [file, schema] of [
      ['web/src/modules/entitlements/types.ts', 'src/modules/entitlements/entitlements.schema'],
      ['web/src/modules/catalogue/types.ts', 'src/modules/catalogue/catalogue.schema'],
      // issue 18 (alarms-console)
      ['web/src/modules/alarms/types.ts', 'src/modules/alarms/alarms.schema'],
      ['web/src/modules/alarms/types.ts', 'src/modules/alarms/hotline.schema'],
      // end alarms-console
      // issue 18 (alarms-desk)
      ['web/src/modules/alarm-devices/types.ts', 'src/modules/alarms/devices.schema'],
      ['web/src/modules/hotline/types.ts', 'src/modules/alarms/hotline.schema'],
      ['web/src/modules/hotline/types.ts', 'src/modules/alarms/alarms.schema'],
      // end alarms-desk
      // issue 18 (alarms-reports)
      ['web/src/modules/alarm-reports/types.ts', 'src/modules/alarms/reports.schema'],
      // end alarms-reports
    ] as const) {
      expect(declared(readFileSync(join(root, file), 'utf8')), file).toEqual([]);
      expect(readFileSync(join(root, file), 'utf8'), file).toContain(`from '../../../../${schema}'`);
    }
  });
});
