import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { registerPersonReach, type Scope } from '../../platform/scope.js';

/**
 * A provider's reach: the persons its organisation serves — an active client enrolment, an order
 * (any state: its staff must still see whom they served) or an active family care bed of the
 * provider. Answers only for provider-role scopes (an institution's organisation ids are another
 * numbering); a provider's staff with no organisation on record (organisation 0) reach nobody. A
 * caregiver (role 'caregiver') reaches only the persons of the orders assigned to their own
 * caregiver record of that provider, and nobody without an organisation.
 * Registered once at start (start.ts); the register's permittedPersons asks `reached` for given ids
 * and its list uses `reachList` as a subquery (platform/scope.ts inReach).
 */

/** The provider whose reach this is, or null when the scope is not a provider's staff. */
const providerOf = (scope: Scope): number | null => (scope.role === 'provider' ? (scope.organisationId ?? 0) : null);

/** The provider a caregiver's scope works for (0: none on record), or null when the scope is not a caregiver's. */
const caregiverOf = (scope: Scope): number | null => (scope.role === 'caregiver' ? (scope.organisationId ?? 0) : null);

/** The subquery of the person ids the scope's provider serves (a caregiver: of the orders assigned to them). */
export function reachList(scope: Scope) {
  const c = caregiverOf(scope);
  if (c !== null) {
    return sql`select so.person_id from service_orders so where so.provider_id = ${c}
      and so.caregiver_id in (select sc.id from service_caregivers sc where sc.user_id = ${scope.userId ?? -1} and sc.provider_id = ${c})`;
  }
  const p = providerOf(scope);
  if (p === null) return sql`select sc.person_id from service_clients sc where 1 = 0`;
  return sql`select sc.person_id from service_clients sc where sc.provider_id = ${p} and sc.ended_at is null
    union select so.person_id from service_orders so where so.provider_id = ${p}
    union select fb.person_id from family_care_beds fb where fb.provider_id = ${p} and fb.status = 'active'`;
}

/** Of the given ids, those the scope's provider serves. */
export async function reached(db: Executor, scope: Scope, ids: readonly number[]): Promise<number[]> {
  const c = caregiverOf(scope);
  if (c !== null) return caregiverReached(db, scope, c, ids);
  const p = providerOf(scope);
  if (p === null || p === 0 || !ids.length) return [];
  const out: number[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = await db
      .selectFrom('service_clients')
      .select('person_id')
      .where('person_id', 'in', chunk)
      .where('provider_id', '=', p)
      .where('ended_at', 'is', null)
      .union(db.selectFrom('service_orders').select('person_id').where('person_id', 'in', chunk).where('provider_id', '=', p))
      .union(db.selectFrom('family_care_beds').select('person_id').where('person_id', 'in', chunk).where('provider_id', '=', p).where('status', '=', 'active'))
      .execute();
    out.push(...rows.map((r) => r.person_id));
  }
  return out;
}

/** Of the given ids, the persons of the orders assigned to the caregiver's own record of provider `p`. */
async function caregiverReached(db: Executor, scope: Scope, p: number, ids: readonly number[]): Promise<number[]> {
  if (p === 0 || scope.userId === null || !ids.length) return [];
  const mine = await db.selectFrom('service_caregivers').select('id').where('user_id', '=', scope.userId).where('provider_id', '=', p).execute();
  if (!mine.length) return [];
  const out = new Set<number>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('service_orders')
      .select('person_id')
      .distinct()
      .where('person_id', 'in', unique.slice(i, i + 500))
      .where('provider_id', '=', p)
      .where(
        'caregiver_id',
        'in',
        mine.map((m) => m.id),
      )
      .execute();
    for (const r of rows) out.add(r.person_id);
  }
  return [...out];
}

let registered = false;

/** The module's start hook: registers the provider's reach once per process (tests open many contexts). */
export function registerProviderReach(): void {
  if (registered) return;
  registered = true;
  registerPersonReach('service-clients', reached, 'organisation', reachList);
}
