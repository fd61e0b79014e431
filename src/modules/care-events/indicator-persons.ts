import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { CivilDate } from '../../platform/time.js';
import { addDays, overIds, selectIds } from '../indicators/source-ids.js';
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

/** Persons with at least one event of `kind` begun on a day in [from, to] that is not voided (recorded or confirmed). */
export function personsWithEvents(
  ctx: AppContext,
  db: Executor,
  kind: CareEventKind,
  from: CivilDate,
  to: CivilDate,
  only?: readonly number[],
): Promise<number[]> {
  if (to < from) return Promise.resolve([]);
  return overIds(only, (chunk) => {
    let q = db
      .selectFrom('care_events')
      .select('person_id')
      .where('kind', '=', kind)
      .where('started_at', '>=', dayStartInstant(from))
      .where('started_at', '<', dayStartInstant(addDays(to, 1)))
      .where('status', '!=', 'voided');
    if (chunk) q = q.where('person_id', 'in', chunk);
    // grouped, not distinct: read in the index's person order, each person's events once, no sort
    return selectIds(ctx, db, q.groupBy('person_id'));
  });
}

/**
 * Persons with an event of `kind` recorded or voided after `at` (a UTC instant). A confirmation is
 * not a change here: a recorded event counts as a confirmed one does.
 */
export async function personsWithEventsChangedSince(ctx: AppContext, db: Executor, kind: CareEventKind, at: string): Promise<number[]> {
  const recorded = await selectIds(ctx, db, db.selectFrom('care_events').select('person_id').where('recorded_at', '>', at).where('kind', '=', kind));
  const voided = await selectIds(ctx, db, db.selectFrom('care_events').select('person_id').where('voided_at', '>', at).where('kind', '=', kind));
  return [...new Set([...recorded, ...voided])];
}
