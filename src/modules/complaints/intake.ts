import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { anonymousScope, everywhere, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { normalisePhone } from '../alarms/contacts.js';
import { registerComplaintTicketSink, type ComplaintTicket } from '../alarms/tickets.js';
import { facilityById, listFacilities } from '../facilities/directory.js';
import { listProviders, providerInScope } from '../services/providers.js';
import { complaintSettingsOf } from './complaints.settings.js';
import type { ComplaintCategory, FileBody, FileReply, PublicTargetsReply, TargetKind, TrackReply } from './complaints.schema.js';
import { newTrackingNumber, normaliseTracking, trackingHash } from './tracking.js';

/**
 * How complaints come in: the public form (no login), a hotline ticket of kind 'complaint' (the
 * alarms module's sink, in the ticket's transaction), a survey call where the recipient says the
 * service was not given. Each gets a tracking number, a deadline from the jurisdiction's setting
 * and a handling unit: the town of the region it is about (the bureau when it is about the county).
 */

/**
 * Markup in what a complainant writes is refused rather than stored: the words reach officers'
 * screens, exports and the tracking page, and an elder has no reason to write a tag. A lone '<'
 * ("费用<100元") is words, not a tag, and passes.
 */
const MARKUP = /<\s*\/?\s*[a-zA-Z!?]|javascript\s*:/i;
const FIELD_WORDS = {
  text: { zh: '发生了什么', en: 'What happened' },
  targetName: { zh: '被投诉对象的名称', en: 'The name of the one complained about' },
  contactName: { zh: '称呼', en: 'Your name' },
  reply: { zh: '答复', en: 'The reply' },
} as const;
/** The message names the field in the form's own words; the field's key goes in the details, for a program. */
export function refuseMarkup(field: keyof typeof FIELD_WORDS, value: string | undefined): void {
  if (value !== undefined && MARKUP.test(value)) throw new AppError('COMPLAINT_MARKUP', { field: FIELD_WORDS[field] }, { field });
}

export function addDays(on: string, n: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const KIND_WORDS = { facility: { zh: '养老服务机构', en: 'facility' }, provider: { zh: '居家服务机构', en: 'home-service provider' } } as const;

export interface ResolvedTarget {
  kind: TargetKind;
  id: number | null;
  name: string | null;
  regionCode: string | null;
}

/** The target named, checked to exist (a facility of ../facilities, a provider of ../services). */
export async function resolveTarget(
  ctx: AppContext,
  db: Executor,
  kind: TargetKind,
  id: number | undefined,
  name: string | undefined,
): Promise<ResolvedTarget> {
  if (kind === 'other') {
    if (!name) throw new AppError('COMPLAINT_TARGET_NAME_REQUIRED');
    return { kind, id: null, name, regionCode: null };
  }
  if (id === undefined) throw new AppError('COMPLAINT_TARGET_NOT_FOUND', { kind: KIND_WORDS[kind], id: '—' });
  if (kind === 'facility') {
    const f = await facilityById(db, id);
    if (!f) throw new AppError('COMPLAINT_TARGET_NOT_FOUND', { kind: KIND_WORDS[kind], id });
    return { kind, id, name: null, regionCode: f.regionCode };
  }
  try {
    const p = await providerInScope(db, everywhere(), id);
    return { kind, id, name: null, regionCode: p.region_code };
  } catch (e) {
    if (e instanceof AppError) throw new AppError('COMPLAINT_TARGET_NOT_FOUND', { kind: KIND_WORDS[kind], id });
    throw e;
  }
}

/** The unit that handles complaints about a region: its town, or above town level its jurisdiction (the county's bureau). */
export function unitOf(ctx: AppContext, regionCode: string): string {
  return ctx.regions.town(regionCode)?.code ?? ctx.regions.jurisdictionOf(regionCode)?.code ?? regionCode;
}

export interface NewComplaint {
  source: 'public' | 'hotline' | 'survey';
  sourceId: number | null;
  target: ResolvedTarget;
  category: ComplaintCategory;
  text: string;
  happenedOn: string | null;
  regionCode: string;
  contactName: string | null;
  contactPhone: string | null;
  /** when it was received, if earlier than now (a complaint entered from a paper register; the demo's history) */
  receivedAt?: string;
}

/** Writes a complaint and its first step in the caller's transaction; answers its id and tracking number. */
export async function insertComplaint(
  ctx: AppContext,
  trx: Transaction<Database>,
  scope: Scope,
  c: NewComplaint,
): Promise<{ id: number; trackingNumber: string; dueOn: string; receivedOn: string; unitCode: string }> {
  const s = complaintSettingsOf(ctx, c.regionCode);
  const at = c.receivedAt ?? nowIso();
  const on = today(new Date(at));
  const dueOn = addDays(on, s.deadlineDays);
  const trackingNumber = newTrackingNumber();
  const unit = unitOf(ctx, c.regionCode);
  const row = await trx
    .insertInto('complaints')
    .values({
      tracking_hash: trackingHash(ctx, normaliseTracking(trackingNumber)!),
      source: c.source,
      source_id: c.sourceId,
      target_kind: c.target.kind,
      target_id: c.target.id,
      target_name: c.target.name,
      category: c.category,
      text_enc: ctx.cipher.encrypt(c.text),
      happened_on: c.happenedOn,
      contact_name_enc: c.contactName ? ctx.cipher.encrypt(c.contactName) : null,
      contact_phone_enc: c.contactPhone ? ctx.cipher.encrypt(c.contactPhone) : null,
      region_code: c.regionCode,
      status: 'received',
      received_at: at,
      received_on: on,
      due_on: dueOn,
      deadline_days: s.deadlineDays,
      unit_code: unit,
      officer_id: null,
      reply_enc: null,
      replied_at: null,
      replied_on: null,
      substantiated: null,
      closed_at: null,
      escalated_on: null,
      updated_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('complaint_steps')
    .values({ complaint_id: row.id, kind: 'received', note_enc: null, detail: JSON.stringify({ source: c.source, unit }), by_user: scope.userId, at })
    .execute();
  await recordAudit(trx, scope, {
    action: 'complaints.file',
    entityType: 'complaint',
    entityId: row.id,
    regionCode: c.regionCode,
    fields: ['text', ...(c.contactName ? ['contactName'] : []), ...(c.contactPhone ? ['contactPhone'] : [])],
    detail: { source: c.source, sourceId: c.sourceId, category: c.category, target: c.target.kind, targetId: c.target.id, unit, dueOn },
  });
  return { id: row.id, trackingNumber, dueOn, receivedOn: on, unitCode: unit };
}

/** POST /api/complaints/public: the public form. Everything is checked before anything is written. */
export async function fileComplaint(ctx: AppContext, body: FileBody, ip: string | null): Promise<FileReply> {
  refuseMarkup('text', body.text);
  refuseMarkup('targetName', body.targetName);
  refuseMarkup('contactName', body.contactName);
  const phone = body.contactPhone !== undefined ? normalisePhone(body.contactPhone, 'contactPhone') : null;
  if (body.happenedOn !== undefined && body.happenedOn > today()) throw new AppError('COMPLAINT_DATE', { date: body.happenedOn });
  const target = await resolveTarget(ctx, ctx.db, body.targetKind, body.targetId, body.targetName);
  // the public form has no viewer: a complaint naming no region goes to the platform's top (a single county's bureau)
  const top = ctx.regions.top();
  const region = target.regionCode ?? body.regionCode ?? top?.code ?? '';
  if (!ctx.regions.get(region) || (top && !region.startsWith(top.prefix))) throw new AppError('COMPLAINT_REGION_UNKNOWN', { region });
  const scope = anonymousScope('complaint', ip);
  const done = await ctx.db.transaction().execute((trx) =>
    insertComplaint(ctx, trx, scope, {
      source: 'public',
      sourceId: null,
      target,
      category: body.category,
      text: body.text,
      happenedOn: body.happenedOn ?? null,
      regionCode: region,
      // nothing personal kept without the box ticked (R12): checked above all the same, then left out
      contactName: body.consent === true ? (body.contactName ?? null) : null,
      contactPhone: body.consent === true ? phone : null,
    }),
  );
  return { trackingNumber: done.trackingNumber, dueOn: done.dueOn, receivedOn: done.receivedOn };
}

/**
 * POST /api/complaints/public/track: the complainant's view. A number that is malformed, unknown or
 * guessed gets the one not-found, after the same work (a lookup, a decryption, an audit entry), so
 * neither the answer nor its time tells them apart.
 */
export async function trackComplaint(ctx: AppContext, raw: string, ip: string | null): Promise<TrackReply> {
  const normalised = normaliseTracking(raw) ?? '0'.repeat(16);
  const hash = trackingHash(ctx, normalised);
  const scope = anonymousScope('complaint-tracking', ip);
  const found = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('complaints')
      .select(['id', 'status', 'category', 'received_on', 'due_on', 'replied_on', 'closed_at', 'unit_code', 'reply_enc', 'region_code'])
      .where('tracking_hash', '=', hash)
      .executeTakeFirst();
    const reply = row?.reply_enc ? ctx.cipher.decrypt(row.reply_enc) : (ctx.cipher.decrypt(DUMMY(ctx)), null);
    await recordAudit(trx, scope, {
      action: 'complaints.track',
      entityType: 'complaint',
      entityId: row?.id,
      regionCode: row?.region_code ?? null,
      detail: { found: !!row },
    });
    return row ? { row, reply } : null;
  });
  if (!found) throw new AppError('COMPLAINT_TRACKING_NOT_FOUND');
  const { row, reply } = found;
  return {
    status: row.status as TrackReply['status'],
    category: row.category as TrackReply['category'],
    receivedOn: row.received_on,
    dueOn: row.due_on,
    repliedOn: row.replied_on,
    closedOn: row.closed_at ? today(new Date(row.closed_at)) : null,
    unit: ctx.regions.get(row.unit_code)?.name ?? row.unit_code,
    reply: row.status === 'replied' || row.status === 'closed' ? reply : null,
  };
}

let dummy: { cipher: unknown; sealed: string } | null = null;
/** A sealed value decrypted when there is no reply, so a miss costs what a hit costs. */
function DUMMY(ctx: AppContext): string {
  if (!dummy || dummy.cipher !== ctx.cipher) dummy = { cipher: ctx.cipher, sealed: ctx.cipher.encrypt('—'.repeat(40)) };
  return dummy.sealed;
}

/** GET /api/complaints/public/targets: what the public form offers — facilities and providers by name, and the towns. */
export async function publicTargets(ctx: AppContext): Promise<PublicTargetsReply> {
  // the public, nobody in particular: the whole platform (its top: a single county, or a city and its counties)
  const j = ctx.regions.top();
  const [facilities, providers] = await Promise.all([
    listFacilities(ctx.db, { regionPrefix: j?.prefix ?? '', activeOnly: true }),
    listProviders(ctx, everywhere()),
  ]);
  const regionName = (code: string) => ctx.regions.get(code)?.name ?? code;
  return {
    targets: [
      ...facilities.map((f) => ({ kind: 'facility' as const, id: f.id, name: f.name, regionName: regionName(f.regionCode) })),
      ...providers.items.filter((p) => p.active).map((p) => ({ kind: 'provider' as const, id: p.id, name: p.name, regionName: p.regionName })),
    ],
    towns: ctx.regions
      .all()
      .filter((r) => r.level === 'town')
      .map((r) => ({ code: r.code, name: r.name })),
    deadlineDays: complaintSettingsOf(ctx, j?.code ?? '').deadlineDays,
  };
}

/**
 * A hotline complaint ticket files a complaint in the ticket's transaction: about 'other' (the
 * operator's subject names it; the handling officer sets the facility or provider on classifying),
 * category 'other', the caller as the contact (sealed), the subject and notes as what happened.
 */
export async function complaintFromTicket(ctx: AppContext, trx: Transaction<Database>, scope: Scope, t: ComplaintTicket): Promise<{ trackingNumber: string }> {
  const filed = await insertComplaint(ctx, trx, scope, {
    source: 'hotline',
    sourceId: t.id,
    target: { kind: 'other', id: null, name: t.subject.slice(0, 100), regionCode: null },
    category: 'other',
    text: t.notes ? `${t.subject}\n${t.notes}` : t.subject,
    happenedOn: null,
    regionCode: t.regionCode,
    contactName: t.callerName,
    contactPhone: t.callerPhone,
  });
  return { trackingNumber: filed.trackingNumber };
}

export function registerComplaintsSinks(): void {
  registerComplaintTicketSink('complaints', complaintFromTicket);
}
