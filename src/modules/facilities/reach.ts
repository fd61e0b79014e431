import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { registerPersonReach, type Scope } from '../../platform/scope.js';

/**
 * An institution's reach: its staff (role institution_staff, organisationId = facilities.id) see the
 * persons living in their facility now (an open stay). Answers only for institution staff (a
 * provider's organisation ids are another numbering); staff with no organisation reach nobody.
 */
const facilityOf = (scope: Scope): number | null => (scope.role === 'institution_staff' ? (scope.organisationId ?? 0) : null);

export function reachList(scope: Scope) {
  const f = facilityOf(scope);
  if (f === null) return sql`select fs.person_id from facility_stays fs where 1 = 0`;
  return sql`select fs.person_id from facility_stays fs where fs.facility_id = ${f} and fs.until_date is null`;
}

export async function reached(db: Executor, scope: Scope, ids: readonly number[]): Promise<number[]> {
  const f = facilityOf(scope);
  if (f === null || f === 0 || !ids.length) return [];
  const out: number[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('facility_stays')
      .select('person_id')
      .where('person_id', 'in', unique.slice(i, i + 500))
      .where('facility_id', '=', f)
      .where('until_date', 'is', null)
      .execute();
    out.push(...rows.map((r) => r.person_id));
  }
  return out;
}

let registered = false;

/** The module's start hook: registers the reach once per process (tests open many contexts). */
export function registerFacilityReach(): void {
  if (registered) return;
  registered = true;
  registerPersonReach('facility-residents', reached, 'organisation', reachList);
}
