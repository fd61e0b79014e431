import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { registerPersonReach, type Scope } from '../../platform/scope.js';

/**
 * The assessor's reach (issue 15: "the assessor role then sees only assigned people"): an
 * assessor's scope is limited to assignments (platform/auth.ts scopeOf), and these are the persons
 * it reaches — those with an open assignment to them, those of assessments where they are the
 * first or second assessor, and those of quality samples they are to re-assess. Registered once
 * at start (index.ts); the register's permittedPersons asks `reached` for given ids and its list
 * uses `reachList` as a subquery (platform/scope.ts inReach).
 */

/** The subquery of the person ids the scope's user reaches. */
export function reachList(scope: Scope) {
  const me = scope.userId ?? -1;
  return sql`select a.person_id from assessment_assignments a where a.assessor_id = ${me} and a.ended_at is null
    union select x.person_id from assessments x where x.assessor1_id = ${me}
    union select x2.person_id from assessments x2 where x2.assessor2_id = ${me}
    union select q.person_id from assessment_quality_samples q where q.reassessor_id = ${me}`;
}

/** Of the given ids, those the scope's user reaches. */
export async function reached(db: Executor, scope: Scope, ids: readonly number[]): Promise<number[]> {
  if (scope.userId === null || !ids.length) return [];
  const me = scope.userId;
  const out: number[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db
      .selectFrom('assessment_assignments')
      .select('person_id')
      .where('person_id', 'in', chunk)
      .where('assessor_id', '=', me)
      .where('ended_at', 'is', null)
      .union(
        db
          .selectFrom('assessments')
          .select('person_id')
          .where('person_id', 'in', chunk)
          .where((eb) => eb.or([eb('assessor1_id', '=', me), eb('assessor2_id', '=', me)])),
      )
      .union(db.selectFrom('assessment_quality_samples').select('person_id').where('person_id', 'in', chunk).where('reassessor_id', '=', me))
      .execute();
    out.push(...rows.map((r) => r.person_id));
  }
  return out;
}

let registered = false;

/** The module's start hook: registers the reach once per process (tests open many contexts). */
export function registerAssessorReach(): void {
  if (registered) return;
  registerPersonReach('assessment-assignments', reached, 'assignments', reachList);
  registered = true;
}
