import { describe, expect, it } from 'vitest';
import { factBuilder, factsByLoaders } from '../catalogue/facts.js';

/** A row of the register with a capability on record (or none), for June 2024. */
const row = (capability: [string, string, string] | null, ltc: string | null = null) => ({
  birth_date: '1940-01-01',
  status: 'active',
  closed_on: null,
  region_code: '990101001001',
  ltc_grade: ltc,
  capability_level: capability?.[0] ?? null,
  capability_on: capability?.[1] ?? null,
  capability_until: capability?.[2] ?? null,
});
const facts = (r: ReturnType<typeof row>) => {
  const f = factBuilder('2024-06', () => false)(r);
  expect(f).toEqual(factsByLoaders('2024-06', () => false, r));
  return { level: f.capabilityLevel, disablement: f.disablement, care: f.longTermCare };
};

describe('the assessment facts for a month (June 2024)', () => {
  it.each([
    // [what, capability, ltc, level, disablement, longTermCare]
    ['never assessed, no LTC record', null, null, null, 'none', null],
    ['never assessed, LTC severe: the LTC grade is accepted', null, 'severe', null, 'severe', true],
    ['never assessed, LTC none on record', null, 'none', null, 'none', false],
    ['assessed severe, in force all month', ['severe', '2024-03-10', '2025-06-08'], null, 'severe', 'severe', true],
    ['assessed complete: a level above 重度', ['complete', '2024-03-10', '2025-06-08'], null, 'complete', 'complete', true],
    ['assessed intact: not disabled, whatever the LTC grade says', ['intact', '2024-03-10', '2025-06-08'], 'moderate', 'intact', 'none', false],
    ['assessed mild over an LTC severe: the assessment decides', ['mild', '2024-03-10', '2025-06-08'], 'severe', 'mild', 'mild', true],
    ['reference date on the month’s last day: counts', ['moderate', '2024-06-30', '2025-09-28'], null, 'moderate', 'moderate', true],
    ['reference date the next month: not yet', ['moderate', '2024-07-01', '2025-09-28'], 'mild', null, 'mild', true],
    ['lapsed on the month’s first day: still counts for the month', ['severe', '2023-03-04', '2024-06-01'], null, 'severe', 'severe', true],
    ['lapsed the day before the month: unknown, LTC or none again', ['severe', '2023-03-03', '2024-05-31'], null, null, 'none', null],
  ] as const)('%s', (_what, capability, ltc, level, disablement, care) => {
    expect(facts(row(capability as [string, string, string] | null, ltc))).toEqual({ level, disablement, care });
  });
});
