import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import type { Page } from '../../platform/paging.js';
import { can } from '../../platform/policy.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { personLabels } from '../register/people.js';
import { displayNames } from '../users/accounts.js';
import type { CareEventRow } from './care-events.tables.js';
import type { EventDetail, EventItem, EventsQuery } from './care-events.schema.js';
import { eventInScope, eventSummaries, OFFICER_ROLES, performerOnly, unseal, type CareEventSummary, type ConfirmationKind } from './care-events.service.js';

/**
 * The audited reads of the record: the list (who was served, by whom; no sealed content), one
 * event with its notes, location and photos' metadata, and a photo's bytes. Scope: the viewer's
 * region; a grid worker or a volunteer (or any scope limited to assignments or an organisation)
 * sees only the events they performed — the simplest rule that shows a worker their own work and
 * nobody else's.
 */

/** A civil date's first instant in the jurisdiction's zone (UTC ISO). */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`).toISOString();
const dayAfter = (d: string) => new Date(new Date(`${d}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();

async function itemsOf(ctx: AppContext, trx: Transaction<Database>, summaries: CareEventSummary[]): Promise<EventItem[]> {
  const labels = await personLabels(
    trx,
    summaries.map((s) => s.personId),
  );
  const names = await displayNames(
    trx,
    summaries.map((s) => s.performerId),
  );
  return summaries.map((s) => {
    const p = labels.get(s.personId);
    return {
      id: s.id,
      kind: s.kind,
      source: s.source,
      sourceId: s.sourceId,
      person: { id: s.personId, name: p?.name ?? '', idMasked: p?.idMasked ?? '' },
      performer: { id: s.performerId, name: names.get(s.performerId) ?? '', role: s.performerRole },
      regionCode: s.regionCode,
      regionName: ctx.regions.get(s.regionCode)?.name ?? s.regionCode,
      mode: s.mode,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      durationMinutes: s.durationMinutes,
      findings: s.findings,
      status: s.status,
      confirmedKind: s.confirmedKind,
      confirmedAt: s.confirmedAt,
      photos: s.photos,
    };
  });
}

/** GET /api/care-events: a page of events in the viewer's scope, newest first; audited with the persons shown. */
export async function listEvents(ctx: AppContext, scope: Scope, q: EventsQuery): Promise<Page<EventItem>> {
  requireAction(scope, 'care_events.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = trx.selectFrom('care_events').where(inRegion(scope, 'care_events.region_code'));
      if (performerOnly(scope)) base = base.where('performer_id', '=', scope.userId ?? -1);
      if (q.personId) base = base.where('person_id', '=', q.personId);
      if (q.performerId) base = base.where('performer_id', '=', q.performerId);
      if (q.kind) base = base.where('kind', '=', q.kind);
      if (q.status) base = base.where('status', '=', q.status);
      if (q.from) base = base.where('started_at', '>=', dayStart(q.from));
      if (q.to) base = base.where('started_at', '<', dayAfter(q.to));
      const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const ids = (
        await base
          .select('id')
          .orderBy('started_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)
          .execute()
      ).map((r) => r.id);
      const summaries = await eventSummaries(trx, ids);
      const items = await itemsOf(
        ctx,
        trx,
        ids.map((id) => summaries.get(id)!),
      );
      return { items, total, page: q.page, pageSize: q.pageSize };
    },
    (r) => ({
      action: 'care_event.list',
      entityType: 'care_event',
      regionCode: scope.regionCode,
      persons: r.items.map((i) => i.person.id),
      detail: { filters: { ...q }, shown: r.items.length, total: r.total },
    }),
  );
}

/** The confirmation kinds open to the viewer on this event now. */
export function confirmKindsFor(scope: Scope, row: Pick<CareEventRow, 'status' | 'performer_id'>): ConfirmationKind[] {
  if (row.status !== 'recorded' || scope.role === 'anonymous' || scope.role === 'system' || !can(scope.role, 'care_events.confirm')) return [];
  const out: ConfirmationKind[] = [];
  if (row.performer_id === scope.userId) out.push('person', 'proxy');
  if (OFFICER_ROLES.includes(scope.role)) out.push('officer');
  return out;
}

async function loadDetail(ctx: AppContext, trx: Transaction<Database>, scope: Scope, id: number): Promise<EventDetail> {
  const row = await eventInScope(trx, scope, id);
  if (!row) throw new AppError('CARE_EVENT_NOT_FOUND', { id });
  const summary = (await eventSummaries(trx, [id])).get(id)!;
  const [item] = await itemsOf(ctx, trx, [summary]);
  const photos = await trx
    .selectFrom('care_event_evidence')
    .select(['id', 'mime', 'bytes', 'location_kept', 'added_at'])
    .where('event_id', '=', id)
    .orderBy('id')
    .execute();
  const names = await displayNames(trx, [row.confirmed_by, row.voided_by]);
  const refOf = (uid: number | null) => (uid === null ? null : { id: uid, name: names.get(uid) ?? '' });
  return {
    ...item!,
    notes: unseal<string>(ctx, row.notes_enc),
    location: unseal<{ lat: number; lng: number; accuracy: number }>(ctx, row.location_enc),
    confirmedBy: refOf(row.confirmed_by),
    confirmationNote: unseal<string>(ctx, row.confirmation_note_enc),
    voidReason: row.void_reason,
    voidedAt: row.voided_at,
    voidedBy: refOf(row.voided_by),
    recordedAt: row.recorded_at,
    photoList: photos.map((p) => ({
      id: p.id,
      mime: p.mime as 'image/jpeg' | 'image/png' | 'image/webp',
      bytes: p.bytes,
      locationKept: p.location_kept === 1,
      addedAt: p.added_at,
    })),
    can: {
      confirm: confirmKindsFor(scope, row),
      void: row.status !== 'voided' && scope.role !== 'anonymous' && (scope.role === 'system' || can(scope.role, 'care_events.void')),
    },
  };
}

/** GET /api/care-events/:id: one event with its sealed parts opened; audited. Out of scope: 404. */
export async function getEvent(ctx: AppContext, scope: Scope, id: number): Promise<EventDetail> {
  requireAction(scope, 'care_events.read');
  return auditedRead(
    ctx.db,
    scope,
    (trx) => loadDetail(ctx, trx, scope, id),
    (d) => ({
      action: 'care_event.read',
      entityType: 'care_event',
      entityId: id,
      regionCode: d.regionCode,
      fields: ['notes', 'location', 'confirmationNote', 'photos'].filter((f) =>
        f === 'notes'
          ? d.notes !== null
          : f === 'location'
            ? d.location !== null
            : f === 'confirmationNote'
              ? d.confirmationNote !== null
              : d.photoList.length > 0,
      ),
      persons: [d.person.id],
    }),
  );
}

/** GET /api/care-events/:id/photos/:photoId: the photo's bytes; audited. */
export async function getPhoto(ctx: AppContext, scope: Scope, id: number, photoId: number): Promise<{ mime: string; bytes: Buffer; personId: number }> {
  requireAction(scope, 'care_events.read');
  return readPhoto(ctx, scope, id, photoId, (trx) => eventInScope(trx, scope, id));
}

/**
 * An event's photo for a module that created the event and has checked the viewer may see it by
 * its own rule (a provider's staff see their order's photo: services' orderPhoto); audited here
 * the same way as the route above. `seen` is the caller's check, run inside the read.
 */
export async function readEventPhoto(
  ctx: AppContext,
  scope: Scope,
  id: number,
  photoId: number,
  seen: (trx: Transaction<Database>) => Promise<boolean>,
): Promise<{ mime: string; bytes: Buffer; personId: number }> {
  return readPhoto(ctx, scope, id, photoId, async (trx) =>
    (await seen(trx)) ? await trx.selectFrom('care_events').selectAll().where('id', '=', id).executeTakeFirst() : null,
  );
}

async function readPhoto(
  ctx: AppContext,
  scope: Scope,
  id: number,
  photoId: number,
  rowOf: (trx: Transaction<Database>) => Promise<CareEventRow | null | undefined>,
): Promise<{ mime: string; bytes: Buffer; personId: number }> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await rowOf(trx);
      if (!row) throw new AppError('CARE_EVENT_NOT_FOUND', { id });
      const p = await trx
        .selectFrom('care_event_evidence')
        .select(['mime', 'content_enc'])
        .where('id', '=', photoId)
        .where('event_id', '=', id)
        .executeTakeFirst();
      if (!p) throw new AppError('NOT_FOUND', { what: { zh: `服务记录照片（编号 ${photoId}）`, en: `Event photo ${photoId}` } });
      return { mime: p.mime, bytes: Buffer.from(ctx.cipher.decrypt(p.content_enc), 'base64'), personId: row.person_id, regionCode: row.region_code };
    },
    (r) => ({
      action: 'care_event.photo_read',
      entityType: 'care_event',
      entityId: id,
      regionCode: r.regionCode,
      fields: ['photo'],
      persons: [r.personId],
      detail: { photo: photoId },
    }),
  );
}
