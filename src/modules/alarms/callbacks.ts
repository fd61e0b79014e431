import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { personLabels, permittedPersons } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import type { HotlineCallbackRow } from './alarms.tables.js';
import type { CallbackDoneBody, CallbackDoneReply, CallbackOutcome, CallbacksQuery, CallbacksReply, CallbackStatus, CallbackView } from './hotline.schema.js';

/**
 * Return calls (回访) after a resolved real alarm, a closed complaint, a green-button request an
 * operator answered by calling back. One callback per alarm or ticket: scheduling again while
 * one is open returns that one, so a retried resolve or close never queues two calls.
 */

export interface ScheduleCallbackInput {
  personId: number | null;
  /** the person's region (scope of the list) */
  regionCode: string;
  alarmId?: number | null;
  ticketId?: number | null;
  /** civil date the call is due (YYYY-MM-DD) */
  dueOn: string;
}

/**
 * Schedules a return call inside the caller's transaction (the alarm's resolve, the ticket's
 * close) and audits it there; answers the callback's id (the follow-up 'callback:<id>').
 */
export async function scheduleCallback(_ctx: AppContext, trx: Transaction<Database>, scope: Scope, input: ScheduleCallbackInput): Promise<number> {
  if (!isCivilDate(input.dueOn)) throw new AppError('HOTLINE_DUE_DATE', { dueOn: input.dueOn });
  const alarmId = input.alarmId ?? null;
  const ticketId = input.ticketId ?? null;
  if (alarmId !== null || ticketId !== null) {
    let q = trx.selectFrom('hotline_callbacks').select('id').where('status', '=', 'open');
    q = alarmId !== null ? q.where('alarm_id', '=', alarmId) : q.where('ticket_id', '=', ticketId);
    const open = await q.executeTakeFirst();
    if (open) return open.id;
  }
  const row = await trx
    .insertInto('hotline_callbacks')
    .values({
      person_id: input.personId,
      region_code: input.regionCode,
      alarm_id: alarmId,
      ticket_id: ticketId,
      due_on: input.dueOn,
      status: 'open',
      done_at: null,
      done_by: null,
      outcome: null,
      note_enc: null,
      created_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, scope, {
    action: 'hotline.callback_schedule',
    entityType: 'hotline_callback',
    entityId: row.id,
    regionCode: input.regionCode,
    detail: { personId: input.personId, alarmId, ticketId, dueOn: input.dueOn },
  });
  return row.id;
}

/** A civil date `days` later. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Unanswered calls after which a return call is given up as unreachable. */
export const NO_ANSWER_LIMIT = 3;

/** One attempt at a return call, kept sealed in note_enc (the note may name anyone). */
interface Attempt {
  at: string;
  by: number;
  outcome: CallbackOutcome;
  note: string | null;
}
function attemptsOf(ctx: AppContext, enc: string | null): Attempt[] {
  return enc ? (JSON.parse(ctx.cipher.decrypt(enc)) as Attempt[]) : [];
}

export async function callbackViews(ctx: AppContext, db: Executor, rows: readonly HotlineCallbackRow[]): Promise<CallbackView[]> {
  const [labels, names] = await Promise.all([
    personLabels(
      db,
      rows.flatMap((r) => (r.person_id !== null ? [r.person_id] : [])),
    ),
    displayNames(
      db,
      rows.map((r) => r.done_by),
    ),
  ]);
  const on = today();
  return rows.map((r) => {
    const p = r.person_id !== null ? labels.get(r.person_id) : undefined;
    return {
      id: r.id,
      person: r.person_id !== null ? { id: r.person_id, name: p?.name ?? '', idMasked: p?.idMasked ?? '' } : null,
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      alarmId: r.alarm_id,
      ticketId: r.ticket_id,
      dueOn: r.due_on,
      status: r.status as CallbackStatus,
      overdue: r.status === 'open' && r.due_on < on,
      noAnswers: attemptsOf(ctx, r.note_enc).filter((a) => a.outcome === 'no_answer').length,
      outcome: r.outcome as CallbackOutcome | null,
      doneAt: r.done_at,
      doneBy: r.done_by !== null ? { id: r.done_by, name: names.get(r.done_by) ?? String(r.done_by) } : null,
    };
  });
}

function callbacksIn(db: Executor, scope: Scope) {
  return db.selectFrom('hotline_callbacks').where(inRegion(scope, 'hotline_callbacks.region_code'));
}

/** Open return calls about a person, soonest first (the summary's; the caller audits). */
export async function openCallbacksOf(ctx: AppContext, db: Executor, scope: Scope, personId: number): Promise<CallbackView[]> {
  const rows = await callbacksIn(db, scope)
    .selectAll()
    .where('person_id', '=', personId)
    .where('status', '=', 'open')
    .orderBy('due_on')
    .orderBy('id')
    .limit(20)
    .execute();
  return callbackViews(ctx, db, rows);
}

/** GET /api/alarms/hotline/callbacks: soonest due first; audited with the persons shown. */
export function listCallbacks(ctx: AppContext, scope: Scope, q: CallbacksQuery): Promise<CallbacksReply> {
  requireAction(scope, 'hotline.read');
  const on = today();
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = callbacksIn(trx, scope);
      if (q.status !== 'all') base = base.where('status', '=', q.status);
      if (q.due === 'due') base = base.where('due_on', '<=', on);
      if (q.due === 'overdue') base = base.where('due_on', '<', on);
      if (q.personId) base = base.where('person_id', '=', q.personId);
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .selectAll()
        .orderBy('due_on')
        .orderBy('id')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      const permitted = await permittedPersons(
        trx,
        scope,
        rows.flatMap((r) => (r.person_id !== null ? [r.person_id] : [])),
        { regionChecked: true },
      );
      const shown = rows.filter((r) => r.person_id === null || permitted.has(r.person_id));
      return { items: await callbackViews(ctx, trx, shown), total: total - (rows.length - shown.length), page: q.page, pageSize: q.pageSize };
    },
    (r) => ({
      action: 'hotline.callbacks_read',
      entityType: 'hotline_callback',
      regionCode: scope.regionCode,
      persons: r.items.flatMap((i) => (i.person ? [i.person.id] : [])),
      detail: { filter: { ...q }, shown: r.items.length },
    }),
  );
}

/**
 * POST /api/alarms/hotline/callbacks/:id/done: the call's outcome. An unanswered call leaves the
 * callback open for another try; the third makes it unreachable (and the answer says so). Every
 * attempt is kept, sealed, with its note. Serialised on the open status: a callback finished by
 * someone else meanwhile is refused, nothing changed.
 */
export async function callbackDone(ctx: AppContext, scope: Scope, id: number, body: CallbackDoneBody): Promise<CallbackDoneReply> {
  requireAction(scope, 'hotline.handle');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await callbacksIn(trx, scope).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || (row.person_id !== null && !(await permittedPersons(trx, scope, [row.person_id], { regionChecked: true })).has(row.person_id)))
      throw new AppError('HOTLINE_CALLBACK_NOT_FOUND', { id });
    if (row.status !== 'open') throw new AppError('HOTLINE_CALLBACK_CLOSED', { id, status: row.status });
    const at = nowIso();
    const by = scope.userId ?? 0;
    const attempts = [...attemptsOf(ctx, row.note_enc), { at, by, outcome: body.outcome, note: body.note ?? null }];
    const noAnswers = attempts.filter((a) => a.outcome === 'no_answer').length;
    const status: CallbackStatus = body.outcome !== 'no_answer' ? 'done' : noAnswers >= NO_ANSWER_LIMIT ? 'unreachable' : 'open';
    const res = await trx
      .updateTable('hotline_callbacks')
      .set({
        status,
        outcome: body.outcome,
        note_enc: ctx.cipher.encrypt(JSON.stringify(attempts)),
        done_at: status === 'open' ? null : at,
        done_by: by,
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      // the attempts read above are the ones replaced: two operators logging at once do not lose one
      .where((eb) => (row.note_enc === null ? eb('note_enc', 'is', null) : eb('note_enc', '=', row.note_enc)))
      .returningAll()
      .executeTakeFirst();
    if (!res) {
      const now = await trx.selectFrom('hotline_callbacks').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      throw new AppError('HOTLINE_CALLBACK_CLOSED', { id, status: now.status });
    }
    await recordAudit(trx, scope, {
      action: 'hotline.callback_done',
      entityType: 'hotline_callback',
      entityId: id,
      regionCode: row.region_code,
      fields: body.note ? ['outcome', 'note'] : ['outcome'],
      detail: { outcome: body.outcome, status, noAnswers, person: row.person_id },
    });
    const [view] = await callbackViews(ctx, trx, [res]);
    const notice =
      status === 'unreachable'
        ? {
            zh: `已连续 ${noAnswers} 次无人接听，回访标记为“无法联系”：请通知网格员上门确认老人情况`,
            en: `No answer ${noAnswers} times: the return call is marked unreachable; ask the grid worker to check on the person in person`,
          }
        : status === 'open'
          ? {
              zh: `无人接听（第 ${noAnswers} 次），回访保持待办；再有 ${NO_ANSWER_LIMIT - noAnswers} 次无人接听将标记为“无法联系”`,
              en: `No answer (attempt ${noAnswers}); the return call stays open — after ${NO_ANSWER_LIMIT - noAnswers} more it is marked unreachable`,
            }
          : null;
    return { ...view!, notice };
  });
}
