import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { can, isRole } from '../../platform/policy.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personPermitted } from '../register/people.js';
import type { CareEventRow } from './care-events.tables.js';
import { preparePhoto } from './photo.js';

export type CareEventKind = 'visit' | 'service' | 'meal' | 'volunteer' | 'alarm_response';
export type ConfirmationKind = 'person' | 'proxy' | 'officer';
export type CareEventStatus = 'recorded' | 'confirmed' | 'voided';

export const CARE_EVENT_KINDS = ['visit', 'service', 'meal', 'volunteer', 'alarm_response'] as const satisfies readonly CareEventKind[];
export const CONFIRMATION_KINDS = ['person', 'proxy', 'officer'] as const satisfies readonly ConfirmationKind[];
export const CARE_EVENT_STATUSES = ['recorded', 'confirmed', 'voided'] as const satisfies readonly CareEventStatus[];

/** The roles that confirm an event as an officer (in their region). */
export const OFFICER_ROLES: readonly string[] = ['bureau_admin', 'town_officer', 'village_head'];

/** How far ahead of the server's clock a device's start may lie (clock drift), in minutes. */
export const FUTURE_TOLERANCE_MINUTES = 5;
/** The longest event there is: a day. */
export const MAX_EVENT_MINUTES = 24 * 60;

export interface NewCareEvent {
  /** the device's id: a resend with the same id returns the first event (merged) */
  clientId: string;
  kind: CareEventKind;
  source: string;
  sourceId: number | null;
  performer: { id: number; role: string };
  personId: number;
  regionCode: string;
  mode: string;
  /** UTC ISO instants */
  startedAt: string;
  endedAt: string;
  location?: { lat: number; lng: number; accuracy: number } | null;
  findings: string[];
  notes?: string | null;
  /** the served person or a proxy confirmed on the performer's device */
  confirmation?: { kind: 'person' | 'proxy'; note?: string | null } | null;
}

/** What other modules read of an event: no personal content (notes, location, photos are read through the audited route). */
export interface CareEventSummary {
  id: number;
  kind: string;
  source: string;
  sourceId: number | null;
  performerId: number;
  performerRole: string;
  personId: number;
  regionCode: string;
  mode: string;
  startedAt: string;
  endedAt: string;
  durationMinutes: number;
  findings: string[];
  status: CareEventStatus;
  confirmedKind: ConfirmationKind | null;
  confirmedAt: string | null;
  photos: number;
}

export type ConfirmationSink = (ctx: AppContext, trx: Transaction<Database>, event: CareEventSummary) => Promise<void>;

/**
 * What a module does when an event is voided, in the void's own transaction: `event` is the event
 * as voided (status 'voided'), `wasConfirmed` whether it had been confirmed, `scope` the officer
 * who voided it. A sink that throws refuses the void (nothing is written).
 */
export type VoidSink = (ctx: AppContext, trx: Transaction<Database>, event: CareEventSummary, info: { wasConfirmed: boolean; scope: Scope }) => Promise<void>;

// ---- sealing ----

function seal(ctx: AppContext, value: unknown): string {
  return ctx.cipher.encrypt(JSON.stringify(value));
}

export function unseal<T>(ctx: AppContext, sealed: string | null): T | null {
  return sealed === null ? null : (JSON.parse(ctx.cipher.decrypt(sealed)) as T);
}

const textOrNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/** The scope an audit entry is signed with when the caller gave none: the performer. */
function performerScope(input: NewCareEvent): Scope {
  return {
    userId: input.performer.id,
    username: `user:${input.performer.id}`,
    role: isRole(input.performer.role) ? input.performer.role : 'system',
    regionCode: input.regionCode,
    regionPrefix: input.regionCode,
    organisationId: null,
    assignedOnly: false,
    ip: null,
  };
}

// ---- times ----

const PROBLEM = {
  invalid: { zh: '不是有效的时间', en: 'not a valid time' },
  endBeforeStart: { zh: '结束时间早于开始时间', en: 'the end is before the start' },
  future: {
    zh: `时间晚于当前时间（允许误差 ${FUTURE_TOLERANCE_MINUTES} 分钟）：请核对设备时钟`,
    en: `it lies in the future (more than ${FUTURE_TOLERANCE_MINUTES} minutes ahead): check the device's clock`,
  },
};

/** Checks an event's start and end; returns the canonical instants and the whole minutes between them. */
export function checkTimes(startedAt: string, endedAt: string, now: Date = new Date()): { start: string; end: string; minutes: number } {
  const s = new Date(startedAt);
  const e = new Date(endedAt);
  const params = (problem: { zh: string; en: string }) => ({ start: startedAt, end: endedAt, problem });
  if (Number.isNaN(s.getTime()) || Number.isNaN(e.getTime())) throw new AppError('CARE_EVENT_TIMES', params(PROBLEM.invalid));
  if (e.getTime() < s.getTime()) throw new AppError('CARE_EVENT_TIMES', params(PROBLEM.endBeforeStart));
  const limit = now.getTime() + FUTURE_TOLERANCE_MINUTES * 60_000;
  if (s.getTime() > limit || e.getTime() > limit) throw new AppError('CARE_EVENT_TIMES', params(PROBLEM.future));
  const minutes = Math.floor((e.getTime() - s.getTime()) / 60_000);
  if (minutes > MAX_EVENT_MINUTES) throw new AppError('CARE_EVENT_TOO_LONG', { start: startedAt, end: endedAt, hours: Math.round((minutes / 60) * 10) / 10 });
  return { start: s.toISOString(), end: e.toISOString(), minutes };
}

// ---- confirmation sinks ----

const sinks = new Map<string, ConfirmationSink>();

/** A module that acts on a confirmation (the time bank deposits hours) registers here once at start; a name given again replaces the sink. */
export function registerConfirmationSink(name: string, sink: ConfirmationSink): void {
  sinks.set(name, sink);
}

/** Removes a sink (tests). */
export function unregisterConfirmationSink(name: string): void {
  sinks.delete(name);
}

const voidSinks = new Map<string, VoidSink>();

/**
 * A module that undoes what an event did (visits reopens the due it closed, the time bank reverses
 * its deposit) registers here once at start; a name given again replaces the sink.
 */
export function registerVoidSink(name: string, sink: VoidSink): void {
  voidSinks.set(name, sink);
}

/** Removes a void sink (tests). */
export function unregisterVoidSink(name: string): void {
  voidSinks.delete(name);
}

async function runSinks(ctx: AppContext, trx: Transaction<Database>, id: number): Promise<CareEventSummary> {
  const summary = (await eventSummaries(trx, [id])).get(id);
  if (!summary) throw new Error(`care-events: event ${id} vanished inside its transaction`);
  for (const sink of sinks.values()) await sink(ctx, trx, summary);
  return summary;
}

// ---- recording ----

/**
 * Records an event in `trx` (audited 'care_event.record'). Refuses an end before the start, an
 * instant more than five minutes ahead, an event longer than a day. A resend with the same
 * clientId returns the first event's id (merged) and writes nothing. Notes, location and the
 * confirmation note are sealed. An event confirmed at record time runs the confirmation sinks in
 * `trx`. `scope` signs the audit entry (default: the performer).
 */
export async function recordEvent(
  ctx: AppContext,
  trx: Transaction<Database>,
  input: NewCareEvent,
  scope: Scope = performerScope(input),
): Promise<{ id: number; merged: boolean }> {
  const first = await trx.selectFrom('care_events').select('id').where('client_id', '=', input.clientId).executeTakeFirst();
  if (first) return { id: first.id, merged: true };
  const t = checkTimes(input.startedAt, input.endedAt);
  const at = nowIso();
  const confirmation = input.confirmation ?? null;
  const confirmationNote = textOrNull(confirmation?.note);
  const notes = textOrNull(input.notes);
  const row = await trx
    .insertInto('care_events')
    .values({
      client_id: input.clientId,
      kind: input.kind,
      source: input.source,
      source_id: input.sourceId,
      performer_id: input.performer.id,
      performer_role: input.performer.role,
      person_id: input.personId,
      region_code: input.regionCode,
      mode: input.mode,
      started_at: t.start,
      ended_at: t.end,
      duration_minutes: t.minutes,
      location_enc: input.location ? seal(ctx, { lat: input.location.lat, lng: input.location.lng, accuracy: input.location.accuracy }) : null,
      findings: JSON.stringify([...new Set(input.findings)]),
      notes_enc: notes ? seal(ctx, notes) : null,
      status: confirmation ? 'confirmed' : 'recorded',
      confirmed_kind: confirmation ? confirmation.kind : null,
      confirmed_by: confirmation ? input.performer.id : null,
      confirmed_at: confirmation ? at : null,
      confirmation_note_enc: confirmationNote ? seal(ctx, confirmationNote) : null,
      void_reason: null,
      voided_by: null,
      voided_at: null,
      recorded_by: scope.userId ?? input.performer.id,
      recorded_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, scope, {
    action: 'care_event.record',
    entityType: 'care_event',
    entityId: row.id,
    regionCode: input.regionCode,
    fields: [
      'kind',
      'mode',
      'startedAt',
      'endedAt',
      'findings',
      ...(notes ? ['notes'] : []),
      ...(input.location ? ['location'] : []),
      ...(confirmation ? ['confirmation'] : []),
    ],
    detail: {
      person: input.personId,
      kind: input.kind,
      source: input.source,
      sourceId: input.sourceId,
      minutes: t.minutes,
      ...(confirmation ? { confirmedKind: confirmation.kind } : {}),
    },
  });
  if (confirmation) await runSinks(ctx, trx, row.id);
  return { id: row.id, merged: false };
}

/**
 * Attaches a photo in `trx`: an image (JPEG, PNG, WebP by its bytes) no larger than maxBytes,
 * location metadata stripped unless kept; the bytes are sealed. Audited 'care_event.photo'.
 */
export async function attachPhoto(
  ctx: AppContext,
  trx: Transaction<Database>,
  eventId: number,
  photo: { bytes: Buffer; keepLocation: boolean; by: number; maxBytes: number },
  scope?: Scope,
): Promise<{ id: number; mime: string; bytes: number; locationKept: boolean }> {
  const event = await trx
    .selectFrom('care_events')
    .select(['id', 'region_code', 'person_id', 'performer_id', 'performer_role'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) throw new AppError('CARE_EVENT_NOT_FOUND', { id: eventId });
  const p = preparePhoto(photo.bytes, { keepLocation: photo.keepLocation, maxBytes: photo.maxBytes });
  const row = await trx
    .insertInto('care_event_evidence')
    .values({
      event_id: eventId,
      kind: 'photo',
      mime: p.mime,
      bytes: p.bytes.length,
      sha256: createHash('sha256').update(p.bytes).digest('hex'),
      content_enc: ctx.cipher.encrypt(p.bytes.toString('base64')),
      location_kept: photo.keepLocation ? 1 : 0,
      added_by: photo.by,
      added_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const signer: Scope = scope ?? {
    ...performerScope({ performer: { id: event.performer_id, role: event.performer_role }, regionCode: event.region_code } as NewCareEvent),
    userId: photo.by,
    username: `user:${photo.by}`,
  };
  await recordAudit(trx, signer, {
    action: 'care_event.photo',
    entityType: 'care_event',
    entityId: eventId,
    regionCode: event.region_code,
    fields: ['photo'],
    detail: {
      person: event.person_id,
      evidence: row.id,
      mime: p.mime,
      bytes: p.bytes.length,
      locationKept: photo.keepLocation,
      locationFound: p.locationFound,
    },
  });
  return { id: row.id, mime: p.mime, bytes: p.bytes.length, locationKept: photo.keepLocation };
}

// ---- reading ----

function summaryOf(r: CareEventRow, photos: number): CareEventSummary {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    sourceId: r.source_id,
    performerId: r.performer_id,
    performerRole: r.performer_role,
    personId: r.person_id,
    regionCode: r.region_code,
    mode: r.mode,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationMinutes: r.duration_minutes,
    findings: JSON.parse(r.findings) as string[],
    status: r.status as CareEventStatus,
    confirmedKind: r.confirmed_kind as ConfirmationKind | null,
    confirmedAt: r.confirmed_at,
    photos,
  };
}

const CHUNK = 500;

async function photoCounts(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    if (!chunk.length) continue;
    const rows = await db
      .selectFrom('care_event_evidence')
      .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', 'in', chunk)
      .groupBy('event_id')
      .execute();
    for (const r of rows) out.set(r.event_id, Number(r.n));
  }
  return out;
}

async function summariesOf(db: Executor, rows: CareEventRow[]): Promise<CareEventSummary[]> {
  const counts = await photoCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => summaryOf(r, counts.get(r.id) ?? 0));
}

/** Summaries of the given events, by id (an unknown id is absent). No personal content. */
export async function eventSummaries(db: Executor, ids: readonly number[]): Promise<Map<number, CareEventSummary>> {
  const unique = [...new Set(ids)];
  const rows: CareEventRow[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) {
    rows.push(
      ...(await db
        .selectFrom('care_events')
        .selectAll()
        .where('id', 'in', unique.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return new Map((await summariesOf(db, rows)).map((s) => [s.id, s]));
}

export interface EventsFilter {
  performerId?: number;
  /** any of these performers (the time bank's pending list: a region's volunteers) */
  performerIds?: readonly number[];
  personId?: number;
  personIds?: readonly number[];
  kind?: string;
  source?: string;
  sourceIds?: readonly number[];
  status?: CareEventStatus | readonly CareEventStatus[];
  /** instants (UTC ISO) or civil dates: events starting at or after `from`, before `to` */
  from?: string;
  to?: string;
  /** only events in this scope's region subtree */
  scope?: Scope;
  limit?: number;
}

/**
 * Events matching the filter, newest first, as summaries (for other modules: a person's visits,
 * a volunteer's events awaiting confirmation). The caller audits what it shows.
 */
export async function eventsOf(db: Executor, f: EventsFilter): Promise<CareEventSummary[]> {
  let q = db.selectFrom('care_events').selectAll();
  if (f.performerId !== undefined) q = q.where('performer_id', '=', f.performerId);
  if (f.performerIds) {
    if (!f.performerIds.length) return [];
    q = q.where('performer_id', 'in', [...f.performerIds]);
  }
  if (f.personId !== undefined) q = q.where('person_id', '=', f.personId);
  if (f.personIds) {
    if (!f.personIds.length) return [];
    q = q.where('person_id', 'in', [...f.personIds]);
  }
  if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  if (f.sourceIds) {
    if (!f.sourceIds.length) return [];
    q = q.where('source_id', 'in', [...f.sourceIds]);
  }
  if (f.status !== undefined) q = typeof f.status === 'string' ? q.where('status', '=', f.status) : q.where('status', 'in', [...f.status]);
  if (f.from) q = q.where('started_at', '>=', f.from);
  if (f.to) q = q.where('started_at', '<', f.to);
  if (f.scope) q = q.where(inRegion(f.scope, 'care_events.region_code'));
  q = q.orderBy('started_at', 'desc').orderBy('id', 'desc');
  if (f.limit) q = q.limit(f.limit);
  return summariesOf(db, await q.execute());
}

// ---- confirming and voiding ----

/** The event, if the viewer may see it: in their region, and for a worker or volunteer one they performed. */
export async function eventInScope(db: Executor, scope: Scope, id: number): Promise<CareEventRow | null> {
  const row = await db.selectFrom('care_events').selectAll().where('id', '=', id).where(inRegion(scope, 'care_events.region_code')).executeTakeFirst();
  if (!row) return null;
  if (performerOnly(scope)) return row.performer_id === scope.userId ? row : null;
  if (!(await personPermitted(db, scope, row.person_id, { regionChecked: true }))) return null;
  return row;
}

/** A grid worker or a volunteer (or any scope limited to assignments) sees only the events they performed. */
export function performerOnly(scope: Scope): boolean {
  return scope.role === 'grid_worker' || scope.role === 'volunteer' || scope.assignedOnly;
}

const isOfficer = (scope: Scope) => scope.role === 'system' || OFFICER_ROLES.includes(scope.role);

/**
 * Confirms an event in its own transaction and runs the confirmation sinks in it (a sink that
 * throws undoes the confirmation). An officer in scope confirms as 'officer' (not an event they
 * performed themselves); the performer confirms their own event as 'person' or 'proxy'.
 */
export async function confirmEvent(ctx: AppContext, scope: Scope, id: number, by: { kind: ConfirmationKind; note?: string | null }): Promise<CareEventSummary> {
  if (scope.role !== 'system' && (scope.role === 'anonymous' || !can(scope.role, 'care_events.confirm'))) throw new AppError('FORBIDDEN');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await eventInScope(trx, scope, id);
    if (!row) throw new AppError('CARE_EVENT_NOT_FOUND', { id });
    if (by.kind === 'officer') {
      if (!isOfficer(scope)) throw new AppError('CARE_EVENT_CONFIRM_NOT_YOURS', { id });
      // verification is by someone else: an officer's own visit waits for another officer
      if (row.performer_id === scope.userId) throw new AppError('CARE_EVENT_SELF_CONFIRM', { id });
    } else if (row.performer_id !== scope.userId) {
      throw new AppError('CARE_EVENT_CONFIRM_NOT_YOURS', { id });
    }
    if (row.status === 'voided') throw new AppError('CARE_EVENT_VOIDED', { id, reason: row.void_reason ?? '' });
    if (row.status === 'confirmed') throw new AppError('CARE_EVENT_ALREADY_CONFIRMED', { id, at: row.confirmed_at ?? '' });
    const note = textOrNull(by.note);
    const done = await trx
      .updateTable('care_events')
      .set({
        status: 'confirmed',
        confirmed_kind: by.kind,
        confirmed_by: scope.userId,
        confirmed_at: nowIso(),
        confirmation_note_enc: note ? seal(ctx, note) : null,
      })
      .where('id', '=', id)
      .where('status', '=', 'recorded')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CARE_EVENT_ALREADY_CONFIRMED', { id, at: '' });
    await recordAudit(trx, scope, {
      action: 'care_event.confirm',
      entityType: 'care_event',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status', 'confirmedKind', ...(note ? ['confirmationNote'] : [])],
      detail: { person: row.person_id, kind: by.kind },
    });
    return runSinks(ctx, trx, id);
  });
}

/**
 * Voids an event (an officer in scope), with a reason; a voided event is kept and shown as voided.
 * The void sinks run in the same transaction after the audit entry (the audit head is locked first,
 * as a confirmation does): the visit due it closed reopens, the hours it deposited are reversed; a
 * sink that refuses (hours already spent) refuses the void, and nothing is written.
 */
export async function voidEvent(ctx: AppContext, scope: Scope, id: number, reason: string): Promise<CareEventSummary> {
  if (scope.role !== 'system' && (scope.role === 'anonymous' || !can(scope.role, 'care_events.void'))) throw new AppError('FORBIDDEN');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await eventInScope(trx, scope, id);
    if (!row) throw new AppError('CARE_EVENT_NOT_FOUND', { id });
    if (row.status === 'voided') throw new AppError('CARE_EVENT_VOIDED', { id, reason: row.void_reason ?? '' });
    const why = reason.trim();
    const done = await trx
      .updateTable('care_events')
      .set({ status: 'voided', void_reason: why, voided_by: scope.userId, voided_at: nowIso() })
      .where('id', '=', id)
      .where('status', '<>', 'voided')
      .executeTakeFirst();
    // voided meanwhile by another officer: once only
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('CARE_EVENT_VOIDED', { id, reason: '' });
    await recordAudit(trx, scope, {
      action: 'care_event.void',
      entityType: 'care_event',
      entityId: id,
      regionCode: row.region_code,
      fields: ['status', 'voidReason'],
      detail: { person: row.person_id, wasConfirmed: row.status === 'confirmed' },
    });
    const summary = (await eventSummaries(trx, [id])).get(id)!;
    for (const sink of voidSinks.values()) await sink(ctx, trx, summary, { wasConfirmed: row.status === 'confirmed', scope });
    return summary;
  });
}
