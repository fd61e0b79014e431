import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import type { RollStatus } from './entitlements.schema.js';

/** Counts the workbench (src/modules/workbench) shows of runs, changes and rolls: aggregates only, no person. */

/** The last finished run of a jurisdiction (its region code): its change list is the officers' current work queue. */
export function latestFinishedRun(db: Executor, regionCode: string) {
  return db
    .selectFrom('entitlement_runs')
    .select(['id', 'period', 'finished_at'])
    .where('region_code', '=', regionCode)
    .where('status', '=', 'finished')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest runs of a jurisdiction (its region code; recent activity). */
export function recentRuns(db: Executor, regionCode: string, limit: number) {
  return db
    .selectFrom('entitlement_runs')
    .select(['id', 'period', 'status', 'started_at', 'finished_at', 'started_by_name'])
    .where('region_code', '=', regionCode)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A run's changes in the viewer's region not yet followed up: the 待核实 ones (kind verify) apart. */
export async function unhandledChangeCounts(db: Executor, scope: Scope, runId: number): Promise<{ changes: number; verify: number }> {
  const r = await db
    .selectFrom('decision_changes')
    .select([
      sql<number>`coalesce(sum(case when kind = 'verify' then 0 else 1 end), 0)`.as('changes'),
      sql<number>`coalesce(sum(case when kind = 'verify' then 1 else 0 end), 0)`.as('verify'),
    ])
    .where('run_id', '=', runId)
    .where('handled_at', 'is', null)
    .where(inRegion(scope, 'decision_changes.region_code'))
    .executeTakeFirstOrThrow();
  return { changes: Number(r.changes), verify: Number(r.verify) };
}

/** Rolls of the viewer's towns by status (the superseded and a running run's pending ones left out). */
export async function rollCountsByStatus(db: Executor, scope: Scope): Promise<Partial<Record<RollStatus, number>>> {
  const rows = await db
    .selectFrom('payment_rolls')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['draft', 'submitted', 'returned', 'approved'])
    .where(inRegion(scope, 'payment_rolls.town_code'))
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * The allowance of each month from `fromPeriod` on, over the viewer's towns, in fen: all the
 * month's current rolls (draft to approved), and the approved part of it.
 */
export async function allowanceTotalsByMonth(db: Executor, scope: Scope, fromPeriod: string) {
  const rows = await db
    .selectFrom('payment_rolls')
    .select([
      'period',
      sql<number>`coalesce(sum(total_fen), 0)`.as('total'),
      sql<number>`coalesce(sum(case when status = 'approved' then total_fen else 0 end), 0)`.as('approved'),
    ])
    .where('status', 'in', ['draft', 'submitted', 'returned', 'approved'])
    .where('period', '>=', fromPeriod)
    .where(inRegion(scope, 'payment_rolls.town_code'))
    .groupBy('period')
    .orderBy('period')
    .execute();
  return rows.map((r) => ({ period: r.period, totalFen: Number(r.total), approvedFen: Number(r.approved) }));
}

/**
 * How many people the viewer's paused list (暂停发放, pauses.ts) holds: with a paused or held line
 * on the latest month's live regular rolls of their towns, or under an officer's active pause.
 */
export async function pausedPersonCount(db: Executor, scope: Scope): Promise<number> {
  const live = ['pending', 'draft', 'submitted', 'returned', 'approved'] as const;
  const latest = await db
    .selectFrom('payment_rolls')
    .select((eb) => eb.fn.max('period').as('p'))
    .where('kind', '=', 'regular')
    .where('status', 'in', live)
    .where(inRegion(scope, 'payment_rolls.town_code'))
    .executeTakeFirst();
  const people = new Set<number>();
  if (latest?.p)
    for (const r of await db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select('roll_lines.person_id')
      .distinct()
      .where('payment_rolls.period', '=', latest.p)
      .where('payment_rolls.kind', '=', 'regular')
      .where('payment_rolls.status', 'in', live)
      .where('roll_lines.excluded', '=', 1)
      .where(inRegion(scope, 'roll_lines.region_code'))
      .execute())
      people.add(r.person_id);
  for (const r of await db
    .selectFrom('payment_pauses')
    .select('person_id')
    .where('lifted_at', 'is', null)
    .where(inRegion(scope, 'payment_pauses.region_code'))
    .execute())
    people.add(r.person_id);
  return people.size;
}
