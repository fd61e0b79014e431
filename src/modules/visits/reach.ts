import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { registerPersonReach, type Scope } from '../../platform/scope.js';

/**
 * The visitors' reach (issue 16): a volunteer's scope is limited to assignments (platform/auth.ts
 * scopeOf), and these are the persons it reaches — those with an open visit assignment to them.
 * Registered once at start (index.ts); the register's permittedPersons asks `reached` for given ids
 * and its list uses `reachList` as a subquery (platform/scope.ts inReach). Other reaches of the same
 * kind (an assessor's) are alternatives: a person reached by either is reached.
 */

/** The subquery of the person ids the scope's user is assigned to visit. */
export function reachList(scope: Scope) {
  const me = scope.userId ?? -1;
  return sql`select va.person_id from visit_assignments va where va.worker_id = ${me} and va.ended_at is null`;
}

/** Of the given ids, those the scope's user is assigned to visit now. */
export async function reached(db: Executor, scope: Scope, ids: readonly number[]): Promise<number[]> {
  if (scope.userId === null || !ids.length) return [];
  const out: number[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('visit_assignments')
      .select('person_id')
      .where('person_id', 'in', unique.slice(i, i + 500))
      .where('worker_id', '=', scope.userId)
      .where('ended_at', 'is', null)
      .execute();
    out.push(...rows.map((r) => r.person_id));
  }
  return out;
}

let registered = false;

/** The module's start hook: registers the visitors' reach once per process (tests open many contexts). */
export function registerVisitorReach(): void {
  if (registered) return;
  registerPersonReach('visit-assignments', reached, 'assignments', reachList);
  registered = true;
}
