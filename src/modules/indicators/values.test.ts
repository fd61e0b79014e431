import { describe, expect, it } from 'vitest';
import { addUpFlag, figure, modifiedZ, seriesFlag, siblingFlag, statusOf } from './values.js';

const outliers = { siblingZ: 3.5, seriesZ: 3.5, minDenominator: 5, minSeries: 3 };

describe('indicator figures', () => {
  it('rounds each unit as the report prints it, and has no figure for a ratio over nothing', () => {
    expect(figure('percent', { num: 1, den: 3 })).toBe(33.3);
    expect(figure('per10k', { num: 27, den: 9_999 })).toBe(27);
    expect(figure('per10k', { num: 1, den: 3 })).toBe(3333.3);
    expect(figure('per100', { num: 2, den: 3 })).toBe(66.67);
    expect(figure('count', { num: 12, den: 0 })).toBe(12);
    expect(figure('percent', { num: 0, den: 0 })).toBeNull();
    expect(figure('percent', undefined)).toBeNull();
  });

  it('meets an atLeast (以上) target exactly at it, an atMost target at or below it', () => {
    const t = (value: number, comparator: 'atLeast' | 'atMost') => ({ value, comparator, attribute: { zh: '', en: '' }, source: { zh: '', en: '' } });
    expect(statusOf(75, t(75, 'atLeast'))).toBe('met');
    expect(statusOf(74.9, t(75, 'atLeast'))).toBe('not_met');
    expect(statusOf(10, t(10, 'atMost'))).toBe('met');
    expect(statusOf(10.1, t(10, 'atMost'))).toBe('not_met');
    expect(statusOf(10, null)).toBe('no_target');
    expect(statusOf(null, t(10, 'atMost'))).toBe('no_data');
  });

  it('flags a region whose children do not add up, with the remainder', () => {
    const f = addUpFlag('percent', { num: 10, den: 20 }, [
      { num: 4, den: 8 },
      { num: 5, den: 10 },
    ]);
    expect(f!.rest).toEqual({ num: 1, den: 2 });
    expect(f!.flag.kind).toBe('does_not_add_up');
    expect(f!.flag.message.zh).toContain('1/2');
    expect(f!.flag.message.en).toContain('9/18');
    expect(
      addUpFlag('percent', { num: 9, den: 18 }, [
        { num: 4, den: 8 },
        { num: 5, den: 10 },
      ]),
    ).toBeNull();
  });

  it('flags a sibling far from the median (modified z-score), ignoring small denominators', () => {
    const sibs = [50, 52, 48, 51, 49].map((n) => ({ num: n, den: 100 }));
    const far = { num: 95, den: 100 };
    const flag = siblingFlag('percent', far, [...sibs, far], outliers);
    expect(flag!.kind).toBe('outlier_siblings');
    expect(flag!.message.zh).toContain('95');
    expect(siblingFlag('percent', { num: 51, den: 100 }, [...sibs, far], outliers)).toBeNull();
    // too few persons to say anything
    expect(siblingFlag('percent', { num: 4, den: 4 }, [...sibs, { num: 4, den: 4 }], outliers)).toBeNull();
  });

  it('does not flag a sibling whose gap from the median is small, however tight the siblings (10 points; 25 % of the median for a rate)', () => {
    // 白石镇 at 70.7 % among peers at 65.6-69.6 %: the MAD is tiny, the z large, the gap 2 points
    const figures = [65.6, 67.9, 68.0, 68.0, 68.1, 68.1, 68.2, 69.6];
    const peers = figures.map((p) => ({ num: p * 10, den: 1000 }));
    const baishi = { num: 707, den: 1000 };
    expect(modifiedZ(70.7, [...figures, 70.7]).z).toBeGreaterThan(outliers.siblingZ);
    expect(siblingFlag('percent', baishi, [...peers, baishi], outliers)).toBeNull();
    // a bureau that sets the gap to 2 points in the indicators setting sees 白石镇 flagged
    expect(siblingFlag('percent', baishi, [...peers, baishi], { ...outliers, minGapPoints: 2 })!.kind).toBe('outlier_siblings');
    // 12 points above: flagged
    const high = { num: 802, den: 1000 };
    expect(siblingFlag('percent', high, [...peers, high], outliers)!.kind).toBe('outlier_siblings');
    // per 10k: 30 against a median of 27 (11 %) is not, 40 (48 %) is
    const rates = [26, 27, 27, 28, 27].map((n) => ({ num: n, den: 10_000 }));
    expect(siblingFlag('per10k', { num: 30, den: 10_000 }, [...rates, { num: 30, den: 10_000 }], outliers)).toBeNull();
    expect(siblingFlag('per10k', { num: 30, den: 10_000 }, [...rates, { num: 30, den: 10_000 }], { ...outliers, minGapShare: 0.1 })!.kind).toBe(
      'outlier_siblings',
    );
    expect(siblingFlag('per10k', { num: 40, den: 10_000 }, [...rates, { num: 40, den: 10_000 }], outliers)!.kind).toBe('outlier_siblings');
  });

  it('flags a month far from the region’s own series, only with enough earlier months', () => {
    const earlier = [60, 61, 59, 60].map((n) => ({ num: n, den: 100 }));
    expect(seriesFlag('percent', { num: 20, den: 100 }, earlier, outliers)!.kind).toBe('outlier_series');
    expect(seriesFlag('percent', { num: 61, den: 100 }, earlier, outliers)).toBeNull();
    expect(seriesFlag('percent', { num: 20, den: 100 }, earlier.slice(0, 2), outliers)).toBeNull();
    // the months before anything was counted are not history: a first month is not an outlier
    const before = [0, 0, 0, 0, 0].map(() => ({ num: 0, den: 100 }));
    expect(seriesFlag('percent', { num: 60, den: 100 }, before, outliers)).toBeNull();
    expect(seriesFlag('percent', { num: 60, den: 100 }, [...before, ...earlier.slice(0, 2)], outliers)).toBeNull();
    expect(seriesFlag('percent', { num: 20, den: 100 }, [...before, ...earlier], outliers)!.kind).toBe('outlier_series');
    // a small change in a steady series is no flag; a large one says so in plain words, with no z-score
    const steady = [50, 50, 50, 50].map((n) => ({ num: n, den: 100 }));
    expect(seriesFlag('percent', { num: 53, den: 100 }, steady, outliers)).toBeNull();
    const jump = seriesFlag('percent', { num: 80, den: 100 }, steady, outliers)!;
    expect(jump.message.zh).toBe('此前 4 个月一直是 50，本月变为 80：请核实数据是否完整、准确');
    expect(jump.message.en).not.toMatch(/z\b|∞/);
    // a village's handful (below the smallest denominator compared) is not compared with its months
    expect(seriesFlag('percent', { num: 1, den: 4 }, earlier, outliers)).toBeNull();
    expect(modifiedZ(5, [5, 5, 5]).z).toBe(0);
    expect(modifiedZ(6, [5, 5, 5]).z).toBe(Infinity);
  });
});
