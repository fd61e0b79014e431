import type { Executor } from '../../db/database.js';
import type { RunRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound, type Locale } from '../../platform/errors.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, periodBounds } from '../../platform/time.js';
import { yuanToFen, type Catalogue } from '../catalogue/catalogue.loader.js';
import { overridesFor } from '../catalogue/catalogue.repository.js';
import { paramsFor, type ParamOverride } from '../catalogue/engine.js';
import { runCatalogue, runParams } from './runs.service.js';
import { yuan } from './self-check.js';

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

/** The latest finished run of each month: the one whose rolls are current. */
async function currentRunIds(db: Executor, jurisdiction: string, periods?: string[]): Promise<Set<number>> {
  let q = db.selectFrom('entitlement_runs').select(['period', (eb) => eb.fn.max('id').as('id')])
    .where('jurisdiction', '=', jurisdiction).where('status', '=', 'finished');
  if (periods) {
    if (!periods.length) return new Set();
    q = q.where('period', 'in', periods);
  }
  const rows = await q.groupBy('period').execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** For the runs given: the parameters each is stale by (none when it is current, or not the month's current run). */
export async function staleness(ctx: AppContext, runs: RunRow[], overrides?: ParamOverride[], db: Executor = ctx.db): Promise<Map<number, StaleParam[]>> {
  const out = new Map<number, StaleParam[]>();
  if (!runs.length) return out;
  const current = await currentRunIds(db, ctx.config.catalogue, [...new Set(runs.map((r) => r.period))]);
  const ov = overrides ?? (await overridesFor(db, ctx.config.catalogue));
  for (const run of runs) {
    if (run.status !== 'finished' || !current.has(run.id)) { out.set(run.id, []); continue; }
    out.set(run.id, staleParams(await runCatalogue(ctx, run, db), run, ov));
  }
  return out;
}

export async function runStale(ctx: AppContext, run: RunRow, locale: Locale = 'zh-CN'): Promise<string | null> {
  return staleText((await staleness(ctx, [run])).get(run.id) ?? [], locale);
}

const OPEN = ['draft', 'submitted', 'returned'];

/**
 * What re-running a month would touch, for the console to name before it starts: the month's
 * rolls the viewer can see, with how many lines were held back and what will happen to each.
 */
export async function runImpact(ctx: AppContext, scope: Scope, period: string) {
  requireAction(scope, 'entitlements.run');
  const rolls = await ctx.db.selectFrom('payment_rolls').selectAll().where('period', '=', period)
    .where('status', 'in', [...OPEN, 'approved']).where(inRegion(scope, 'payment_rolls.town_code')).orderBy('item_id').orderBy('town_code').execute();
  const held = rolls.length
    ? new Map((await ctx.db.selectFrom('roll_lines').select(['roll_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('roll_id', 'in', rolls.map((r) => r.id)).where((eb) => eb.or([eb('excluded', '=', 1), eb('remark', 'is not', null)]))
      .groupBy('roll_id').execute()).map((r) => [r.roll_id, Number(r.n)]))
    : new Map<number, number>();
  const running = await ctx.db.selectFrom('entitlement_runs').select('id').where('lock_key', '=', `${ctx.config.catalogue}:${period}`).executeTakeFirst();
  return {
    period,
    running: running?.id ?? null,
    rolls: rolls.map((r) => {
      const heldLines = held.get(r.id) ?? 0;
      return {
        id: r.id, itemId: r.item_id, itemName: r.item_name, townCode: r.town_code, townName: ctx.regions.get(r.town_code)?.name ?? r.town_code,
        status: r.status, lines: r.lines, totalFen: r.total_fen, heldLines,
        // what the re-run does with it
        effect: r.status === 'approved' ? 'kept' : r.status === 'draft' && heldLines === 0 ? 'replaced' : 'carried',
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
  const latest = ctx.catalogues.latest(change.jurisdiction);
  const param = latest?.parameters.get(change.name);
  if (!latest || !param) throw notFound(`参数“${change.name}”`, `Parameter "${change.name}"`);
  if (!isCivilDate(change.from)) throw new AppError('VALIDATION', { detail: `生效日期“${change.from}”应为 YYYY-MM-DD` });
  let value: number | string = change.value;
  if (param.type === 'money') {
    const fen = yuanToFen(change.value);
    if (typeof fen === 'string') throw new AppError('VALIDATION', { detail: fen });
    value = fen;
  } else if (param.type === 'int') value = Number(change.value);
  const overrides = await overridesFor(ctx.db, change.jurisdiction);
  const proposed: ParamOverride[] = [...overrides, { name: change.name, from: change.from, value, note: '', setBy: scope.username, setAt: nowIso() }];
  if (change.jurisdiction !== ctx.config.catalogue) return { staleRuns: [] };
  const runs = await ctx.db.selectFrom('entitlement_runs').selectAll().where('jurisdiction', '=', change.jurisdiction)
    .where('status', '=', 'finished').execute();
  const reached = runs.filter((r) => periodBounds(r.period).end >= change.from);
  const now = await staleness(ctx, reached, overrides);
  const then = await staleness(ctx, reached, proposed);
  const out = [];
  for (const run of reached) {
    const after = then.get(run.id) ?? [];
    // newly stale through this change (a run stale already stays listed: it needs a re-run anyway)
    if (!after.some((p) => p.name === change.name)) continue;
    const open = await ctx.db.selectFrom('payment_rolls').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', run.id).where('status', 'in', OPEN).executeTakeFirstOrThrow();
    out.push({ id: run.id, period: run.period, reason: staleText(after, locale), alreadyStale: (now.get(run.id) ?? []).length > 0, openRolls: Number(open.n) });
  }
  return { staleRuns: out.sort((a, b) => a.period.localeCompare(b.period)) };
}
