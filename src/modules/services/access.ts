import { sql, type SelectQueryBuilder } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import type { ServiceOrderRow } from './services.tables.js';

/**
 * The services' one scope rule: an officer sees the orders, providers and people of their region
 * subtree; a provider's staff (role 'provider') see only their organisation's — its orders, its
 * caregivers, the people it serves — and nobody when they have no organisation on record. A
 * caregiver (role 'caregiver', staff of the same provider) sees less still: only the orders assigned
 * to their own caregiver record (service_caregivers.user_id), nothing else of the office.
 */

/** The provider a provider's or caregiver's scope works for (0: none on record, reaches nothing); null for every other role. */
export function ownProvider(scope: Scope): number | null {
  return scope.role === 'provider' || scope.role === 'caregiver' ? (scope.organisationId ?? 0) : null;
}

/** Whether the scope is a caregiver's, limited to the orders assigned to them. */
export const isCaregiver = (scope: Scope): boolean => scope.role === 'caregiver';

/** The ids of the caregiver records linked to the scope's login (none without a user). */
const myCaregiverIds = (scope: Scope) => sql`(select sc.id from service_caregivers sc where sc.user_id = ${scope.userId ?? -1})`;

/**
 * The jurisdictions a viewer works in, by region code: their own and those above it (a county's
 * officer: the county, and its city where the city keeps rows of its own), then those below it (a
 * city's officer: every county of the city). The rows of a table keyed by `jurisdiction`
 * (service_providers, service_items) a viewer reads are these jurisdictions'.
 */
export function viewerJurisdictions(ctx: AppContext, scope: Scope): string[] {
  return ctx.regions.worksWith(scope.regionCode).map((r) => r.code);
}

/** Refuses a provider's staff another provider's record, as not found (its existence is not disclosed). */
export function requireProvider(scope: Scope, providerId: number): void {
  const own = ownProvider(scope);
  if (own !== null && own !== providerId) throw new AppError('SERVICE_PROVIDER_NOT_FOUND', { id: providerId });
}

/** A query over a table with region_code and provider_id columns, restricted to the scope. */
export function scopedRows<DB extends Database, TB extends keyof DB & string, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  scope: Scope,
  table: string,
): SelectQueryBuilder<DB, TB, O> {
  let q = qb.where(inRegion(scope, `${table}.region_code`));
  const own = ownProvider(scope);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the column exists on every table this is used for
  if (own !== null) q = q.where(`${table}.provider_id` as any, '=', own);
  if (isCaregiver(scope)) {
    // a caregiver: the orders assigned to them (and their exceptions); no other table of the office
    if (table === 'service_orders') q = q.where(sql<boolean>`${sql.ref(`${table}.caregiver_id`)} in ${myCaregiverIds(scope)}`);
    else if (table === 'service_anomalies')
      q = q.where(sql<boolean>`${sql.ref(`${table}.order_id`)} in (select so.id from service_orders so where so.caregiver_id in ${myCaregiverIds(scope)})`);
    else q = q.where(sql<boolean>`1 = 0`);
  }
  return q;
}

/** An order the scope may see, or SERVICE_ORDER_NOT_FOUND (also for one outside it). */
export async function orderInScope(db: Executor, scope: Scope, id: number): Promise<ServiceOrderRow> {
  const row = await db.selectFrom('service_orders').selectAll().where('id', '=', id).executeTakeFirst();
  const own = ownProvider(scope);
  if (!row || !regionInScope(scope, row.region_code) || (own !== null && row.provider_id !== own)) throw new AppError('SERVICE_ORDER_NOT_FOUND', { id });
  if (isCaregiver(scope)) {
    // a caregiver: only an order assigned to their own caregiver record, of the provider they work for
    const mine =
      row.caregiver_id !== null && scope.userId !== null
        ? await db.selectFrom('service_caregivers').select('id').where('id', '=', row.caregiver_id).where('user_id', '=', scope.userId).executeTakeFirst()
        : undefined;
    if (!mine) throw new AppError('SERVICE_ORDER_NOT_FOUND', { id });
  }
  return row;
}
