import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { readEventPhoto } from '../care-events/care-events.reads.js';
import { attachPhoto, recordEvent } from '../care-events/care-events.service.js';
import { personLabels } from '../register/people.js';
import { orderInScope, ownProvider } from './access.js';
import type { CheckInBody, CheckOutBody, MyOrder, MyOrdersReply, PhotoBody, PhotoReply } from './evv.schema.js';
import { cellOf, checkFix, distanceMeters, type Fix } from './geo.js';
import { raiseOnline } from './anomalies.js';
import { activeClient, cardMatches, homeOf } from './clients.js';
import { appendHistory } from './history.js';
import { orderAnswer } from './orders.js';
import type { OrderDetail } from './orders.schema.js';
import { caregiverOfUser } from './providers.js';
import { serviceSettingsOf } from './services.settings.js';
import type { ServiceCaregiverRow, ServiceClientRow, ServiceOrderRow } from './services.tables.js';

/**
 * Electronic visit verification on the caregiver's phone (issue 17, services-evv). The six facts
 * of a visit (the service, the person, the date, the place, the worker, start and end) are taken
 * at check-in and at check-out only — the location is never tracked in between. A precise fix is
 * sealed in the order; the clear columns keep its accuracy, its distance from the home and its
 * ~1 km cell (geo.ts). The check-out records the verified event (care-events, kind 'service') in
 * the same transaction, with the elder's confirmation on the phone or by their service card.
 *
 * Each write is idempotent by the phone's clientId (its outbox resends after a lost answer): the
 * clientId is kept in the history row the write appends, and a resend finds it there, writes
 * nothing, and answers the order as it stands. Every refusal leaves nothing behind: the checks
 * and the writes share one transaction.
 */

type Trx = Transaction<Database>;

/** How far ahead of the server's clock a device's instant may lie (clock drift), in minutes. */
export const FUTURE_TOLERANCE_MINUTES = 5;

// ---- small helpers ----

const beijingFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** An instant as Beijing's wall clock, for messages: '2026-11-30 09:05:00'. */
export function beijing(iso: string | Date): string {
  return beijingFormat.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** The device's instant, checked: a real time, not more than five minutes ahead of the server. */
function deviceInstant(raw: string, field: string, now: Date): Date {
  const at = new Date(raw);
  if (Number.isNaN(at.getTime()) || !/\d{4}-\d{2}-\d{2}T/.test(raw)) throw new AppError('SERVICE_TIME_INVALID', { field, at: raw.slice(0, 40) });
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MINUTES * 60_000) {
    throw new AppError('SERVICE_TIME_FUTURE', { field, at: beijing(at), now: beijing(now), minutes: FUTURE_TOLERANCE_MINUTES });
  }
  return at;
}

/** The start of a civil date in Beijing, as an instant. */
const dayStart = (on: string) => new Date(`${on}T00:00:00+08:00`);

/** A unique index refused a row (SQLite or PostgreSQL): a concurrent resend stored it first. */
function uniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return !!err && (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed|duplicate key/.test(err.message ?? ''));
}

/** Another request changed the order between our read and our write: the transaction runs again. */
class Raced extends Error {}

async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (attempt < 3 && !(e instanceof AppError) && (e instanceof Raced || uniqueViolation(e))) continue;
      throw e;
    }
  }
}

/** The viewer's caregiver record: an active caregiver of the provider the viewer works for. */
async function myCaregiver(db: Executor, scope: Scope): Promise<ServiceCaregiverRow> {
  const cg = scope.userId === null ? null : await caregiverOfUser(db, scope.userId);
  if (!cg || !cg.active || cg.provider_id !== ownProvider(scope)) throw new AppError('SERVICE_NOT_CAREGIVER', { user: scope.username });
  return cg;
}

/** The order, seen by its assigned caregiver only. */
async function myOrder(trx: Trx, scope: Scope, id: number): Promise<{ order: ServiceOrderRow; caregiver: ServiceCaregiverRow }> {
  const order = await orderInScope(trx, scope, id);
  const caregiver = await myCaregiver(trx, scope);
  if (order.caregiver_id !== caregiver.id) throw new AppError('SERVICE_NOT_YOUR_ORDER', { id });
  return { order, caregiver };
}

/** Whether a history row of this action carries this clientId (a resend of a write already stored). */
async function alreadyStored(trx: Executor, orderId: number, action: string, clientId: string): Promise<boolean> {
  const rows = await trx.selectFrom('service_order_history').select('detail').where('order_id', '=', orderId).where('action', '=', action).execute();
  return rows.some((r) => (JSON.parse(r.detail) as { clientId?: string }).clientId === clientId);
}

/** Refuses a check-in or check-out on an order in a state that does not allow it. */
function refuseState(order: ServiceOrderRow, wanted: 'check_in' | 'check_out'): never {
  const id = order.id;
  if (order.status === 'cancelled') throw new AppError('SERVICE_EVV_CANCELLED', { id });
  if (wanted === 'check_out' && (order.status === 'created' || order.status === 'assigned')) throw new AppError('SERVICE_NOT_CHECKED_IN', { id });
  if (wanted === 'check_in' && order.status === 'created') throw new AppError('SERVICE_NOT_YOUR_ORDER', { id });
  if (order.status === 'checked_in') throw new AppError('SERVICE_ALREADY_CHECKED_IN', { id, at: beijing(order.check_in_at!) });
  throw new AppError('SERVICE_ALREADY_CHECKED_OUT', { id, at: beijing(order.check_out_at ?? order.updated_at) });
}

/** The fix sealed, its cell, and its distance from the client's home (null: the person is no longer a client). */
function placeOf(ctx: AppContext, fix: Fix, client: ServiceClientRow | null) {
  return {
    enc: ctx.cipher.encrypt(JSON.stringify({ lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy })),
    cell: cellOf(fix),
    accuracy: fix.accuracy,
    distance: client ? Math.round(distanceMeters(homeOf(ctx, client), fix)) : null,
  };
}

/** The codes a caregiver may tick for an order: its item's, then the jurisdiction's other active items of the same category. */
export async function tasksOf(db: Executor, itemIds: readonly number[]): Promise<Map<number, { code: string; nameZh: string; nameEn: string }[]>> {
  const out = new Map<number, { code: string; nameZh: string; nameEn: string }[]>();
  if (!itemIds.length) return out;
  const own = await db
    .selectFrom('service_items')
    .selectAll()
    .where('id', 'in', [...new Set(itemIds)])
    .execute();
  for (const item of own) {
    const same = await db
      .selectFrom('service_items')
      .select(['id', 'code', 'name_zh', 'name_en'])
      .where('jurisdiction', '=', item.jurisdiction)
      .where('category', '=', item.category)
      .where('active', '=', 1)
      .where('id', '!=', item.id)
      .orderBy('code')
      .execute();
    out.set(item.id, [
      { code: item.code, nameZh: item.name_zh, nameEn: item.name_en },
      ...same.map((s) => ({ code: s.code, nameZh: s.name_zh, nameEn: s.name_en })),
    ]);
  }
  return out;
}

// ---- the caregiver's day ----

/**
 * GET /api/services/my/orders/:id: one order assigned to the viewer, in full (OrderDetail, audited) —
 * what the phone reads between steps. A caregiver may not read the office's orders (services.read);
 * another caregiver's order is not found for them (orderInScope), not theirs for the office's staff.
 */
export async function myOrderDetail(ctx: AppContext, scope: Scope, id: number): Promise<OrderDetail> {
  requireAction(scope, 'services.visit');
  const order = await orderInScope(ctx.db, scope, id);
  const caregiver = await myCaregiver(ctx.db, scope);
  if (order.caregiver_id !== caregiver.id) throw new AppError('SERVICE_NOT_YOUR_ORDER', { id });
  return orderAnswer(ctx, scope, id);
}

/** GET /api/services/my/orders: the orders assigned to the viewer, scheduled on the date, and any still checked in from before. */
export async function myOrders(ctx: AppContext, scope: Scope, date?: string): Promise<MyOrdersReply> {
  requireAction(scope, 'services.visit');
  const on = date ?? today();
  const cg = scope.userId === null ? null : await caregiverOfUser(ctx.db, scope.userId);
  if (!cg || !cg.active || cg.provider_id !== ownProvider(scope)) return { caregiver: null, date: on, items: [] };
  return auditedRead(
    ctx.db,
    scope,
    async (trx): Promise<MyOrdersReply> => {
      const provider = await trx.selectFrom('service_providers').select('name').where('id', '=', cg.provider_id).executeTakeFirst();
      const rows = await trx
        .selectFrom('service_orders')
        .innerJoin('service_items', 'service_items.id', 'service_orders.item_id')
        .select([
          'service_orders.id',
          'service_orders.person_id',
          'service_orders.provider_id',
          'service_orders.region_code',
          'service_orders.item_id',
          'service_orders.ordered_minutes',
          'service_orders.scheduled_on',
          'service_orders.status',
          'service_orders.check_in_at',
          'service_orders.check_out_at',
          'service_orders.check_in_distance_m',
          'service_orders.check_in_accuracy_m',
          'service_items.code as item_code',
          'service_items.name_zh',
          'service_items.name_en',
          'service_items.category',
        ])
        .where('service_orders.caregiver_id', '=', cg.id)
        .where('service_orders.provider_id', '=', cg.provider_id)
        .where('service_orders.status', '!=', 'cancelled')
        .where((eb) => eb.or([eb('service_orders.scheduled_on', '=', on), eb('service_orders.status', '=', 'checked_in')]))
        .orderBy('service_orders.scheduled_on')
        .orderBy('service_orders.id')
        .execute();
      const ids = rows.map((r) => r.id);
      const [labels, tasks, open, clients] = await Promise.all([
        personLabels(
          trx,
          rows.map((r) => r.person_id),
        ),
        tasksOf(
          trx,
          rows.map((r) => r.item_id),
        ),
        ids.length
          ? trx.selectFrom('service_anomalies').select(['order_id', 'code']).where('order_id', 'in', ids).where('status', '=', 'open').orderBy('code').execute()
          : Promise.resolve([]),
        Promise.all(rows.map((r) => activeClient(trx, r.provider_id, r.person_id))),
      ]);
      const items: MyOrder[] = rows.map((r, i) => ({
        id: r.id,
        personId: r.person_id,
        personName: labels.get(r.person_id)?.name ?? '',
        address: addressOf(ctx, r.region_code),
        itemCode: r.item_code,
        itemNameZh: r.name_zh,
        itemNameEn: r.name_en,
        category: r.category,
        orderedMinutes: r.ordered_minutes,
        scheduledOn: r.scheduled_on,
        status: r.status as MyOrder['status'],
        checkInAt: r.check_in_at,
        checkOutAt: r.check_out_at,
        tasks: tasks.get(r.item_id) ?? [],
        openAnomalies: open.filter((a) => a.order_id === r.id).map((a) => a.code),
        checkInDistanceM: r.check_in_distance_m,
        checkInAccuracyM: r.check_in_accuracy_m,
        hasCard: !!clients[i]?.card_hash,
      }));
      return { caregiver: { id: cg.id, name: cg.name, providerName: provider?.name ?? '' }, date: on, items };
    },
    (r) => ({
      action: 'services.my_orders_read',
      entityType: 'service_caregiver',
      entityId: r.caregiver?.id ?? 0,
      fields: ['personName', 'address'],
      detail: { date: r.date },
      persons: r.items.map((i) => i.personId),
    }),
  );
}

/** The town and village (or street and community) of a region code: the register keeps no street address. */
function addressOf(ctx: AppContext, regionCode: string): string {
  const path = ctx.regions.path(regionCode).filter((r) => r.level !== 'province' && r.level !== 'city' && r.level !== 'county');
  return path.map((r) => r.name).join(' ') || regionCode;
}

// ---- check-in ----

/** POST /api/services/orders/:id/check-in. */
export async function checkIn(ctx: AppContext, scope: Scope, id: number, body: CheckInBody): Promise<OrderDetail> {
  requireAction(scope, 'services.visit');
  const now = new Date();
  await retrying(() =>
    ctx.db.transaction().execute(async (trx) => {
      const { order } = await myOrder(trx, scope, id);
      if (order.status !== 'assigned') {
        if (await alreadyStored(trx, order.id, 'checked_in', body.clientId)) return;
        refuseState(order, 'check_in');
      }
      // the bounds of the order's (its person's) jurisdiction
      const fix = checkFix(body.location, serviceSettingsOf(ctx, order.region_code), 'location');
      const at = deviceInstant(body.at, 'at', now);
      const earliest = new Date(dayStart(order.scheduled_on).getTime() - 86_400_000);
      if (at < earliest) throw new AppError('SERVICE_CHECKIN_TOO_EARLY', { id: order.id, at: beijing(at), scheduledOn: order.scheduled_on });
      const client = await activeClient(trx, order.provider_id, order.person_id);
      const place = placeOf(ctx, fix, client);
      const stamp = nowIso();
      const updated = await trx
        .updateTable('service_orders')
        .set({
          status: 'checked_in',
          check_in_at: at.toISOString(),
          check_in_enc: place.enc,
          check_in_cell: place.cell,
          check_in_accuracy_m: place.accuracy,
          check_in_distance_m: place.distance,
          updated_at: stamp,
        })
        .where('id', '=', order.id)
        .where('status', '=', 'assigned')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new Raced();
      const detail = { clientId: body.clientId, at: at.toISOString(), distanceM: place.distance, accuracyM: place.accuracy };
      await appendHistory(trx, order.id, 'checked_in', detail, scope.userId ?? 0);
      await recordAudit(trx, scope, {
        action: 'services.check_in',
        entityType: 'service_order',
        entityId: order.id,
        regionCode: order.region_code,
        fields: ['checkInAt', 'location'],
        detail: { person: order.person_id, distanceM: place.distance, accuracyM: place.accuracy },
      });
      await raiseOnline(ctx, trx, order.id);
    }),
  );
  return orderAnswer(ctx, scope, id);
}

// ---- check-out ----

/** POST /api/services/orders/:id/check-out. */
export async function checkOut(ctx: AppContext, scope: Scope, id: number, body: CheckOutBody): Promise<OrderDetail> {
  requireAction(scope, 'services.visit');
  const now = new Date();
  await retrying(() =>
    ctx.db.transaction().execute(async (trx) => {
      const { order } = await myOrder(trx, scope, id);
      if (order.status !== 'checked_in') {
        if (await alreadyStored(trx, order.id, 'checked_out', body.clientId)) return;
        refuseState(order, 'check_out');
      }
      // the bounds of the order's (its person's) jurisdiction
      const fix = checkFix(body.location, serviceSettingsOf(ctx, order.region_code), 'location');
      const at = deviceInstant(body.at, 'at', now);
      const checkedIn = new Date(order.check_in_at!);
      if (at < checkedIn) throw new AppError('SERVICE_CHECKOUT_BEFORE_CHECKIN', { id: order.id, checkIn: beijing(checkedIn), checkOut: beijing(at) });
      const allowed = (await tasksOf(trx, [order.item_id])).get(order.item_id) ?? [];
      const done = [...new Set(body.itemsDone.map((c) => c.trim()))];
      for (const code of done) {
        if (!allowed.some((t) => t.code === code)) {
          throw new AppError('SERVICE_TASK_UNKNOWN', { id: order.id, code: code.slice(0, 40), allowed: allowed.map((t) => t.code).join(', ') });
        }
      }
      const client = await activeClient(trx, order.provider_id, order.person_id);
      const c = body.confirmation;
      if (c?.kind === 'card') {
        if (!client?.card_hash) throw new AppError('SERVICE_CARD_NONE', { id: order.id });
        if (!cardMatches(ctx, client, c.cardCode)) throw new AppError('SERVICE_CARD_MISMATCH', { id: order.id });
      }
      const confirmation = !c ? null : c.kind === 'card' ? { kind: 'person' as const, note: '刷卡确认' } : { kind: c.kind, note: c.note ?? null };
      const place = placeOf(ctx, fix, client);
      const event = await recordEvent(
        ctx,
        trx,
        {
          clientId: body.clientId,
          kind: 'service',
          source: 'services',
          sourceId: order.id,
          performer: { id: scope.userId ?? 0, role: 'provider' },
          personId: order.person_id,
          regionCode: order.region_code,
          mode: 'home',
          startedAt: order.check_in_at!,
          endedAt: at.toISOString(),
          location: fix,
          findings: [],
          notes: body.notes ?? null,
          confirmation,
        },
        scope,
      );
      // a check-out's clientId that some other event already holds is not this order's resend
      if (event.merged) throw new AppError('SERVICE_CLIENT_ID_REUSED', { clientId: body.clientId, id: order.id });
      const stamp = nowIso();
      const updated = await trx
        .updateTable('service_orders')
        .set({
          status: 'checked_out',
          check_out_at: at.toISOString(),
          check_out_enc: place.enc,
          check_out_cell: place.cell,
          check_out_accuracy_m: place.accuracy,
          check_out_distance_m: place.distance,
          items_done: JSON.stringify(done),
          event_id: event.id,
          updated_at: stamp,
        })
        .where('id', '=', order.id)
        .where('status', '=', 'checked_in')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new Raced();
      const by = scope.userId ?? 0;
      await appendHistory(
        trx,
        order.id,
        'checked_out',
        { clientId: body.clientId, at: at.toISOString(), distanceM: place.distance, accuracyM: place.accuracy, itemsDone: done, eventId: event.id },
        by,
      );
      // the confirmation as given: 'card' is kept here (the event says 'person', noted 刷卡确认)
      if (c) await appendHistory(trx, order.id, 'confirmed', { kind: c.kind }, by);
      await recordAudit(trx, scope, {
        action: 'services.check_out',
        entityType: 'service_order',
        entityId: order.id,
        regionCode: order.region_code,
        fields: ['checkOutAt', 'location', 'itemsDone', ...(body.notes ? ['notes'] : []), ...(c ? ['confirmation'] : [])],
        detail: { person: order.person_id, event: event.id, distanceM: place.distance, accuracyM: place.accuracy, confirmation: c?.kind ?? null },
      });
      await raiseOnline(ctx, trx, order.id);
    }),
  );
  return orderAnswer(ctx, scope, id);
}

// ---- the check-out photo ----

/** POST /api/services/orders/:id/photo: the photo attached to the check-out's verified event. */
export async function addPhoto(ctx: AppContext, scope: Scope, id: number, body: PhotoBody): Promise<PhotoReply> {
  requireAction(scope, 'services.visit');
  const bytes = Buffer.from(body.dataBase64, 'base64');
  return retrying(() =>
    ctx.db.transaction().execute(async (trx): Promise<PhotoReply> => {
      const { order } = await myOrder(trx, scope, id);
      const first = await trx
        .selectFrom('service_order_history')
        .select('detail')
        .where('order_id', '=', order.id)
        .where('action', '=', 'photo')
        .execute()
        .then((rows) => rows.map((r) => JSON.parse(r.detail) as { clientId: string; photoId: number }).find((d) => d.clientId === body.clientId));
      if (first && order.event_id) return { orderId: order.id, eventId: order.event_id, photoId: first.photoId, merged: true };
      if (order.status === 'cancelled') throw new AppError('SERVICE_EVV_CANCELLED', { id: order.id });
      if (!order.event_id) throw new AppError('SERVICE_PHOTO_BEFORE_CHECKOUT', { id: order.id });
      const photo = await attachPhoto(
        ctx,
        trx,
        order.event_id,
        { bytes, keepLocation: body.keepLocation ?? false, by: scope.userId ?? 0, maxBytes: serviceSettingsOf(ctx, order.region_code).photoMaxBytes },
        scope,
      );
      // history's own action list (history.ts) has no 'photo': the row is written here, with the clientId for a resend
      await trx
        .insertInto('service_order_history')
        .values({
          order_id: order.id,
          action: 'photo',
          detail: JSON.stringify({ clientId: body.clientId, photoId: photo.id, eventId: order.event_id }),
          by_user: scope.userId ?? 0,
          at: nowIso(),
        })
        .execute();
      return { orderId: order.id, eventId: order.event_id, photoId: photo.id, merged: false };
    }),
  );
}

/**
 * GET /api/services/orders/:id/photos/:photoId: the photo of an order in the viewer's scope (an
 * officer of its region, the provider's own staff), read through care-events, which audits it.
 */
export async function orderPhoto(ctx: AppContext, scope: Scope, id: number, photoId: number): Promise<{ mime: string; bytes: Buffer }> {
  requireAction(scope, 'services.read');
  const order = await orderInScope(ctx.db, scope, id);
  const eventId = order.event_id;
  if (!eventId)
    throw new AppError('NOT_FOUND', {
      what: { zh: `服务工单（编号 ${order.id}）的照片（编号 ${photoId}）`, en: `Photo ${photoId} of service order ${order.id}` },
    });
  // the order (in scope, checked again inside the read) is the event's source
  const p = await readEventPhoto(ctx, scope, eventId, photoId, async (trx) => (await orderInScope(trx, scope, id)).event_id === eventId);
  return { mime: p.mime, bytes: p.bytes };
}
