import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound, type Text } from '../../platform/errors.js';
import { regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { attachPhoto, checkTimes, eventSummaries, recordEvent, type CareEventSummary } from '../care-events/care-events.service.js';
import { personPermitted } from '../register/people.js';
import { personColumns } from '../register/history.queries.js';
import { FINDING_BY_CODE } from './findings.js';
import { raiseFollowup } from './followups.js';
import type { NotCountedReason, RecordBody, RecordReply } from './record.schema.js';
import { visitMode, visitSettingsOf, type VisitMode, type VisitSettings } from './visits.settings.js';

/**
 * Recording a visit from the phone (issue 16, visits-record): one transaction holds the verified
 * event (care-events, kind 'visit', source 'visits', source id the due), its photo, the due closed
 * when the visit counts, and the follow-ups its findings raised. A resend with the same clientId
 * returns the first answer (merged) and writes nothing.
 *
 * A visit counts when the person's due whose window contains the visit's start date (Asia/Shanghai)
 * is still open (or was marked missed before a visit made offline inside the window reached the
 * server), the mode is one of the plan's modes and it lasted at least the mode's minimum. A visit
 * that does not count is stored all the same, and the answer says why.
 */

type Trx = Transaction<Database>;

export const REASON_WORDS: Record<NotCountedReason, Text> = {
  outside_window: { zh: '探访日期不在本期探访时段内，不计入本期探访', en: 'The visit lies outside the window of a due visit and does not count' },
  mode_not_in_plan: { zh: '该探访方式不在此老人探访计划的方式之中，不计入', en: 'The plan does not accept this mode of visit; it does not count' },
  below_minimum: { zh: '探访时长不足该方式的最短时长，不计入', en: 'The visit was shorter than the least minutes of its mode; it does not count' },
  already_done: {
    zh: '本期探访已由之前的探访完成，此次另行记录',
    en: 'This window’s visit was already done by an earlier visit; this one is recorded besides',
  },
};

const FINDINGS_WHERE: Text = { zh: '探访发现', en: 'the findings' };
const FOLLOWUPS_WHERE: Text = { zh: '跟进事项', en: 'the follow-ups' };

/** The mode, the findings and the follow-ups' findings are known codes; otherwise the visit's own errors. */
function checkCodes(body: RecordBody): VisitMode {
  const mode = visitMode.safeParse(body.mode);
  if (!mode.success) throw new AppError('VISIT_MODE_UNKNOWN', { mode: String(body.mode).slice(0, 20) });
  for (const code of body.findings)
    if (!FINDING_BY_CODE.has(code)) throw new AppError('VISIT_FINDING_UNKNOWN', { code: code.slice(0, 40), where: FINDINGS_WHERE });
  for (const f of body.followups ?? []) {
    if (!FINDING_BY_CODE.has(f.finding)) throw new AppError('VISIT_FINDING_UNKNOWN', { code: f.finding.slice(0, 40), where: FOLLOWUPS_WHERE });
  }
  return mode.data;
}

/**
 * Whether the viewer may record for this person (in the region `regionCode` of the register): a
 * grid worker or volunteer for the persons assigned to them (an open assignment), a village head
 * for anyone in the village. A person the viewer may not see at all is not found.
 */
async function checkMayRecord(trx: Trx, scope: Scope, personId: number, regionCode: string): Promise<void> {
  if (!regionInScope(scope, regionCode)) throw notFound('person');
  if (scope.role === 'village_head') {
    if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
    return;
  }
  const assigned = await trx
    .selectFrom('visit_assignments')
    .select('id')
    .where('person_id', '=', personId)
    .where('worker_id', '=', scope.userId ?? -1)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  if (assigned) return;
  // someone the viewer may see but who is another worker's: say so; otherwise not found
  if (await personPermitted(trx, scope, personId)) throw new AppError('VISIT_NOT_ASSIGNED');
  throw notFound('person');
}

interface Membership {
  id: number;
  modes: string[];
}

/** The person's plan membership on a date: joined on or before it, not left before it. */
async function membershipOn(trx: Trx, personId: number, on: string): Promise<Membership | null> {
  const m = await trx
    .selectFrom('visit_plan_members')
    .select(['id', 'modes'])
    .where('person_id', '=', personId)
    .where('joined_on', '<=', on)
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>=', on)]))
    .orderBy('joined_on', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return m ? { id: m.id, modes: JSON.parse(m.modes) as string[] } : null;
}

export async function memberModes(trx: Trx, memberId: number): Promise<string[]> {
  const m = await trx.selectFrom('visit_plan_members').select('modes').where('id', '=', memberId).executeTakeFirst();
  return m ? (JSON.parse(m.modes) as string[]) : [];
}

interface DueRef {
  id: number;
  member_id: number;
  window_start: string;
  window_end: string;
  status: string;
  event_id: number | null;
}

/** The due the visit is measured against: the one whose window contains the date, else the person's open one (which it then misses). */
async function dueFor(trx: Trx, personId: number, on: string): Promise<DueRef | null> {
  const cols = ['id', 'member_id', 'window_start', 'window_end', 'status', 'event_id'] as const;
  const inWindow = await trx
    .selectFrom('visit_dues')
    .select(cols)
    .where('person_id', '=', personId)
    .where('window_start', '<=', on)
    .where('window_end', '>=', on)
    .where('status', '!=', 'cancelled')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (inWindow) return inWindow;
  return (
    (await trx
      .selectFrom('visit_dues')
      .select(cols)
      .where('person_id', '=', personId)
      .where('status', '=', 'open')
      .orderBy('window_end', 'desc')
      .executeTakeFirst()) ?? null
  );
}

/** Why a visit of this mode and length on this date does not close the due (null: it does, if the due is still open). */
export function notCounted(
  settings: VisitSettings,
  due: Pick<DueRef, 'window_start' | 'window_end'> | null,
  modes: string[],
  on: string,
  mode: string,
  minutes: number,
): NotCountedReason | null {
  if (!due || on < due.window_start || on > due.window_end) return 'outside_window';
  if (!modes.includes(mode)) return 'mode_not_in_plan';
  if (minutes < settings.minMinutes[mode as VisitMode]) return 'below_minimum';
  return null;
}

const reply = (r: Omit<RecordReply, 'reasonWords'>): RecordReply => ({ ...r, reasonWords: r.reason ? REASON_WORDS[r.reason] : null });

/** The first answer to a visit already stored, read back from what it wrote (nothing is written). */
async function firstAnswer(ctx: AppContext, trx: Trx, scope: Scope, eventId: number): Promise<RecordReply> {
  const ev: CareEventSummary | undefined = (await eventSummaries(trx, [eventId])).get(eventId);
  if (!ev || ev.kind !== 'visit' || ev.source !== 'visits' || ev.performerId !== scope.userId) throw new AppError('VISIT_NOT_ASSIGNED');
  const followupIds = (await trx.selectFrom('visit_followups').select('id').where('event_id', '=', eventId).orderBy('id').execute()).map((r) => r.id);
  const due = ev.sourceId
    ? ((await trx
        .selectFrom('visit_dues')
        .select(['id', 'member_id', 'window_start', 'window_end', 'status', 'event_id'])
        .where('id', '=', ev.sourceId)
        .executeTakeFirst()) ?? null)
    : null;
  if (due && due.event_id === eventId) return reply({ eventId, merged: true, counted: true, dueId: due.id, reason: null, followupIds });
  const on = today(new Date(ev.startedAt));
  const modes = due ? await memberModes(trx, due.member_id) : [];
  const reason = notCounted(visitSettingsOf(ctx, ev.regionCode), due, modes, on, ev.mode, ev.durationMinutes) ?? 'already_done';
  return reply({ eventId, merged: true, counted: false, dueId: due?.id ?? null, reason, followupIds });
}

/** A unique index refused a row (SQLite or PostgreSQL): a concurrent resend stored it first. */
function uniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  return !!err && (err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed|duplicate key/.test(err.message ?? ''));
}

/** POST /api/visits/record. */
export async function recordVisit(ctx: AppContext, scope: Scope, body: RecordBody): Promise<RecordReply> {
  requireAction(scope, 'visits.record');
  const mode = checkCodes(body);
  // the times first: end before start, in the future, longer than a day (care-events' errors)
  const times = checkTimes(body.startedAt, body.endedAt);
  const on = today(new Date(times.start));
  const photo = body.photo ? Buffer.from(body.photo.dataBase64, 'base64') : null;
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.transaction().execute((trx) => record(ctx, trx, scope, body, { mode, on, minutes: times.minutes, photo }));
    } catch (e) {
      // two sends of one visit at once: the second finds the first once it has committed
      if (attempt < 2 && !(e instanceof AppError) && uniqueViolation(e)) continue;
      throw e;
    }
  }
}

async function record(
  ctx: AppContext,
  trx: Trx,
  scope: Scope,
  body: RecordBody,
  v: { mode: VisitMode; on: string; minutes: number; photo: Buffer | null },
): Promise<RecordReply> {
  const [row] = await personColumns(trx, ['id', 'region_code'], [body.personId]);
  if (!row) throw notFound('person');
  const regionCode = String(row.region_code);
  // the person's county's settings (its photo limit and least minutes)
  const settings = visitSettingsOf(ctx, regionCode);
  const membership = await membershipOn(trx, body.personId, v.on);
  const due = await dueFor(trx, body.personId, v.on);
  const event = await recordEvent(
    ctx,
    trx,
    {
      clientId: body.clientId,
      kind: 'visit',
      source: 'visits',
      sourceId: due?.id ?? null,
      performer: { id: scope.userId!, role: scope.role },
      personId: body.personId,
      regionCode,
      mode: v.mode,
      startedAt: body.startedAt,
      endedAt: body.endedAt,
      location: body.location ?? null,
      findings: body.findings,
      notes: body.notes ?? null,
      confirmation: body.confirmation ? { kind: body.confirmation.kind, note: body.confirmation.note ?? null } : null,
    },
    scope,
  );
  // a resend answers what the first send did, even if the person has since been reassigned or left the plan
  if (event.merged) return firstAnswer(ctx, trx, scope, event.id);
  // the event was written in this transaction: throwing now leaves nothing behind
  await checkMayRecord(trx, scope, body.personId, regionCode);
  if (!membership) throw new AppError('VISIT_NOT_IN_PLAN', { date: v.on });
  if (v.photo)
    await attachPhoto(
      ctx,
      trx,
      event.id,
      { bytes: v.photo, keepLocation: body.photo?.keepLocation ?? false, by: scope.userId!, maxBytes: settings.photoMaxBytes },
      scope,
    );

  const modes = due ? await memberModes(trx, due.member_id) : membership.modes;
  let reason = notCounted(settings, due, modes, v.on, v.mode, v.minutes);
  if (!reason && due) {
    // guarded: of two visits in one window, the first to commit closes the due
    const r = await trx
      .updateTable('visit_dues')
      .set({ status: 'done', event_id: event.id, done_on: v.on })
      .where('id', '=', due.id)
      .where('status', 'in', ['open', 'missed'])
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) reason = 'already_done';
  }
  const counted = reason === null;

  const followupIds: number[] = [];
  for (const f of body.followups ?? []) {
    followupIds.push(
      await raiseFollowup(ctx, trx, scope, { personId: body.personId, eventId: event.id, kind: f.kind, finding: f.finding, note: f.note ?? null }),
    );
  }

  await recordAudit(trx, scope, {
    action: 'visit.record',
    entityType: 'care_event',
    entityId: event.id,
    regionCode,
    fields: counted ? ['status', 'eventId', 'doneOn'] : [],
    detail: { person: body.personId, due: due?.id ?? null, counted, reason, mode: v.mode, minutes: v.minutes, followups: followupIds },
  });
  return reply({ eventId: event.id, merged: false, counted, dueId: due?.id ?? null, reason, followupIds });
}
