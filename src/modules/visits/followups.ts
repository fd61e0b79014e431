import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { requestAssessment } from '../assessment/requests.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import { regionFilter, visitorOnly } from './assignments.js';
import { FINDING_BY_CODE, FOLLOWUP_KINDS, type FollowupKind } from './findings.js';

/**
 * Follow-ups (issue 16): a finding on a visit raises a home-service request, a hotline ticket, a
 * subsidy review or a reassessment (which also asks the assessment module for an assessment on a
 * change of condition, linked here); two missed windows of a high-risk elder raise a hotline ticket
 * (escalation.ts). Each is tracked open → in_progress (taken) → closed (with a resolution). The
 * note and the resolution are free text about a person: sealed at rest.
 */

export interface RaiseFollowup {
  personId: number;
  eventId: number | null;
  kind: FollowupKind;
  /** the finding's code ('health.fall'), or 'escalation' */
  finding: string;
  note?: string | null;
}

export interface FollowupRowInput {
  personId: number;
  regionCode: string;
  eventId: number | null;
  kind: FollowupKind;
  finding: string;
  note: string | null;
  assessmentRequestId: number | null;
  escalationId: number | null;
  raisedBy: number;
}

/** Writes one follow-up row (the callers checked who may and audit it). */
export async function insertFollowup(ctx: AppContext, trx: Transaction<Database>, f: FollowupRowInput): Promise<number> {
  const { id } = await trx
    .insertInto('visit_followups')
    .values({
      person_id: f.personId,
      region_code: f.regionCode,
      event_id: f.eventId,
      kind: f.kind,
      finding: f.finding,
      note_enc: f.note ? ctx.cipher.encrypt(f.note) : null,
      status: 'open',
      assessment_request_id: f.assessmentRequestId,
      escalation_id: f.escalationId,
      hotline_ticket_id: null,
      raised_by: f.raisedBy,
      raised_at: nowIso(),
      taken_by: null,
      taken_at: null,
      closed_by: null,
      closed_at: null,
      resolution: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

function findingWords(code: string): { zh: string; en: string } {
  const f = FINDING_BY_CODE.get(code);
  if (f) return { zh: f.zh, en: f.en };
  if (code === 'escalation') return { zh: '连续漏访升级', en: 'Escalated after missed visits' };
  // issue 18 (alarms-rules): a monitoring alarm's welfare check ('alarm.offline')
  if (code.startsWith('alarm.')) return { zh: '监测告警（设备离线等）', en: 'Monitoring alarm (device offline, …)' };
  return { zh: code, en: code };
}

/** What the hotline is told of a hotline follow-up raised (no personal content but the sealed note). */
export interface HotlineFollowup {
  followupId: number;
  personId: number;
  regionCode: string;
  finding: string;
  findingWords: { zh: string; en: string };
  note: string | null;
}

/** Opens a hotline ticket for a follow-up in the raise's transaction and answers its id (alarms' tickets.ts). */
export type HotlineTicketOpener = (ctx: AppContext, trx: Transaction<Database>, scope: Scope, f: HotlineFollowup) => Promise<number>;

let hotlineOpener: HotlineTicketOpener | null = null;

/**
 * The hotline (alarms, to the right on the data path) hands its ticket opener here once at start:
 * a hotline follow-up then opens a real ticket in the hotline's queue, linked both ways.
 */
export function registerHotlineTicketOpener(opener: HotlineTicketOpener | null): void {
  hotlineOpener = opener;
}

/**
 * Raises a follow-up inside the caller's transaction (the phone's visit, H4, or the route below).
 * A reassessment also asks for an assessment for a change of condition in the same transaction;
 * when the person already has an open request, the follow-up is linked to it.
 */
export async function raiseFollowup(ctx: AppContext, trx: Transaction<Database>, scope: Scope, f: RaiseFollowup): Promise<number> {
  requireAction(scope, 'visits.followup_raise');
  if (!(await personPermitted(trx, scope, f.personId))) throw notFound('person');
  const person = (await personColumns(trx, ['id', 'region_code'], [f.personId]))[0]!;
  const regionCode = person.region_code as string;
  const note = f.note?.trim() || null;
  let requestId: number | null = null;
  if (f.kind === 'reassessment') {
    const words = findingWords(f.finding);
    try {
      const req = await requestAssessment(
        ctx,
        scope,
        f.personId,
        { reason: 'change', note: note ?? `探访发现：${words.zh}` },
        { trx, raisedBy: 'visits.followup_raise' },
      );
      requestId = req.id;
    } catch (e) {
      if (e instanceof AppError && e.code === 'ASSESSMENT_REQUEST_OPEN') requestId = Number((e.params as { id: number }).id);
      else throw e;
    }
  }
  const id = await insertFollowup(ctx, trx, {
    personId: f.personId,
    regionCode,
    eventId: f.eventId,
    kind: f.kind,
    finding: f.finding,
    note,
    assessmentRequestId: requestId,
    escalationId: null,
    raisedBy: scope.userId ?? 0,
  });
  await recordAudit(trx, scope, {
    action: 'visits.followup_raise',
    entityType: 'visit_followup',
    entityId: id,
    regionCode,
    detail: { person: f.personId, kind: f.kind, finding: f.finding, eventId: f.eventId, assessmentRequestId: requestId },
  });
  // a hotline follow-up is a real ticket in the hotline's queue, opened in the same transaction
  if (f.kind === 'hotline' && hotlineOpener) {
    const ticketId = await hotlineOpener(ctx, trx, scope, {
      followupId: id,
      personId: f.personId,
      regionCode,
      finding: f.finding,
      findingWords: findingWords(f.finding),
      note,
    });
    await trx.updateTable('visit_followups').set({ hotline_ticket_id: ticketId }).where('id', '=', id).execute();
  }
  return id;
}

/** POST /api/visits/followups: a follow-up raised by hand (its own transaction). */
export async function raiseFollowupNow(ctx: AppContext, scope: Scope, f: RaiseFollowup): Promise<FollowupView> {
  return ctx.db.transaction().execute(async (trx) => {
    const id = await raiseFollowup(ctx, trx, scope, f);
    return (await followupViews(ctx, trx, [id]))[0]!;
  });
}

export interface FollowupView {
  id: number;
  personId: number;
  name: string;
  regionCode: string;
  regionName: string;
  eventId: number | null;
  kind: FollowupKind;
  kindWords: { zh: string; en: string };
  finding: string;
  findingWords: { zh: string; en: string };
  note: string | null;
  status: 'open' | 'in_progress' | 'closed';
  assessmentRequestId: number | null;
  escalationId: number | null;
  hotlineTicketId: number | null;
  raisedBy: { id: number; name: string };
  raisedAt: string;
  takenBy: { id: number; name: string } | null;
  takenAt: string | null;
  closedBy: { id: number; name: string } | null;
  closedAt: string | null;
  resolution: string | null;
}

const SYSTEM_NAME = '系统';

async function followupViews(ctx: AppContext, trx: Transaction<Database>, ids: readonly number[]): Promise<FollowupView[]> {
  if (!ids.length) return [];
  const rows = await trx
    .selectFrom('visit_followups')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const names = await displayNames(
    trx,
    rows.flatMap((r) => [r.raised_by, r.taken_by, r.closed_by]),
  );
  const labels = await personLabels(
    trx,
    rows.map((r) => r.person_id),
  );
  const ref = (id: number) => ({ id, name: names.get(id) ?? (id === 0 ? SYSTEM_NAME : String(id)) });
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    name: labels.get(r.person_id)?.name ?? '',
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    eventId: r.event_id,
    kind: r.kind as FollowupKind,
    kindWords: FOLLOWUP_KINDS[r.kind as FollowupKind] ?? { zh: r.kind, en: r.kind },
    finding: r.finding,
    findingWords: findingWords(r.finding),
    note: r.note_enc ? ctx.cipher.decrypt(r.note_enc) : null,
    status: r.status as FollowupView['status'],
    assessmentRequestId: r.assessment_request_id,
    escalationId: r.escalation_id,
    hotlineTicketId: r.hotline_ticket_id,
    raisedBy: ref(r.raised_by),
    raisedAt: r.raised_at,
    takenBy: r.taken_by === null ? null : ref(r.taken_by),
    takenAt: r.taken_at,
    closedBy: r.closed_by === null ? null : ref(r.closed_by),
    closedAt: r.closed_at,
    resolution: r.resolution ? ctx.cipher.decrypt(r.resolution) : null,
  }));
}

/** A follow-up in the scope (region, and a visitor's own people), or VISIT_FOLLOWUP_NOT_FOUND. */
async function followupInScope(trx: Transaction<Database>, scope: Scope, id: number) {
  const row = await trx.selectFrom('visit_followups').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
  if (!row || !(await personPermitted(trx, scope, row.person_id, { regionChecked: true }))) throw new AppError('VISIT_FOLLOWUP_NOT_FOUND', { id });
  if (visitorOnly(scope)) {
    const mine = await trx
      .selectFrom('visit_assignments')
      .select('id')
      .where('person_id', '=', row.person_id)
      .where('worker_id', '=', scope.userId ?? -1)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (!mine) throw new AppError('VISIT_FOLLOWUP_NOT_FOUND', { id });
  }
  return row;
}

/** POST /api/visits/followups/:id/take: the handler takes it on (open → in_progress). */
export async function takeFollowup(ctx: AppContext, scope: Scope, id: number): Promise<FollowupView> {
  requireAction(scope, 'visits.followup_handle');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await followupInScope(trx, scope, id);
    if (row.status === 'closed') throw new AppError('VISIT_FOLLOWUP_CLOSED', { id, at: today(new Date(row.closed_at!)) });
    await trx
      .updateTable('visit_followups')
      .set({ status: 'in_progress', taken_by: scope.userId ?? 0, taken_at: nowIso() })
      .where('id', '=', id)
      .execute();
    await recordAudit(trx, scope, {
      action: 'visits.followup_take',
      entityType: 'visit_followup',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, kind: row.kind, from: row.taken_by },
    });
    return (await followupViews(ctx, trx, [id]))[0]!;
  });
}

/**
 * Closes the open follow-ups of an escalation (its hotline ticket) with the escalation's resolution,
 * inside the escalation's closing transaction (escalation.ts): the escalation and its ticket are one
 * case, so the hotline's queue does not keep a ticket the village head has closed. Each is audited.
 */
export async function closeEscalationTickets(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  escalationId: number,
  sealedResolution: string,
  at: string,
): Promise<number[]> {
  const open = await trx
    .selectFrom('visit_followups')
    .select(['id', 'person_id', 'region_code', 'kind', 'taken_by', 'taken_at'])
    .where('escalation_id', '=', escalationId)
    .where('status', '<>', 'closed')
    .execute();
  const closed: number[] = [];
  for (const f of open) {
    const r = await trx
      .updateTable('visit_followups')
      .set({
        status: 'closed',
        closed_by: scope.userId ?? 0,
        closed_at: at,
        resolution: sealedResolution,
        taken_by: f.taken_by ?? scope.userId ?? 0,
        taken_at: f.taken_at ?? at,
      })
      .where('id', '=', f.id)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    closed.push(f.id);
    await recordAudit(trx, scope, {
      action: 'visits.followup_close',
      entityType: 'visit_followup',
      entityId: f.id,
      regionCode: f.region_code,
      detail: { person: f.person_id, kind: f.kind, withEscalation: escalationId },
    });
  }
  return closed;
}

/**
 * Closes the follow-ups that asked for these assessment requests, now fulfilled by a reviewed
 * assessment (assessment's requests-closed sink, in the approval's transaction): a reassessment
 * follow-up is done when the person's next assessment is approved. The resolution names the
 * assessment in both languages; the reviewing officer closes it (closed_by), audited
 * 'visits.followup_close' with the assessment. A follow-up already closed by hand is left alone.
 */
export async function closeFollowupsOfRequests(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  closedRequests: readonly { id: number; assessmentId: number; closedAt: string }[],
): Promise<number[]> {
  if (!closedRequests.length) return [];
  const byRequest = new Map(closedRequests.map((r) => [r.id, r]));
  const open = await trx
    .selectFrom('visit_followups')
    .select(['id', 'person_id', 'region_code', 'kind', 'taken_by', 'taken_at', 'assessment_request_id'])
    .where('assessment_request_id', 'in', [...byRequest.keys()])
    .where('status', '<>', 'closed')
    .orderBy('id')
    .execute();
  const closed: number[] = [];
  for (const f of open) {
    const req = byRequest.get(f.assessment_request_id!)!;
    const on = today(new Date(req.closedAt));
    const resolution = `重新评估已完成：评估记录 ${req.assessmentId}（${on} 审核通过）/ Reassessment done: assessment ${req.assessmentId}, approved ${on}`;
    const r = await trx
      .updateTable('visit_followups')
      .set({
        status: 'closed',
        closed_by: scope.userId ?? 0,
        closed_at: req.closedAt,
        resolution: ctx.cipher.encrypt(resolution),
        taken_by: f.taken_by ?? scope.userId ?? 0,
        taken_at: f.taken_at ?? req.closedAt,
      })
      .where('id', '=', f.id)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue;
    closed.push(f.id);
    await recordAudit(trx, scope, {
      action: 'visits.followup_close',
      entityType: 'visit_followup',
      entityId: f.id,
      regionCode: f.region_code,
      detail: { person: f.person_id, kind: f.kind, byAssessment: req.assessmentId, assessmentRequestId: req.id },
    });
  }
  return closed;
}

/**
 * Closes the follow-up a hotline ticket was opened for, when the ticket is closed (alarms'
 * closeTicket, in its transaction): the resolution names the ticket and its outcome, and the
 * operator's closing note when there is one; closed by the operator, audited
 * 'visits.followup_close' with the ticket. A follow-up already closed by hand is left alone (null).
 */
export async function closeFollowupOfTicket(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  t: { ticketId: number; outcome: { zh: string; en: string }; note: string | null; at: string },
): Promise<number | null> {
  const f = await trx
    .selectFrom('visit_followups')
    .select(['id', 'person_id', 'region_code', 'kind', 'taken_by', 'taken_at'])
    .where('hotline_ticket_id', '=', t.ticketId)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (!f) return null;
  const resolution = `热线工单 ${t.ticketId} 已办结（${t.outcome.zh}）/ Hotline ticket ${t.ticketId} closed (${t.outcome.en})` + (t.note ? `：${t.note}` : '');
  const r = await trx
    .updateTable('visit_followups')
    .set({
      status: 'closed',
      closed_by: scope.userId ?? 0,
      closed_at: t.at,
      resolution: ctx.cipher.encrypt(resolution),
      taken_by: f.taken_by ?? scope.userId ?? 0,
      taken_at: f.taken_at ?? t.at,
    })
    .where('id', '=', f.id)
    .where('status', '<>', 'closed')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return null;
  await recordAudit(trx, scope, {
    action: 'visits.followup_close',
    entityType: 'visit_followup',
    entityId: f.id,
    regionCode: f.region_code,
    detail: { person: f.person_id, kind: f.kind, byTicket: t.ticketId },
  });
  return f.id;
}

/**
 * POST /api/visits/followups/:id/close: closed with what was done (once). A hotline ticket raised by
 * an escalation closes the escalation too when it is still open (same resolution, same transaction,
 * audited): they are one case. The escalation is updated first, as closing the escalation does, so
 * that the two closing at once wait for each other instead of deadlocking.
 */
export async function closeFollowup(ctx: AppContext, scope: Scope, id: number, resolution: string): Promise<FollowupView> {
  requireAction(scope, 'visits.followup_handle');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await followupInScope(trx, scope, id);
    if (row.status === 'closed') throw new AppError('VISIT_FOLLOWUP_CLOSED', { id, at: today(new Date(row.closed_at!)) });
    const at = nowIso();
    const sealed = ctx.cipher.encrypt(resolution);
    let escalationClosed: { id: number; region_code: string } | null = null;
    if (row.escalation_id !== null) {
      const esc = await trx
        .selectFrom('visit_escalations')
        .select(['id', 'region_code', 'acknowledged_by', 'acknowledged_at'])
        .where('id', '=', row.escalation_id)
        .executeTakeFirst();
      if (esc) {
        const r = await trx
          .updateTable('visit_escalations')
          .set({
            status: 'closed',
            closed_by: scope.userId ?? 0,
            closed_at: at,
            resolution: sealed,
            acknowledged_by: esc.acknowledged_by ?? scope.userId ?? 0,
            acknowledged_at: esc.acknowledged_at ?? at,
          })
          .where('id', '=', esc.id)
          .where('status', '<>', 'closed')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) === 1) escalationClosed = esc;
      }
    }
    const closed = await trx
      .updateTable('visit_followups')
      .set({
        status: 'closed',
        closed_by: scope.userId ?? 0,
        closed_at: at,
        resolution: sealed,
        taken_by: row.taken_by ?? scope.userId ?? 0,
        taken_at: row.taken_at ?? at,
      })
      .where('id', '=', id)
      .where('status', '<>', 'closed')
      .executeTakeFirst();
    // closed meanwhile by someone else (two handlers at once, or with its escalation): once only
    if (Number(closed.numUpdatedRows) !== 1) throw new AppError('VISIT_FOLLOWUP_CLOSED', { id, at: today() });
    await recordAudit(trx, scope, {
      action: 'visits.followup_close',
      entityType: 'visit_followup',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, kind: row.kind, ...(escalationClosed ? { withEscalation: escalationClosed.id } : {}) },
    });
    if (escalationClosed)
      await recordAudit(trx, scope, {
        action: 'visits.escalation_close',
        entityType: 'visit_escalation',
        entityId: escalationClosed.id,
        regionCode: escalationClosed.region_code,
        detail: { person: row.person_id, withFollowup: id },
      });
    return (await followupViews(ctx, trx, [id]))[0]!;
  });
}

export interface FollowupFilter {
  kind?: FollowupKind;
  /** 'open' counts open and in_progress; 'all' everything */
  status?: 'open' | 'in_progress' | 'closed' | 'active' | 'all';
  region?: string;
  personId?: number;
  page: number;
  pageSize: number;
}

/** The kinds a role works on: the hotline operator's queue is the hotline tickets. */
export function followupKindsOf(scope: Scope): FollowupKind[] | null {
  return scope.role === 'hotline_operator' || scope.role === 'hotline_supervisor' ? ['hotline'] : null;
}

/** The follow-ups query over the scope (region; a visitor's own people; the hotline's kind). */
export function followupsQuery(trx: Transaction<Database> | AppContext['db'], scope: Scope, f: Omit<FollowupFilter, 'page' | 'pageSize'>) {
  let q = trx.selectFrom('visit_followups').where(inRegion(scope, 'region_code'));
  const kinds = followupKindsOf(scope);
  if (kinds) q = q.where('kind', 'in', kinds);
  if (f.kind) q = q.where('kind', '=', f.kind);
  const status = f.status ?? 'active';
  if (status === 'active') q = q.where('status', 'in', ['open', 'in_progress']);
  else if (status !== 'all') q = q.where('status', '=', status);
  if (f.personId) q = q.where('person_id', '=', f.personId);
  if (visitorOnly(scope) || scope.assignedOnly) {
    const assigned = sql<boolean>`person_id in (select va.person_id from visit_assignments va where va.worker_id = ${scope.userId ?? -1} and va.ended_at is null)`;
    // issue 18 (alarms-rules): a welfare check goes to the grid workers of the person's village
    // (their region), whoever is assigned to visit the person
    q = scope.role === 'grid_worker' && !scope.assignedOnly ? q.where((eb) => eb.or([assigned, eb('kind', '=', 'welfare_check')])) : q.where(assigned);
    // end alarms-rules
  }
  return q;
}

/** GET /api/visits/followups (audited: the persons shown). */
export async function listFollowups(
  ctx: AppContext,
  scope: Scope,
  f: FollowupFilter,
): Promise<{ items: FollowupView[]; total: number; page: number; pageSize: number }> {
  requireAction(scope, 'visits.read');
  const s = regionFilter(ctx, scope, f.region);
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const base = followupsQuery(trx, s, f);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const ids = (
        await base
          .select('id')
          .orderBy('raised_at', 'desc')
          .orderBy('id', 'desc')
          .limit(f.pageSize)
          .offset((f.page - 1) * f.pageSize)
          .execute()
      ).map((r) => r.id);
      return { items: await followupViews(ctx, trx, ids), total, page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'visits.followups_read', entityType: 'visit_followup', persons: r.items.map((i) => i.personId) }),
  );
}
