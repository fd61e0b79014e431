import { createHash } from 'node:crypto';
import type { CompiledQuery, Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, periodBounds, today } from '../../platform/time.js';
import { eventsOf } from '../care-events/care-events.service.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { ownProvider } from './access.js';
import { redetect } from './anomalies.js';
import type { SettlementDetail, SettlementHeader, SettlementItem, SettlementLineView, SettlementsReply } from './settlement.schema.js';
import { statementXlsx, type MonthTotals, type StatementLayout } from './settlement.xlsx.js';
import type { ServiceProviderRow, ServiceSettlementRow } from './services.tables.js';
import { providerInScope } from './providers.js';
import { underServed } from './visits-per-month.js';

/**
 * A provider's monthly settlement (issue 17). The month of a provider is its orders scheduled in
 * the period and not cancelled; each order gives one line:
 *
 * - pending (amount 0, not counted): the month has not ended (Beijing) and the order, not checked
 *   out, is scheduled today or later — not yet due, so neither rejected nor held (未完成，不计入);
 *   a closed month never has one (it closes only after it ended, and closeMonth asserts it);
 * - rejected (amount 0): the order never checked out (`not_completed`; once its day has passed or
 *   its month has ended), its verified event was
 *   voided (`event_voided`), an anomaly was reviewed 'rejected' (its code) or resolved
 *   'not_performed' by the provider itself (its code);
 * - held (amount 0): an anomaly is open or resolved and not yet reviewed (its code), or the
 *   feedback call says the care was not given (`feedback_not_given`) — worker protection: an
 *   exception never cuts pay by itself, it holds the line until an officer decides, and a line
 *   accepted after its month closed is paid as an adjustment of a later month;
 * - accepted: amount = the order's entitled_fen (what the entitlement pays; the elder's self-paid
 *   part, self_paid_fen, is between the elder and the provider: each line shows it as selfPaidFen,
 *   so a line accepted at 0.00 reads 全部自费).
 *
 * The month's held amount (heldFen) is Σ entitled_fen of its held lines: not payable now, paid by
 * an adjustment of a later month once an officer clears it.
 *
 * A closed month is never recomputed: its lines are frozen in service_settlement_lines.
 */

export type LineOutcome = 'accepted' | 'rejected' | 'held' | 'pending';

/** Reason codes a line carries besides the anomaly codes. */
export const LINE_REASONS = ['not_completed', 'event_voided', 'feedback_not_given'] as const;

/** One order's line in a month, computed from the order, its anomalies, its event and its feedback call. */
export interface ComputedLine {
  orderId: number;
  personId: number;
  itemId: number;
  caregiverId: number | null;
  scheduledOn: string;
  /** the order's region (the served person's village when ordered) */
  regionCode: string;
  outcome: LineOutcome;
  /** the codes that decided the outcome: anomaly codes, 'not_completed', 'event_voided', 'feedback_not_given'; [] when accepted cleanly */
  reasons: string[];
  /** fen; 0 unless accepted */
  amountFen: number;
  /** the order's entitled_fen (what an accepted line pays; a held line's held amount) */
  entitledFen: number;
  /** the order's self_paid_fen: the elder's own part, not in the settlement */
  selfPaidFen: number;
}

export interface ComputedMonth {
  providerId: number;
  period: string;
  /** ordered by scheduled date, then order id */
  lines: ComputedLine[];
  accepted: number;
  rejected: number;
  held: number;
  /** lines not yet due (an open month only) */
  pending: number;
  /** Σ amount of the accepted lines (adjustments of earlier closed months not included) */
  acceptedFen: number;
  /** Σ entitled_fen of the held lines */
  heldFen: number;
}

const DONE = new Set(['checked_out', 'rated']);

/**
 * The month of one provider as it stands now: one line per order scheduled in `period` that is not
 * cancelled (see the rules above), with the counts and the accepted sum. Reads the services tables
 * only (plus care-events' voided ones among the month's events): three queries, and one per 500
 * orders with a verified event for the voided check,
 * no unsealing: fit for the benchmark's 1,000,000 orders. It does NOT run the anomaly detection:
 * callers that want fresh anomalies (the routes) run anomalies' redetect first. Writes nothing.
 * `on` is the day it is (Beijing): an order not checked out of a month not ended and scheduled on
 * or after it is pending.
 */
export async function computeMonth(ctx: AppContext, db: Executor, providerId: number, period: string, on: string = today()): Promise<ComputedMonth> {
  const open = !monthEnded(period, on);
  // rows as arrays (SQLite: no row objects from the driver; the raw handle reads inside a
  // transaction too, one connection); PostgreSQL reads through `db`, which may be a transaction
  const arrays = async (q: { compile(): CompiledQuery; execute(): Promise<object[]> }): Promise<unknown[][]> =>
    ctx.handle.dialect === 'sqlite' ? ctx.handle.selectArrays(q.compile()) : (await q.execute()).map((r) => Object.values(r));
  const rows = await arrays(
    db
      .selectFrom('service_orders')
      .select(['id', 'person_id', 'item_id', 'caregiver_id', 'scheduled_on', 'region_code', 'status', 'entitled_fen', 'event_id', 'self_paid_fen'])
      .where('provider_id', '=', providerId)
      .where('period', '=', period)
      .where('status', '!=', 'cancelled'),
  );
  // by service date, then order id: all dates are of one month, so day × 2³¹ + id orders them
  // (sorted here on a number: cheaper than the database's sort on two columns)
  const keyed = rows.map((r) => ({ r, k: Number((r[4] as string).slice(8, 10)) * 2_147_483_648 + Number(r[0]) }));
  keyed.sort((a, b) => a.k - b.k);
  const anomalies = await arrays(
    db
      .selectFrom('service_anomalies')
      .innerJoin('service_orders', 'service_orders.id', 'service_anomalies.order_id')
      .select(['service_anomalies.order_id', 'service_anomalies.code', 'service_anomalies.status', 'service_anomalies.resolution_code'])
      .where('service_orders.provider_id', '=', providerId)
      .where('service_orders.period', '=', period),
  );
  const notGiven = await arrays(
    db
      .selectFrom('service_feedback_calls')
      .select('order_id')
      .where('provider_id', '=', providerId)
      .where('period', '=', period)
      .where('outcome', '=', 'not_given'),
  );
  // the voided ones among the month's verified events: looked up by the care-events index on
  // (source, source_id) for the orders that have an event, 500 at a time (voided ones are few)
  const withEvent: number[] = [];
  for (const r of rows) if (r[8] !== null) withEvent.push(Number(r[0]));
  const voided = new Set<number>();
  for (let i = 0; i < withEvent.length; i += 500)
    for (const e of await eventsOf(db, { source: 'services', sourceIds: withEvent.slice(i, i + 500), status: 'voided' })) voided.add(e.id);

  const rejectedBy = new Map<number, string[]>();
  const heldBy = new Map<number, string[]>();
  const push = (m: Map<number, string[]>, id: number, code: string) => {
    const list = m.get(id);
    if (list) list.push(code);
    else m.set(id, [code]);
  };
  for (const [orderId, code, status, resolution] of anomalies) {
    if (status === 'rejected' || resolution === 'not_performed') push(rejectedBy, Number(orderId), code as string);
    else if (status === 'open' || status === 'resolved') push(heldBy, Number(orderId), code as string);
  }
  for (const [orderId] of notGiven) push(heldBy, Number(orderId), 'feedback_not_given');

  const lines: ComputedLine[] = new Array(keyed.length);
  let accepted = 0;
  let rejected = 0;
  let held = 0;
  let pending = 0;
  let acceptedFen = 0;
  let heldFen = 0;
  for (let i = 0; i < keyed.length; i++) {
    const r = keyed[i]!.r;
    const id = Number(r[0]);
    const status = r[6] as string;
    const eventId = r[8] === null ? null : Number(r[8]);
    let outcome: LineOutcome;
    let reasons: string[];
    if (!DONE.has(status) && open && (r[4] as string) >= on) {
      outcome = 'pending';
      reasons = [];
    } else if (!DONE.has(status)) {
      outcome = 'rejected';
      reasons = ['not_completed'];
    } else if (eventId !== null && voided.has(eventId)) {
      outcome = 'rejected';
      reasons = ['event_voided', ...(rejectedBy.get(id) ?? [])];
    } else if (rejectedBy.has(id)) {
      outcome = 'rejected';
      reasons = rejectedBy.get(id)!;
    } else if (heldBy.has(id)) {
      outcome = 'held';
      reasons = heldBy.get(id)!;
    } else {
      outcome = 'accepted';
      reasons = [];
    }
    if (reasons.length > 1) reasons.sort();
    const entitledFen = Number(r[7]);
    const amountFen = outcome === 'accepted' ? entitledFen : 0;
    if (outcome === 'accepted') {
      accepted++;
      acceptedFen += amountFen;
    } else if (outcome === 'rejected') rejected++;
    else if (outcome === 'held') {
      held++;
      heldFen += entitledFen;
    } else pending++;
    lines[i] = {
      orderId: id,
      personId: Number(r[1]),
      itemId: Number(r[2]),
      caregiverId: r[3] === null ? null : Number(r[3]),
      scheduledOn: r[4] as string,
      regionCode: r[5] as string,
      outcome,
      reasons,
      amountFen,
      entitledFen,
      selfPaidFen: Number(r[9]),
    };
  }
  return { providerId, period, lines, accepted, rejected, held, pending, acceptedFen, heldFen };
}

// ---- adjustments, the month as shown, closing ----

/** A line of a month as the routes and the statement show it: an order's outcome, or an adjustment of an earlier closed month. */
export interface LineFacts {
  orderId: number;
  personId: number;
  itemId: number;
  caregiverId: number | null;
  scheduledOn: string;
  regionCode: string;
  outcome: LineOutcome | 'adjustment';
  reasons: string[];
  amountFen: number;
  /** the order's entitled_fen and self_paid_fen (for the held amount and the elder's part) */
  entitledFen: number;
  selfPaidFen: number;
  adjustsPeriod: string | null;
}

const asFacts = (l: ComputedLine): LineFacts => ({ ...l, adjustsPeriod: null });

/**
 * The adjustments closing `period` would add now: for every earlier CLOSED month of the provider,
 * each order whose amount as computed today differs from the sum of the lines already settled for
 * it (its own line and the adjustments since). The adjustment carries the difference (negative
 * when a paid line is now rejected), the month it corrects, and as reasons the order's outcome now
 * followed by its codes.
 */
export async function pendingAdjustments(ctx: AppContext, db: Executor, providerId: number, period: string): Promise<LineFacts[]> {
  const closed = await db
    .selectFrom('service_settlements')
    .select('period')
    .where('provider_id', '=', providerId)
    .where('status', '=', 'closed')
    .where('period', '<', period)
    .orderBy('period')
    .execute();
  const out: LineFacts[] = [];
  for (const { period: q } of closed) {
    const settled = await db
      .selectFrom('service_settlement_lines')
      .innerJoin('service_settlements', 'service_settlements.id', 'service_settlement_lines.settlement_id')
      .select(['service_settlement_lines.order_id', 'service_settlement_lines.amount_fen'])
      .where('service_settlements.provider_id', '=', providerId)
      .where('service_settlements.status', '=', 'closed')
      .where((eb) =>
        eb.or([
          eb.and([eb('service_settlements.period', '=', q), eb('service_settlement_lines.adjusts_period', 'is', null)]),
          eb('service_settlement_lines.adjusts_period', '=', q),
        ]),
      )
      .execute();
    const paid = new Map<number, number>();
    for (const r of settled) paid.set(r.order_id, (paid.get(r.order_id) ?? 0) + r.amount_fen);
    const now = await computeMonth(ctx, db, providerId, q);
    const seen = new Set<number>();
    for (const l of now.lines) {
      seen.add(l.orderId);
      const diff = l.amountFen - (paid.get(l.orderId) ?? 0);
      if (diff !== 0) out.push({ ...l, outcome: 'adjustment', reasons: [l.outcome, ...l.reasons], amountFen: diff, adjustsPeriod: q });
    }
    // an order settled then that is no longer in its month (cancelled since): nothing is due for it now
    const gone = [...paid].filter(([id, fen]) => !seen.has(id) && fen !== 0).map(([id]) => id);
    if (gone.length) {
      const rows = await db
        .selectFrom('service_orders')
        .select(['id', 'person_id', 'item_id', 'caregiver_id', 'scheduled_on', 'region_code', 'entitled_fen', 'self_paid_fen'])
        .where('id', 'in', gone)
        .execute();
      for (const o of rows) {
        out.push({
          orderId: o.id,
          personId: o.person_id,
          itemId: o.item_id,
          caregiverId: o.caregiver_id,
          scheduledOn: o.scheduled_on,
          regionCode: o.region_code,
          outcome: 'adjustment',
          reasons: ['cancelled'],
          amountFen: -(paid.get(o.id) ?? 0),
          entitledFen: o.entitled_fen,
          selfPaidFen: o.self_paid_fen,
          adjustsPeriod: q,
        });
      }
    }
  }
  return out;
}

/** The frozen lines of a closed month, in the order they were written. */
export async function frozenLines(db: Executor, settlementId: number): Promise<LineFacts[]> {
  const rows = await db
    .selectFrom('service_settlement_lines')
    .innerJoin('service_orders', 'service_orders.id', 'service_settlement_lines.order_id')
    .select([
      'service_settlement_lines.order_id',
      'service_settlement_lines.outcome',
      'service_settlement_lines.reasons',
      'service_settlement_lines.amount_fen',
      'service_settlement_lines.adjusts_period',
      'service_orders.person_id',
      'service_orders.item_id',
      'service_orders.caregiver_id',
      'service_orders.scheduled_on',
      'service_orders.region_code',
      'service_orders.entitled_fen',
      'service_orders.self_paid_fen',
    ])
    .where('service_settlement_lines.settlement_id', '=', settlementId)
    .orderBy('service_settlement_lines.id')
    .execute();
  return rows.map((r) => ({
    orderId: r.order_id,
    personId: r.person_id,
    itemId: r.item_id,
    caregiverId: r.caregiver_id,
    scheduledOn: r.scheduled_on,
    regionCode: r.region_code,
    outcome: r.outcome as LineFacts['outcome'],
    reasons: JSON.parse(r.reasons) as string[],
    amountFen: r.amount_fen,
    entitledFen: r.entitled_fen,
    selfPaidFen: r.self_paid_fen,
    adjustsPeriod: r.adjusts_period,
  }));
}

export type { MonthTotals };

export function totalsOf(lines: readonly LineFacts[]): MonthTotals {
  const t: MonthTotals = { accepted: 0, rejected: 0, held: 0, pending: 0, adjustments: 0, acceptedFen: 0, heldFen: 0, adjustmentsFen: 0, payableFen: 0 };
  for (const l of lines) {
    if (l.outcome === 'adjustment') {
      t.adjustments++;
      t.adjustmentsFen += l.amountFen;
    } else {
      t[l.outcome]++;
      if (l.outcome === 'accepted') t.acceptedFen += l.amountFen;
      else if (l.outcome === 'held') t.heldFen += l.entitledFen;
    }
  }
  t.payableFen = t.acceptedFen + t.adjustmentsFen;
  return t;
}

/** The month as it stands: frozen if closed, else computed now with the adjustments a close would add. */
export async function monthLines(
  ctx: AppContext,
  db: Executor,
  providerId: number,
  period: string,
): Promise<{ settlement: ServiceSettlementRow | null; lines: LineFacts[] }> {
  const settlement =
    (await db.selectFrom('service_settlements').selectAll().where('provider_id', '=', providerId).where('period', '=', period).executeTakeFirst()) ?? null;
  if (settlement?.status === 'closed') return { settlement, lines: await frozenLines(db, settlement.id) };
  const month = await computeMonth(ctx, db, providerId, period);
  return { settlement, lines: [...month.lines.map(asFacts), ...(await pendingAdjustments(ctx, db, providerId, period))] };
}

/** Whether the month has ended, Beijing time (a month is closed only after its last day). */
export function monthEnded(period: string, on: string = today()): boolean {
  return periodBounds(period).end < on;
}

/**
 * Closes a provider's month: computes it one last time (after the caller's redetect), adds the
 * adjustments of earlier closed months, freezes every line in service_settlement_lines, and keeps
 * the SHA-256 of the statement built from the frozen lines. `statement` builds the XLSX bytes from
 * the frozen month (settlement.xlsx.ts) inside the same transaction. Two closes at once: one wins,
 * the other gets SERVICE_SETTLEMENT_CLOSED.
 */
export async function closeMonth(
  ctx: AppContext,
  scope: Scope,
  provider: ServiceProviderRow,
  period: string,
  statement: (trx: Transaction<Database>, settlement: ServiceSettlementRow, lines: LineFacts[]) => Promise<Buffer>,
): Promise<ServiceSettlementRow> {
  if (!monthEnded(period)) throw new AppError('SERVICE_SETTLEMENT_NOT_ENDED', { period, end: periodBounds(period).end });
  return ctx.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('service_settlements')
      .selectAll()
      .where('provider_id', '=', provider.id)
      .where('period', '=', period)
      .executeTakeFirst();
    if (existing?.status === 'closed') throw new AppError('SERVICE_SETTLEMENT_CLOSED', { provider: provider.name, period, closedAt: existing.closed_at ?? '' });
    const month = await computeMonth(ctx, trx, provider.id, period);
    // the month has ended: nothing can be pending any more (computeMonth rejects what was not done)
    if (month.pending !== 0) throw new Error(`settlement ${provider.id}/${period}: ${month.pending} pending lines at close`);
    const lines = [...month.lines.map(asFacts), ...(await pendingAdjustments(ctx, trx, provider.id, period))];
    const t = totalsOf(lines);
    const at = nowIso();
    const values = {
      status: 'closed',
      accepted: t.accepted,
      rejected: t.rejected,
      held: t.held,
      payable_fen: t.payableFen,
      adjustments_fen: t.adjustmentsFen,
      closed_by: scope.userId,
      closed_at: at,
    };
    let id: number;
    if (existing) {
      const r = await trx.updateTable('service_settlements').set(values).where('id', '=', existing.id).where('status', '=', 'open').executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new AppError('SERVICE_SETTLEMENT_CLOSED', { provider: provider.name, period, closedAt: at });
      id = existing.id;
    } else {
      const r = await trx
        .insertInto('service_settlements')
        .values({ provider_id: provider.id, period, ...values })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = r.id;
    }
    const rows = lines.map((l) => ({
      settlement_id: id,
      order_id: l.orderId,
      outcome: l.outcome,
      reasons: JSON.stringify(l.reasons),
      amount_fen: l.amountFen,
      adjusts_period: l.adjustsPeriod,
    }));
    for (let i = 0; i < rows.length; i += 5_000) await ctx.handle.insertMany(trx, 'service_settlement_lines', rows.slice(i, i + 5_000));
    const row = await trx.selectFrom('service_settlements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const bytes = await statement(trx, row, await frozenLines(trx, id));
    const sha = createHash('sha256').update(bytes).digest('hex');
    await trx.updateTable('service_settlements').set({ statement_sha256: sha }).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'services.settlement_closed',
      entityType: 'service_settlement',
      entityId: id,
      regionCode: provider.region_code,
      detail: { providerId: provider.id, period, ...t, statementSha256: sha },
    });
    return { ...row, statement_sha256: sha };
  });
}

// ---- what the routes answer ----

/** Names of the lines' persons, items and caregivers: the lines as the console and the statement show them. */
export async function labelLines(db: Executor, lines: readonly LineFacts[]): Promise<SettlementLineView[]> {
  const persons = await personLabels(
    db,
    lines.map((l) => l.personId),
  );
  const itemIds = [...new Set(lines.map((l) => l.itemId))];
  const items = new Map<number, string>();
  for (let i = 0; i < itemIds.length; i += 500)
    for (const r of await db
      .selectFrom('service_items')
      .select(['id', 'name_zh'])
      .where('id', 'in', itemIds.slice(i, i + 500))
      .execute())
      items.set(r.id, r.name_zh);
  const cgIds = [...new Set(lines.map((l) => l.caregiverId).filter((v): v is number => v !== null))];
  const caregivers = new Map<number, string>();
  for (let i = 0; i < cgIds.length; i += 500)
    for (const r of await db
      .selectFrom('service_caregivers')
      .select(['id', 'name'])
      .where('id', 'in', cgIds.slice(i, i + 500))
      .execute())
      caregivers.set(r.id, r.name);
  return lines.map((l) => ({
    orderId: l.orderId,
    personId: l.personId,
    personName: persons.get(l.personId)?.name ?? '',
    itemNameZh: items.get(l.itemId) ?? '',
    scheduledOn: l.scheduledOn,
    caregiverName: l.caregiverId === null ? null : (caregivers.get(l.caregiverId) ?? null),
    outcome: l.outcome,
    reasons: l.reasons,
    amountFen: l.amountFen,
    selfPaidFen: l.selfPaidFen,
    adjustsPeriod: l.adjustsPeriod,
  }));
}

interface FeedbackFigures {
  sample: number;
  calls: number;
  notGiven: number;
}

async function feedbackFigures(db: Executor, providerIds: readonly number[], period: string): Promise<Map<number, FeedbackFigures>> {
  const out = new Map<number, FeedbackFigures>();
  if (!providerIds.length) return out;
  const rows = await db
    .selectFrom('service_feedback_calls')
    .select(['provider_id', 'outcome', (eb) => eb.fn.countAll<number>().as('n')])
    .where('period', '=', period)
    .where('provider_id', 'in', [...providerIds])
    .groupBy(['provider_id', 'outcome'])
    .execute();
  for (const r of rows) {
    const f = out.get(r.provider_id) ?? { sample: 0, calls: 0, notGiven: 0 };
    const n = Number(r.n);
    f.sample += n;
    if (r.outcome !== 'pending') f.calls += n;
    if (r.outcome === 'not_given') f.notGiven += n;
    out.set(r.provider_id, f);
  }
  return out;
}

/**
 * Fresh anomalies before a month is read or closed: anomalies' batch redetect over the month (of
 * one provider, if given). Outside computeMonth on purpose: the bench times detection and
 * computeMonth separately.
 */
export async function redetectFirst(ctx: AppContext, period: string, providerId?: number): Promise<void> {
  await redetect(ctx, providerId === undefined ? { period } : { period, providerId });
}

/** GET /services/settlements?period=: each provider in scope with its month (closed: as frozen; open: as it stands now). */
export async function listSettlements(ctx: AppContext, scope: Scope, period: string): Promise<SettlementsReply> {
  // the stored exceptions (raised at check-in/out and by the daily pass, daily.ts): detecting a
  // whole month on every view would take seconds at a city's scale; a provider's month is detected
  // again when it is opened, exported or closed
  const own = ownProvider(scope);
  let q = ctx.db.selectFrom('service_providers').selectAll();
  q = own !== null ? q.where('id', '=', own) : q.where(inRegion(scope, 'service_providers.region_code'));
  const providers = await q.orderBy('name').orderBy('id').execute();
  const settlements = new Map(
    (
      await ctx.db
        .selectFrom('service_settlements')
        .selectAll()
        .where('period', '=', period)
        .where('provider_id', 'in', providers.map((p) => p.id).concat(-1))
        .execute()
    ).map((s) => [s.provider_id, s]),
  );
  const withOrders = new Set(
    (
      await ctx.db
        .selectFrom('service_orders')
        .select('provider_id')
        .distinct()
        .where('period', '=', period)
        .where('provider_id', 'in', providers.map((p) => p.id).concat(-1))
        .execute()
    ).map((r) => r.provider_id),
  );
  const shown = providers.filter((p) => p.active || settlements.has(p.id) || withOrders.has(p.id));
  const fb = await feedbackFigures(
    ctx.db,
    shown.map((p) => p.id),
    period,
  );
  const items: SettlementItem[] = [];
  for (const p of shown) {
    const s = settlements.get(p.id);
    let t: MonthTotals;
    if (s?.status === 'closed') {
      const adj = await ctx.db
        .selectFrom('service_settlement_lines')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('settlement_id', '=', s.id)
        .where('outcome', '=', 'adjustment')
        .executeTakeFirstOrThrow();
      // the held amount: the held lines' orders' entitled_fen (not kept on the settlement row)
      const heldSum = await ctx.db
        .selectFrom('service_settlement_lines')
        .innerJoin('service_orders', 'service_orders.id', 'service_settlement_lines.order_id')
        .select((eb) => eb.fn.sum<number | string | null>('service_orders.entitled_fen').as('fen'))
        .where('service_settlement_lines.settlement_id', '=', s.id)
        .where('service_settlement_lines.outcome', '=', 'held')
        .executeTakeFirstOrThrow();
      t = {
        accepted: s.accepted,
        rejected: s.rejected,
        held: s.held,
        pending: 0,
        heldFen: Number(heldSum.fen ?? 0),
        adjustments: Number(adj.n),
        acceptedFen: s.payable_fen - s.adjustments_fen,
        adjustmentsFen: s.adjustments_fen,
        payableFen: s.payable_fen,
      };
    } else t = totalsOf((await monthLines(ctx, ctx.db, p.id, period)).lines);
    const f = fb.get(p.id) ?? { sample: 0, calls: 0, notGiven: 0 };
    items.push({
      providerId: p.id,
      providerName: p.name,
      status: s?.status === 'closed' ? 'closed' : 'open',
      accepted: t.accepted,
      rejected: t.rejected,
      held: t.held,
      heldFen: t.heldFen,
      pending: t.pending,
      adjustments: t.adjustments,
      payableFen: t.payableFen,
      closedAt: s?.status === 'closed' ? s.closed_at : null,
      ...f,
    });
  }
  return { period, items };
}

async function headerOf(
  ctx: AppContext,
  db: Executor,
  provider: ServiceProviderRow,
  period: string,
  settlement: ServiceSettlementRow | null,
  lines: readonly LineFacts[],
): Promise<SettlementHeader> {
  const t = totalsOf(lines);
  const f = (await feedbackFigures(db, [provider.id], period)).get(provider.id) ?? { sample: 0, calls: 0, notGiven: 0 };
  const closed = settlement?.status === 'closed';
  const closer = closed ? (await displayNames(db, [settlement.closed_by])).get(settlement.closed_by ?? -1) : undefined;
  return {
    providerId: provider.id,
    providerName: provider.name,
    period,
    status: closed ? 'closed' : 'open',
    accepted: t.accepted,
    rejected: t.rejected,
    held: t.held,
    heldFen: t.heldFen,
    pending: t.pending,
    adjustments: t.adjustments,
    acceptedFen: t.acceptedFen,
    adjustmentsFen: t.adjustmentsFen,
    payableFen: t.payableFen,
    closedAt: closed ? settlement.closed_at : null,
    closedByName: closer ?? null,
    statementSha256: closed ? settlement.statement_sha256 : null,
    closable: !closed && monthEnded(period),
    underServed: monthEnded(period) ? await underServed(ctx, db, provider.id, period) : [],
    ...f,
  };
}

/** GET /services/settlements/:providerId/:period: the header and every line with names (an audited read). */
export async function settlementDetail(ctx: AppContext, scope: Scope, providerId: number, period: string): Promise<SettlementDetail> {
  const provider = await providerInScope(ctx.db, scope, providerId);
  await redetectFirst(ctx, period, providerId);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const { settlement, lines } = await monthLines(ctx, trx, providerId, period);
      return { header: await headerOf(ctx, trx, provider, period, settlement, lines), lines: await labelLines(trx, lines) };
    },
    (r) => ({
      action: 'services.settlement_read',
      entityType: 'service_provider',
      entityId: providerId,
      regionCode: provider.region_code,
      detail: { period, lines: r.lines.length },
      persons: r.lines.map((l) => l.personId),
    }),
  );
}

/** The statement's bytes for a month read in `db` (frozen lines if closed). */
async function buildStatement(
  ctx: AppContext,
  db: Executor,
  provider: ServiceProviderRow,
  period: string,
  settlement: ServiceSettlementRow | null,
  lines: LineFacts[],
  layout: StatementLayout = 2,
) {
  return statementXlsx(
    {
      county: ctx.regions.jurisdictionOf(provider.region_code)?.name ?? '',
      providerName: provider.name,
      period,
      closed: settlement?.status === 'closed',
      closedAt: settlement?.status === 'closed' ? settlement.closed_at : null,
      lines: await labelLines(db, lines),
      totals: totalsOf(lines),
    },
    layout,
  );
}

/** GET …/statement.xlsx: the closed month rebuilt from its frozen lines (the same bytes as at close), or the open month's draft; audited. */
export async function statementFile(
  ctx: AppContext,
  scope: Scope,
  providerId: number,
  period: string,
): Promise<{ fileName: string; body: Buffer; sha256: string }> {
  const provider = await providerInScope(ctx.db, scope, providerId);
  await redetectFirst(ctx, period, providerId);
  return ctx.db.transaction().execute(async (trx) => {
    const { settlement, lines } = await monthLines(ctx, trx, providerId, period);
    const closed = settlement?.status === 'closed';
    let body = await buildStatement(ctx, trx, provider, period, settlement, lines);
    let sha256 = createHash('sha256').update(body).digest('hex');
    // a month closed before the statement gained the self-paid column and the held amount: its
    // hash is of the first layout, which is rebuilt as it was
    if (closed && sha256 !== settlement.statement_sha256) {
      const v1 = await buildStatement(ctx, trx, provider, period, settlement, lines, 1);
      const v1sha = createHash('sha256').update(v1).digest('hex');
      if (v1sha === settlement.statement_sha256) [body, sha256] = [v1, v1sha];
    }
    await recordAudit(trx, scope, {
      action: 'services.settlement_exported',
      entityType: 'service_provider',
      entityId: providerId,
      regionCode: provider.region_code,
      detail: {
        period,
        closed,
        lines: lines.length,
        sha256,
        matchesClose: closed ? sha256 === settlement.statement_sha256 : null,
        persons: [...new Set(lines.map((l) => l.personId))],
      },
    });
    return { fileName: `${provider.name}-${period}-结算单${closed ? '' : '（草稿）'}.xlsx`, body, sha256 };
  });
}

/** POST …/close (services.settle): redetect, then close the month (closeMonth) with its statement. */
export async function closeSettlement(ctx: AppContext, scope: Scope, providerId: number, period: string): Promise<SettlementHeader> {
  requireAction(scope, 'services.settle');
  const provider = await providerInScope(ctx.db, scope, providerId);
  if (!monthEnded(period)) throw new AppError('SERVICE_SETTLEMENT_NOT_ENDED', { period, end: periodBounds(period).end });
  await redetectFirst(ctx, period, providerId);
  const row = await closeMonth(ctx, scope, provider, period, (trx, s, lines) => buildStatement(ctx, trx, provider, period, s, lines));
  const lines = await frozenLines(ctx.db, row.id);
  return headerOf(ctx, ctx.db, provider, period, row, lines);
}
