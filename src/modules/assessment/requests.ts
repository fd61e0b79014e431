import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { capabilityRows } from '../register/capability.queries.js';
import { personPermitted } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import type { RequestBody, RequestReason, RequestView, RequestsReply } from './schedule.schema.js';

/**
 * Requests that make a person due now (issue 15: "plus on change of condition"): a change of
 * condition (即时评估, with a note saying what changed), the person's or family's application, or
 * an assessment before admission to an institution. Officers, grid workers and assessors make
 * them; the person is on the due list as 'requested' until their next reviewed assessment closes
 * the request (the records' approval sets closed_at and assessment_id). One open request per
 * person.
 */

type RequestRow = {
  id: number;
  person_id: number;
  region_code: string;
  reason: string;
  note: string;
  requested_by: number;
  requested_at: string;
  closed_at: string | null;
  assessment_id: number | null;
};

async function views(db: Executor, rows: RequestRow[]): Promise<RequestView[]> {
  const names = await displayNames(
    db,
    rows.map((r) => r.requested_by),
  );
  return rows.map((r) => ({
    id: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    reason: r.reason as RequestReason,
    note: r.note,
    requestedBy: { id: r.requested_by, name: names.get(r.requested_by) ?? String(r.requested_by) },
    requestedAt: r.requested_at,
    closedAt: r.closed_at,
    assessmentId: r.assessment_id,
  }));
}

/**
 * POST /api/persons/:id/assessment-requests. `opts.trx`: inside the caller's transaction (a visit's
 * follow-up, issue 16); `opts.raisedBy`: the caller's own action already allowed the request (a
 * volunteer's or village head's reassessment follow-up), so this role's right is not asked again.
 */
export async function requestAssessment(
  ctx: AppContext,
  scope: Scope,
  personId: number,
  body: RequestBody,
  opts: { trx?: Transaction<Database>; raisedBy?: 'visits.followup_raise' } = {},
): Promise<RequestView> {
  requireAction(scope, opts.raisedBy ?? 'assessments.request');
  if (body.reason === 'change' && !body.note) throw new AppError('ASSESSMENT_REQUEST_NOTE');
  const run = async (trx: Transaction<Database>) => {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    const p = (await capabilityRows(trx, [personId])).get(personId)!;
    if (p.status !== 'active') throw new AppError('ASSESSMENT_PERSON_INACTIVE', { id: personId });
    const open = await trx
      .selectFrom('assessment_requests')
      .select(['id', 'requested_at'])
      .where('person_id', '=', personId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (open) throw new AppError('ASSESSMENT_REQUEST_OPEN', { id: open.id, date: today(new Date(open.requested_at)) });
    const row = {
      person_id: personId,
      region_code: p.regionCode,
      reason: body.reason,
      note: body.note,
      requested_by: scope.userId ?? 0,
      requested_at: nowIso(),
      closed_at: null,
      assessment_id: null,
    };
    const { id } = await trx.insertInto('assessment_requests').values(row).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'assessment.request',
      entityType: 'assessment_request',
      entityId: id,
      regionCode: p.regionCode,
      detail: { person: personId, reason: body.reason },
    });
    return (await views(trx, [{ id, ...row }]))[0]!;
  };
  return opts.trx ? run(opts.trx) : ctx.db.transaction().execute(run);
}

/** A request the approval of an assessment closed (what a module that raised it is told). */
export interface ClosedRequest {
  id: number;
  personId: number;
  regionCode: string;
  reason: RequestReason;
  /** the reviewed assessment that fulfilled it */
  assessmentId: number;
  closedAt: string;
}

/**
 * What a module does when requests close, in the approval's own transaction (visits closes the
 * reassessment follow-ups that asked for them); `scope` is the reviewing officer's.
 */
export type RequestsClosedSink = (ctx: AppContext, trx: Transaction<Database>, scope: Scope, closed: readonly ClosedRequest[]) => Promise<void>;

const closedSinks = new Map<string, RequestsClosedSink>();

/** A module to the right (visits) registers here once at start; a name given again replaces the sink. */
export function registerRequestsClosedSink(name: string, sink: RequestsClosedSink): void {
  closedSinks.set(name, sink);
}

/** Removes a sink (tests). */
export function unregisterRequestsClosedSink(name: string): void {
  closedSinks.delete(name);
}

/**
 * Closes the person's open requests with the reviewed assessment that fulfils them, in the
 * approval's transaction (assessments.service.ts reviewAssessment, when the assessment is the
 * person's latest reviewed one), then runs the sinks in it.
 */
export async function closeOpenRequests(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  personId: number,
  assessmentId: number,
  at: string,
): Promise<ClosedRequest[]> {
  const open = await trx
    .selectFrom('assessment_requests')
    .select(['id', 'person_id', 'region_code', 'reason'])
    .where('person_id', '=', personId)
    .where('closed_at', 'is', null)
    .execute();
  if (!open.length) return [];
  await trx
    .updateTable('assessment_requests')
    .set({ closed_at: at, assessment_id: assessmentId })
    .where(
      'id',
      'in',
      open.map((r) => r.id),
    )
    .where('closed_at', 'is', null)
    .execute();
  const closed = open.map((r) => ({
    id: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    reason: r.reason as RequestReason,
    assessmentId,
    closedAt: at,
  }));
  for (const sink of closedSinks.values()) await sink(ctx, trx, scope, closed);
  return closed;
}

/** GET /api/persons/:id/assessment-requests: the person's requests, newest first. */
export async function personRequests(ctx: AppContext, scope: Scope, personId: number): Promise<RequestsReply> {
  requireAction(scope, 'assessments.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      const rows = await trx.selectFrom('assessment_requests').selectAll().where('person_id', '=', personId).orderBy('id', 'desc').execute();
      return { items: await views(trx, rows) };
    },
    () => ({ action: 'assessment.requests_read', entityType: 'person', entityId: personId, persons: [personId] }),
  );
}
