import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { mask } from '../../platform/mask.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { personLabels, permittedPersons } from '../register/people.js';
import { createOrder, orderTransaction } from '../services/orders.js';
import { displayNames } from '../users/accounts.js';
import { closeFollowupOfTicket, registerHotlineTicketOpener, type HotlineFollowup } from '../visits/followups.js';
import type { HotlineTicketRow } from './alarms.tables.js';
import { hotlineTargetsOf } from './alarms.settings.js';
import { addDays, scheduleCallback } from './callbacks.js';
import { normalisePhone, personInScope } from './contacts.js';
import { hotlineJurisdictions } from './knowledge.js';
import type {
  CloseTicketBody,
  CreateTicketBody,
  TicketDetail,
  CreatedTicket,
  TicketKind,
  TicketOrderBody,
  TicketOrderReply,
  TicketOutcome,
  TicketsQuery,
  TicketsReply,
  TicketView,
} from './hotline.schema.js';

/**
 * Calls as tickets (工单): a consultation, a service request, a complaint, an emergency. The caller's
 * number is sealed and kept as a keyed hash besides, so the earlier calls of the same number are
 * found without the number being compared or stored in the clear. A complaint is due closed within
 * complaintDays (hotline_targets); closing it schedules a return call (回访). A service request may
 * become a service order (services' createOrder), recorded as the ticket's follow-up.
 */

/** The keyed hash a caller's number is kept as, under a prefix of its own (never matchable against an ID's hash). */
export function callerHash(ctx: Pick<AppContext, 'cipher'>, phone: string): string {
  return ctx.cipher.lookupHash(`hotline-caller:${phone}`);
}

const DAY_MS = 86_400_000;

/** The sealed notes of a ticket: what the operator wrote when the call came in, and at closing. */
interface TicketNotes {
  notes: string | null;
  closeNote: string | null;
}
function notesOf(ctx: AppContext, enc: string | null): TicketNotes {
  if (!enc) return { notes: null, closeNote: null };
  const n = JSON.parse(ctx.cipher.decrypt(enc)) as Partial<TicketNotes>;
  return { notes: n.notes ?? null, closeNote: n.closeNote ?? null };
}
function sealNotes(ctx: AppContext, n: TicketNotes): string | null {
  return n.notes || n.closeNote ? ctx.cipher.encrypt(JSON.stringify(n)) : null;
}

/** A ticket a visit's hotline follow-up opened names it in its follow_up: 'visit_followup:12' (then perhaps ',order:5'). */
const FROM_FOLLOWUP = /(?:^|,)visit_followup:(\d+)(?:,|$)/;
function visitFollowupOf(followUp: string | null): number | null {
  const m = followUp ? FROM_FOLLOWUP.exec(followUp) : null;
  return m ? Number(m[1]) : null;
}

export async function ticketViews(ctx: AppContext, db: Executor, rows: readonly HotlineTicketRow[]): Promise<TicketView[]> {
  const persons = rows.map((r) => r.person_id).filter((id): id is number => id !== null);
  const [labels, operators, articles] = await Promise.all([
    personLabels(db, persons),
    displayNames(
      db,
      rows.map((r) => r.operator_id),
    ),
    articleTitles(
      db,
      rows.map((r) => r.article_id),
    ),
  ]);
  const now = nowIso();
  return rows.map((r) => {
    const p = r.person_id !== null ? labels.get(r.person_id) : undefined;
    return {
      id: r.id,
      kind: r.kind as TicketKind,
      status: r.status as 'open' | 'closed',
      person: r.person_id !== null ? { id: r.person_id, name: p?.name ?? '', idMasked: p?.idMasked ?? '' } : null,
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      callerName: r.caller_name,
      callerPhoneMasked: r.caller_phone_enc ? mask('phone', ctx.cipher.decrypt(r.caller_phone_enc)) : null,
      subject: r.subject,
      alarmId: r.alarm_id,
      articleId: r.article_id,
      articleTitle: r.article_id !== null ? (articles.get(r.article_id) ?? null) : null,
      followUp: r.follow_up,
      visitFollowupId: visitFollowupOf(r.follow_up),
      operator: { id: r.operator_id, name: operators.get(r.operator_id) ?? String(r.operator_id) },
      openedAt: r.opened_at,
      closedAt: r.closed_at,
      dueAt: r.due_at,
      overdue: r.status === 'open' && r.due_at !== null && r.due_at < now,
      outcome: r.outcome as TicketOutcome | null,
    };
  });
}

async function articleTitles(db: Executor, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('hotline_articles').select(['id', 'title']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.title]));
}

/** Tickets in the viewer's region; a ticket about a person the viewer's reach does not cover is left out. */
function ticketsIn(db: Executor, scope: Scope) {
  return db.selectFrom('hotline_tickets').where(inRegion(scope, 'hotline_tickets.region_code'));
}

async function ticketInScope(db: Executor, scope: Scope, id: number): Promise<HotlineTicketRow> {
  const row = await ticketsIn(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('HOTLINE_TICKET_NOT_FOUND', { id });
  if (row.person_id !== null && !(await permittedPersons(db, scope, [row.person_id], { regionChecked: true })).has(row.person_id))
    throw new AppError('HOTLINE_TICKET_NOT_FOUND', { id });
  return row;
}

/** Open tickets about a person, newest first (the summary's; the caller audits). */
export async function openTicketsOf(ctx: AppContext, db: Executor, scope: Scope, personId: number): Promise<TicketView[]> {
  const rows = await ticketsIn(db, scope).selectAll().where('person_id', '=', personId).where('status', '=', 'open').orderBy('id', 'desc').limit(20).execute();
  return ticketViews(ctx, db, rows);
}

/** A complaint ticket as the module that files complaints (../complaints, to the right) is told of it. */
export interface ComplaintTicket {
  id: number;
  regionCode: string;
  personId: number | null;
  subject: string;
  notes: string | null;
  callerName: string | null;
  /** normalised, in memory only: the sink seals it */
  callerPhone: string | null;
  openedAt: string;
}

/**
 * What a module does when a complaint ticket opens, in the ticket's own transaction (complaints files
 * the complaint). It may answer the tracking number the caller is to be told (shown to the operator
 * once, in the reply that records the call; never stored in the clear).
 */
export type ComplaintTicketSink = (
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  ticket: ComplaintTicket,
) => Promise<{ trackingNumber: string } | void>;

const complaintSinks = new Map<string, ComplaintTicketSink>();

/** A module to the right registers here once at start; a name given again replaces the sink. */
export function registerComplaintTicketSink(name: string, sink: ComplaintTicketSink): void {
  complaintSinks.set(name, sink);
}

/** Removes a sink (tests). */
export function unregisterComplaintTicketSink(name: string): void {
  complaintSinks.delete(name);
}

/** POST /api/alarms/hotline/tickets: the call recorded; answers the ticket with the earlier calls of the same number. */
export async function createTicket(ctx: AppContext, scope: Scope, body: CreateTicketBody): Promise<CreatedTicket> {
  requireAction(scope, 'hotline.handle');
  const phone = body.callerPhone !== undefined ? normalisePhone(body.callerPhone, 'callerPhone') : null;
  let complaintTracking: string | null = null;
  const id = await ctx.db.transaction().execute(async (trx) => {
    // the person's region; a call about nobody in particular, the operator's jurisdiction
    const region =
      body.personId !== undefined
        ? (await personInScope(trx, scope, body.personId)).regionCode
        : (ctx.regions.jurisdictionOf(scope.regionCode)?.code ?? scope.regionCode);
    const targets = hotlineTargetsOf(ctx, region);
    if (body.alarmId !== undefined) {
      const alarm = await trx
        .selectFrom('alarms')
        .select(['id', 'person_id'])
        .where('id', '=', body.alarmId)
        .where(inRegion(scope, 'alarms.region_code'))
        .executeTakeFirst();
      if (!alarm) throw new AppError('HOTLINE_ALARM_NOT_FOUND', { id: body.alarmId });
    }
    if (body.articleId !== undefined) await activeArticle(ctx, trx, scope, body.articleId);
    const opened = nowIso();
    const row = await trx
      .insertInto('hotline_tickets')
      .values({
        kind: body.kind,
        status: 'open',
        person_id: body.personId ?? null,
        region_code: region,
        caller_phone_enc: phone !== null ? ctx.cipher.encrypt(phone) : null,
        caller_phone_hash: phone !== null ? callerHash(ctx, phone) : null,
        caller_name: body.callerName ?? null,
        subject: body.subject,
        notes_enc: sealNotes(ctx, { notes: body.notes ?? null, closeNote: null }),
        alarm_id: body.alarmId ?? null,
        article_id: body.articleId ?? null,
        follow_up: null,
        operator_id: scope.userId ?? 0,
        opened_at: opened,
        closed_at: null,
        due_at: body.kind === 'complaint' ? new Date(Date.parse(opened) + targets.complaintDays * DAY_MS).toISOString() : null,
        outcome: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'hotline.ticket_create',
      entityType: 'hotline_ticket',
      entityId: row.id,
      regionCode: region,
      fields: ['subject', ...(phone !== null ? ['callerPhone'] : []), ...(body.notes ? ['notes'] : [])],
      detail: { kind: body.kind, person: body.personId ?? null, alarm: body.alarmId ?? null, article: body.articleId ?? null },
    });
    if (body.kind === 'complaint') {
      const ticket: ComplaintTicket = {
        id: row.id,
        regionCode: region,
        personId: body.personId ?? null,
        subject: body.subject,
        notes: body.notes ?? null,
        callerName: body.callerName ?? null,
        callerPhone: phone,
        openedAt: opened,
      };
      for (const sink of complaintSinks.values()) {
        const filed = await sink(ctx, trx, scope, ticket);
        if (filed) complaintTracking = filed.trackingNumber;
      }
    }
    return row.id;
  });
  return { ...(await ticketDetail(ctx, scope, id)), complaintTracking };
}

/** The kind of ticket a visit's finding asks for: a need or a hazard someone must come for is a service request; the rest a consultation (a call back). */
export function ticketKindOfFinding(finding: string): TicketKind {
  return finding.startsWith('needs.') || finding.startsWith('safety.') ? 'service_request' : 'consultation';
}

/**
 * A visit's hotline follow-up opens a ticket in the hotline's queue (visits' raiseFollowup, in its
 * transaction; registered below): about the person, in their region, its subject the finding, its
 * notes the follow-up's note (sealed), its follow_up 'visit_followup:<id>' (the ticket shows where
 * it came from; the follow-up keeps the ticket's id). No caller: the raiser (a grid worker, a
 * volunteer, an officer) is its operator. The raise's own right let it open (visits.followup_raise),
 * so hotline.handle is not asked. Audited 'hotline.ticket_create' with the follow-up.
 */
export async function openTicketForFollowup(ctx: AppContext, trx: Transaction<Database>, scope: Scope, f: HotlineFollowup): Promise<number> {
  const kind = ticketKindOfFinding(f.finding);
  const row = await trx
    .insertInto('hotline_tickets')
    .values({
      kind,
      status: 'open',
      person_id: f.personId,
      region_code: f.regionCode,
      caller_phone_enc: null,
      caller_phone_hash: null,
      caller_name: null,
      subject: `探访发现：${f.findingWords.zh}（跟进事项 ${f.followupId}）`.slice(0, 200),
      notes_enc: sealNotes(ctx, { notes: f.note, closeNote: null }),
      alarm_id: null,
      article_id: null,
      follow_up: `visit_followup:${f.followupId}`,
      operator_id: scope.userId ?? 0,
      opened_at: nowIso(),
      closed_at: null,
      due_at: null,
      outcome: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, scope, {
    action: 'hotline.ticket_create',
    entityType: 'hotline_ticket',
    entityId: row.id,
    regionCode: f.regionCode,
    fields: ['subject', ...(f.note ? ['notes'] : [])],
    detail: { kind, person: f.personId, fromFollowup: f.followupId, finding: f.finding },
  });
  return row.id;
}

// the hotline's hook into visits: a hotline follow-up opens a ticket (idempotent: one opener)
registerHotlineTicketOpener(openTicketForFollowup);

const OUTCOME_WORDS: Record<TicketOutcome, { zh: string; en: string }> = {
  answered: { zh: '已答复', en: 'answered' },
  referred: { zh: '已转介', en: 'referred' },
  resolved: { zh: '已解决', en: 'resolved' },
  unresolved: { zh: '未解决', en: 'not resolved' },
  unfounded: { zh: '不属实', en: 'unfounded' },
};

/** An answer of the viewer's jurisdictions still in use, or HOTLINE_ARTICLE_NOT_FOUND. */
async function activeArticle(ctx: AppContext, db: Executor, scope: Scope, id: number): Promise<void> {
  const jurisdictions = hotlineJurisdictions(ctx, scope);
  const row = await db
    .selectFrom('hotline_articles')
    .select('id')
    .where('id', '=', id)
    .where('jurisdiction', 'in', jurisdictions.length ? jurisdictions : [''])
    .where('active', '=', 1)
    .executeTakeFirst();
  if (!row) throw new AppError('HOTLINE_ARTICLE_NOT_FOUND', { id });
}

/** GET /api/alarms/hotline/tickets: newest first; audited with the persons shown. */
export function listTickets(ctx: AppContext, scope: Scope, q: TicketsQuery): Promise<TicketsReply> {
  requireAction(scope, 'hotline.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = ticketsIn(trx, scope);
      if (q.status) base = base.where('status', '=', q.status);
      if (q.kind) base = base.where('kind', '=', q.kind);
      if (q.personId) base = base.where('person_id', '=', q.personId);
      if (q.overdue === 'true') base = base.where('status', '=', 'open').where('due_at', 'is not', null).where('due_at', '<', nowIso());
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .selectAll()
        .orderBy('opened_at', 'desc')
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      // a reach-limited viewer (a provider's staff would never have hotline.read; an assigned grid worker might) sees its persons only
      const persons = rows.map((r) => r.person_id).filter((id): id is number => id !== null);
      const permitted = await permittedPersons(trx, scope, persons, { regionChecked: true });
      const shown = rows.filter((r) => r.person_id === null || permitted.has(r.person_id));
      return { items: await ticketViews(ctx, trx, shown), total: total - (rows.length - shown.length), page: q.page, pageSize: q.pageSize };
    },
    (r) => ({
      action: 'hotline.tickets_read',
      entityType: 'hotline_ticket',
      regionCode: scope.regionCode,
      persons: r.items.flatMap((i) => (i.person ? [i.person.id] : [])),
      detail: { filter: { ...q }, shown: r.items.length },
    }),
  );
}

/** GET /api/alarms/hotline/tickets/:id: with its notes (unsealed) and the earlier calls of the same number. */
export function ticketDetail(ctx: AppContext, scope: Scope, id: number): Promise<TicketDetail> {
  requireAction(scope, 'hotline.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await ticketInScope(trx, scope, id);
      const [view] = await ticketViews(ctx, trx, [row]);
      const earlier = row.caller_phone_hash
        ? await ticketsIn(trx, scope)
            .select(['id', 'kind', 'status', 'subject', 'opened_at'])
            .where('caller_phone_hash', '=', row.caller_phone_hash)
            .where('id', '<>', row.id)
            .where('opened_at', '<=', row.opened_at)
            .orderBy('opened_at', 'desc')
            .orderBy('id', 'desc')
            .limit(20)
            .execute()
        : [];
      const n = notesOf(ctx, row.notes_enc);
      return {
        ...view!,
        notes: n.notes,
        closeNote: n.closeNote,
        earlierCalls: earlier.map((e) => ({
          id: e.id,
          kind: e.kind as TicketKind,
          status: e.status as 'open' | 'closed',
          subject: e.subject,
          openedAt: e.opened_at,
        })),
      };
    },
    (r) => ({
      action: 'hotline.ticket_read',
      entityType: 'hotline_ticket',
      entityId: id,
      regionCode: r.regionCode,
      fields: ['callerPhone', 'notes'],
      persons: r.person ? [r.person.id] : [],
    }),
  );
}

/**
 * POST /api/alarms/hotline/tickets/:id/close: a conditional update on the open ticket (a second
 * close is refused, naming when it was closed); a complaint's closing schedules the return call
 * callbackDays later in the same transaction.
 */
export async function closeTicket(ctx: AppContext, scope: Scope, id: number, body: CloseTicketBody): Promise<TicketDetail> {
  requireAction(scope, 'hotline.handle');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await ticketInScope(trx, scope, id);
    const targets = hotlineTargetsOf(ctx, row.region_code);
    if (row.status !== 'open') throw new AppError('HOTLINE_TICKET_CLOSED', { id, closedAt: row.closed_at ?? '' });
    const closed = nowIso();
    const notes = notesOf(ctx, row.notes_enc);
    const res = await trx
      .updateTable('hotline_tickets')
      .set({ status: 'closed', closed_at: closed, outcome: body.outcome, notes_enc: sealNotes(ctx, { notes: notes.notes, closeNote: body.note ?? null }) })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      const now = await trx.selectFrom('hotline_tickets').select('closed_at').where('id', '=', id).executeTakeFirstOrThrow();
      throw new AppError('HOTLINE_TICKET_CLOSED', { id, closedAt: now.closed_at ?? '' });
    }
    let followUp = row.follow_up;
    if (row.kind === 'complaint') {
      const callbackId = await scheduleCallback(ctx, trx, scope, {
        personId: row.person_id,
        regionCode: row.region_code,
        ticketId: id,
        dueOn: addDays(today(), targets.callbackDays),
      });
      followUp = row.follow_up ? `${row.follow_up},callback:${callbackId}` : `callback:${callbackId}`;
      await trx.updateTable('hotline_tickets').set({ follow_up: followUp }).where('id', '=', id).execute();
    }
    // a ticket a visit's follow-up opened closes the follow-up with it
    if (visitFollowupOf(row.follow_up) !== null)
      await closeFollowupOfTicket(ctx, trx, scope, { ticketId: id, outcome: OUTCOME_WORDS[body.outcome], note: body.note ?? null, at: closed });
    await recordAudit(trx, scope, {
      action: 'hotline.ticket_close',
      entityType: 'hotline_ticket',
      entityId: id,
      regionCode: row.region_code,
      fields: body.note ? ['outcome', 'note'] : ['outcome'],
      detail: {
        kind: row.kind,
        outcome: body.outcome,
        followUp,
        ...(row.due_at ? { dueAt: row.due_at, withinDeadline: closed <= row.due_at } : {}),
      },
    });
  });
  return ticketDetail(ctx, scope, id);
}

/**
 * POST /api/alarms/hotline/tickets/:id/order: a service request becomes a service order of the
 * person's provider (services' createOrder, in this transaction); the ticket's follow-up names it.
 * The order's request id is the ticket's, so a resend finds the same order.
 */
export async function orderFromTicket(ctx: AppContext, scope: Scope, id: number, body: TicketOrderBody): Promise<TicketOrderReply> {
  requireAction(scope, 'hotline.handle');
  return orderTransaction(ctx, async (trx) => {
    const row = await ticketInScope(trx, scope, id);
    if (row.kind !== 'service_request') throw new AppError('HOTLINE_ORDER_NOT_SERVICE_REQUEST', { id, kind: row.kind });
    if (row.status !== 'open') throw new AppError('HOTLINE_TICKET_CLOSED', { id, closedAt: row.closed_at ?? '' });
    if (row.person_id === null) throw new AppError('HOTLINE_ORDER_NEEDS_PERSON', { id });
    // services' NewOrder knows no 'hotline' origin (createdVia: 'green_button' only): the order is the operator's ('officer')
    const order = await createOrder(ctx, trx, scope, {
      clientId: `hotline-ticket-${id}`,
      providerId: body.providerId,
      personId: row.person_id,
      itemId: body.itemId,
      scheduledOn: body.scheduledOn,
      minutes: body.minutes,
      selfPaidBeyond: body.selfPaidBeyond,
      note: body.note ?? `热线工单 ${id} / hotline ticket ${id}`,
    });
    if (order.created) {
      const followUp = row.follow_up ? `${row.follow_up},order:${order.id}` : `order:${order.id}`;
      await trx.updateTable('hotline_tickets').set({ follow_up: followUp }).where('id', '=', id).execute();
      await recordAudit(trx, scope, {
        action: 'hotline.ticket_order',
        entityType: 'hotline_ticket',
        entityId: id,
        regionCode: row.region_code,
        detail: { order: order.id, provider: body.providerId, item: body.itemId, scheduledOn: body.scheduledOn },
      });
    }
    return { ticketId: id, orderId: order.id, created: order.created };
  });
}
