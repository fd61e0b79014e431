import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { CivilDate } from '../../platform/time.js';
import { addDays, selectIds } from '../indicators/source-ids.js';
import type { CareEventKind } from './care-events.service.js';

/**
 * The verified events' reads for the capabilities' indicator sources (issue 20): who was served by
 * a kind of event in a range of days, and whose events changed since the last refresh. The
 * capabilities own what an event means (services/indicator-persons.ts: a home service); this module
 * owns the table. Index: care-events/002-indicator-indexes.
 */

/** The first instant of a civil day in the jurisdiction's zone (Asia/Shanghai, UTC+8, no summer time), as stored. */
export function dayStartInstant(on: CivilDate): string {
  return `${addDays(on, -1)}T16:00:00.000Z`;
}

/**
 * Persons with at least one event of `kind` begun on a day in [from, to] that is not voided (recorded
 * or confirmed). Everyone: a skip over care_events_kind (kind, person_id, started_at, status) — for
 * each person with an event of the kind, one seek to the next person and one to an event in the
 * range — so the work grows with the persons served, not with their events (ten million).
 */
export function personsWithEvents(
  ctx: AppContext,
  db: Executor,
  kind: CareEventKind,
  from: CivilDate,
  to: CivilDate,
  only?: readonly number[],
): Promise<number[]> {
  if (to < from) return Promise.resolve([]);
  const start = dayStartInstant(from);
  const end = dayStartInstant(addDays(to, 1));
  if (only === undefined) {
    const q = sql<{ id: number }>`with recursive p(id) as (
        select (select min(person_id) from care_events where kind = ${kind})
        union all
        select (select min(person_id) from care_events where kind = ${kind} and person_id > p.id) from p where p.id is not null
      )
      select id from p
      where id is not null
        and exists (select 1 from care_events e where e.kind = ${kind} and e.person_id = p.id and e.started_at >= ${start} and e.started_at < ${end} and e.status <> 'voided')`;
    return selectIds(ctx, db, q.compile(db));
  }
  // the persons asked about, one seek each into care_events_kind that stops at the first event in
  // the range (a person served weekly has ~40 this year: not read), in one statement with the ids
  // as one parameter (SQLite json_each, PostgreSQL an int array)
  if (only.length === 0) return Promise.resolve([]);
  const ids = ctx.dialect === 'sqlite' ? sql`(select value as id from json_each(${JSON.stringify(only)}))` : sql`(select unnest(${[...only]}::int[]) as id)`;
  const q = sql<{ id: number }>`select q.id from ${ids} as q
    where exists (select 1 from care_events e where e.kind = ${kind} and e.person_id = q.id and e.started_at >= ${start} and e.started_at < ${end} and e.status <> 'voided')`;
  return selectIds(ctx, db, q.compile(db));
}

/**
 * Persons with an event of `kind` recorded or voided after `at` (a UTC instant). A confirmation is
 * not a change here: a recorded event counts as a confirmed one does.
 */
export async function personsWithEventsChangedSince(ctx: AppContext, db: Executor, kind: CareEventKind, at: string): Promise<number[]> {
  // `kind || ''`: not an index condition, so the planner ranges over the instant's index (a day's
  // events) rather than walking every event of the kind (care_events_kind) for it
  const ofKind = sql<string>`kind || ''`;
  const recorded = await selectIds(ctx, db, db.selectFrom('care_events').select('person_id').where('recorded_at', '>', at).where(ofKind, '=', kind));
  const voided = await selectIds(ctx, db, db.selectFrom('care_events').select('person_id').where('voided_at', '>', at).where(ofKind, '=', kind));
  return [...new Set([...recorded, ...voided])];
}
