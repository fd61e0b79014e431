import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { orderInScope } from './access.js';
import { raiseOnline } from './anomalies.js';
import { latestCorrections } from './corrected.js';
import { beijing, FUTURE_TOLERANCE_MINUTES, tasksOf } from './evv.js';
import { appendHistory } from './history.js';
import { orderAnswer } from './orders.js';
import type { CorrectBody, OrderDetail } from './orders.schema.js';

/**
 * An officer's correction of a visit (issue 17: corrections never overwrite the original record).
 *
 * Who: the officer (services.review: bureau_admin, town_officer), in the scope of the order's
 * region. The provider explains an exception with a resolution code first (the anomaly queue,
 * anomalies.ts: 'device_clock', 'forgot_checkout' …); the officer who reviews it, seeing what the
 * real start and end were, records them here. A provider cannot correct its own visits: the
 * times decide its pay.
 *
 * What: a new row in service_order_corrections (append-only) with the corrected start and end
 * (and the items done, if given) and the reason, and a 'corrected' row in the order's history
 * naming the values before and after. The order's check-in and check-out facts (time, sealed
 * location, distance, the verified event) are never changed. An order left checked in (a
 * forgotten check-out) moves to checked_out — its workflow state, not a fact — so the caregiver's
 * phone stops offering it and the month counts it done; its check-out facts stay empty.
 *
 * From then on the detector reads the corrected times (anomalies.ts monthFacts and raiseOnline):
 * the order's time on site and its caregiver's overlaps and travel are judged again at once, so an
 * open 'too_short' the wrong clock raised is cleared, or a new exception raised. An exception the
 * provider already resolved is left for the officer's review (the queue never loses a decision).
 * The settlement follows the exceptions: a month already closed stays frozen, and the difference in
 * what is payable appears as an adjustment line of the next month the provider closes
 * (settlement.ts pendingAdjustments).
 */

const DAY_MS = 86_400_000;

function instant(raw: string, field: string, now: Date): Date {
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()) || !/\d{4}-\d{2}-\d{2}T/.test(raw)) throw new AppError('SERVICE_TIME_INVALID', { field, at: raw.slice(0, 40) });
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MINUTES * 60_000) {
    throw new AppError('SERVICE_TIME_FUTURE', { field, at: beijing(at), now: beijing(now), minutes: FUTURE_TOLERANCE_MINUTES });
  }
  return at;
}

/** POST /api/services/orders/:id/correct: records the correction, judges the visit again, answers the order. */
export async function correctOrder(ctx: AppContext, scope: Scope, id: number, body: CorrectBody): Promise<OrderDetail> {
  requireAction(scope, 'services.review');
  const now = new Date();
  await ctx.db.transaction().execute(async (trx) => {
    const order = await orderInScope(trx, scope, id);
    if (order.status === 'cancelled') throw new AppError('SERVICE_EVV_CANCELLED', { id });
    if (order.check_in_at === null) throw new AppError('SERVICE_NOT_CHECKED_IN', { id });
    const previous = (await latestCorrections(trx, [id])).get(id);
    const beforeIn = previous?.checkInAt ?? order.check_in_at;
    const beforeOut = previous?.checkOutAt ?? order.check_out_at;
    const recordedItems = ((): string[] => {
      try {
        const v = JSON.parse(order.items_done ?? '[]') as unknown;
        return Array.isArray(v) ? v.map(String) : [];
      } catch {
        return [];
      }
    })();
    const beforeItems = previous?.itemsDone ?? recordedItems;

    const checkIn = body.checkInAt !== undefined ? instant(body.checkInAt, 'checkInAt', now) : new Date(beforeIn);
    if (body.checkOutAt === undefined && beforeOut === null) {
      // the order was never checked out: the end time is required
      throw new AppError('VALIDATION', { issues: [{ field: 'body.checkOutAt', issue: 'invalid_type', expected: 'string' }] });
    }
    const checkOut = body.checkOutAt !== undefined ? instant(body.checkOutAt, 'checkOutAt', now) : new Date(beforeOut!);
    if (checkOut < checkIn) throw new AppError('SERVICE_CHECKOUT_BEFORE_CHECKIN', { id, checkIn: beijing(checkIn), checkOut: beijing(checkOut) });
    if (checkOut.getTime() - checkIn.getTime() > DAY_MS) {
      // a visit lasts at most a day
      throw new AppError('VALIDATION', {
        issues: [{ field: 'body.checkOutAt', issue: 'too_big', origin: 'date', maximum: new Date(checkIn.getTime() + DAY_MS).toISOString() }],
      });
    }
    const earliest = new Date(`${order.scheduled_on}T00:00:00+08:00`).getTime() - DAY_MS;
    if (checkIn.getTime() < earliest) throw new AppError('SERVICE_CHECKIN_TOO_EARLY', { id, at: beijing(checkIn), scheduledOn: order.scheduled_on });

    let items: string[] | null = null;
    if (body.itemsDone !== undefined) {
      const allowed = (await tasksOf(trx, [order.item_id])).get(order.item_id) ?? [];
      items = [...new Set(body.itemsDone)];
      for (const code of items) {
        if (!allowed.some((t) => t.code === code)) {
          throw new AppError('SERVICE_TASK_UNKNOWN', { id, code: code.slice(0, 40), allowed: allowed.map((t) => t.code).join(', ') });
        }
      }
    }
    const inIso = checkIn.toISOString();
    const outIso = checkOut.toISOString();
    const afterItems = items ?? beforeItems;
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
    if (beforeOut !== null && Date.parse(beforeIn) === checkIn.getTime() && Date.parse(beforeOut) === checkOut.getTime() && same(afterItems, beforeItems)) {
      // the correction changes nothing: nothing is recorded
      throw new AppError('VALIDATION', { issues: [{ field: 'body', issue: 'invalid_value', values: ['checkInAt', 'checkOutAt', 'itemsDone'] }] });
    }

    const by = scope.userId ?? 0;
    const at = nowIso();
    const row = await trx
      .insertInto('service_order_corrections')
      .values({
        order_id: id,
        period: order.period,
        provider_id: order.provider_id,
        check_in_at: inIso,
        check_out_at: outIso,
        items_done: items === null ? (previous?.itemsDone ? JSON.stringify(previous.itemsDone) : null) : JSON.stringify(items),
        reason: body.reason,
        corrected_by: by,
        corrected_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const forgotten = order.status === 'checked_in';
    if (forgotten) {
      const moved = await trx
        .updateTable('service_orders')
        .set({ status: 'checked_out', updated_at: at })
        .where('id', '=', id)
        .where('status', '=', 'checked_in')
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new AppError('SERVICE_ALREADY_CHECKED_OUT', { id, at: beijing(now) });
    }
    const settled = await trx
      .selectFrom('service_settlements')
      .select('id')
      .where('provider_id', '=', order.provider_id)
      .where('period', '=', order.period)
      .where('status', '=', 'closed')
      .executeTakeFirst();
    await appendHistory(
      trx,
      id,
      'corrected',
      {
        correctionId: row.id,
        before: { checkInAt: beforeIn, checkOutAt: beforeOut, itemsDone: beforeItems },
        after: { checkInAt: inIso, checkOutAt: outIso, itemsDone: afterItems },
        reason: body.reason,
        ...(forgotten ? { status: { from: 'checked_in', to: 'checked_out' } } : {}),
        ...(settled ? { settledMonth: order.period } : {}),
      },
      by,
    );
    await recordAudit(trx, scope, {
      action: 'services.order_corrected',
      entityType: 'service_order',
      entityId: id,
      regionCode: order.region_code,
      fields: ['checkInAt', 'checkOutAt', ...(items !== null ? ['itemsDone'] : [])],
      detail: { person: order.person_id, correctionId: row.id, period: order.period, monthClosed: !!settled },
    });
    await raiseOnline(ctx, trx, id);
  });
  return orderAnswer(ctx, scope, id);
}
