import type { Executor } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import type { IndicatorDef } from './contract.js';
import { defaultRegistry, monthOf, spanOf, type EngineSettings, type Registry } from './engine.js';
import type {
  BreakdownItem,
  BreakdownReply,
  DefinitionsReply,
  IndicatorFlag,
  IndicatorTarget,
  IndicatorValue,
  RegionRef,
  ReportReply,
  ReportRow,
  SeriesQuery,
  SeriesReply,
  ValuesQuery,
  ValuesReply,
} from './indicators.schema.js';
import { backfillMonths, computedAt, refreshIndicators } from './refresh.js';
import { addUpFlag, figure, readingOf, seriesFlag, siblingFlag, statusOf, targetAt, targetOf, type NumDen } from './values.js';

/**
 * The dashboards' reads: values of a region and month (with its path and children), the breakdown
 * of one indicator over the children, a series, the definitions and the quarterly report. They
 * read the values table only; flags are computed here from it.
 */

export const regionRef = (r: RegionRow): RegionRef => ({ code: r.code, name: r.name, level: r.level, kind: r.kind });

/** The region asked (default: the viewer's own, or the jurisdiction for the system), in scope or not found. */
export function regionFor(ctx: AppContext, scope: Scope, code: string | undefined): RegionRow {
  const fallback = scope.regionCode || ctx.regions.top()?.code;
  const r = ctx.regions.get(code ?? fallback ?? '');
  if (!r || !regionInScope(scope, r.code)) throw new AppError('NOT_FOUND', { what: { zh: '地区', en: 'Region' } });
  return r;
}

export const childrenOf = (ctx: AppContext, code: string) =>
  ctx.regions
    .all()
    .filter((r) => r.parent_code === code)
    .sort((a, b) => a.code.localeCompare(b.code));

/** The path from the viewer's top region down to `r`. */
function pathFor(ctx: AppContext, scope: Scope, r: RegionRow): RegionRow[] {
  return ctx.regions.path(r.code).filter((x) => regionInScope(scope, x.code));
}

/** The month asked (default: this one); a month to come is refused. */
function monthFor(period: string | undefined): string {
  const m = period ?? monthOf();
  if (!spanOf(m, '0000-01-01', today())) throw new AppError('INDICATOR_PERIOD_FUTURE', { period: m });
  return m;
}

/** A month nobody computed yet is computed now (full), so a new user never meets an empty dashboard. */
export async function ensureMonth(ctx: AppContext, month: string, reg: Registry, now?: Date): Promise<string | null> {
  const at = await computedAt(ctx.db, month);
  if (at) return at;
  return (await refreshIndicators(ctx, { period: month, full: true, ifMissing: true, registry: reg, now })).computedAt;
}

/**
 * The dashboard's first read on a new install (this month asked, no earlier month computed) fills
 * the year behind it too (backfillMonths), so its 12-month trend is whole; the nightly task does the
 * same at the server's start, and whichever comes second finds the months done.
 */
async function ensureHistory(ctx: AppContext, month: string, reg: Registry): Promise<void> {
  if (month !== monthOf()) return;
  if ((await earlierMonths(ctx.db, month)).length > 0) return;
  await backfillMonths(ctx, { registry: reg });
}

type Values = Map<string, NumDen>;
const vkey = (region: string, key: string) => `${region}|${key}`;

async function loadValues(db: Executor, months: readonly string[], regions: readonly string[], keys?: readonly string[]): Promise<Map<string, Values>> {
  const out = new Map<string, Values>(months.map((m) => [m, new Map()]));
  if (!months.length || !regions.length) return out;
  for (let i = 0; i < regions.length; i += 500) {
    let q = db
      .selectFrom('indicator_values')
      .select(['month', 'region_code', 'indicator_key', 'num', 'den'])
      .where('month', 'in', months)
      .where('region_code', 'in', regions.slice(i, i + 500));
    if (keys) q = q.where('indicator_key', 'in', keys);
    for (const r of await q.execute()) out.get(r.month)!.set(vkey(r.region_code, r.indicator_key), { num: Number(r.num), den: Number(r.den) });
  }
  return out;
}

/** The earlier computed months the series flag compares with (up to two years back). */
async function earlierMonths(db: Executor, month: string): Promise<string[]> {
  let from = month;
  for (let i = 0; i < 24; i++) from = previousPeriod(from);
  const rows = await db
    .selectFrom('indicator_refreshes')
    .select('month')
    .distinct()
    .where('status', '=', 'finished')
    .where('month', '<', month)
    .where('month', '>=', from)
    .execute();
  return rows.map((r) => r.month).sort();
}

/** Whether a region is a jurisdiction itself (a county, or a city or province above them), where its count targets apply. */
const isWhole = (ctx: AppContext, code: string) => ctx.regions.jurisdictionOf(code)?.code === code;

interface FigureParts {
  target: IndicatorTarget | null;
  numerator: number;
  denominator: number | null;
  value: number | null;
  status: IndicatorValue['status'];
  flags: IndicatorFlag[];
}

/** One region's figure of one indicator, with the flags its children, siblings and earlier months give. */
function figureOf(
  def: IndicatorDef,
  settings: EngineSettings,
  cur: Values,
  earlier: Values[],
  code: string,
  children: readonly string[],
  siblings: readonly string[],
  whole: boolean,
): FigureParts & { rest: NumDen | null } {
  const own = cur.get(vkey(code, def.key));
  const target = targetAt(settings, def, whole);
  const value = figure(def.unit, own);
  const flags: IndicatorFlag[] = [];
  const add = addUpFlag(
    def.unit,
    own,
    children.map((c) => cur.get(vkey(c, def.key))),
  );
  // persons belong in villages: one attached to a town is a register error worth a flag. Facilities
  // and staff are registered at a town itself as often as not: their remainder is the region's own
  // (本级直属), kept in the breakdown without a warning.
  if (add && def.person) flags.push(add.flag);
  const sib = siblingFlag(
    def.unit,
    own,
    siblings.map((c) => cur.get(vkey(c, def.key))),
    settings.outliers,
  );
  if (sib) flags.push(sib);
  const ser = seriesFlag(
    def.unit,
    own,
    earlier.map((e) => e.get(vkey(code, def.key))),
    settings.outliers,
  );
  if (ser) flags.push(ser);
  return {
    target,
    numerator: own?.num ?? 0,
    denominator: def.unit === 'count' ? null : (own?.den ?? 0),
    value,
    status: statusOf(value, target),
    flags,
    rest: add ? add.rest : null,
  };
}

function indicatorValue(def: IndicatorDef, settings: EngineSettings, parts: FigureParts): IndicatorValue {
  return {
    key: def.key,
    seedRow: def.seedRow,
    category: def.category,
    name: def.name,
    unit: def.unit,
    period: def.period,
    numerator: parts.numerator,
    denominator: parts.denominator,
    value: parts.value,
    target: parts.target,
    status: parts.status,
    drill: def.drill,
    reading: readingOf(settings, def.key),
    flags: parts.flags,
  };
}

const siblingsOf = (ctx: AppContext, r: RegionRow) => (r.parent_code ? childrenOf(ctx, r.parent_code).map((x) => x.code) : []);

/** GET /api/indicators */
export async function indicatorValues(ctx: AppContext, scope: Scope, q: ValuesQuery, registry?: Registry): Promise<ValuesReply> {
  requireAction(scope, 'indicators.read');
  const reg = registry ?? (await defaultRegistry());
  const region = regionFor(ctx, scope, q.region);
  const month = monthFor(q.period);
  const at = await ensureMonth(ctx, month, reg);
  await ensureHistory(ctx, month, reg);
  const settings = await reg.settings(ctx, region.code);
  const children = childrenOf(ctx, region.code);
  const siblings = siblingsOf(ctx, region);
  const earlier = await earlierMonths(ctx.db, month);
  const codes = [region.code, ...children.map((c) => c.code), ...siblings];
  const cur = (await loadValues(ctx.db, [month], codes)).get(month)!;
  const past = await loadValues(ctx.db, earlier, [region.code]);
  const items = reg.definitions.map((def) =>
    indicatorValue(
      def,
      settings,
      figureOf(
        def,
        settings,
        cur,
        earlier.map((m) => past.get(m)!),
        region.code,
        children.map((c) => c.code),
        siblings,
        isWhole(ctx, region.code),
      ),
    ),
  );
  return {
    period: month,
    region: regionRef(region),
    path: pathFor(ctx, scope, region).map(regionRef),
    children: children.map(regionRef),
    computedAt: at,
    items,
  };
}

export function definitionOf(reg: Registry, key: string): IndicatorDef {
  const def = reg.definitions.find((d) => d.key === key);
  if (!def) throw new AppError('INDICATOR_NOT_FOUND', { key });
  return def;
}

/** GET /api/indicators/:key/regions */
export async function indicatorBreakdown(ctx: AppContext, scope: Scope, key: string, q: ValuesQuery, registry?: Registry): Promise<BreakdownReply> {
  requireAction(scope, 'indicators.read');
  const reg = registry ?? (await defaultRegistry());
  const def = definitionOf(reg, key);
  const region = regionFor(ctx, scope, q.region);
  const month = monthFor(q.period);
  await ensureMonth(ctx, month, reg);
  const settings = await reg.settings(ctx, region.code);
  const children = childrenOf(ctx, region.code);
  const grand = new Map(children.map((c) => [c.code, childrenOf(ctx, c.code).map((g) => g.code)]));
  const siblings = siblingsOf(ctx, region);
  const earlier = await earlierMonths(ctx.db, month);
  const codes = [region.code, ...siblings, ...children.map((c) => c.code), ...[...grand.values()].flat()];
  const cur = (await loadValues(ctx.db, [month], codes, [key])).get(month)!;
  const past = await loadValues(ctx.db, earlier, [region.code, ...children.map((c) => c.code)], [key]);
  const pastList = earlier.map((m) => past.get(m)!);
  const childCodes = children.map((c) => c.code);
  const own = figureOf(def, settings, cur, pastList, region.code, childCodes, siblings, isWhole(ctx, region.code));
  const items: BreakdownItem[] = children.map((c) => {
    const f = figureOf(def, settings, cur, pastList, c.code, grand.get(c.code)!, childCodes, isWhole(ctx, c.code));
    return { region: regionRef(c), numerator: f.numerator, denominator: f.denominator, value: f.value, status: f.status, flags: f.flags };
  });
  return {
    period: month,
    indicator: indicatorValue(def, settings, own),
    region: regionRef(region),
    items,
    unallocated: own.rest ? { numerator: own.rest.num, denominator: def.unit === 'count' ? null : own.rest.den } : null,
  };
}

/** GET /api/indicators/:key/series: the computed months up to `to`, oldest first. */
export async function indicatorSeries(ctx: AppContext, scope: Scope, key: string, q: SeriesQuery, registry?: Registry): Promise<SeriesReply> {
  requireAction(scope, 'indicators.read');
  const reg = registry ?? (await defaultRegistry());
  const def = definitionOf(reg, key);
  const region = regionFor(ctx, scope, q.region);
  const to = monthFor(q.to);
  await ensureMonth(ctx, to, reg);
  await ensureHistory(ctx, to, reg);
  const settings = await reg.settings(ctx, region.code);
  const months: string[] = [to];
  while (months.length < q.months) months.unshift(previousPeriod(months[0]!));
  const rows = await ctx.db
    .selectFrom('indicator_values')
    .select(['month', 'num', 'den'])
    .where('indicator_key', '=', key)
    .where('region_code', '=', region.code)
    .where('month', '>=', months[0]!)
    .where('month', '<=', to)
    .orderBy('month')
    .execute();
  const target = targetAt(settings, def, isWhole(ctx, region.code));
  return {
    key,
    region: regionRef(region),
    points: rows.map((r) => {
      const v = figure(def.unit, { num: Number(r.num), den: Number(r.den) });
      return { period: r.month, numerator: Number(r.num), denominator: def.unit === 'count' ? null : Number(r.den), value: v, status: statusOf(v, target) };
    }),
  };
}

/** The source keys an indicator reads. */
const sourcesOf = (def: IndicatorDef) =>
  def.person ? [...new Set([...def.person.denominator, ...def.person.numerator])] : def.aggregate ? [def.aggregate] : [];

/** GET /api/indicators/definitions */
export async function indicatorDefinitions(ctx: AppContext, scope: Scope, registry?: Registry): Promise<DefinitionsReply> {
  requireAction(scope, 'indicators.read');
  const reg = registry ?? (await defaultRegistry());
  const settings = await reg.settings(ctx, scope.regionCode);
  return {
    items: reg.definitions.map((d) => ({
      key: d.key,
      seedRow: d.seedRow,
      category: d.category,
      name: d.name,
      unit: d.unit,
      period: d.period,
      numerator: d.numeratorText,
      denominator: d.denominatorText,
      target: targetOf(settings, d.key),
      reading: readingOf(settings, d.key),
      sources: sourcesOf(d),
    })),
    unsupported: reg.unsupportedRows.map((u) => ({ ...u })),
  };
}

/**
 * The aggregate sources whose cells count things that happen in the month (a flow): the alarms
 * acknowledged in time of the month's alarms, the complaints closed in time of those due in the
 * month, the visits made of those due in the month. Their numerators and denominators add up over
 * months, so a quarter's figure is the sum of its months'. Every other indicator is a stock (beds,
 * shares of beds, coverage of persons as of a day, counts of staff, year-to-date and plan-to-date
 * counts): a quarter shows its last month's figure. A new flow source is added here.
 */
export const FLOW_AGGREGATES: readonly string[] = ['alarms.alarmAckWithinTarget', 'complaints.complaintsClosedInTime', 'visits.rate'];

const isFlow = (reg: Registry, def: IndicatorDef) => !!def.aggregate && (reg.flowAggregates ?? FLOW_AGGREGATES).includes(def.aggregate);

/**
 * The months a quarter's report reads: its three months, or those up to the current one while it
 * runs (`running`). The last of them is the month stock indicators are shown as of.
 */
export function quarterMonths(quarter: string, on: string = today()): { months: string[]; running: boolean } {
  const [y, q] = quarter.split('Q').map(Number) as [number, number];
  const all = [0, 1, 2].map((i) => `${y}-${String(q * 3 - 2 + i).padStart(2, '0')}`);
  const current = on.slice(0, 7);
  if (all[0]! > current) throw new AppError('INDICATOR_PERIOD_FUTURE', { period: quarter });
  const months = all.filter((m) => m <= current);
  return { months, running: all[2]! >= current };
}

/** The month a quarter's report shows stock indicators as of: its last month, or the current one while it runs. */
export function quarterMonth(quarter: string, on: string = today()): string {
  return quarterMonths(quarter, on).months.at(-1)!;
}

/**
 * GET /api/indicators/report: seed 001's 19 rows in order, then the other indicators. Flow
 * indicators (FLOW_AGGREGATES) are summed over the quarter's months, stock ones taken from its
 * last month; every month of the quarter not yet computed is computed first.
 */
export async function indicatorReport(
  ctx: AppContext,
  scope: Scope,
  q: { quarter: string; region?: string },
  registry?: Registry,
  now: Date = new Date(),
): Promise<ReportReply> {
  requireAction(scope, 'indicators.read');
  const reg = registry ?? (await defaultRegistry());
  const region = regionFor(ctx, scope, q.region);
  const { months, running } = quarterMonths(q.quarter, today(now));
  const month = months.at(-1)!;
  let at: string | null = null;
  for (const m of months) at = await ensureMonth(ctx, m, reg, now);
  const settings = await reg.settings(ctx, region.code);
  const all = await loadValues(ctx.db, months, [region.code]);
  const cur: Values = new Map(all.get(month)!);
  for (const def of reg.definitions.filter((d) => isFlow(reg, d))) {
    const k = vkey(region.code, def.key);
    const sum = months.reduce<NumDen | undefined>((acc, m) => {
      const v = all.get(m)!.get(k);
      return v ? { num: (acc?.num ?? 0) + v.num, den: (acc?.den ?? 0) + v.den } : acc;
    }, undefined);
    if (sum) cur.set(k, sum);
    else cur.delete(k);
  }
  const rowOf = (def: IndicatorDef): ReportRow => {
    const own = cur.get(vkey(region.code, def.key));
    const value = figure(def.unit, own);
    const target = targetAt(settings, def, isWhole(ctx, region.code));
    return {
      seedRow: def.seedRow,
      key: def.key,
      category: def.category,
      name: def.name,
      target: target ? String(target.value) : '',
      attribute: settings.targets[def.key]?.attribute ?? { zh: '', en: '' },
      unit: def.unit,
      value,
      numerator: own?.num ?? 0,
      denominator: def.unit === 'count' ? null : (own?.den ?? 0),
      status: statusOf(value, target),
      reason: null,
    };
  };
  const seeded: Array<[number, ReportRow]> = [
    ...reg.definitions.filter((d) => d.seedRow !== null).map((d): [number, ReportRow] => [d.seedRow!, rowOf(d)]),
    ...reg.unsupportedRows.map((u): [number, ReportRow] => [
      u.seedRow,
      {
        seedRow: u.seedRow,
        key: null,
        category: u.category,
        name: u.name,
        target: u.target,
        attribute: u.attribute,
        unit: null,
        value: null,
        numerator: null,
        denominator: null,
        status: 'no_data',
        reason: u.reason,
      },
    ]),
  ];
  seeded.sort((a, b) => a[0] - b[0]);
  return {
    quarter: q.quarter,
    period: month,
    months,
    running,
    region: regionRef(region),
    computedAt: at,
    rows: seeded.map(([, r]) => r),
    others: reg.definitions.filter((d) => d.seedRow === null).map(rowOf),
  };
}
