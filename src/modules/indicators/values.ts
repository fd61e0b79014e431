import type { IndicatorUnit, Text } from './contract.js';
import type { EngineSettings } from './engine.js';
import type { IndicatorFlag, IndicatorTarget } from './indicators.schema.js';
import { SIBLING_MIN_GAP_POINTS, SIBLING_MIN_GAP_SHARE } from './indicators.settings.js';

/**
 * Figures from numerators and denominators, and the checks made on read (cheap: the values table
 * holds every region and month). Pure functions, so the rules are tested on their own.
 */
export interface NumDen {
  num: number;
  den: number;
}

const round = (x: number, places: number) => {
  const f = 10 ** places;
  return Math.round(x * f) / f;
};

/**
 * The figure as shown: percent = 100·num/den to 1 decimal; per10k = 10000·num/den to 1 decimal;
 * per100 = 100·num/den to 2 decimals; count = num. Null when a ratio's denominator is 0 or
 * nothing was computed.
 */
export function figure(unit: IndicatorUnit, v: NumDen | undefined): number | null {
  if (!v) return null;
  if (unit === 'count') return v.num;
  if (!v.den) return null;
  if (unit === 'percent') return round((100 * v.num) / v.den, 1);
  if (unit === 'per10k') return round((10000 * v.num) / v.den, 1);
  return round((100 * v.num) / v.den, 2);
}

/**
 * Status against the target, on the figure as shown. A figure exactly at an "以上" (atLeast)
 * target meets it, as "以上" includes the number in Chinese official usage (GB/T 1.1 and the
 * 《统计法》 practice: "以上" 含本数); an atMost target is met at or below it.
 */
export function statusOf(value: number | null, target: IndicatorTarget | null): 'met' | 'not_met' | 'no_target' | 'no_data' {
  if (value === null) return 'no_data';
  if (!target) return 'no_target';
  const met = target.comparator === 'atLeast' ? value >= target.value : value <= target.value;
  return met ? 'met' : 'not_met';
}

/** The target of an indicator as the settings hold it; null when the jurisdiction set none. */
export function targetOf(settings: EngineSettings, key: string): IndicatorTarget | null {
  const t = settings.targets[key];
  if (!t || t.value === null || t.value === undefined) return null;
  return { value: t.value, comparator: t.comparator, attribute: t.attribute, source: t.source };
}

/**
 * The target at a region. A count's target (households adapted, beds, centres, caregivers, jobs) is
 * the jurisdiction's total, not split over its towns and villages: below the jurisdiction a count
 * has none (a street is not measured against the county's 1,000 households). A percentage or a rate
 * holds at every level.
 */
export function targetAt(settings: EngineSettings, def: { key: string; unit: IndicatorUnit }, whole: boolean): IndicatorTarget | null {
  if (def.unit === 'count' && !whole) return null;
  return targetOf(settings, def.key);
}

export function readingOf(settings: EngineSettings, key: string): Text {
  return settings.targets[key]?.reading ?? { zh: '', en: '' };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The modified z-score of x against a reference set (Iglewicz and Hoaglin): 0.6745·(x − median)/MAD.
 * Where more than half the set is equal (MAD 0), the mean absolute deviation stands in (×1.2533,
 * IBM SPSS's rule); where every value is equal, any other x is infinitely far.
 */
export function modifiedZ(x: number, reference: number[]): { z: number; median: number } {
  const med = median(reference);
  const mad = median(reference.map((v) => Math.abs(v - med)));
  if (mad > 0) return { z: (0.6745 * (x - med)) / mad, median: med };
  const meanAd = reference.reduce((a, v) => a + Math.abs(v - med), 0) / reference.length;
  if (meanAd > 0) return { z: (x - med) / (1.253314 * meanAd), median: med };
  return { z: x === med ? 0 : x > med ? Infinity : -Infinity, median: med };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : String(round(n, 2)));

/** The region's figure is not the sum of its children's: the remainder is attached to the region itself. */
export function addUpFlag(unit: IndicatorUnit, own: NumDen | undefined, children: Array<NumDen | undefined>): { flag: IndicatorFlag; rest: NumDen } | null {
  if (!own || children.length === 0) return null;
  const sum = children.reduce<NumDen>((a, c) => ({ num: a.num + (c?.num ?? 0), den: a.den + (c?.den ?? 0) }), { num: 0, den: 0 });
  const rest = { num: own.num - sum.num, den: unit === 'count' ? 0 : own.den - sum.den };
  if (rest.num === 0 && rest.den === 0) return null;
  const figures =
    unit === 'count'
      ? { own: fmt(own.num), sum: fmt(sum.num), rest: fmt(rest.num) }
      : { own: `${fmt(own.num)}/${fmt(own.den)}`, sum: `${fmt(sum.num)}/${fmt(sum.den)}`, rest: `${fmt(rest.num)}/${fmt(rest.den)}` };
  return {
    rest,
    flag: {
      kind: 'does_not_add_up',
      message: {
        zh: `本级合计 ${figures.own} 与下级之和 ${figures.sum} 不一致，相差 ${figures.rest}（直接登记在本级、未落到下级的人员或设施）`,
        en: `The region's total ${figures.own} differs from its sub-regions' sum ${figures.sum} by ${figures.rest} (persons or facilities attached to the region itself, not to a sub-region)`,
      },
    },
  };
}

/** Whether x is far enough from the median in absolute terms to be worth a flag. */
export function farEnough(unit: IndicatorUnit, x: number, med: number, o: { minGapPoints?: number; minGapShare?: number } = {}): boolean {
  const gap = Math.abs(x - med);
  if (unit === 'percent') return gap >= (o.minGapPoints ?? SIBLING_MIN_GAP_POINTS);
  return gap >= (o.minGapShare ?? SIBLING_MIN_GAP_SHARE) * Math.abs(med);
}

/**
 * The figure far from its siblings' (regions of the same parent with a large enough denominator):
 * a modified z-score beyond the threshold and a gap from the median of at least farEnough's.
 */
export function siblingFlag(
  unit: IndicatorUnit,
  own: NumDen | undefined,
  siblings: Array<NumDen | undefined>,
  o: EngineSettings['outliers'],
): IndicatorFlag | null {
  const big = (v: NumDen | undefined): v is NumDen => !!v && (unit === 'count' || v.den >= o.minDenominator);
  if (!big(own)) return null;
  const x = figure(unit, own)!;
  const ref = siblings.filter(big).map((v) => figure(unit, v)!);
  if (ref.length < 3) return null;
  const { z, median: med } = modifiedZ(x, ref);
  if (Math.abs(z) <= o.siblingZ) return null;
  if (!farEnough(unit, x, med, o)) return null;
  return {
    kind: 'outlier_siblings',
    message: {
      zh: `${fmt(x)} 与同级 ${ref.length} 个地区的一般水平 ${fmt(med)}（中位数）相差很大：请核实数据，或了解原因`,
      en: `${fmt(x)}, far from the usual ${fmt(med)} of ${ref.length} sibling regions (their median): check the data, or find out why`,
    },
  };
}

/**
 * The figure far from the region's own earlier months (oldest first), in plain words. History starts
 * at the first month with something in the numerator: the months before a capability was in use
 * (every one 0) are not a norm to measure its first month against. Like the siblings' check, a
 * figure over a small denominator is not compared, and a flag needs farEnough's gap besides the z.
 */
export function seriesFlag(
  unit: IndicatorUnit,
  own: NumDen | undefined,
  earlier: Array<NumDen | undefined>,
  o: EngineSettings['outliers'],
): IndicatorFlag | null {
  const big = (v: NumDen | undefined): v is NumDen => !!v && (unit === 'count' || v.den >= o.minDenominator);
  if (!big(own)) return null;
  const x = figure(unit, own)!;
  const start = earlier.findIndex((v) => !!v && v.num !== 0);
  if (start < 0) return null;
  const ref = earlier
    .slice(start)
    .filter(big)
    .map((v) => figure(unit, v)!);
  if (ref.length < o.minSeries) return null;
  const { z, median: med } = modifiedZ(x, ref);
  if (Math.abs(z) <= o.seriesZ || !farEnough(unit, x, med, o)) return null;
  const steady = ref.every((v) => v === ref[0]);
  return {
    kind: 'outlier_series',
    message: steady
      ? {
          zh: `此前 ${ref.length} 个月一直是 ${fmt(med)}，本月变为 ${fmt(x)}：请核实数据是否完整、准确`,
          en: `${fmt(med)} in each of the ${ref.length} earlier months, ${fmt(x)} this month: check the data are complete and right`,
        }
      : {
          zh: `本月 ${fmt(x)}，与本地区此前 ${ref.length} 个月的一般水平 ${fmt(med)}（中位数）相差很大：请核实数据是否完整、准确`,
          en: `${fmt(x)} this month, far from this region's usual ${fmt(med)} (the median of ${ref.length} earlier months): check the data are complete and right`,
        },
  };
}
