import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { can, isRole } from '../../platform/policy.js';
import { inRegion, regionInScope, requireAction, systemScope, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { requestAssessment } from '../assessment/requests.js';
import { createOrder } from '../services/orders.js';
import { activeAccounts, displayNames } from '../users/accounts.js';
import { hotlineTargetsOf } from './alarms.settings.js';
import type { ActionBody, AssignBody, NoteBody, ResolveBody } from './alarms.schema.js';
import type { AlarmRow } from './alarms.tables.js';
import { scheduleCallback } from './callbacks.js';
import { publishAlarmChanges, type AlarmChange } from './raise.js';

/**
 * An alarm's lifecycle (issue 18): raised → acknowledged (one operator) → actions and notes →
 * resolved with an outcome. Every change is one transaction whose write is a conditional UPDATE on
 * (id, state, version): of two operators acknowledging at once, one UPDATE finds the row as it
 * read it and the other finds nothing, re-reads and is told who acknowledged and when
 * (ALARM_ALREADY_ACKNOWLEDGED). Resolving a raised alarm acknowledges it in the same transaction
 * (same operator, both steps). Notes are sealed. Every step is audited. A fall resolved as real
 * asks the assessment module for a reassessment (change of condition; an open request already
 * there is linked); a green-button request may become a service order or a call-back; a real
 * alarm schedules a return call (回访) callbackDays later. The shift supervisor may take an alarm an
 * operator holds over, or give it to another operator (assignAlarm), on the version they saw.
 */

type Trx = Transaction<Database>;

async function alarmInScope(trx: Trx, scope: Scope, id: number): Promise<AlarmRow> {
  const row = await trx.selectFrom('alarms').selectAll().where('id', '=', id).where(inRegion(scope, 'region_code')).executeTakeFirst();
  if (!row) throw new AppError('ALARM_NOT_FOUND', { id });
  return row;
}

async function nameOf(trx: Trx, userId: number | null): Promise<string> {
  if (userId === null) return '—';
  if (userId === 0) return '系统';
  return (await displayNames(trx, [userId])).get(userId) ?? String(userId);
}

/** Refuses a change of a resolved alarm, naming who resolved it and when. */
async function refuseResolved(trx: Trx, row: AlarmRow): Promise<never> {
  throw new AppError('ALARM_ALREADY_RESOLVED', { id: row.id, who: await nameOf(trx, row.resolved_by), when: row.resolved_at ?? '' });
}

async function refuseAcknowledged(trx: Trx, row: AlarmRow): Promise<never> {
  if (row.state === 'resolved' && row.acknowledged_by === null) return refuseResolved(trx, row);
  throw new AppError('ALARM_ALREADY_ACKNOWLEDGED', { id: row.id, who: await nameOf(trx, row.acknowledged_by), when: row.acknowledged_at ?? '' });
}

/**
 * The conditional write: the row as it was read, else nothing. Returns whether it was written; the
 * caller re-reads and says what happened meanwhile.
 */
async function conditional(trx: Trx, row: AlarmRow, set: Partial<Omit<AlarmRow, 'id' | 'version'>>): Promise<boolean> {
  const r = await trx
    .updateTable('alarms')
    .set({ ...set, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('state', '=', row.state)
    .where('version', '=', row.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function step(trx: Trx, alarmId: number, at: string, by: number, kind: string, action: string | null, note: string | null, ctx: AppContext) {
  await trx
    .insertInto('alarm_steps')
    .values({ alarm_id: alarmId, at, by_user: by, kind, action, note_enc: note ? ctx.cipher.encrypt(note) : null })
    .execute();
}

function changeOf(row: AlarmRow, state: string, at: string): AlarmChange {
  return {
    id: row.id,
    personId: row.person_id,
    regionCode: row.region_code,
    kind: row.kind,
    state,
    escalation: row.escalation,
    priority: row.priority,
    at,
    raised: false,
  };
}

/** Acknowledges a raised alarm inside `trx` (the row as read); refuses when someone did first. */
async function acknowledgeIn(ctx: AppContext, trx: Trx, scope: Scope, row: AlarmRow, at: string): Promise<AlarmRow> {
  if (row.state !== 'raised') return refuseAcknowledged(trx, row);
  const by = scope.userId ?? 0;
  if (!(await conditional(trx, row, { state: 'acknowledged', acknowledged_at: at, acknowledged_by: by }))) {
    const now = await alarmInScope(trx, scope, row.id);
    return refuseAcknowledged(trx, now);
  }
  await step(trx, row.id, at, by, 'acknowledged', null, null, ctx);
  await recordAudit(trx, scope, {
    action: 'alarms.acknowledge',
    entityType: 'alarm',
    entityId: row.id,
    regionCode: row.region_code,
    detail: { person: row.person_id, kind: row.kind, raisedAt: row.raised_at },
  });
  return { ...row, state: 'acknowledged', acknowledged_at: at, acknowledged_by: by, version: row.version + 1 };
}

/** POST /api/alarms/alarms/:id/ack */
export async function acknowledgeAlarm(ctx: AppContext, scope: Scope, id: number): Promise<number> {
  requireAction(scope, 'alarms.handle');
  const at = nowIso();
  const row = await ctx.db.transaction().execute(async (trx) => acknowledgeIn(ctx, trx, scope, await alarmInScope(trx, scope, id), at));
  publishAlarmChanges(ctx, [changeOf(row, 'acknowledged', at)]);
  return id;
}

/**
 * Since when the holder has held an acknowledged alarm: the last hand-over to them ('assigned'
 * step), else when it was acknowledged.
 */
async function heldSince(trx: Trx, row: AlarmRow): Promise<string> {
  const last = await trx
    .selectFrom('alarm_steps')
    .select('at')
    .where('alarm_id', '=', row.id)
    .where('kind', '=', 'assigned')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.at ?? row.acknowledged_at ?? '';
}

/**
 * An acknowledged alarm is worked by its holder (acknowledged_by) or a shift supervisor (a role
 * that may alarms.supervise); anyone else is refused, told who holds it and since when. A raised
 * alarm is open to any operator (acting on it acknowledges it), a resolved one is refused apart.
 */
async function requireHolder(trx: Trx, scope: Scope, row: AlarmRow): Promise<void> {
  if (row.state !== 'acknowledged' || scope.role === 'system') return;
  if (row.acknowledged_by !== null && row.acknowledged_by === scope.userId) return;
  if (scope.role !== 'anonymous' && can(scope.role, 'alarms.supervise')) return;
  throw new AppError('ALARM_HELD_BY_OTHER', { id: row.id, who: await nameOf(trx, row.acknowledged_by), when: await heldSince(trx, row) });
}

/** A change that keeps the state (an action, a note): serialised on the version all the same. */
async function touch(trx: Trx, scope: Scope, row: AlarmRow): Promise<void> {
  if (!(await conditional(trx, row, {}))) {
    const now = await alarmInScope(trx, scope, row.id);
    if (now.state === 'resolved') await refuseResolved(trx, now);
    throw new AppError('ALARM_CHANGED', { id: row.id });
  }
}

/**
 * POST /api/alarms/alarms/:id/actions: what the operator did (called the elder, dispatched …),
 * with a sealed note. An action on a raised alarm acknowledges it first (same operator, both steps).
 */
export async function actOnAlarm(ctx: AppContext, scope: Scope, id: number, body: ActionBody): Promise<number> {
  requireAction(scope, 'alarms.handle');
  const at = nowIso();
  const out = await ctx.db.transaction().execute(async (trx) => {
    let row = await alarmInScope(trx, scope, id);
    if (row.state === 'resolved') await refuseResolved(trx, row);
    await requireHolder(trx, scope, row);
    const acknowledged = row.state === 'raised';
    if (acknowledged) row = await acknowledgeIn(ctx, trx, scope, row, at);
    else await touch(trx, scope, row);
    const note = body.note?.trim() || null;
    await step(trx, id, at, scope.userId ?? 0, 'action', body.action, note, ctx);
    await recordAudit(trx, scope, {
      action: 'alarms.action',
      entityType: 'alarm',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, step: body.action, withNote: note !== null },
    });
    return { row, acknowledged };
  });
  if (out.acknowledged) publishAlarmChanges(ctx, [changeOf(out.row, 'acknowledged', at)]);
  return id;
}

/**
 * POST /api/alarms/alarms/:id/notes: a sealed note, at any state (a late word after resolving too);
 * while acknowledged, by its holder or a supervisor only.
 */
export async function noteAlarm(ctx: AppContext, scope: Scope, id: number, body: NoteBody): Promise<number> {
  requireAction(scope, 'alarms.handle');
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const row = await alarmInScope(trx, scope, id);
    await requireHolder(trx, scope, row);
    if (!(await conditional(trx, row, {}))) throw new AppError('ALARM_CHANGED', { id });
    await step(trx, id, at, scope.userId ?? 0, 'note', null, body.note, ctx);
    await recordAudit(trx, scope, { action: 'alarms.note', entityType: 'alarm', entityId: id, regionCode: row.region_code, detail: { person: row.person_id } });
  });
  return id;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * POST /api/alarms/alarms/:id/resolve: the outcome (real, false alarm, test) with a sealed note.
 * A raised alarm is acknowledged in the same transaction. Then, in it:
 * - a fall resolved as real asks for a reassessment (change of condition); an open request is linked;
 * - a green-button request's follow-up: a service order (services' createOrder, createdVia
 *   'green_button', sourceId the alarm) or a call-back (scheduleCallback);
 * - a real alarm schedules a return call (回访) callbackDays later (hotline_targets).
 * `follow_up` records what came of it ('order:12,callback:5').
 */
export async function resolveAlarm(ctx: AppContext, scope: Scope, id: number, body: ResolveBody): Promise<number> {
  requireAction(scope, 'alarms.handle');
  const at = nowIso();
  const by = scope.userId ?? 0;
  const row = await ctx.db.transaction().execute(async (trx) => {
    let row = await alarmInScope(trx, scope, id);
    if (row.state === 'resolved') await refuseResolved(trx, row);
    if (body.followUp && row.kind !== 'service_request') throw new AppError('ALARM_FOLLOWUP_NOT_SERVICE', { id });
    await requireHolder(trx, scope, row);
    if (row.state === 'raised') row = await acknowledgeIn(ctx, trx, scope, row, at);

    const follow: string[] = row.follow_up ? [row.follow_up] : [];
    if (body.followUp?.type === 'order') {
      const f = body.followUp;
      const order = await createOrder(ctx, trx, scope, {
        clientId: `alarm-${id}`,
        providerId: f.providerId,
        personId: row.person_id,
        itemId: f.itemId,
        scheduledOn: f.scheduledOn,
        ...(f.minutes !== undefined ? { minutes: f.minutes } : {}),
        selfPaidBeyond: f.selfPaidBeyond,
        ...(f.note ? { note: f.note } : {}),
        createdVia: 'green_button',
        sourceId: id,
      });
      follow.push(`order:${order.id}`);
    } else if (body.followUp?.type === 'callback') {
      const cb = await scheduleCallback(ctx, trx, scope, { personId: row.person_id, regionCode: row.region_code, alarmId: id, dueOn: body.followUp.dueOn });
      follow.push(`callback:${cb}`);
    }
    if (body.outcome === 'real' && row.kind === 'fall') {
      const request = await reassessmentFor(ctx, trx, scope, row);
      if (request !== null) follow.push(`assessment_request:${request}`);
    }
    if (body.outcome === 'real') {
      const due = addDays(today(new Date(at)), hotlineTargetsOf(ctx, row.region_code).callbackDays);
      const cb = await scheduleCallback(ctx, trx, scope, { personId: row.person_id, regionCode: row.region_code, alarmId: id, dueOn: due });
      if (!follow.includes(`callback:${cb}`)) follow.push(`callback:${cb}`);
    }
    const followUp = follow.length ? follow.join(',').slice(0, 200) : null;
    if (!(await conditional(trx, row, { state: 'resolved', resolved_at: at, resolved_by: by, outcome: body.outcome, follow_up: followUp }))) {
      const now = await alarmInScope(trx, scope, id);
      if (now.state === 'resolved') await refuseResolved(trx, now);
      throw new AppError('ALARM_CHANGED', { id });
    }
    const note = body.note?.trim() || null;
    await step(trx, id, at, by, 'resolved', body.outcome, note, ctx);
    await recordAudit(trx, scope, {
      action: 'alarms.resolve',
      entityType: 'alarm',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, kind: row.kind, outcome: body.outcome, followUp, withNote: note !== null },
    });
    return row;
  });
  publishAlarmChanges(ctx, [changeOf(row, 'resolved', at)]);
  return id;
}

/**
 * A reassessment request for a real fall, in the resolve's transaction. Operators do not ask for
 * assessments themselves (assessments.request): the platform asks on the alarm's behalf, the entry
 * signed with the operator's name. An open request already there is linked; a person no longer
 * active on the register gets none.
 */
async function reassessmentFor(ctx: AppContext, trx: Trx, scope: Scope, row: AlarmRow): Promise<number | null> {
  // the platform of the alarm's county asks
  const j = ctx.regions.jurisdictionOf(row.region_code);
  const platform = systemScope(j?.code ?? '', j?.prefix ?? '', `alarm ${row.id} (${scope.username})`);
  try {
    const req = await requestAssessment(
      ctx,
      platform,
      row.person_id,
      { reason: 'change', note: `跌倒告警（编号 ${row.id}）经热线核实属实 / fall alarm ${row.id} confirmed by the hotline` },
      { trx },
    );
    return req.id;
  } catch (e) {
    if (e instanceof AppError && e.code === 'ASSESSMENT_REQUEST_OPEN') return Number((e.params as { id: number }).id);
    if (e instanceof AppError && e.code === 'ASSESSMENT_PERSON_INACTIVE') return null;
    throw e;
  }
}

/** The steps that bump an alarm's version (folds and escalations do not): who changed it last. */
const VERSIONED_STEPS = ['acknowledged', 'action', 'note', 'resolved', 'assigned'];

/** Refuses a change made on an older version, naming who changed the alarm last and when. */
async function refuseChanged(trx: Trx, id: number): Promise<never> {
  const last = await trx
    .selectFrom('alarm_steps')
    .select(['at', 'by_user'])
    .where('alarm_id', '=', id)
    .where('kind', 'in', VERSIONED_STEPS)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) throw new AppError('ALARM_CHANGED', { id });
  throw new AppError('ALARM_CHANGED_BY', { id, who: await nameOf(trx, last.by_user), when: last.at });
}

/**
 * Whether the account may hold the alarm: active, of a role that handles alarms, within the
 * supervisor's region (as the shift view lists operators) and with the alarm's region in its own.
 */
async function mayHold(ctx: AppContext, trx: Trx, scope: Scope, row: AlarmRow, userId: number): Promise<boolean> {
  const account = (await activeAccounts(trx, [userId])).get(userId);
  if (!account || !isRole(account.role) || !can(account.role, 'alarms.handle')) return false;
  if (!regionInScope(scope, account.regionCode)) return false;
  const prefix = ctx.regions.get(account.regionCode)?.prefix;
  return prefix !== undefined && row.region_code.startsWith(prefix);
}

/**
 * POST /api/alarms/alarms/:id/assign: the shift supervisor takes an alarm an operator holds
 * (acknowledged, not resolved) over (`to`: themselves) or gives it to another operator of its
 * area. A conditional UPDATE on (id, state, the version the supervisor saw): acknowledged_by
 * becomes the new holder (acknowledged_at stays: the response time was the first operator's). A
 * still raised (escalated, unanswered) alarm can be handed out too: it becomes acknowledged by the
 * target now (the supervisor has put someone on it: that is the response time), a step
 * 'acknowledged' by the supervisor before the 'assigned' one, both audited; an operator
 * acknowledging it at the same moment wins or loses cleanly on the version. A step 'assigned' (its
 * action the new holder, the reason sealed), audited, pushed live so the operator who lost it sees
 * it move. Refused: a resolved alarm, a target that is not an operator of the alarm's area, the
 * holder already, and a version someone changed since (naming who and when).
 */
export async function assignAlarm(ctx: AppContext, scope: Scope, id: number, body: AssignBody): Promise<number> {
  requireAction(scope, 'alarms.supervise');
  const at = nowIso();
  const by = scope.userId ?? 0;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const row = await alarmInScope(trx, scope, id);
    if (row.state === 'resolved') await refuseResolved(trx, row);
    if (row.version !== body.version) await refuseChanged(trx, id);
    if (!(await mayHold(ctx, trx, scope, row, body.to))) throw new AppError('ALARM_ASSIGN_TARGET', { to: body.to });
    const raised = row.state === 'raised';
    if (!raised && row.acknowledged_by === body.to) throw new AppError('ALARM_ASSIGN_SAME', { id, who: await nameOf(trx, body.to) });
    const set: Partial<Omit<AlarmRow, 'id' | 'version'>> = raised
      ? { state: 'acknowledged', acknowledged_by: body.to, acknowledged_at: at }
      : { acknowledged_by: body.to };
    if (!(await conditional(trx, row, set))) {
      const now = await alarmInScope(trx, scope, id);
      if (now.state === 'resolved') await refuseResolved(trx, now);
      await refuseChanged(trx, id);
    }
    if (raised) {
      await step(trx, id, at, by, 'acknowledged', null, null, ctx);
      await recordAudit(trx, scope, {
        action: 'alarms.acknowledge',
        entityType: 'alarm',
        entityId: id,
        regionCode: row.region_code,
        detail: { person: row.person_id, kind: row.kind, raisedAt: row.raised_at, assignedTo: body.to },
      });
    }
    const reason = body.reason?.trim() || null;
    await step(trx, id, at, by, 'assigned', String(body.to), reason, ctx);
    await recordAudit(trx, scope, {
      action: 'alarms.assign',
      entityType: 'alarm',
      entityId: id,
      regionCode: row.region_code,
      detail: { person: row.person_id, kind: row.kind, from: row.acknowledged_by, to: body.to, takeOver: body.to === by, withReason: reason !== null },
    });
    return row;
  });
  publishAlarmChanges(ctx, [changeOf(row, 'acknowledged', at)]);
  return id;
}
