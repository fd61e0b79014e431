import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import { periodBounds } from '../../platform/time.js';

export interface VisitRate {
  /** dues whose window ends in the month on or before `on` (closed windows), plus those already done in the month */
  due: number;
  /** of them, done inside the window meeting the mode's minimum */
  done: number;
  /** done / due in per cent, one decimal; null when nothing was due */
  percent: number | null;
}

export interface RateOptions {
  /** a region below the scope's (its prefix): the scope's region and this one both apply */
  regionPrefix?: string;
  /** only the persons assigned to this worker now (visit_assignments open rows) */
  workerId?: number;
}

/** done / due in per cent with one decimal (half up); null when nothing was due. */
export function ratePercent(done: number, due: number): number | null {
  return due > 0 ? Math.round((done * 1000) / due) / 10 : null;
}

/**
 * The dues a month's rate counts, as of `on` (`upTo`: the earlier of `on` and the month's last
 * day). A due belongs to the month its window ends in — a week running over the month's end counts
 * in the month it ends in, once. It is due once its window has closed (window_end ≤ upTo), or
 * earlier when it is already done (a visit on or before upTo); a cancelled due (the person left the
 * plan before the window ended) is never due. It is done when the visit that closed it (status
 * 'done', which the recording sets only for a visit of one of the plan's modes meeting the mode's
 * minimum) lies inside its window and on or before upTo.
 */
function rateQuery(db: Executor, scope: Scope, month: string, upTo: string, opts: RateOptions) {
  const { start, end } = periodBounds(month);
  let q = db
    .selectFrom('visit_dues')
    .where(inRegion(scope, 'visit_dues.region_code'))
    .where('visit_dues.window_end', '>=', start)
    .where('visit_dues.window_end', '<=', end)
    .where('visit_dues.status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('visit_dues.window_end', '<=', upTo), eb.and([eb('visit_dues.status', '=', 'done'), eb('visit_dues.done_on', '<=', upTo)])]));
  if (opts.regionPrefix !== undefined) q = q.where(inRegion({ ...scope, regionPrefix: opts.regionPrefix }, 'visit_dues.region_code'));
  if (opts.workerId !== undefined) {
    const worker = opts.workerId;
    q = q.where('visit_dues.person_id', 'in', (eb) =>
      eb
        .selectFrom('visit_assignments')
        .select('visit_assignments.person_id')
        .where('visit_assignments.worker_id', '=', worker)
        .where('visit_assignments.ended_at', 'is', null),
    );
  }
  return q;
}

const doneCase = (upTo: string) =>
  sql<number>`sum(case when visit_dues.status = 'done' and visit_dues.done_on >= visit_dues.window_start and visit_dues.done_on <= visit_dues.window_end and visit_dues.done_on <= ${upTo} then 1 else 0 end)`;

/** The last day counted: `on`, or the month's last day when `on` is after it; null when the month has not begun by `on`. */
function countedUpTo(month: string, on: string): string | null {
  const { start, end } = periodBounds(month);
  if (on < start) return null;
  return on < end ? on : end;
}

/**
 * THE monthly visit rate (001 §1: 月探访率): one formula used by the phone, the supervisor's page,
 * the workbench and later the indicators. Over the scope's region (and, with `workerId`, that
 * worker's people), for `month` as of `on`.
 */
export async function visitRate(db: Executor, scope: Scope, month: string, on: string, opts: RateOptions = {}): Promise<VisitRate> {
  const upTo = countedUpTo(month, on);
  if (upTo === null) return { due: 0, done: 0, percent: null };
  const row = await rateQuery(db, scope, month, upTo, opts)
    .select((eb) => [eb.fn.countAll<number>().as('due'), doneCase(upTo).as('done')])
    .executeTakeFirstOrThrow();
  const due = Number(row.due);
  const done = Number(row.done ?? 0);
  return { due, done, percent: ratePercent(done, due) };
}

/** The same formula per region code of the dues (the person's village at the refresh): the rows of a region's rate. */
export async function visitRateByRegion(
  db: Executor,
  scope: Scope,
  month: string,
  on: string,
  opts: RateOptions = {},
): Promise<Map<string, { due: number; done: number }>> {
  const upTo = countedUpTo(month, on);
  const out = new Map<string, { due: number; done: number }>();
  if (upTo === null) return out;
  const rows = await rateQuery(db, scope, month, upTo, opts)
    .select((eb) => ['visit_dues.region_code', eb.fn.countAll<number>().as('due'), doneCase(upTo).as('done')])
    .groupBy('visit_dues.region_code')
    .execute();
  for (const r of rows) out.set(r.region_code, { due: Number(r.due), done: Number(r.done ?? 0) });
  return out;
}

/**
 * The same formula per person (the persons behind a region's rate, for the indicators' drill-down):
 * each person's counted dues and met dues, with the region code of their dues.
 */
export async function visitRateByPerson(
  db: Executor,
  scope: Scope,
  month: string,
  on: string,
  opts: RateOptions = {},
): Promise<Map<number, { region: string; due: number; done: number }>> {
  const upTo = countedUpTo(month, on);
  const out = new Map<number, { region: string; due: number; done: number }>();
  if (upTo === null) return out;
  const rows = await rateQuery(db, scope, month, upTo, opts)
    .select((eb) => [
      'visit_dues.person_id',
      eb.fn.max('visit_dues.region_code').as('region_code'),
      eb.fn.countAll<number>().as('due'),
      doneCase(upTo).as('done'),
    ])
    .groupBy('visit_dues.person_id')
    .execute();
  for (const r of rows) out.set(r.person_id, { region: String(r.region_code), due: Number(r.due), done: Number(r.done ?? 0) });
  return out;
}
