import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, INSTRUMENTS, LEVELS, type Level } from './index.js';
import { answerIssues, instrumentData, itemMax, levelOfTotal, score } from './score.js';

const data = instrumentData(CURRENT_VERSION);
const codes = data.indicators.flatMap((i) => i.items.map((x) => x.code));

/** Answers every item at its maximum, then lowers items (in form order) until the total is `total`. */
function answersFor(total: number): Record<string, number> {
  const a: Record<string, number> = Object.fromEntries(codes.map((c) => [c, itemMax(data, c)]));
  let over = 90 - total;
  for (const c of codes) {
    const cut = Math.min(over, a[c]!);
    a[c] = a[c]! - cut;
    over -= cut;
  }
  return a;
}
const plain = { coma: false, mentalDisorder: false, riskEvents30d: 0 };

describe('GB/T 42195-2022 as data', () => {
  it('has the published structure: 4 indicators, 26 items, 8 + 4 + 9 + 5', () => {
    expect(data.indicators.map((i) => [i.code, i.zh, i.items.length])).toEqual([
      ['B.1', '自理能力', 8],
      ['B.2', '基础运动能力', 4],
      ['B.3', '精神状态', 9],
      ['B.4', '感知觉与社会参与', 5],
    ]);
    expect(codes).toHaveLength(26);
    expect(new Set(codes).size).toBe(26);
  });

  it('item maxima add up to each published sub-total (32, 15, 28, 15) and to the published total 90', () => {
    const sums = data.indicators.map((i) => i.items.reduce((s, x) => s + itemMax(data, x.code), 0));
    expect(sums).toEqual([32, 15, 28, 15]);
    expect(data.indicators.map((i) => i.max)).toEqual(sums);
    expect(sums.reduce((a, b) => a + b, 0)).toBe(data.total.max);
    expect(data.total.max).toBe(90);
  });

  it('each item offers every score from its maximum down to 0 once, highest first, with words in both languages', () => {
    const expectedMax: Record<string, number> = { 'B.2.4': 3, 'B.3.7': 1, 'B.3.8': 1, 'B.3.9': 2, 'B.4.1': 2, 'B.4.2': 2, 'B.4.4': 3 };
    for (const ind of data.indicators)
      for (const item of ind.items) {
        const max = expectedMax[item.code] ?? 4;
        expect(
          item.options.map((o) => o.score),
          item.code,
        ).toEqual(Array.from({ length: max + 1 }, (_, i) => max - i));
        for (const o of item.options) expect(o.zh.length * o.en.length, `${item.code} ${o.score}`).toBeGreaterThan(0);
        expect(item.clause).toContain(item.code);
      }
  });

  it('the level bands cover 0-90 without gap or overlap, as C.3 publishes them', () => {
    expect(data.levels.map((b) => [b.code, b.zh, b.min, b.max])).toEqual([
      ['intact', '能力完好', 90, 90],
      ['mild', '轻度失能', 66, 89],
      ['moderate', '中度失能', 46, 65],
      ['severe', '重度失能', 30, 45],
      ['complete', '完全失能', 0, 29],
    ]);
    for (let t = 0; t <= 90; t++) expect(data.levels.filter((b) => t >= b.min && t <= b.max)).toHaveLength(1);
  });

  it('every version listed is keyed by its own version', () => {
    for (const [v, d] of Object.entries(INSTRUMENTS)) expect(d.version).toBe(v);
  });
});

describe('the scorer at every threshold (C.3)', () => {
  // checked by hand against C.3: 90 | 89-66 | 65-46 | 45-30 | 29-0
  const table: [number, Level][] = [
    [90, 'intact'],
    [89, 'mild'],
    [66, 'mild'],
    [65, 'moderate'],
    [46, 'moderate'],
    [45, 'severe'],
    [30, 'severe'],
    [29, 'complete'],
    [1, 'complete'],
    [0, 'complete'],
  ];
  it.each(table)('total %i → %s', (total, level) => {
    const r = score(CURRENT_VERSION, { answers: answersFor(total), ...plain });
    expect(r.total).toBe(total);
    expect(r.preliminary).toBe(level);
    expect(r.final).toBe(level);
    expect(r.adjustments).toEqual([]);
    expect(levelOfTotal(data, total)).toBe(level);
  });

  it('sub-totals are per indicator', () => {
    const r = score(CURRENT_VERSION, { answers: answersFor(80), ...plain });
    // answersFor lowers B.1.1 (4), B.1.2 (4), then 2 of B.1.3
    expect(r.subtotals).toEqual({ 'B.1': 22, 'B.2': 15, 'B.3': 28, 'B.4': 15 });
  });
});

describe('C.4 adjustments', () => {
  const adj: [string, number, Partial<typeof plain>, Level, Level, string[]][] = [
    ['coma at 90', 90, { coma: true }, 'intact', 'complete', ['coma']],
    ['coma at 50', 50, { coma: true }, 'moderate', 'complete', ['coma']],
    ['dementia raises intact to mild', 90, { mentalDisorder: true }, 'intact', 'mild', ['mental']],
    ['dementia raises mild to moderate', 70, { mentalDisorder: true }, 'mild', 'moderate', ['mental']],
    ['dementia raises moderate to severe', 50, { mentalDisorder: true }, 'moderate', 'severe', ['mental']],
    ['dementia raises severe to complete', 30, { mentalDisorder: true }, 'severe', 'complete', ['mental']],
    ['dementia at complete stays complete', 10, { mentalDisorder: true }, 'complete', 'complete', ['mental']],
    ['one risk event does not raise', 70, { riskEvents30d: 1 }, 'mild', 'mild', []],
    ['two risk events raise one level', 70, { riskEvents30d: 2 }, 'mild', 'moderate', ['riskEvents']],
    ['five risk events still one level', 46, { riskEvents30d: 5 }, 'moderate', 'severe', ['riskEvents']],
    ['dementia and risk events together: one level, not two', 66, { mentalDisorder: true, riskEvents30d: 3 }, 'mild', 'moderate', ['mental', 'riskEvents']],
    ['both at severe: complete, not beyond', 45, { mentalDisorder: true, riskEvents30d: 2 }, 'severe', 'complete', ['mental', 'riskEvents']],
    ['coma with dementia: complete', 80, { coma: true, mentalDisorder: true }, 'mild', 'complete', ['coma', 'mental']],
  ];
  it.each(adj)('%s', (_name, total, extra, preliminary, final, named) => {
    const r = score(CURRENT_VERSION, { answers: answersFor(total), ...plain, ...extra });
    expect([r.preliminary, r.final, r.adjustments]).toEqual([preliminary, final, named]);
  });
});

describe('bad answers', () => {
  it('a missing item, an out-of-range score and an unknown item are issues, and no level is given', () => {
    const a: Record<string, unknown> = answersFor(90);
    delete a['B.2.1'];
    a['B.2.4'] = 4; // stairs go 0-3
    a['B.3.7'] = 0.5;
    a['B.9.9'] = 1;
    expect(answerIssues(data, a)).toEqual([
      { item: 'B.2.1', problem: 'missing' },
      { item: 'B.2.4', problem: 'invalid', value: 4 },
      { item: 'B.3.7', problem: 'invalid', value: 0.5 },
      { item: 'B.9.9', problem: 'unknown', value: 1 },
    ]);
    const r = score(CURRENT_VERSION, { answers: a as Record<string, number>, ...plain });
    expect(r.preliminary).toBeNull();
    expect(r.final).toBeNull();
    expect(r.answered).toBe(23);
  });

  it('an unknown version is refused', () => {
    expect(() => score('1999', { answers: {}, ...plain })).toThrow(/1999/);
  });

  it('levels run from least to most impaired', () => {
    expect(LEVELS).toEqual(['intact', 'mild', 'moderate', 'severe', 'complete']);
  });
});
