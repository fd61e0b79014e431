import { z } from 'zod';
import type { Catalogue } from './catalogue.loader.js';
import { yuanToFen } from './catalogue.loader.js';
import { evaluator, paramsFor, type ParamOverride, type Verify } from './engine.js';
import { profileFacts } from './facts.js';
import { profileSchema } from './profile.js';

/**
 * Case files (catalogues/<j>/cases/*.yaml): scenarios with expected decisions, run by npm test. A
 * person may leave facts unknown (`unknown: [longTermCare]`, only facts declared as possibly
 * unknown), and an item may be expected `verify`: neither granted nor refused, to be verified.
 */
export const caseFileSchema = z
  .object({
    cases: z
      .array(
        z
          .object({
            name: z.string().min(1),
            period: z.string().regex(/^\d{4}-\d{2}$/),
            person: profileSchema,
            /** values for parameters the catalogue leaves open (yuan for money) */
            params: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
            /** item id → false (refused), true (granted), the amount in yuan / the discount percent, or verify (待核实) */
            expect: z.record(z.string(), z.union([z.boolean(), z.number(), z.literal('verify')])),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type CaseFile = z.infer<typeof caseFileSchema>;

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
    const facts = profileFacts(c.period, c.person.urban === true, c.person);
    const verify: Verify = {};
    const out = evaluator(cat, c.period, params.values)(facts, verify);
    for (const [id, want] of Object.entries(c.expect)) {
      const item = cat.items.find((i) => i.id === id);
      if (!item) {
        failures.push(`事项“${id}”不在清单中`);
        continue;
      }
      const got = out[id];
      if (want !== 'verify' && verify[id])
        failures.push(`${id} ${item.name}：期望${want === false ? '不享受' : '享受'}，实际待核实（${verify[id].join('、')} 未知）`);
      else if (want === 'verify' && !verify[id]) failures.push(`${id} ${item.name}：期望待核实，实际${got === undefined ? '不享受' : `享受（${got}）`}`);
      else if (want === false && got !== undefined) failures.push(`${id} ${item.name}：期望不享受，实际享受（${got}）`);
      else if (want === true && got === undefined) failures.push(`${id} ${item.name}：期望享受，实际不享受`);
      else if (typeof want === 'number') {
        const expected = item.benefit.kind === 'cash_monthly' ? yuanToFen(want) : want;
        if (got !== expected) failures.push(`${id} ${item.name}：期望 ${expected}，实际 ${got === undefined ? '不享受' : got}`);
      }
    }
    return { name: c.name, failures };
  });
}
