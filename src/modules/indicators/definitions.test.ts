import { describe, expect, it } from 'vitest';
import { DEFAULT_INDICATORS, indicatorSettingsSchema } from './indicators.settings.js';
import { aggregateSources, definitions, personSources, population, unsupportedRows } from './registry.js';

describe('the indicator definitions', () => {
  const personKeys = new Set([population.key, ...personSources.map((s) => s.key)]);
  const aggregateKeys = new Set(aggregateSources.map((s) => s.key));

  it('reference only sources that exist', () => {
    const missing: string[] = [];
    for (const d of definitions) {
      if (d.person) for (const k of [...d.person.denominator, ...d.person.numerator]) if (!personKeys.has(k)) missing.push(`${d.key}: ${k}`);
      if (d.aggregate !== undefined && !aggregateKeys.has(d.aggregate)) missing.push(`${d.key}: ${d.aggregate}`);
      expect(Boolean(d.person) !== Boolean(d.aggregate), `${d.key} is person or aggregate, not both`).toBe(true);
    }
    expect(missing).toEqual([]);
  });

  it("have a numerator holding the denominator's keys, and unique keys and seed rows", () => {
    for (const d of definitions) if (d.person) for (const k of d.person.denominator) expect(d.person.numerator, d.key).toContain(k);
    expect(new Set(definitions.map((d) => d.key)).size).toBe(definitions.length);
    const rows = [...definitions.flatMap((d) => (d.seedRow === null ? [] : [d.seedRow])), ...unsupportedRows.map((r) => r.seedRow)];
    expect(new Set(rows).size).toBe(rows.length);
  });

  it("account for every row of seed 001's table: computed or given a reason", () => {
    const rows = [...definitions.flatMap((d) => (d.seedRow === null ? [] : [d.seedRow])), ...unsupportedRows.map((r) => r.seedRow)].sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    for (const r of unsupportedRows) {
      expect(r.reason.zh.length, `row ${r.seedRow}`).toBeGreaterThan(10);
      expect(r.reason.en.length, `row ${r.seedRow}`).toBeGreaterThan(10);
    }
    expect(unsupportedRows.map((r) => r.seedRow)).toEqual(expect.arrayContaining([5, 7, 14, 18, 19]));
  });

  it('carry their unit in the name of every count (张, 家, 人, 户 …), in both languages; row 10 reads beds', () => {
    const counts = [
      ...definitions.filter((d) => d.unit === 'count').map((d) => ({ key: d.key, name: d.name })),
      ...unsupportedRows.filter((r) => !r.name.zh.includes('%')).map((r) => ({ key: `row ${r.seedRow}`, name: r.name })),
    ];
    expect(counts.length).toBeGreaterThan(8);
    for (const c of counts) {
      expect(c.name.zh, c.key).toMatch(/[(（](张|家|人|户|个|人次)[)）]$/);
      expect(c.name.en, c.key).toMatch(/\([a-z-]+\)$/);
    }
    const row10 = definitions.find((d) => d.seedRow === 10)!;
    expect(row10.name).toEqual({ zh: '新增养老护理床位（张）', en: 'New nursing-type beds (beds)' });
    expect(DEFAULT_INDICATORS.targets[row10.key]!.reading.zh).toContain('按“张”计');
  });

  it('name the issue’s indicators', () => {
    expect(definitions.map((d) => d.key)).toEqual(
      expect.arrayContaining([
        'assessed80',
        'homeService',
        'nursingBedShare',
        'visitRate',
        'familyCareBeds',
        'mealAidCommunities',
        'ratedInstitutions',
        'caregiversPer10k',
        'socialWorkersPer100Beds',
        'alarmAckWithinTarget',
        'complaintsClosedInTime',
      ]),
    );
  });

  it('each have settings: a target (or none, said so), its source and a reading, and the defaults pass the schema', () => {
    expect(indicatorSettingsSchema.safeParse(DEFAULT_INDICATORS).success).toBe(true);
    // the outlier gaps are in the setting a bureau edits; a value stored before they were stays valid
    expect(DEFAULT_INDICATORS.outliers).toMatchObject({ minGapPoints: 10, minGapShare: 0.25 });
    const { minGapPoints: _p, minGapShare: _s, ...older } = DEFAULT_INDICATORS.outliers;
    expect(indicatorSettingsSchema.safeParse({ ...DEFAULT_INDICATORS, outliers: older }).success).toBe(true);
    expect(indicatorSettingsSchema.safeParse({ ...DEFAULT_INDICATORS, outliers: { ...older, minGapPoints: -1 } }).success).toBe(false);
    expect(Object.keys(DEFAULT_INDICATORS.targets).sort()).toEqual(definitions.map((d) => d.key).sort());
    for (const d of definitions) {
      const t = DEFAULT_INDICATORS.targets[d.key]!;
      expect(t.source.zh.length, d.key).toBeGreaterThan(3);
      expect(t.reading.zh.length, d.key).toBeGreaterThan(10);
      expect(t.reading.en.length, d.key).toBeGreaterThan(10);
      // no Chinese in the English texts but the seed's words quoted
      for (const en of [t.reading.en, d.name.en, d.numeratorText.en, d.denominatorText.en])
        expect(/[\u4e00-\u9fff]{3,}/.test(en.replace(/"[^"]*"/g, '')), `${d.key}: ${en}`).toBe(false);
    }
  });

  it('write down each open point the issue lists', () => {
    const t = DEFAULT_INDICATORS.targets;
    expect(t.homeModifications!.reading.zh).toMatch(/1000.*800|800.*1000/);
    expect(t.newNursingBeds!.reading.zh).toContain('预期新');
    expect(t.socialWorkersPer100Beds!.reading.zh).toContain('全市');
    expect(t.homeService!.reading.zh).toMatch(/居家/);
    expect(t.homeService!.reading.zh).toMatch(/户籍/);
    expect(t.assessed80!.reading.zh).toContain('有效');
    expect(t.creditRated!.reading.zh).toContain('当前');
    expect(t.mealAidCommunities!.reading.zh).toContain('覆盖');
    expect(unsupportedRows.find((r) => r.seedRow === 5)!.reason.zh).toContain('不少于1个');
    expect(unsupportedRows.find((r) => r.seedRow === 14)!.reason.zh).toContain('养老护理员');
    // a value exactly at an 以上 target meets it
    for (const [key, v] of Object.entries(t)) if (v.value !== null && v.comparator === 'atLeast') expect(v.reading.zh, key).toContain('恰好等于目标值视为达标');
  });
});
