import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CatalogueStore } from './catalogue.store.js';
import { runCases } from './cases.js';

// The shipped catalogues' case files: tests as data, one Vitest test per case.
const root = join(process.cwd(), 'catalogues');
const store = CatalogueStore.fromDirectory(root);

for (const j of store.jurisdictions()) {
  const dir = join(root, j, 'cases');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  describe(`catalogue ${j}`, () => {
    it('has case files covering every item', () => {
      const cat = store.latest(j)!;
      const covered = new Set<string>();
      for (const f of files) for (const c of (parse(readFileSync(join(dir, f), 'utf8')) as { cases: { expect: Record<string, unknown> }[] }).cases) Object.keys(c.expect).forEach((k) => covered.add(k));
      expect(cat.items.map((i) => i.id).filter((id) => !covered.has(id))).toEqual([]);
    });
    for (const f of files) {
      const cat = store.latest(j)!;
      const results = runCases(cat, parse(readFileSync(join(dir, f), 'utf8')));
      describe(f, () => {
        for (const r of results) it(r.name, () => expect(r.failures).toEqual([]));
      });
    }
  });
}
