import { describe, expect, it } from 'vitest';
import { DECLARATIONS, FACT_COLUMNS, factBuilder, factsByLoaders, type FactSource } from './facts.js';

describe('the fact builder', () => {
  it('gives what the declared loaders give, on random rows with NULLs, 29 February and closures', () => {
    let seed = 13;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
    const values: Record<string, readonly unknown[]> = {
      birth_date: ['1944-02-29', '1946-06-30', '1950-07-01', '1966-06-15', '1930-12-31'],
      sex: ['M', 'F'],
      status: ['active', 'deceased', 'moved_out'],
      closed_on: [null, '2024-05-31', '2024-06-01', '2024-06-30'],
      region_code: ['990101001001', '990101001201'],
      hardship: [null, '', 'none', 'dibao', 'tekun_dispersed'],
      disability_grade: [null, 1, 2, 4],
      disability_kind: [null, '', 'mental'],
      ltc_grade: [null, '', 'none', 'mild', 'severe'],
      pension_type: [null, 'employee'],
      veteran_category: [null, 'martyr_family'],
      capability_level: [null, 'intact', 'mild', 'severe', 'complete'],
      capability_on: ['2023-06-30', '2024-06-01', '2024-06-30', '2024-07-01'],
      capability_until: ['2024-05-31', '2024-06-01', '2024-06-30', '2025-09-28'],
    };
    const build = factBuilder('2024-06', (code) => code.endsWith('201'));
    for (let i = 0; i < 300; i++) {
      const r: FactSource = {};
      for (const col of FACT_COLUMNS) r[col] = values[col] ? pick(values[col]) : pick([null, 0, 1]);
      expect(build(r), JSON.stringify(r)).toEqual(factsByLoaders('2024-06', (code) => code.endsWith('201'), r));
    }
  });

  it('builds every declared fact, and only those', () => {
    const f = factBuilder('2024-06', () => false)({ birth_date: '1940-01-01', status: 'active', closed_on: null, region_code: '' });
    expect(Object.keys(f)).toEqual(DECLARATIONS.map((d) => d.name));
  });
});
