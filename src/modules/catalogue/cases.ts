import { caseFileSchema } from './catalogue.schema.js';
import type { Catalogue } from './catalogue.loader.js';
import { yuanToFen } from './catalogue.loader.js';
import { evaluator, paramsFor, type ParamOverride } from './engine.js';
import { factBuilder, profileSource } from './facts.js';

export interface CaseResult {
  name: string;
  failures: string[];
}

/**
 * Runs a case file against a catalogue: each case states a person, a period, values for the open
 * parameters and the expected decision per item (false, true, yuan for cash, percent for a discount).
 */
export function runCases(cat: Catalogue, data: unknown): CaseResult[] {
  const file = caseFileSchema.parse(data);
  return file.cases.map((c) => {
    const failures: string[] = [];
    const overrides: ParamOverride[] = Object.entries(c.params).map(([name, raw]) => {
      const p = cat.parameters.get(name);
      if (!p) failures.push(`参数“${name}”不在清单中`);
      const value = p?.type === 'money' ? yuanToFen(raw) : raw;
      if (typeof value === 'string' && p?.type === 'money') failures.push(value);
      return { name, from: '1900-01-01', value, note: 'case', setBy: 'case', setAt: '1900-01-01' };
    });
    const params = paramsFor(cat, c.period, overrides);
    const facts = factBuilder(c.period, () => c.person.urban === true)(profileSource(c.person));
    const out = evaluator(cat, c.period, params.values)(facts);
    for (const [id, want] of Object.entries(c.expect)) {
      const item = cat.items.find((i) => i.id === id);
      if (!item) { failures.push(`事项“${id}”不在清单中`); continue; }
      const got = out[id];
      if (want === false && got !== undefined) failures.push(`${id} ${item.name}：期望不享受，实际享受（${got}）`);
      else if (want === true && got === undefined) failures.push(`${id} ${item.name}：期望享受，实际不享受`);
      else if (typeof want === 'number') {
        const expected = item.benefit.kind === 'cash_monthly' ? yuanToFen(want) : want;
        if (got !== expected) failures.push(`${id} ${item.name}：期望 ${expected}，实际 ${got === undefined ? '不享受' : got}`);
      }
    }
    return { name: c.name, failures };
  });
}
