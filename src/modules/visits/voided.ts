import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { eventsOf, registerVoidSink, type CareEventSummary } from '../care-events/care-events.service.js';
import { memberModes, notCounted } from './record.js';
import { visitSettingsOf } from './visits.settings.js';

/**
 * A visit voided (care-events' void, an officer's): the due it closed is no longer done, so the
 * monthly visit rate counts it as not done (rate.ts reads the due's status). Another visit of the
 * same window that was recorded besides ('already_done') and would have counted takes its place,
 * the earliest first; otherwise the due reopens — 'open' while its window runs, 'missed' once it
 * has ended (as the daily refresh would have marked it), so it is on the overdue lists again. In
 * the void's transaction, audited 'visits.due_reopen' (signed by the officer who voided).
 *
 * Left as they are: an escalation already raised or not raised on the due's earlier status (the
 * next refresh's escalation phase reads the dues as they now stand), and the anchor of a rolling
 * week already generated from the voided visit.
 */
export async function reopenDueOnVoid(
  ctx: AppContext,
  trx: Transaction<Database>,
  ev: CareEventSummary,
  scope: Scope,
): Promise<{ dueId: number; status: 'done' | 'open' | 'missed'; eventId: number | null } | null> {
  if (ev.kind !== 'visit' || ev.source !== 'visits') return null;
  const due = await trx
    .selectFrom('visit_dues')
    .select(['id', 'member_id', 'person_id', 'region_code', 'window_start', 'window_end', 'status', 'event_id'])
    .where('event_id', '=', ev.id)
    .where('status', '=', 'done')
    .executeTakeFirst();
  if (!due) return null;
  const settings = visitSettingsOf(ctx, due.region_code);
  const modes = await memberModes(trx, due.member_id);
  const others = await eventsOf(trx, { kind: 'visit', source: 'visits', sourceIds: [due.id], status: ['recorded', 'confirmed'] });
  const replacement = others
    .filter((o) => o.id !== ev.id)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id - b.id)
    .find((o) => notCounted(settings, due, modes, today(new Date(o.startedAt)), o.mode, o.durationMinutes) === null);
  const next = replacement
    ? { status: 'done' as const, event_id: replacement.id, done_on: today(new Date(replacement.startedAt)) }
    : { status: due.window_end < today() ? ('missed' as const) : ('open' as const), event_id: null, done_on: null };
  await trx.updateTable('visit_dues').set(next).where('id', '=', due.id).where('event_id', '=', ev.id).execute();
  await recordAudit(trx, scope, {
    action: 'visits.due_reopen',
    entityType: 'visit_due',
    entityId: due.id,
    regionCode: due.region_code,
    fields: ['status', 'eventId', 'doneOn'],
    detail: { person: due.person_id, voidedEvent: ev.id, status: next.status, replacedBy: next.event_id },
  });
  return { dueId: due.id, status: next.status, eventId: next.event_id };
}

/** The module's hook into care-events' void (start hook; a name given again replaces the sink). */
export function registerVisitVoidSink(): void {
  registerVoidSink('visits', async (ctx, trx, event, { scope }) => {
    await reopenDueOnVoid(ctx, trx, event, scope);
  });
}
