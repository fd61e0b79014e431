import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { can } from '../../platform/policy.js';
import { auditedRead } from '../../platform/reads.js';
import { narrowScope, nowhere, requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { closeFollowup, followupsQuery } from '../visits/followups.js';
import { orderInScope, requireProvider, scopedRows } from './access.js';
import type { AnomalyView } from './anomalies.schema.js';
import { latestCorrections } from './corrected.js';
import { caregiverById } from './providers.js';
import { balanceOf } from './entitlements.js';
import { activeClient } from './clients.js';
import { appendHistory } from './history.js';
import { itemById } from './items.js';
import { serviceSettingsOf } from './services.settings.js';
import { entitledVisits, visitsAllowed } from './visits-per-month.js';
import type {
  AssignBody,
  CancelBody,
  CreatedVia,
  CreateOrderBody,
  HistoryLine,
  OrderDetail,
  OrderItem,
  OrdersQuery,
  OrdersReply,
  OrderStatus,
  RateBody,
} from './orders.schema.js';
import type { ServiceOrderRow } from './services.tables.js';

/**
 * Service orders: created against the person's month of government-purchased services (drawn down,
 * the rest self-paid when the elder agrees), assigned to a caregiver of the provider, checked in and
 * out on the caregiver's phone (evv.ts), rated, or cancelled before check-in (the draw released).
 *
 * Draw-down under concurrency: the balance is read and the order inserted in one transaction. On
 * PostgreSQL the person's entitlement row of the month is locked FOR UPDATE first, so two orders of
 * one person take turns and the second sees the first's draw; a person without a row has nothing to
 * draw (every order self-paid), so there is nothing to race for. SQLite transactions of one process
 * are serial; another process's writer makes ours fail with SQLITE_BUSY before it writes, and the
 * transaction is run again (orderTransaction).
 */

/** How far ahead an order may be scheduled. */
export const MAX_DAYS_AHEAD = 60;

const BUSY_TRIES = 50;

export async function orderTransaction<T>(ctx: AppContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(fn);
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || attempt >= BUSY_TRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** The order as the caller gives it; `createdVia: 'green_button'` (issue 18's alarm) with its source id. */
export interface NewOrder extends Omit<CreateOrderBody, 'followupId'> {
  followupId?: number;
  createdVia?: 'green_button';
  sourceId?: number;
}

/**
 * Creates an order in the caller's transaction (issue 18's green button calls this from its own),
 * or finds the one a resend of the same clientId made. The caller checks the action (services.order
 * for the console). A follow-up named is checked here and closed by the caller after commit
 * (placeOrder): visits closes it in a transaction of its own.
 */
export async function createOrder(ctx: AppContext, trx: Transaction<Database>, scope: Scope, input: NewOrder): Promise<{ id: number; created: boolean }> {
  const same = await trx.selectFrom('service_orders').selectAll().where('client_id', '=', input.clientId).executeTakeFirst();
  if (same) return { id: resendOf(scope, same, input), created: false };

  requireProvider(scope, input.providerId);
  const provider = await trx.selectFrom('service_providers').select(['id', 'active']).where('id', '=', input.providerId).executeTakeFirst();
  if (!provider) throw new AppError('SERVICE_PROVIDER_NOT_FOUND', { id: input.providerId });
  if (!provider.active) throw new AppError('SERVICE_ORDER_PROVIDER_INACTIVE', { providerId: input.providerId });

  if (!(await personPermitted(trx, scope, input.personId))) throw notFound('person');
  const label = (await personLabels(trx, [input.personId])).get(input.personId);
  if (!label) throw notFound('person');
  if (label.status !== 'active') throw new AppError('SERVICE_ORDER_PERSON_INACTIVE', { personId: input.personId, status: label.status });
  const [person] = await personColumns(trx, ['id', 'region_code'], [input.personId]);
  const regionCode = String(person!.region_code);

  const client = await activeClient(trx, input.providerId, input.personId);
  if (!client) throw new AppError('SERVICE_NOT_CLIENT', { personId: input.personId, providerId: input.providerId });

  // an item of the person's jurisdiction, or of one above it (a city's own items)
  const jurisdictions = ctx.regions.jurisdictionChain(regionCode).map((j) => j.code);
  const item = await itemById(trx, input.itemId);
  if (!item || !item.active || !jurisdictions.includes(item.jurisdiction)) throw new AppError('SERVICE_ORDER_ITEM_UNAVAILABLE', { itemId: input.itemId });

  // a past date is allowed (an order recorded after the fact) while its month's settlement is open
  const latest = addDays(today(), MAX_DAYS_AHEAD);
  if (!isCivilDate(input.scheduledOn) || input.scheduledOn > latest)
    throw new AppError('SERVICE_ORDER_DATE_INVALID', { date: input.scheduledOn, latest, days: MAX_DAYS_AHEAD });

  if (input.followupId !== undefined) {
    const open =
      scope.role !== 'system' &&
      scope.role !== 'anonymous' &&
      can(scope.role, 'visits.followup_handle') &&
      (await followupsQuery(trx, scope, { kind: 'home_service', status: 'active', personId: input.personId })
        .select('id')
        .where('id', '=', input.followupId)
        .executeTakeFirst());
    if (!open) throw new AppError('SERVICE_ORDER_FOLLOWUP_INVALID', { followupId: input.followupId });
  }

  const period = input.scheduledOn.slice(0, 7);
  // a month whose settlement is closed is frozen (settlement.ts): nothing is added to it afterwards
  const closed = await trx
    .selectFrom('service_settlements')
    .select('id')
    .where('provider_id', '=', input.providerId)
    .where('period', '=', period)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  if (closed) throw new AppError('SERVICE_ORDER_MONTH_CLOSED', { providerId: input.providerId, period });
  if (dialectOf(trx) === 'postgres')
    await trx.selectFrom('service_entitlements').select('id').where('period', '=', period).where('person_id', '=', input.personId).forUpdate().execute();
  const balance = await balanceOf(trx, input.personId, period);
  // the visits the month's amount buys (visits-per-month.ts): beyond them, nothing more is drawn
  const cap = visitsAllowed(serviceSettingsOf(ctx, regionCode), balance.items);
  const drawn = cap === null ? 0 : await entitledVisits(trx, input.personId, period);
  const drawable = cap !== null && drawn >= cap ? 0 : balance.balanceFen;
  const minutes = input.minutes ?? item.standard_minutes;
  const price = Math.round((item.price_fen * minutes) / item.standard_minutes);
  const entitled = Math.min(price, drawable);
  if (entitled < price && !input.selfPaidBeyond) throw new AppError('ENTITLEMENT_EXCEEDED', { price: yuan(price), balance: yuan(drawable), period });

  const via: CreatedVia = input.createdVia ?? (scope.role === 'provider' ? 'provider' : input.followupId !== undefined ? 'visit_followup' : 'officer');
  const at = nowIso();
  const by = scope.userId ?? 0;
  const row = await trx
    .insertInto('service_orders')
    .values({
      client_id: input.clientId,
      provider_id: input.providerId,
      person_id: input.personId,
      region_code: regionCode,
      item_id: item.id,
      period,
      scheduled_on: input.scheduledOn,
      ordered_minutes: minutes,
      price_fen: price,
      entitled_fen: entitled,
      self_paid_fen: price - entitled,
      status: 'created',
      created_via: via,
      source_id: input.followupId ?? input.sourceId ?? null,
      caregiver_id: null,
      note: input.note?.trim() || null,
      created_by: by,
      created_at: at,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const detail = {
    item: item.code,
    scheduledOn: input.scheduledOn,
    minutes,
    priceFen: price,
    entitledFen: entitled,
    selfPaidFen: price - entitled,
    balanceBeforeFen: balance.balanceFen,
    ...(cap !== null ? { visitsBefore: drawn, visitsAllowed: cap } : {}),
    via,
    ...(input.followupId !== undefined ? { followupId: input.followupId } : {}),
    ...(input.sourceId !== undefined ? { sourceId: input.sourceId } : {}),
  };
  await appendHistory(trx, row.id, 'created', detail, by);
  await recordAudit(trx, scope, {
    action: 'services.order_create',
    entityType: 'service_order',
    entityId: row.id,
    regionCode,
    detail: { person: input.personId, provider: input.providerId, ...detail },
  });
  return { id: row.id, created: true };
}

/** A resend of the same request is the order it made; the same id with another order's content is refused. */
function resendOf(scope: Scope, same: ServiceOrderRow, input: NewOrder): number {
  const own = scope.role !== 'provider' || same.provider_id === (scope.organisationId ?? 0);
  if (
    own &&
    same.person_id === input.personId &&
    same.provider_id === input.providerId &&
    same.item_id === input.itemId &&
    same.scheduled_on === input.scheduledOn &&
    same.created_by === (scope.userId ?? 0)
  )
    return same.id;
  throw new AppError('SERVICE_ORDER_CLIENT_ID_REUSED', { clientId: input.clientId, orderId: own ? same.id : '—' });
}

function uniqueClientId(e: unknown): boolean {
  const err = e as { code?: string; message?: string; constraint?: string; detail?: string };
  const unique = err.code === '23505' || String(err.code).startsWith('SQLITE_CONSTRAINT');
  return unique && `${err.message ?? ''} ${err.constraint ?? ''} ${err.detail ?? ''}`.includes('client_id');
}

/**
 * POST /api/services/orders: creates the order (or answers a resend with the same one) and, when it
 * answers a visits follow-up, closes that with "已派服务工单 #id" — right after the order commits,
 * as visits' closeFollowup runs its own transaction (an order whose follow-up was closed meanwhile
 * by someone else stands; the follow-up keeps that closing).
 */
export async function placeOrder(ctx: AppContext, scope: Scope, body: CreateOrderBody): Promise<OrderDetail> {
  requireAction(scope, 'services.order');
  let made: { id: number; created: boolean };
  try {
    made = await orderTransaction(ctx, (trx) => createOrder(ctx, trx, scope, body));
  } catch (e) {
    // the same request twice at once: the second's insert met the first's row
    if (!uniqueClientId(e)) throw e;
    made = await orderTransaction(ctx, (trx) => createOrder(ctx, trx, scope, body));
  }
  if (made.created && body.followupId !== undefined) {
    try {
      await closeFollowup(ctx, scope, body.followupId, `已派服务工单 #${made.id}`);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'VISIT_FOLLOWUP_CLOSED')) throw e;
    }
  }
  return orderDetail(ctx, scope, made.id);
}

/* ---- views ---- */

type ItemRow = { id: number; code: string; category: string; name_zh: string; name_en: string };

/** The list rows of these orders, in their order: names, item, caregiver, open exceptions. */
export async function orderItems(ctx: AppContext, db: Executor, rows: readonly ServiceOrderRow[]): Promise<OrderItem[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const uniq = <T>(xs: T[]) => [...new Set(xs)];
  const providerIds = uniq(rows.map((r) => r.provider_id));
  const itemIds = uniq(rows.map((r) => r.item_id));
  const caregiverIds = uniq(rows.map((r) => r.caregiver_id).filter((v): v is number => v !== null));
  const [providers, items, caregivers, labels, anomalies, corrected] = await Promise.all([
    db.selectFrom('service_providers').select(['id', 'name']).where('id', 'in', providerIds).execute(),
    db.selectFrom('service_items').select(['id', 'code', 'category', 'name_zh', 'name_en']).where('id', 'in', itemIds).execute(),
    caregiverIds.length ? db.selectFrom('service_caregivers').select(['id', 'name']).where('id', 'in', caregiverIds).execute() : Promise.resolve([]),
    personLabels(
      db,
      rows.map((r) => r.person_id),
    ),
    db.selectFrom('service_anomalies').select(['order_id', 'code']).where('order_id', 'in', ids).where('status', '=', 'open').orderBy('id').execute(),
    latestCorrections(db, ids),
  ]);
  const providerName = new Map(providers.map((p) => [p.id, p.name]));
  const itemOf = new Map<number, ItemRow>(items.map((i) => [i.id, i]));
  const caregiverName = new Map(caregivers.map((c) => [c.id, c.name]));
  const open = new Map<number, string[]>();
  for (const a of anomalies) open.set(a.order_id, [...(open.get(a.order_id) ?? []), a.code]);
  return rows.map((r) => {
    const item = itemOf.get(r.item_id);
    const label = labels.get(r.person_id);
    return {
      id: r.id,
      providerId: r.provider_id,
      providerName: providerName.get(r.provider_id) ?? '',
      personId: r.person_id,
      personName: label?.name ?? '',
      idMasked: label?.idMasked ?? '',
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      itemId: r.item_id,
      itemCode: item?.code ?? '',
      itemNameZh: item?.name_zh ?? '',
      itemNameEn: item?.name_en ?? '',
      category: (item?.category ?? 'other') as OrderItem['category'],
      scheduledOn: r.scheduled_on,
      period: r.period,
      orderedMinutes: r.ordered_minutes,
      priceFen: r.price_fen,
      entitledFen: r.entitled_fen,
      selfPaidFen: r.self_paid_fen,
      status: r.status as OrderStatus,
      createdVia: r.created_via as CreatedVia,
      caregiverId: r.caregiver_id,
      caregiverName: r.caregiver_id !== null ? (caregiverName.get(r.caregiver_id) ?? null) : null,
      checkInAt: r.check_in_at,
      checkOutAt: r.check_out_at,
      minutesOnSite: minutesBetween(corrected.get(r.id)?.checkInAt ?? r.check_in_at, corrected.get(r.id)?.checkOutAt ?? r.check_out_at),
      openAnomalies: open.get(r.id) ?? [],
      rating: r.rating,
    };
  });
}

const minutesBetween = (from: string | null, to: string | null): number | null =>
  from && to ? Math.floor((Date.parse(to) - Date.parse(from)) / 60_000) : null;

const parse = (text: string | null): unknown => {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/**
 * The order's full view without the read's audit entry, in the caller's transaction (evv's writes
 * answer with it and audit what they did). Photos: the ids the history names (`photoId` in a row's
 * detail, as the photo upload appends it); the confirmation: the history's 'confirmed' row, else the
 * check-out's `confirmation.kind`.
 */
export async function orderDetailIn(ctx: AppContext, db: Executor, scope: Scope, id: number): Promise<OrderDetail> {
  const row = await orderInScope(db, scope, id);
  const [item] = await orderItems(ctx, db, [row]);
  const history = await db.selectFrom('service_order_history').selectAll().where('order_id', '=', id).orderBy('id').execute();
  const anomalyRows = await db.selectFrom('service_anomalies').selectAll().where('order_id', '=', id).orderBy('id').execute();
  const names = await displayNames(db, [...history.map((h) => h.by_user), ...anomalyRows.flatMap((a) => [a.resolved_by, a.reviewed_by])]);
  const nameOf = (uid: number | null) => (uid === null ? null : (names.get(uid) ?? (uid === 0 ? '系统' : String(uid))));
  const photos: { id: number }[] = [];
  let confirmed: OrderDetail['confirmedKind'] = null;
  const lines: HistoryLine[] = history.map((h) => {
    const detail = (parse(h.detail) ?? {}) as Record<string, unknown>;
    for (const key of ['photoId', 'photo']) if (typeof detail[key] === 'number' && !photos.some((p) => p.id === detail[key])) photos.push({ id: detail[key] });
    if (Array.isArray(detail.photoIds)) for (const p of detail.photoIds) if (typeof p === 'number' && !photos.some((x) => x.id === p)) photos.push({ id: p });
    const kind =
      h.action === 'confirmed' ? detail.kind : h.action === 'checked_out' ? (detail.confirmation as { kind?: unknown } | null | undefined)?.kind : undefined;
    if (kind === 'person' || kind === 'proxy' || kind === 'card' || kind === 'officer') confirmed = kind;
    return { action: h.action, detail, byName: nameOf(h.by_user) ?? '', at: h.at };
  });
  const anomalies: AnomalyView[] = anomalyRows.map((a) => ({
    id: a.id,
    orderId: a.order_id,
    providerId: a.provider_id,
    providerName: item!.providerName,
    personId: row.person_id,
    personName: item!.personName,
    caregiverName: item!.caregiverName,
    scheduledOn: row.scheduled_on,
    code: a.code as AnomalyView['code'],
    detail: (parse(a.detail) ?? {}) as AnomalyView['detail'],
    status: a.status as AnomalyView['status'],
    resolutionCode: a.resolution_code as AnomalyView['resolutionCode'],
    resolutionNote: a.resolution_note,
    resolvedByName: nameOf(a.resolved_by),
    resolvedAt: a.resolved_at,
    reviewNote: a.review_note,
    reviewedByName: nameOf(a.reviewed_by),
    reviewedAt: a.reviewed_at,
    raisedAt: a.raised_at,
  }));
  const itemsDone = parse(row.items_done);
  const c = (await latestCorrections(db, [id])).get(id);
  const correctorName = c ? ((await displayNames(db, [c.by])).get(c.by) ?? String(c.by)) : '';
  return {
    ...item!,
    note: row.note,
    checkIn: row.check_in_at ? { at: row.check_in_at, distanceM: row.check_in_distance_m, accuracyM: row.check_in_accuracy_m } : null,
    checkOut: row.check_out_at ? { at: row.check_out_at, distanceM: row.check_out_distance_m, accuracyM: row.check_out_accuracy_m } : null,
    itemsDone: Array.isArray(itemsDone) ? itemsDone.map(String) : [],
    eventId: row.event_id,
    photos,
    confirmedKind: confirmed,
    anomalies,
    history: lines,
    ratingBy: row.rating_by,
    ratedAt: row.rated_at,
    cancelReason: row.cancel_reason,
    correction: c
      ? { id: c.id, checkInAt: c.checkInAt, checkOutAt: c.checkOutAt, itemsDone: c.itemsDone, reason: c.reason, byName: correctorName, at: c.at }
      : null,
  };
}

/** GET /api/services/orders/:id (and the answer of every change): the order in full, audited (the person is named). */
export function orderDetail(ctx: AppContext, scope: Scope, id: number): Promise<OrderDetail> {
  requireAction(scope, 'services.read');
  return orderAnswer(ctx, scope, id);
}

/**
 * The order in full as the answer of a change the scope was allowed to make (its action checked by
 * the caller): a caregiver, who may not read orders (services.read), is answered the order they
 * just checked in, out or had rated — orderInScope keeps them to their own. Audited like a read.
 */
export function orderAnswer(ctx: AppContext, scope: Scope, id: number): Promise<OrderDetail> {
  return auditedRead(
    ctx.db,
    scope,
    (trx) => orderDetailIn(ctx, trx, scope, id),
    (d) => ({ action: 'services.order_read', entityType: 'service_order', entityId: id, regionCode: d.regionCode, persons: [d.personId] }),
  );
}

/** GET /api/services/orders: the scope's orders, newest scheduled first (audited: the persons shown). */
export function listOrders(ctx: AppContext, scope: Scope, f: OrdersQuery): Promise<OrdersReply> {
  requireAction(scope, 'services.read');
  let s = scope;
  if (f.regionCode) {
    const r = ctx.regions.get(f.regionCode);
    s = r ? narrowScope(scope, r.code, r.prefix) : nowhere(scope);
  }
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = scopedRows(trx.selectFrom('service_orders'), s, 'service_orders');
      if (f.period) q = q.where('period', '=', f.period);
      if (f.providerId) q = q.where('provider_id', '=', f.providerId);
      if (f.status) q = q.where('status', '=', f.status);
      if (f.personId) q = q.where('person_id', '=', f.personId);
      if (f.caregiverId) q = q.where('caregiver_id', '=', f.caregiverId);
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('scheduled_on', 'desc')
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return { items: await orderItems(ctx, trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'services.orders_read', entityType: 'service_order', persons: r.items.map((i) => i.personId), detail: { filter: { ...f } } }),
  );
}

/* ---- changes before check-in, and the rating ---- */

function beforeCheckIn(row: ServiceOrderRow): void {
  if (row.status === 'cancelled') throw new AppError('SERVICE_ORDER_CANCELLED', { id: row.id, on: today(new Date(row.updated_at)) });
  if (row.status !== 'created' && row.status !== 'assigned') throw new AppError('SERVICE_ORDER_STARTED', { id: row.id });
}

/** POST /api/services/orders/:id/assign: to an active caregiver of the order's provider, before check-in (again: reassigned). */
export async function assignOrder(ctx: AppContext, scope: Scope, id: number, body: AssignBody): Promise<OrderDetail> {
  requireAction(scope, 'services.order');
  await orderTransaction(ctx, async (trx) => {
    const row = await orderInScope(trx, scope, id);
    beforeCheckIn(row);
    const cg = await caregiverById(trx, body.caregiverId);
    if (!cg || cg.provider_id !== row.provider_id || !cg.active)
      throw new AppError('SERVICE_CAREGIVER_OTHER_PROVIDER', { caregiverId: body.caregiverId, orderId: id, providerId: row.provider_id });
    if (row.caregiver_id === cg.id && row.status === 'assigned') return;
    const at = nowIso();
    const done = await trx
      .updateTable('service_orders')
      .set({ status: 'assigned', caregiver_id: cg.id, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['created', 'assigned'])
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('SERVICE_ORDER_STARTED', { id });
    const action: 'assigned' | 'reassigned' = row.caregiver_id === null ? 'assigned' : 'reassigned';
    const detail = { from: row.caregiver_id, to: cg.id };
    await appendHistory(trx, id, action, detail, scope.userId ?? 0);
    await recordAudit(trx, scope, { action: `services.order_${action}`, entityType: 'service_order', entityId: id, regionCode: row.region_code, detail });
  });
  return orderDetail(ctx, scope, id);
}

/** POST /api/services/orders/:id/cancel: before check-in only; the entitlement drawn is released (cancelled orders are not counted). */
export async function cancelOrder(ctx: AppContext, scope: Scope, id: number, body: CancelBody): Promise<OrderDetail> {
  requireAction(scope, 'services.order');
  await orderTransaction(ctx, async (trx) => {
    const row = await orderInScope(trx, scope, id);
    beforeCheckIn(row);
    const at = nowIso();
    const done = await trx
      .updateTable('service_orders')
      .set({ status: 'cancelled', cancel_reason: body.reason, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['created', 'assigned'])
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('SERVICE_ORDER_STARTED', { id });
    const detail = { from: row.status, reason: body.reason, releasedFen: row.entitled_fen };
    await appendHistory(trx, id, 'cancelled', detail, scope.userId ?? 0);
    await recordAudit(trx, scope, {
      action: 'services.order_cancel',
      entityType: 'service_order',
      entityId: id,
      regionCode: row.region_code,
      detail: { from: row.status, releasedFen: row.entitled_fen },
    });
  });
  return orderDetail(ctx, scope, id);
}

/** POST /api/services/orders/:id/rate: the elder's or family's rating, once, after check-out. */
export async function rateOrder(ctx: AppContext, scope: Scope, id: number, body: RateBody): Promise<OrderDetail> {
  requireAction(scope, 'services.rate');
  await orderTransaction(ctx, async (trx) => {
    const row = await orderInScope(trx, scope, id);
    if (row.status === 'cancelled') throw new AppError('SERVICE_ORDER_CANCELLED', { id, on: today(new Date(row.updated_at)) });
    const at = nowIso();
    const done = await trx
      .updateTable('service_orders')
      .set({ status: 'rated', rating: body.rating, rating_by: body.by, rated_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'checked_out')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('SERVICE_ORDER_NOT_RATEABLE', { id });
    const detail = { rating: body.rating, by: body.by, ...(body.note ? { note: body.note } : {}) };
    await appendHistory(trx, id, 'rated', detail, scope.userId ?? 0);
    await recordAudit(trx, scope, {
      action: 'services.order_rate',
      entityType: 'service_order',
      entityId: id,
      regionCode: row.region_code,
      detail: { rating: body.rating, by: body.by },
    });
  });
  return orderAnswer(ctx, scope, id);
}
