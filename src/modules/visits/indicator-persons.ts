import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { periodBounds } from '../../platform/time.js';
import { personsWithEventsChangedSince } from '../care-events/indicator-persons.js';
import type { PersonSource, Since, Span } from '../indicators/contract.js';
import { overIds, selectIds, unionIds } from '../indicators/source-ids.js';

/**
 * The visit programme's indicator sources (issue 20; 001 专栏2 月探访率100%): per person, the month's
 * dues as rate.ts counts them — a due belongs to the month its window ends in; it is due once its
 * window has closed by span.asOf, or earlier when already done; a cancelled due never is — and
 * whether they were met (done inside the window, on or before span.asOf).
 *
 * A person is `visits.due` with at least one such due, and `visits.done` when every one of them was
 * met. For a monthly plan (one due a month) the share equals rate.ts's visitRate for the month and
 * region; for a weekly plan the person counts as visited only when no week of the month was missed,
 * where rate.ts counts the weeks themselves.
 */

/** The last day counted: span.asOf, or the month's last day; null before the month begins. */
function upToOf(span: Span): string | null {
  const { start, end } = periodBounds(span.month);
  if (span.asOf < start) return null;
  return span.asOf < end ? span.asOf : end;
}

function duesQuery(db: Executor, span: Span, upTo: string, chunk: readonly number[] | undefined) {
  const { start, end } = periodBounds(span.month);
  let q = db
    .selectFrom('visit_dues')
    .where('window_end', '>=', start)
    .where('window_end', '<=', end)
    .where('status', '!=', 'cancelled')
    .where((eb) => eb.or([eb('window_end', '<=', upTo), eb.and([eb('status', '=', 'done'), eb('done_on', '<=', upTo)])]));
  if (chunk) q = q.where('person_id', 'in', chunk);
  return q;
}

/** 1 when a counted due was not met (the negation of rate.ts's doneCase). */
const unmet = (upTo: string) =>
  sql<number>`sum(case when status = 'done' and done_on >= window_start and done_on <= window_end and done_on <= ${upTo} then 0 else 1 end)`;

/** Persons whose month's dues may have changed since the last refresh. */
async function duesChanged(ctx: AppContext, db: Executor, span: Span, since: Since): Promise<number[]> {
  const { start, end } = periodBounds(span.month);
  const dues = await selectIds(
    ctx,
    db,
    db
      .selectFrom('visit_dues')
      .select('person_id')
      .distinct()
      .where('window_end', '>=', start)
      .where('window_end', '<=', end)
      .where((eb) =>
        eb.or([
          eb('created_at', '>', since.at),
          // a window closing, a visit dated since (the recording sets done_on; a late sync is a new event below)
          eb.and([eb('window_end', '>=', since.on), eb('window_end', '<=', span.asOf)]),
          eb('done_on', '>=', since.on),
        ]),
      ),
  );
  // joining or leaving a plan (its dues reopened or cancelled) is dated, not stamped
  const members = await selectIds(
    ctx,
    db,
    db
      .selectFrom('visit_plan_members')
      .select('person_id')
      .where((eb) => eb.or([eb('joined_on', '>=', since.on), eb('left_on', '>=', since.on)])),
  );
  // a visit recorded (closing a due) or voided (reopening it) since
  const events = await personsWithEventsChangedSince(ctx, db, 'visit', since.at);
  return unionIds(dues, members, events);
}

/** Had a visit due in the month (001 专栏2: the monthly visit rate's denominator). */
export const visitsDue: PersonSource = {
  key: 'visits.due',
  label: { zh: '本月应探访', en: 'Visit due this month' },
  persons: (ctx, db, span, only) => {
    const upTo = upToOf(span);
    if (upTo === null) return Promise.resolve([]);
    return overIds(only, (chunk) => selectIds(ctx, db, duesQuery(db, span, upTo, chunk).select('person_id').distinct()));
  },
  changedSince: duesChanged,
};

/** Every due of the month met: visited inside each window by a visit meeting the plan's mode and minimum. */
export const visitsDone: PersonSource = {
  key: 'visits.done',
  label: { zh: '本月已按期探访', en: 'Visited as planned this month' },
  persons: (ctx, db, span, only) => {
    const upTo = upToOf(span);
    if (upTo === null) return Promise.resolve([]);
    return overIds(only, (chunk) => selectIds(ctx, db, duesQuery(db, span, upTo, chunk).select('person_id').groupBy('person_id').having(unmet(upTo), '=', 0)));
  },
  changedSince: duesChanged,
};

export const visitPersonSources: PersonSource[] = [visitsDue, visitsDone];
