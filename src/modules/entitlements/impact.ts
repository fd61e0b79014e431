import type { RollStatus } from './entitlements.schema.js';
import type { Executor } from '../../db/database.js';
import type { RollRow, RunRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import type { Locale } from '../../platform/errors.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, periodBounds } from '../../platform/time.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import { checkParameterChange, parseParameterChange } from '../catalogue/catalogue.service.js';
import { overridesFor } from '../catalogue/catalogue.repository.js';
import { paramsFor, type ParamOverride } from '../catalogue/engine.js';
import { runCatalogue, runLockKey, runParams } from './runs.service.js';
import { yuan } from './self-check.js';
import { jurisdictionFor } from '../catalogue/jurisdictions.js';

/**
 * Stale runs and what a run or a parameter change would touch.
 *
 * A run used the parameter values in force on the last day of its month. When an administrator
 * later sets a value that reaches that month, the run no longer says what the month should pay:
 * it is stale, and so are its rolls not yet approved. Staleness is computed from the values the
 * run stored and the values now in force, so it can never be forgotten or left behind; it ends
 * when the month is run again. An approved month cannot be reached by a new value at all
 * (catalogue service), so approved rolls are never stale.
 */
export interface StaleParam {
  name: string;
  label: string;
  type: string;
  from: string | null;
  was: number | string | null;
  now: number | string | null;
}

function show(type: string, v: number | string | null): string {
  if (v === null) return '—';
  return type === 'money' && typeof v === 'number' ? `${yuan(v)} 元` : String(v);
}

export function staleText(list: StaleParam[], locale: Locale = 'zh-CN'): string | null {
  if (!list.length) return null;
  if (locale === 'en') {
    return `Parameters changed after this run: ${list.map((p) => `${p.label} ${show(p.type, p.was).replace(' 元', ' yuan')} → ${show(p.type, p.now).replace(' 元', ' yuan')}${p.from ? ` (from ${p.from})` : ''}`).join('; ')}. Run the month again.`;
  }
  return `本次测算后参数已调整：${list.map((p) => `${p.label} ${show(p.type, p.was)} → ${show(p.type, p.now)}${p.from ? `（自 ${p.from} 起）` : ''}`).join('；')}。请重新测算本月。`;
}

/** The parameters whose value for the run's month differs from the one the run used. */
export function staleParams(cat: Catalogue, run: RunRow, overrides: ParamOverride[]): StaleParam[] {
  const used = runParams(run).used;
  const now = paramsFor(cat, run.period, overrides).used;
  const out: StaleParam[] = [];
  for (const name of new Set([...Object.keys(used), ...Object.keys(now)])) {
    const a = used[name]?.value ?? null;
    const b = now[name]?.value ?? null;
    if (a === b) continue;
    const p = cat.parameters.get(name);
    out.push({ name, label: p?.label ?? name, type: p?.type ?? 'money', from: now[name]?.from ?? null, was: a, now: b });
  }
  return out;
}

/** The latest finished run of each jurisdiction's month: the one whose rolls are current. */
async function currentRunIds(db: Executor, regionCodes: string[], periods?: string[]): Promise<Set<number>> {
  if (!regionCodes.length) return new Set();
  let q = db
    .selectFrom('entitlement_runs')
    .select(['region_code', 'period', (eb) => eb.fn.max('id').as('id')])
    .where('region_code', 'in', regionCodes)
    .where('status', '=', 'finished');
  if (periods) {
    if (!periods.length) return new Set();
    q = q.where('period', 'in', periods);
  }
  const rows = await q.groupBy(['region_code', 'period']).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** For the runs given: the parameters each is stale by (none when it is current, or not the month's current run). */
export async function staleness(ctx: AppContext, runs: RunRow[], overrides?: ParamOverride[], db: Executor = ctx.db): Promise<Map<number, StaleParam[]>> {
  const out = new Map<number, StaleParam[]>();
  if (!runs.length) return out;
  const current = await currentRunIds(db, [...new Set(runs.map((r) => r.region_code))], [...new Set(runs.map((r) => r.period))]);
  // each run against its own catalogue's values (`overrides`: proposed ones, for runs of the catalogue they are proposed for)
  const byCatalogue = new Map<string, ParamOverride[]>();
  for (const run of runs) {
    if (run.status !== 'finished' || !current.has(run.id)) {
      out.set(run.id, []);
      continue;
    }
    let ov = byCatalogue.get(run.jurisdiction);
    if (!ov) byCatalogue.set(run.jurisdiction, (ov = overrides ?? (await overridesFor(db, run.jurisdiction))));
    out.set(run.id, staleParams(await runCatalogue(ctx, run, db), run, ov));
  }
  return out;
}

/**
 * The parameters a roll's item depends on: its rule and amount, those of the items it is
 * exclusive with (a changed standard may change which of them is paid), and the population rule.
 */
export function paramsOfItem(cat: Catalogue, itemId: string): Set<string> {
  const it = cat.items.find((i) => i.id === itemId);
  if (!it) return new Set(cat.parameters.keys());
  const group = it.exclusive?.group;
  const members = group ? cat.items.filter((i) => i.exclusive?.group === group) : [it];
  const out = new Set(cat.population.params);
  for (const m of members) {
    for (const n of [
      ...m.rule.params,
      ...(m.benefit.amount?.params ?? []),
      ...(m.benefit.percent?.params ?? []),
      ...(m.benefit.insurer ? [m.benefit.insurer] : []),
    ])
      out.add(n);
  }
  return out;
}

/**
 * Per roll not yet approved: the changed parameters its item depends on. A roll is stale only
 * when its run is stale by a parameter its item reads; the others of the month stay approvable.
 */
export async function rollStaleness(
  ctx: AppContext,
  rolls: Pick<RollRow, 'id' | 'run_id' | 'item_id' | 'status'>[],
  db: Executor = ctx.db,
): Promise<Map<number, StaleParam[]>> {
  const out = new Map<number, StaleParam[]>();
  const open = rolls.filter((r) => OPEN.includes(r.status));
  if (!open.length) return out;
  const runs = await db
    .selectFrom('entitlement_runs')
    .selectAll()
    .where('id', 'in', [...new Set(open.map((r) => r.run_id))])
    .execute();
  const byRun = await staleness(ctx, runs, undefined, db);
  const cats = new Map<number, Catalogue>();
  for (const run of runs) if ((byRun.get(run.id) ?? []).length) cats.set(run.id, await runCatalogue(ctx, run, db));
  for (const r of open) {
    const list = byRun.get(r.run_id) ?? [];
    const cat = cats.get(r.run_id);
    if (!list.length || !cat) continue;
    const reads = paramsOfItem(cat, r.item_id);
    const mine = list.filter((p) => reads.has(p.name));
    if (mine.length) out.set(r.id, mine);
  }
  return out;
}

export async function runStale(ctx: AppContext, run: RunRow, locale: Locale = 'zh-CN'): Promise<string | null> {
  return staleText((await staleness(ctx, [run])).get(run.id) ?? [], locale);
}

const OPEN: RollStatus[] = ['draft', 'submitted', 'returned'];

/**
 * What re-running a month would touch, for the console to name before it starts: the month's
 * rolls the viewer can see, with how many lines were held back and what will happen to each.
 */
export async function runImpact(ctx: AppContext, scope: Scope, period: string, jurisdictionCode?: string | null) {
  requireAction(scope, 'entitlements.run');
  const region = jurisdictionFor(ctx, scope, jurisdictionCode);
  const rolls = await ctx.db
    .selectFrom('payment_rolls')
    .selectAll('payment_rolls')
    .innerJoin('entitlement_runs', 'entitlement_runs.id', 'payment_rolls.run_id')
    .where('entitlement_runs.region_code', '=', region.code)
    .where('payment_rolls.period', '=', period)
    .where('payment_rolls.status', 'in', [...OPEN, 'approved'])
    .where(inRegion(scope, 'payment_rolls.town_code'))
    .orderBy('payment_rolls.item_id')
    .orderBy('payment_rolls.town_code')
    .execute();
  const held = rolls.length
    ? new Map(
        (
          await ctx.db
            .selectFrom('roll_lines')
            .select(['roll_id', (eb) => eb.fn.countAll<number>().as('n')])
            .where(
              'roll_id',
              'in',
              rolls.map((r) => r.id),
            )
            // held back or remarked by hand (a paused line is the run's own, decided again)
            .where((eb) => eb.or([eb('excluded', '=', 1), eb('remark', 'is not', null)]))
            .where('pause', 'is', null)
            .groupBy('roll_id')
            .execute()
        ).map((r) => [r.roll_id, Number(r.n)]),
      )
    : new Map<number, number>();
  const running = await ctx.db.selectFrom('entitlement_runs').select('id').where('lock_key', '=', runLockKey(region.code, period)).executeTakeFirst();
  return {
    period,
    running: running?.id ?? null,
    rolls: rolls.map((r) => {
      const heldLines = held.get(r.id) ?? 0;
      return {
        id: r.id,
        itemId: r.item_id,
        itemName: r.item_name,
        townCode: r.town_code,
        townName: ctx.regions.get(r.town_code)?.name ?? r.town_code,
        status: r.status,
        lines: r.lines,
        totalFen: r.total_fen,
        heldLines,
        // what the re-run does with it
        effect: r.status === 'approved' ? ('kept' as const) : r.status === 'draft' && heldLines === 0 ? ('replaced' as const) : ('carried' as const),
      };
    }),
  };
}

export interface ParameterChange {
  jurisdiction: string;
  name: string;
  from: string;
  value: string | number;
}

/**
 * What setting a parameter would make stale, for the console to say before it saves: each month
 * already run whose run would no longer match, and its rolls not yet approved.
 */
export async function parameterImpact(ctx: AppContext, scope: Scope, change: ParameterChange, locale: Locale = 'zh-CN') {
  requireAction(scope, 'catalogue.set_parameter');
  // refused here exactly as saving it would be refused: never offer a save the server refuses
  const { param, value } = parseParameterChange(ctx, change);
  await checkParameterChange(ctx, ctx.db, change, param.label);
  const overrides = await overridesFor(ctx.db, change.jurisdiction);
  const proposed: ParamOverride[] = [...overrides, { name: change.name, from: change.from, value, note: '', setBy: scope.username, setAt: nowIso() }];
  const runs = await ctx.db
    .selectFrom('entitlement_runs')
    .selectAll()
    .where('jurisdiction', '=', change.jurisdiction)
    .where('status', '=', 'finished')
    .execute();
  const reached = runs.filter((r) => periodBounds(r.period).end >= change.from);
  const now = await staleness(ctx, reached, overrides);
  const then = await staleness(ctx, reached, proposed);
  const out = [];
  for (const run of reached) {
    const after = then.get(run.id) ?? [];
    // newly stale through this change (a run stale already stays listed: it needs a re-run anyway)
    if (!after.some((p) => p.name === change.name)) continue;
    // the month's rolls not yet approved whose item reads the parameter
    const cat = await runCatalogue(ctx, run);
    const items = cat.items.filter((i) => paramsOfItem(cat, i.id).has(change.name)).map((i) => i.id);
    const open = items.length
      ? await ctx.db
          .selectFrom('payment_rolls')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('run_id', '=', run.id)
          .where('status', 'in', OPEN)
          .where('item_id', 'in', items)
          .executeTakeFirstOrThrow()
      : { n: 0 };
    out.push({ id: run.id, period: run.period, reason: staleText(after, locale), alreadyStale: (now.get(run.id) ?? []).length > 0, openRolls: Number(open.n) });
  }
  return { staleRuns: out.sort((a, b) => a.period.localeCompare(b.period)) };
}
