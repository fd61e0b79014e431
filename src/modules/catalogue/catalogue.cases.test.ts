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
      for (const f of files)
        for (const c of (parse(readFileSync(join(dir, f), 'utf8')) as { cases: { expect: Record<string, unknown> }[] }).cases)
          Object.keys(c.expect).forEach((k) => covered.add(k));
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

describe('case files and unknown facts', () => {
  const daye = store.latest('daye')!;
  const grade1 = { birthDate: '1950-01-01', disabilityGrade: 1, disabilityKind: 'physical' };

  it('a case expecting verify fails when the item is decided, and one expecting a decision fails when it is to verify', () => {
    const [decided, undecided] = runCases(daye, {
      cases: [
        { name: 'decided', period: '2025-06', person: grade1, expect: { 'dy-19': 'verify' } },
        { name: 'undecided', period: '2025-06', person: { ...grade1, unknown: ['longTermCare'] }, expect: { 'dy-19': false } },
      ],
    });
    expect(decided!.failures).toEqual(['dy-19 重度残疾人护理补贴：期望待核实，实际不享受']);
    expect(undecided!.failures).toEqual(['dy-19 重度残疾人护理补贴：期望不享受，实际待核实（longTermCare 未知）']);
  });

  it('only facts declared as possibly unknown may be stated unknown', () => {
    expect(() => runCases(daye, { cases: [{ name: 'x', period: '2025-06', person: { ...grade1, unknown: ['age'] }, expect: { 'dy-19': false } }] })).toThrow();
  });
});
