import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import { eventsOf, type CareEventSummary } from '../care-events/care-events.service.js';
import { personLabels } from '../register/people.js';
import { activeUsersOfRole, displayNames } from '../users/accounts.js';
import { accountViews, ledgerOf } from './accounts.js';
import { depositMinutes } from './movements.js';
import { timebankSettingsOf, type TimebankSettings } from './timebank.settings.js';
import type { MeReply, PendingEvent, PendingReply } from './timebank.schema.js';

/**
 * Volunteers' events as the time bank sees them: recorded and waiting for confirmation, or
 * confirmed and not yet deposited (no account when it was confirmed, or confirmed before the time
 * bank took it). Read through care-events' public eventsOf, never its table.
 */

/**
 * How far back the lists look: events started in the last year (a confirmed event older than that
 * and still not deposited is an officer's to find on the events list, not the day's work).
 */
const PENDING_DAYS = 366;
/** At most this many events of each kind per list (newest first). */
const MAX_EVENTS = 1000;

/** The figures a deposit is counted with (the settings of the jurisdiction the event took place in). */
type Figures = Pick<TimebankSettings, 'roundMinutes' | 'maxMinutesPerEvent'>;
/** The figures for an event's region: its jurisdiction's settings. */
export type FiguresOf = (regionCode: string) => Figures;
const figuresOf = (f: Figures | FiguresOf): FiguresOf => (typeof f === 'function' ? f : () => f);

const since = () => new Date(Date.now() - PENDING_DAYS * 86_400_000).toISOString();

/** Which of these event ids have a deposit already. */
async function deposited(db: Executor, ids: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('timebank_entries')
      .select('event_id')
      .where('event_id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.add(r.event_id!);
  }
  return out;
}

/**
 * Volunteers' events waiting: recorded (to confirm), and confirmed but not deposited with hours to
 * deposit (one that rounds down to nothing never will be), in `scope` when given.
 */
async function volunteerEvents(s: FiguresOf, db: Executor, performerIds: readonly number[], scope?: Scope): Promise<CareEventSummary[]> {
  const events: CareEventSummary[] = [];
  for (let i = 0; i < performerIds.length; i += 500) {
    const chunk = performerIds.slice(i, i + 500);
    // waiting for confirmation: the newest; confirmed: every one of the window, the deposited ones left out below
    events.push(...(await eventsOf(db, { performerIds: chunk, status: 'recorded', scope, from: since(), limit: MAX_EVENTS })));
    events.push(...(await eventsOf(db, { performerIds: chunk, status: 'confirmed', scope, from: since() })));
  }
  const mine = events.filter((e) => e.performerRole === 'volunteer' && (e.status === 'recorded' || depositMinutes(e.durationMinutes, s(e.regionCode)) > 0));
  const done = await deposited(
    db,
    mine.filter((e) => e.status === 'confirmed').map((e) => e.id),
  );
  const newestFirst = (a: CareEventSummary, b: CareEventSummary) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id - a.id);
  const waiting = mine.filter((e) => !done.has(e.id)).sort(newestFirst);
  return [...waiting.filter((e) => e.status === 'confirmed').slice(0, MAX_EVENTS), ...waiting.filter((e) => e.status === 'recorded').slice(0, MAX_EVENTS)];
}

async function pendingViews(ctx: AppContext, db: Executor, events: readonly CareEventSummary[]): Promise<PendingEvent[]> {
  if (!events.length) return [];
  const performers = [...new Set(events.map((e) => e.performerId))];
  const names = await displayNames(db, performers);
  const persons = await personLabels(
    db,
    events.map((e) => e.personId),
  );
  const accounts = new Map(
    (
      await db.selectFrom('timebank_accounts').select(['id', 'user_id']).where('holder_kind', '=', 'volunteer').where('user_id', 'in', performers).execute()
    ).map((a) => [a.user_id!, a.id]),
  );
  return events.map((e) => ({
    eventId: e.id,
    kind: e.kind,
    status: e.status === 'confirmed' ? 'confirmed' : 'recorded',
    performer: { id: e.performerId, name: names.get(e.performerId) ?? '' },
    personId: e.personId,
    personName: persons.get(e.personId)?.name ?? '',
    regionCode: e.regionCode,
    regionName: ctx.regions.get(e.regionCode)?.name ?? e.regionCode,
    startedAt: e.startedAt,
    endedAt: e.endedAt,
    durationMinutes: e.durationMinutes,
    minutes: depositMinutes(e.durationMinutes, timebankSettingsOf(ctx, e.regionCode)),
    accountId: accounts.get(e.performerId) ?? null,
  }));
}

/** The volunteers whose events an officer's pending list looks at: the active volunteers of the region, and the holders of accounts opened in it. */
async function volunteersOf(db: Executor, scope: Scope): Promise<number[]> {
  const active = await activeUsersOfRole(db, 'volunteer', scope.regionPrefix);
  const holders = await db
    .selectFrom('timebank_accounts')
    .select('user_id')
    .where('holder_kind', '=', 'volunteer')
    .where(inRegion(scope, 'timebank_accounts.region_code'))
    .execute();
  return [...new Set([...active.map((a) => a.id), ...holders.map((h) => h.user_id!)])];
}

/** The pending events of the viewer's region (a volunteer: their own), newest first. */
async function pendingIn(s: FiguresOf, db: Executor, scope: Scope): Promise<CareEventSummary[]> {
  if (scope.role === 'volunteer') return scope.userId === null ? [] : volunteerEvents(s, db, [scope.userId]);
  return (await volunteerEvents(s, db, await volunteersOf(db, scope), scope)).filter((e) => regionInScope(scope, e.regionCode));
}

/** GET /timebank/pending: confirmed volunteer events not yet deposited, and those waiting for confirmation (audited: the persons served are named). */
export function pendingList(ctx: AppContext, scope: Scope): Promise<PendingReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const views = await pendingViews(ctx, trx, await pendingIn((code) => timebankSettingsOf(ctx, code), trx, scope));
      return { toDeposit: views.filter((v) => v.status === 'confirmed'), unconfirmed: views.filter((v) => v.status === 'recorded') };
    },
    (r) => ({ action: 'timebank.pending_read', entityType: 'timebank_account', persons: [...r.toDeposit, ...r.unconfirmed].map((v) => v.personId) }),
  );
}

/** How many confirmed volunteer events of the viewer's region wait for a deposit (the workbench); `s`: each event's figures, or one set for all. */
export async function pendingDepositCount(s: Figures | FiguresOf, db: Executor, scope: Scope): Promise<number> {
  return (await pendingIn(figuresOf(s), db, scope)).filter((e) => e.status === 'confirmed').length;
}

/** GET /timebank/me: the viewer's own account with a page of its ledger, and their events waiting (audited). */
export function myAccount(ctx: AppContext, scope: Scope, paging: { page: number; pageSize: number }): Promise<MeReply & { persons: number[] }> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row =
        scope.userId === null
          ? undefined
          : await trx.selectFrom('timebank_accounts').selectAll().where('user_id', '=', scope.userId).where('holder_kind', '=', 'volunteer').executeTakeFirst();
      const ledger = row ? await ledgerOf(ctx, trx, row.id, paging.page, paging.pageSize) : null;
      const pending =
        scope.userId === null ? [] : await pendingViews(ctx, trx, await volunteerEvents((code) => timebankSettingsOf(ctx, code), trx, [scope.userId]));
      return {
        account: row ? (await accountViews(ctx, trx, [row]))[0]! : null,
        ledger: ledger?.page ?? null,
        pending,
        persons: [...(ledger?.persons ?? []), ...pending.map((p) => p.personId)],
      };
    },
    (r) => ({ action: 'timebank.me_read', entityType: 'timebank_account', entityId: r.account?.id, persons: r.persons }),
  );
}
