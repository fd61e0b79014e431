import type { Executor } from '../../db/database.js';
import type { Insertable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import type { Scope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import type { Cell, Span } from './contract.js';
import { defaultRegistry, holds, monthOf, personRules, sourceMapping, spanOf, type PersonRule, type Registry } from './engine.js';
import type { RefreshReply } from './indicators.schema.js';
import type { IndicatorRefreshRow, IndicatorValueTable } from './indicators.tables.js';
import { blockOf, blockSizes, readBlocks, sameBlock, writeBlocks, type FactBlock } from './facts.js';
import { RegionTree } from './tree.js';

/**
 * The refresh (issue 20): a month's person facts and values, after DHIS2's analytics tables.
 *
 * - full: the population and every person source are asked once for the whole month; the bits are
 *   built in typed arrays, the facts packed per region (facts.ts) and only the regions whose facts
 *   differ rewritten, and the values counted in memory per (region, bits) pair and summed up the
 *   region tree.
 * - incremental (when the month was computed before with the same person sources): only the persons
 *   some source says may have changed since the last refresh. A person the population names is
 *   recomputed whole; one named only by some sources is asked of those sources only, and keeps the
 *   other bits of their old facts. The difference is applied to the values of their old and new
 *   regions and every ancestor. Exact, as long as each source's changedSince names every person
 *   whose answer from it changed (refresh.test.ts checks incremental against full).
 * - aggregate indicators are small and recomputed whole every time.
 *
 * The whole refresh is one transaction whose first statement updates the lock row: on SQLite it
 * takes the write lock, on PostgreSQL the row lock, so two refreshes (two servers, the daily task
 * and a click) wait for each other instead of interleaving. Within a process they queue.
 */
export interface RefreshOptions {
  full?: boolean;
  /** YYYY-MM; default: the current month in Asia/Shanghai */
  period?: string;
  /** the clock (tests move it); the watermark is always the real clock, which rows are written by */
  now?: Date;
  registry?: Registry;
  /** who asked (the console, the command line, the daily task): the refresh is audited as theirs */
  scope?: Scope;
  /** called with the time each phase took (a source's query, the facts' write): the benchmark's profile */
  onPhase?: (phase: string, ms: number, cpuMs: number) => void;
  /** only when the month has never been computed (a read's first look): two readers compute it once */
  ifMissing?: boolean;
}

const queues = new WeakMap<object, Promise<unknown>>();

/** Runs `work` after every earlier refresh of this database in this process. */
function queued<T>(key: object, work: () => Promise<T>): Promise<T> {
  const before = queues.get(key) ?? Promise.resolve();
  const run = before.then(work, work);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

const ID_CHUNK = 500;

type Timed = <T>(phase: string, work: () => Promise<T>) => Promise<T>;

/** Times each phase for `onPhase` (the benchmark's profile); nothing when no one listens. */
function phases(onPhase: RefreshOptions['onPhase']): Timed {
  if (!onPhase) return (_phase, work) => work();
  return async (phase, work) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const out = await work();
    const used = process.cpuUsage(cpu);
    onPhase(phase, performance.now() - t, (used.user + used.system) / 1000);
    return out;
  };
}
const chunks = <T>(xs: readonly T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/** The month's last finished refresh, if any. */
export async function lastRefresh(db: Executor, month: string): Promise<IndicatorRefreshRow | undefined> {
  return db
    .selectFrom('indicator_refreshes')
    .selectAll()
    .where('month', '=', month)
    .where('status', '=', 'finished')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function refreshIndicators(ctx: AppContext, opts: RefreshOptions = {}): Promise<RefreshReply> {
  const reg = opts.registry ?? (await defaultRegistry());
  const settings = await reg.settings(ctx, ctx.regions.top()?.code ?? '');
  const now = opts.now ?? new Date();
  const month = opts.period ?? monthOf(now);
  const span = spanOf(month, settings.planFrom, today(now));
  if (!span) throw new AppError('INDICATOR_PERIOD_FUTURE', { period: month });
  const mapping = sourceMapping(reg);
  const rules = personRules(reg, mapping.keys);
  const tree = new RegionTree(ctx.regions);
  const timed = phases(opts.onPhase);
  return queued(ctx.db, () =>
    ctx.db.transaction().execute(async (trx) => {
      const t0 = performance.now();
      const startedAt = new Date().toISOString();
      await trx.updateTable('indicator_lock').set({ at: startedAt }).where('id', '=', 1).execute();
      const last = await lastRefresh(trx, month);
      if (opts.ifMissing && last)
        return {
          mode: last.mode === 'full' ? 'full' : 'incremental',
          periods: [month],
          persons: 0,
          ms: 0,
          computedAt: last.finished_at ?? last.started_at,
        } satisfies RefreshReply;
      const incremental = !opts.full && last !== undefined && last.sources_hash === mapping.hash;
      const own: { elders?: Map<string, number> } = {};
      const persons = incremental
        ? await incrementalPersons(ctx, trx, reg, span, rules, tree, { at: last.started_at, on: last.as_of }, timed)
        : await fullPersons(ctx, trx, reg, span, rules, tree, timed, own);
      // the population per region for the aggregates: a full refresh has just counted it; an
      // incremental one reads it from the facts it has just brought up to date, once, if asked
      let elders: Promise<ReadonlyMap<string, number>> | undefined = own.elders ? Promise.resolve(own.elders) : undefined;
      const withElders: Span = { ...span, elders: () => (elders ??= timed('facts.elders', () => blockSizes(trx, span.month))) };
      await aggregates(ctx, trx, reg, withElders, tree, timed);
      const ms = Math.round(performance.now() - t0);
      const finishedAt = new Date().toISOString();
      await trx
        .insertInto('indicator_refreshes')
        .values({
          month,
          mode: incremental ? 'incremental' : 'full',
          status: 'finished',
          sources: JSON.stringify(mapping.keys),
          sources_hash: mapping.hash,
          started_at: startedAt,
          finished_at: finishedAt,
          since_at: incremental ? last.started_at : null,
          since_on: incremental ? last.as_of : null,
          as_of: span.asOf,
          persons,
          ms,
        })
        .execute();
      if (opts.scope) {
        await recordAudit(trx, opts.scope, {
          action: 'indicators.refresh',
          entityType: 'indicator',
          detail: { period: month, mode: incremental ? 'incremental' : 'full', persons, ms },
        });
      }
      return { mode: incremental ? 'incremental' : 'full', periods: [month], persons, ms, computedAt: finishedAt } satisfies RefreshReply;
    }),
  );
}

/** Counts of persons by (region, bits), signed: an incremental refresh subtracts the old and adds the new. */
class BitCounts {
  private byRegion = new Map<string, Map<number, number>>();
  add(region: string, bits: number, n: number): void {
    let m = this.byRegion.get(region);
    if (!m) this.byRegion.set(region, (m = new Map()));
    m.set(bits, (m.get(bits) ?? 0) + n);
  }
  /** Per region (its own persons, then summed into every ancestor): [num, den] of each rule, flattened. */
  rollUp(rules: readonly PersonRule[], tree: RegionTree): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    for (const [region, counts] of this.byRegion) {
      const own = new Float64Array(rules.length * 2);
      for (const [bits, n] of counts) {
        if (n === 0) continue;
        for (let r = 0; r < rules.length; r++) {
          const rule = rules[r]!;
          if (!holds(bits, rule.den)) continue;
          own[r * 2 + 1]! += n;
          if (holds(bits, rule.num)) own[r * 2]! += n;
        }
      }
      for (const code of tree.chain(region)) {
        let acc = out.get(code);
        if (!acc) out.set(code, (acc = new Float64Array(rules.length * 2)));
        for (let i = 0; i < own.length; i++) acc[i]! += own[i]!;
      }
    }
    return out;
  }
}

async function fullPersons(
  ctx: AppContext,
  trx: Executor,
  reg: Registry,
  span: Span,
  rules: PersonRule[],
  tree: RegionTree,
  timed: Timed,
  out: { elders?: Map<string, number> } = {},
): Promise<number> {
  const pop = await timed(reg.population.key, () => reg.population.regions(ctx, trx, span));
  const elders = new Map<string, number>();
  for (const [, region] of pop) elders.set(region, (elders.get(region) ?? 0) + 1);
  out.elders = elders;
  const index = idIndex(pop);
  const bits = new Int32Array(pop.length);
  for (let s = 0; s < reg.personSources.length; s++) {
    const bit = 1 << s;
    const source = reg.personSources[s]!;
    for (const id of await timed(source.key, () => source.persons(ctx, trx, span))) {
      const i = index(id);
      if (i !== undefined) bits[i]! |= bit;
    }
  }
  const counts = new BitCounts();
  for (let i = 0; i < pop.length; i++) counts.add(pop[i]![1], bits[i]!, 1);
  await timed('facts.write', () => writeFacts(ctx, trx, span.month, pop, bits));
  await timed('values.write', async () => {
    const values = counts.rollUp(rules, tree);
    const keys = rules.map((r) => r.key);
    if (keys.length) await trx.deleteFrom('indicator_values').where('month', '=', span.month).where('indicator_key', 'in', keys).execute();
    const rows: Insertable<IndicatorValueTable>[] = [];
    for (const code of tree.codes) {
      const v = values.get(code);
      for (let r = 0; r < rules.length; r++) {
        rows.push({ month: span.month, indicator_key: rules[r]!.key, region_code: code, num: v ? v[r * 2]! : 0, den: v ? v[r * 2 + 1]! : 0 });
      }
    }
    await ctx.handle.insertMany(trx, 'indicator_values', rows);
  });
  return pop.length;
}

/**
 * A lookup from person id to its position in `pop`: a typed array indexed by id when the ids are
 * dense enough (a register's are), else a Map.
 */
function idIndex(pop: ReadonlyArray<[number, string]>): (id: number) => number | undefined {
  let max = 0;
  for (const [id] of pop) if (id > max) max = id;
  if (max <= 4 * pop.length + 1_000_000) {
    const at = new Int32Array(max + 1).fill(-1);
    for (let i = 0; i < pop.length; i++) at[pop[i]![0]] = i;
    return (id) => (id >= 0 && id <= max && at[id]! >= 0 ? at[id]! : undefined);
  }
  const m = new Map<number, number>();
  for (let i = 0; i < pop.length; i++) m.set(pop[i]![0], i);
  return (id) => m.get(id);
}

/**
 * The month's facts become `pop` with `bits`: grouped into a block per region, compared with what
 * the month holds, and only the blocks that differ rewritten (a recompute changes few).
 */
async function writeFacts(ctx: AppContext, trx: Executor, month: string, pop: ReadonlyArray<[number, string]>, bits: Int32Array): Promise<void> {
  const members = new Map<string, number[]>();
  for (let i = 0; i < pop.length; i++) {
    const region = pop[i]![1];
    let list = members.get(region);
    if (!list) members.set(region, (list = []));
    list.push(i);
  }
  const old = new Map((await readBlocks(trx, month)).map((b) => [b.region, b]));
  const write: FactBlock[] = [];
  for (const [region, list] of members) {
    const ids = new Int32Array(list.length);
    const bs = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) {
      ids[k] = pop[list[k]!]![0];
      bs[k] = bits[list[k]!]!;
    }
    const block = blockOf(region, ids, bs);
    const was = old.get(region);
    if (!was || !sameBlock(was, block)) write.push(block);
  }
  for (const region of old.keys()) if (!members.has(region)) write.push({ region, ids: new Int32Array(0), bits: new Int32Array(0) });
  await writeBlocks(ctx, trx, month, write);
}

async function incrementalPersons(
  ctx: AppContext,
  trx: Executor,
  reg: Registry,
  span: Span,
  rules: PersonRule[],
  tree: RegionTree,
  since: { at: string; on: string },
  timed: Timed,
): Promise<number> {
  // who changed, by source: a person the population names is recomputed whole (region and every
  // bit); one only some sources name keeps the other bits of their old facts (each source's
  // changedSince names everyone whose answer from it may have changed: contract.ts)
  const whole = new Set(await timed(`${reg.population.key}.changedSince`, () => reg.population.changedSince(ctx, trx, span, since)));
  const changed = new Set<number>(whole);
  const bySource: number[][] = [];
  for (const s of reg.personSources) {
    const named = await timed(`${s.key}.changedSince`, () => s.changedSince(ctx, trx, span, since));
    bySource.push(named);
    for (const id of named) changed.add(id);
  }
  if (changed.size === 0) return 0;
  const counts = new BitCounts();
  // the month's blocks, whole (a county's are a few MB): the changed persons' old facts come out of them
  const blocks = await timed('facts.read', () => readBlocks(trx, span.month));
  const touchedRegions = new Set<string>();
  const after = new Map<number, { region: string; bits: number }>();
  for (const b of blocks) {
    for (let i = 0; i < b.ids.length; i++) {
      const id = b.ids[i]!;
      if (!changed.has(id)) continue;
      counts.add(b.region, b.bits[i]!, -1);
      touchedRegions.add(b.region);
      if (!whole.has(id)) after.set(id, { region: b.region, bits: b.bits[i]! });
    }
  }
  // the population's changed persons: their region, and every source asked about them
  const pop = whole.size
    ? await timed(reg.population.key, () =>
        reg.population.regions(
          ctx,
          trx,
          span,
          [...whole].sort((x, y) => x - y),
        ),
      )
    : [];
  const popIds = pop.map(([id]) => id);
  for (const [id, region] of pop) after.set(id, { region, bits: 0 });
  for (let s = 0; s < reg.personSources.length; s++) {
    const bit = 1 << s;
    const source = reg.personSources[s]!;
    // this source's answer for the population's changed persons and for those it names itself
    // (of the month's facts: a person in neither is not of the population)
    const own = bySource[s]!.filter((id) => !whole.has(id) && after.has(id));
    const asked = own.length ? [...new Set([...popIds, ...own])].sort((x, y) => x - y) : popIds;
    if (asked.length === 0) continue;
    for (const id of own) after.get(id)!.bits &= ~bit;
    for (const id of await timed(source.key, () => source.persons(ctx, trx, span, asked))) {
      const f = after.get(id);
      if (f) f.bits |= bit;
    }
  }
  // the blocks of the regions the changed persons were in or are in now: the others' facts, and theirs
  const added = new Map<string, Array<[number, number]>>();
  for (const [id, f] of after) {
    counts.add(f.region, f.bits, 1);
    touchedRegions.add(f.region);
    let list = added.get(f.region);
    if (!list) added.set(f.region, (list = []));
    list.push([id, f.bits]);
  }
  await timed('facts.write', async () => {
    const byRegion = new Map(blocks.map((b) => [b.region, b]));
    const write: FactBlock[] = [];
    for (const region of touchedRegions) {
      // the region's block less the changed persons, merged with their new facts (both in id order)
      const was = byRegion.get(region);
      const add = (added.get(region) ?? []).sort((x, y) => x[0] - y[0]);
      const size = (was?.ids.length ?? 0) + add.length;
      const ids = new Int32Array(size);
      const bs = new Int32Array(size);
      let n = 0;
      let k = 0;
      if (was)
        for (let i = 0; i < was.ids.length; i++) {
          const id = was.ids[i]!;
          if (changed.has(id)) continue;
          for (; k < add.length && add[k]![0] < id; k++, n++) [ids[n], bs[n]] = add[k]!;
          ids[n] = id;
          bs[n++] = was.bits[i]!;
        }
      for (; k < add.length; k++, n++) [ids[n], bs[n]] = add[k]!;
      const block: FactBlock = { region, ids: ids.subarray(0, n), bits: bs.subarray(0, n) };
      if (!was || !sameBlock(was, block)) write.push(block);
    }
    await writeBlocks(ctx, trx, span.month, write);
  });

  const delta = counts.rollUp(rules, tree);
  const touched = [...delta.entries()].filter(([, v]) => v.some((x) => x !== 0)).map(([code]) => code);
  if (touched.length === 0 || rules.length === 0) return changed.size;
  await timed('values.write', () => applyDelta(trx, ctx, span.month, rules, touched, delta));
  return changed.size;
}

/** Adds the difference to the touched regions' values: read them, delete them, write them back. */
async function applyDelta(
  trx: Executor,
  ctx: AppContext,
  month: string,
  rules: PersonRule[],
  touched: string[],
  delta: Map<string, Float64Array>,
): Promise<void> {
  const span = { month };
  const keys = rules.map((r) => r.key);
  // read the touched regions' rows, add the difference, write them back: three statements, whatever the count
  const current = new Map<string, { num: number; den: number }>();
  for (const part of chunks(touched, ID_CHUNK)) {
    const got = await trx
      .selectFrom('indicator_values')
      .select(['region_code', 'indicator_key', 'num', 'den'])
      .where('month', '=', span.month)
      .where('region_code', 'in', part)
      .where('indicator_key', 'in', keys)
      .execute();
    for (const g of got) current.set(`${g.region_code}|${g.indicator_key}`, { num: Number(g.num), den: Number(g.den) });
    await trx.deleteFrom('indicator_values').where('month', '=', span.month).where('region_code', 'in', part).where('indicator_key', 'in', keys).execute();
  }
  const out: Insertable<IndicatorValueTable>[] = [];
  for (const code of touched) {
    const d = delta.get(code)!;
    rules.forEach((rule, r) => {
      const c = current.get(`${code}|${rule.key}`) ?? { num: 0, den: 0 };
      out.push({ month: span.month, indicator_key: rule.key, region_code: code, num: c.num + d[r * 2]!, den: c.den + d[r * 2 + 1]! });
    });
  }
  await ctx.handle.insertMany(trx, 'indicator_values', out);
}

/** Every aggregate indicator's cells, summed up the tree, replacing the month's values of those indicators. */
async function aggregates(ctx: AppContext, trx: Executor, reg: Registry, span: Span, tree: RegionTree, timed: Timed): Promise<void> {
  const bySource = new Map(reg.aggregateSources.map((s) => [s.key, s]));
  const defs = reg.definitions.filter((d) => d.aggregate);
  if (defs.length === 0) return;
  const cellsOf = new Map<string, Cell[]>();
  for (const d of defs) {
    const source = bySource.get(d.aggregate!);
    if (!source) throw new Error(`indicator ${d.key} names unknown aggregate source ${d.aggregate}`);
    if (!cellsOf.has(source.key)) cellsOf.set(source.key, await timed(source.key, () => source.cells(ctx, trx, span)));
  }
  await trx
    .deleteFrom('indicator_values')
    .where('month', '=', span.month)
    .where(
      'indicator_key',
      'in',
      defs.map((d) => d.key),
    )
    .execute();
  const rows: Insertable<IndicatorValueTable>[] = [];
  for (const d of defs) {
    const sums = new Map<string, { num: number; den: number }>();
    for (const cell of cellsOf.get(d.aggregate!)!) {
      for (const code of tree.chain(cell.region)) {
        const s = sums.get(code) ?? { num: 0, den: 0 };
        s.num += cell.num;
        s.den += cell.den;
        sums.set(code, s);
      }
    }
    for (const code of tree.codes) {
      const s = sums.get(code);
      rows.push({ month: span.month, indicator_key: d.key, region_code: code, num: s?.num ?? 0, den: s?.den ?? 0 });
    }
  }
  await ctx.handle.insertMany(trx, 'indicator_values', rows);
}

/** The months a new install shows at once: the dashboard's 12-month trend. */
export const HISTORY_MONTHS = 12;

/**
 * Computes (in full) every month of the last HISTORY_MONTHS, up to `now`'s, that no refresh has
 * computed yet, oldest first, each once (a refresh that finds the month done meanwhile does
 * nothing); returns the months it looked at that were missing. The nightly task runs it, so a new
 * install has a year of history soon after start.
 */
export async function backfillMonths(ctx: AppContext, opts: { registry?: Registry; now?: Date; scope?: Scope } = {}): Promise<string[]> {
  const now = opts.now ?? new Date();
  const months = [monthOf(now)];
  while (months.length < HISTORY_MONTHS) months.unshift(previousPeriod(months[0]!));
  const done = new Set(await computedMonths(ctx.db));
  const missing = months.filter((m) => !done.has(m));
  for (const m of missing) await refreshIndicators(ctx, { period: m, full: true, ifMissing: true, registry: opts.registry, now, scope: opts.scope });
  return missing;
}

/** Whether the month has values (a finished refresh). */
export async function computedAt(db: Executor, month: string): Promise<string | null> {
  return (await lastRefresh(db, month))?.finished_at ?? null;
}

/** The months that have values, newest first (for the series). */
export async function computedMonths(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('indicator_refreshes').select('month').distinct().where('status', '=', 'finished').execute();
  return rows.map((r) => r.month).sort((a, b) => b.localeCompare(a));
}
