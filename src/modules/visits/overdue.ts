import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { personLabels } from '../register/people.js';
import { today } from '../../platform/time.js';
import { activeUsersOfRole } from '../users/accounts.js';
import { currentWorkers, regionFilter, regionOf, visitorOnly, type CurrentWorker } from './assignments.js';

/**
 * Overdue visits (issue 16): a person is overdue when their latest window that has ended (before
 * today) was not visited — its due is 'missed', or still 'open' until the daily refresh marks it —
 * they are still in a plan, and they have not been visited in the window running now (a visit since
 * puts them back on track; the miss still counts against its month's rate). `consecutive` counts their missed windows in a row back from it
 * (within a year), `highRisk` says whether the plan is the highest-risk one. A grid worker or a
 * volunteer sees only their assigned people; a village head the village; an officer the region.
 *
 * Fast on a large district: the candidates come from the dues whose window ended in the last 32
 * days in the region (index visit_dues_region: region, status, window end), so history does not
 * grow the work; the run of misses is counted in the database for those candidates only (the
 * unique index, which leads with the person), one row per person, and only for the list (the
 * summary and the workers' counts need who, not how long). Measured on a town of 20,000 plan
 * members (a 50,000-elder district: 4,000 weekly, 16,000 monthly, a year of dues = 420,000 rows,
 * 20 % missed; 4,007 overdue): p95 0.28 s on SQLite and 0.28 s on PostgreSQL (analysed tables);
 * for 1,000,000 elders see bench/README.md (issue 16).
 */

export interface OverduePerson {
  personId: number;
  regionCode: string;
  planKey: string;
  highRisk: boolean;
  /** missed windows in a row up to the latest ended one */
  consecutive: number;
  /** the first and last day of the run of missed windows */
  since: string;
  lastWindowEnd: string;
  worker: CurrentWorker | null;
}

export interface OverdueFilter {
  workerId?: number;
  highRisk?: boolean;
  /** 'none': only persons nobody is assigned to */
  unassigned?: boolean;
  /**
   * false: who is overdue without their run of misses (`consecutive` 1, `since` the latest window's
   * start) — counts (the summary, the workers) need no more, and skip the run's query.
   */
  runs?: boolean;
}

function minusDays(on: string, days: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** persons a query at a time (the run's query binds them twice: well below both databases' limits) */
const CHUNK = 2000;

/** Everyone overdue in the scope (already narrowed to a region filter), as of `on` (today by default). */
export async function overduePersons(db: Executor, scope: Scope, f: OverdueFilter = {}, on: string = today()): Promise<OverduePerson[]> {
  // a window that ended most recently ended within the last 31 days (a calendar month); the
  // latest ended window of each person (a visited one wins a tie) decides: visited, not overdue
  let q = db
    .selectFrom('visit_dues')
    .select(['person_id', 'region_code', 'plan_key', 'high_risk', 'window_start', 'window_end', 'status'])
    .where('window_end', '<', on)
    .where('window_end', '>=', minusDays(on, 32))
    .where('status', 'in', ['missed', 'open', 'done'])
    .where(inRegion(scope, 'region_code'));
  if (f.highRisk !== undefined) q = q.where('high_risk', '=', f.highRisk ? 1 : 0);
  const rows = await q.execute();
  if (!rows.length) return [];
  const latest = new Map<number, (typeof rows)[number]>();
  for (const r of rows) {
    const seen = latest.get(r.person_id);
    if (!seen || seen.window_end < r.window_end || (seen.window_end === r.window_end && r.status === 'done')) latest.set(r.person_id, r);
  }
  const latestMiss = new Map<number, (typeof rows)[number]>();
  for (const [id, r] of latest) if (r.status !== 'done') latestMiss.set(id, r);
  let ids = [...latestMiss.keys()];
  const workers = await currentWorkers(db, ids);
  const mine = visitorOnly(scope) ? (scope.userId ?? -1) : f.workerId;
  if (mine !== undefined) ids = ids.filter((id) => workers.get(id)?.workerId === mine);
  if (f.unassigned) ids = ids.filter((id) => !workers.has(id));
  if (!ids.length) return [];
  // still in a plan
  const open = new Set<number>();
  for (let i = 0; i < ids.length; i += CHUNK)
    for (const r of await db
      .selectFrom('visit_plan_members')
      .select('person_id')
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .where('left_on', 'is', null)
      .execute())
      open.add(r.person_id);
  // visited since, in the window running now: back on track, not overdue (the missed window still
  // counts against its month's rate) — what the worker's phone shows too (today.ts)
  const caughtUp = new Set<number>();
  for (let i = 0; i < ids.length; i += CHUNK)
    for (const r of await db
      .selectFrom('visit_dues')
      .select('person_id')
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .where('status', '=', 'done')
      .where('window_start', '<=', on)
      .where('window_end', '>=', on)
      .execute())
      caughtUp.add(r.person_id);
  ids = ids.filter((id) => open.has(id) && !caughtUp.has(id));
  const out: OverduePerson[] = [];
  for (const id of ids) {
    const r = latestMiss.get(id)!;
    out.push({
      personId: id,
      regionCode: r.region_code,
      planKey: r.plan_key,
      highRisk: r.high_risk === 1,
      consecutive: 1,
      since: r.window_start,
      lastWindowEnd: r.window_end,
      worker: workers.get(id) ?? null,
    });
  }
  if (f.runs === false) return out;
  return (await withRuns(db, out, on)).sort(byOverdue);
}

/** The list's order: high-risk first, then the longest run of misses, the oldest, the person. */
const byOverdue = (a: OverduePerson, b: OverduePerson) =>
  Number(b.highRisk) - Number(a.highRisk) || b.consecutive - a.consecutive || a.lastWindowEnd.localeCompare(b.lastWindowEnd) || a.personId - b.personId;

/**
 * The run of misses of these overdue persons back from their latest ended window (a done window
 * after a miss ends it), within a year: counted in the database, one row per person.
 */
async function withRuns(db: Executor, list: OverduePerson[], on: string): Promise<OverduePerson[]> {
  const from = minusDays(on, 370);
  const byId = new Map(list.map((p) => [p.personId, p]));
  const ids = [...byId.keys()];
  const out: OverduePerson[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const runs = await db
      .selectFrom('visit_dues as d')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('visit_dues as x')
            .select(['x.person_id', sql<string>`max(case when x.status = 'done' then x.window_end else '' end)`.as('last_done')])
            .where('x.person_id', 'in', chunk)
            .where('x.window_end', '<', on)
            .where('x.window_end', '>=', from)
            .groupBy('x.person_id')
            .as('ld'),
        (join) => join.onRef('ld.person_id', '=', 'd.person_id'),
      )
      .select(['d.person_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('d.window_start').as('since')])
      .where('d.person_id', 'in', chunk)
      .where('d.window_end', '<', on)
      .where('d.window_end', '>=', from)
      .where('d.status', 'in', ['missed', 'open'])
      .whereRef('d.window_end', '>', 'ld.last_done')
      .groupBy('d.person_id')
      .execute();
    for (const x of runs) out.push({ ...byId.get(x.person_id)!, consecutive: Number(x.n), since: String(x.since) });
  }
  return out;
}

/**
 * One page of the overdue list in its order, and the total: the runs of misses are counted only
 * for the groups the page falls in (high-risk first: page 1 of a town needs the high-risk
 * persons' runs only, not the 38,000 others').
 */
async function overduePage(db: Executor, scope: Scope, f: OverdueFilter, page: number, pageSize: number): Promise<{ page: OverduePerson[]; total: number }> {
  const on = today();
  const all = await overduePersons(db, scope, { ...f, runs: false }, on);
  const hi = all.filter((p) => p.highRisk);
  const lo = all.filter((p) => !p.highRisk);
  const start = (page - 1) * pageSize;
  const end = page * pageSize;
  const sorted: OverduePerson[] = [];
  // a group the page does not reach keeps its place (its length) without its runs counted
  sorted.push(...(start < hi.length ? (await withRuns(db, hi, on)).sort(byOverdue) : hi));
  if (end > hi.length) sorted.push(...(await withRuns(db, lo, on)).sort(byOverdue));
  return { page: sorted.slice(start, end), total: all.length };
}

/** Overdue persons by worker and by the child regions of the scope's region. */
export async function overdueSummary(
  ctx: AppContext,
  db: Executor,
  scope: Scope,
  on: string = today(),
): Promise<{ byWorker: { workerId: number | null; name: string; overdue: number }[]; byRegion: { regionCode: string; name: string; overdue: number }[] }> {
  const list = await overduePersons(db, scope, { runs: false }, on);
  const byWorker = new Map<number | null, { workerId: number | null; name: string; overdue: number }>();
  for (const p of list) {
    const k = p.worker?.workerId ?? null;
    const e = byWorker.get(k) ?? { workerId: k, name: p.worker?.name ?? '未分派', overdue: 0 };
    e.overdue++;
    byWorker.set(k, e);
  }
  const children = ctx.regions.all().filter((r) => r.parent_code === scope.regionCode);
  const byRegion = new Map<string, { regionCode: string; name: string; overdue: number }>();
  for (const c of children) byRegion.set(c.code, { regionCode: c.code, name: c.name, overdue: 0 });
  for (const p of list) {
    const c = children.find((x) => p.regionCode.startsWith(x.prefix));
    const code = c?.code ?? scope.regionCode;
    const e = byRegion.get(code) ?? { regionCode: code, name: ctx.regions.get(code)?.name ?? code, overdue: 0 };
    e.overdue++;
    byRegion.set(code, e);
  }
  return {
    byWorker: [...byWorker.values()].sort((a, b) => b.overdue - a.overdue || a.name.localeCompare(b.name)),
    byRegion: [...byRegion.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
  };
}

/** GET /api/visits/overdue (audited: the persons shown). */
export async function listOverdue(
  ctx: AppContext,
  scope: Scope,
  q: { region?: string; worker?: number; highRisk?: boolean; page: number; pageSize: number },
): Promise<{ items: OverdueItem[]; total: number; page: number; pageSize: number }> {
  requireAction(scope, 'visits.read');
  const s = regionFilter(ctx, scope, q.region);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const { page, total } = await overduePage(trx, s, { workerId: q.worker, highRisk: q.highRisk }, q.page, q.pageSize);
      const labels = await personLabels(
        trx,
        page.map((p) => p.personId),
      );
      return {
        items: page.map((p) => ({
          personId: p.personId,
          name: labels.get(p.personId)?.name ?? '',
          idMasked: labels.get(p.personId)?.idMasked ?? '',
          regionCode: p.regionCode,
          regionName: ctx.regions.get(p.regionCode)?.name ?? p.regionCode,
          planKey: p.planKey,
          highRisk: p.highRisk,
          consecutive: p.consecutive,
          since: p.since,
          lastWindowEnd: p.lastWindowEnd,
          worker: p.worker ? { id: p.worker.workerId, name: p.worker.name, role: p.worker.role } : null,
        })),
        total,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
    (r) => ({ action: 'visits.overdue_read', entityType: 'visit_due', persons: r.items.map((i) => i.personId) }),
  );
}

export interface OverdueItem {
  personId: number;
  name: string;
  idMasked: string;
  regionCode: string;
  regionName: string;
  planKey: string;
  highRisk: boolean;
  consecutive: number;
  since: string;
  lastWindowEnd: string;
  worker: { id: number; name: string; role: string } | null;
}

/** GET /api/visits/workers: the grid workers and volunteers of the region, with their people and how many are overdue. */
export async function listWorkers(
  ctx: AppContext,
  scope: Scope,
  q: { region?: string },
): Promise<{ items: { id: number; name: string; role: string; regionCode: string; regionName: string; people: number; overdue: number }[] }> {
  requireAction(scope, 'visits.read');
  const s = regionOf(ctx, scope, q.region);
  let accounts = [...(await activeUsersOfRole(ctx.db, 'grid_worker', s.regionPrefix)), ...(await activeUsersOfRole(ctx.db, 'volunteer', s.regionPrefix))];
  if (visitorOnly(scope)) accounts = accounts.filter((a) => a.id === scope.userId);
  if (!accounts.length) return { items: [] };
  const counts = await ctx.db
    .selectFrom('visit_assignments')
    .select(['worker_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'worker_id',
      'in',
      accounts.map((a) => a.id),
    )
    .where('ended_at', 'is', null)
    .groupBy('worker_id')
    .execute();
  const people = new Map(counts.map((c) => [c.worker_id, Number(c.n)]));
  const overdue = new Map<number, number>();
  for (const p of await overduePersons(ctx.db, s, { runs: false })) if (p.worker) overdue.set(p.worker.workerId, (overdue.get(p.worker.workerId) ?? 0) + 1);
  return {
    items: accounts
      .map((a) => ({
        id: a.id,
        name: a.name,
        role: a.role,
        regionCode: a.regionCode,
        regionName: ctx.regions.get(a.regionCode)?.name ?? a.regionCode,
        people: people.get(a.id) ?? 0,
        overdue: overdue.get(a.id) ?? 0,
      }))
      .sort((x, y) => x.regionCode.localeCompare(y.regionCode) || x.role.localeCompare(y.role) || x.name.localeCompare(y.name)),
  };
}
