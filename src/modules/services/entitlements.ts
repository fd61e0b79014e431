import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { scopedRows } from './access.js';
import { serviceSettingsOf } from './services.settings.js';
import { entitledVisits, visitsAllowed } from './visits-per-month.js';
import type { EntitlementReply, OrderStatus } from './orders.schema.js';

/**
 * A person's monthly government-purchased service entitlement and what orders drew from it. The
 * amount is the latest finished run's (entitlement.sink.ts); a person with no row has nothing
 * (balance 0: every order is then self-paid). Used is the sum of the entitled part of the person's
 * orders scheduled in the month, cancelled ones not counted, whichever provider took them.
 *
 * Issue 21: a person can hold a row of their county's run and one of their city's (a city-level
 * home-service allowance paid on top of the county's). The month's amount is their sum and the
 * items the union: the city's allowance adds to the county's standard, as the city means it to,
 * and the person, the provider and the officer see one balance. Orders are not split by
 * jurisdiction: the service items a provider offers are not catalogue items, so an order has no
 * jurisdiction of its own to draw on; which payer bears what is a matter of the settlement, not of
 * what the elder may order. (Within one jurisdiction the largest of its items applies, one standard
 * a person: entitlement.sink.ts.)
 */
export interface Balance {
  amountFen: number;
  usedFen: number;
  balanceFen: number;
  items: string[];
}

export async function balanceOf(db: Executor, personId: number, period: string): Promise<Balance> {
  const rows = await db
    .selectFrom('service_entitlements')
    .select(['amount_fen', 'items'])
    .where('period', '=', period)
    .where('person_id', '=', personId)
    .orderBy('jurisdiction_code')
    .execute();
  const used = await db
    .selectFrom('service_orders')
    .select(sql<number>`coalesce(sum(entitled_fen), 0)`.as('n'))
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .where('status', '!=', 'cancelled')
    .executeTakeFirstOrThrow();
  const amountFen = rows.reduce((sum, r) => sum + r.amount_fen, 0);
  const items = [...new Set(rows.flatMap((r) => JSON.parse(r.items) as string[]))];
  const usedFen = Number(used.n);
  return { amountFen, usedFen, balanceFen: Math.max(0, amountFen - usedFen), items };
}

/**
 * GET /api/services/entitlements/:personId: the month's amount, what is used and left, and the
 * orders drawing from it the viewer may see (a provider's staff: their own; the totals count every
 * provider's, as the balance is the person's). Audited: the person is named.
 */
export async function entitlementOf(ctx: AppContext, scope: Scope, personId: number, period: string = today().slice(0, 7)): Promise<EntitlementReply> {
  requireAction(scope, 'services.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const label = (await personLabels(trx, [personId])).get(personId);
      const [person] = await personColumns(trx, ['region_code'], [personId]);
      const b = await balanceOf(trx, personId, period);
      // the visits the amount buys (visits-per-month.ts), by the person's jurisdiction's settings: once used, nothing more is drawn this month
      const allowed = visitsAllowed(serviceSettingsOf(ctx, String(person?.region_code ?? '')), b.items);
      const used = await entitledVisits(trx, personId, period);
      if (allowed !== null && used >= allowed) b.balanceFen = 0;
      const orders = await scopedRows(trx.selectFrom('service_orders'), scope, 'service_orders')
        .innerJoin('service_items', 'service_items.id', 'service_orders.item_id')
        .select([
          'service_orders.id',
          'service_items.name_zh',
          'service_orders.scheduled_on',
          'service_orders.status',
          'service_orders.entitled_fen',
          'service_orders.self_paid_fen',
        ])
        .where('service_orders.person_id', '=', personId)
        .where('service_orders.period', '=', period)
        .orderBy('service_orders.scheduled_on')
        .orderBy('service_orders.id')
        .execute();
      return {
        personId,
        personName: label?.name ?? '',
        period,
        ...b,
        visitsUsed: used,
        visitsAllowed: allowed,
        orders: orders.map((o) => ({
          id: o.id,
          itemName: o.name_zh,
          scheduledOn: o.scheduled_on,
          status: o.status as OrderStatus,
          entitledFen: o.entitled_fen,
          selfPaidFen: o.self_paid_fen,
        })),
      };
    },
    () => ({ action: 'services.entitlement_read', entityType: 'person', entityId: personId, persons: [personId], detail: { period } }),
  );
}
