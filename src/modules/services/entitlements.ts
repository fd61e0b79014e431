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
 */
export interface Balance {
  amountFen: number;
  usedFen: number;
  balanceFen: number;
  items: string[];
}

export async function balanceOf(db: Executor, personId: number, period: string): Promise<Balance> {
  const row = await db
    .selectFrom('service_entitlements')
    .select(['amount_fen', 'items'])
    .where('period', '=', period)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  const used = await db
    .selectFrom('service_orders')
    .select(sql<number>`coalesce(sum(entitled_fen), 0)`.as('n'))
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .where('status', '!=', 'cancelled')
    .executeTakeFirstOrThrow();
  const amountFen = row?.amount_fen ?? 0;
  const usedFen = Number(used.n);
  return { amountFen, usedFen, balanceFen: Math.max(0, amountFen - usedFen), items: row ? (JSON.parse(row.items) as string[]) : [] };
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
