import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { mask } from '../../platform/mask.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, regionInScope, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { listFacilities, type FacilityKind } from '../facilities/directory.js';
import { providerNames } from '../services/providers.js';
import { activeUsersOfRole, displayNames } from '../users/accounts.js';
import { complaintSettingsOf } from './complaints.settings.js';
import type {
  AssignBody,
  ClassifyBody,
  CloseBody,
  ComplaintDetail,
  ComplaintItem,
  ComplaintsQuery,
  ComplaintsReply,
  ComplaintStep,
  ContactReply,
  NoteBody,
  ReplyBody,
} from './complaints.schema.js';
import type { ComplaintRow } from './complaints.tables.js';
import { refuseMarkup, resolveTarget } from './intake.js';

/**
 * The officer's side: the inbox (the complaints whose handling unit lies in the viewer's region),
 * the detail with its timeline, and the steps — assign, investigate, note, classify, reply, close.
 * Every step is a timeline row and an audit entry in one transaction; the detail's read of the
 * complainant's words and contact is audited.
 */

const DAY_MS = 86_400_000;
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Days past the deadline without a reply, as of `on` (0 when replied or not yet due). */
export function daysOverdue(r: Pick<ComplaintRow, 'replied_on' | 'due_on' | 'status'>, on: string): number {
  return r.replied_on === null && r.status !== 'closed' && r.due_on < on ? daysBetween(r.due_on, on) : 0;
}

export function complaintsIn(db: Executor, scope: Scope) {
  return db.selectFrom('complaints').where(inRegion(scope, 'complaints.unit_code'));
}

type TargetLabel = { name: string; facilityKind: FacilityKind | null };
async function targetNames(db: Executor, rows: readonly Pick<ComplaintRow, 'target_kind' | 'target_id'>[]): Promise<Map<string, TargetLabel>> {
  const fac = [...new Set(rows.filter((r) => r.target_kind === 'facility' && r.target_id !== null).map((r) => r.target_id!))];
  const prov = [...new Set(rows.filter((r) => r.target_kind === 'provider' && r.target_id !== null).map((r) => r.target_id!))];
  const out = new Map<string, TargetLabel>();
  if (fac.length) for (const f of await listFacilities(db, { ids: fac })) out.set(`facility:${f.id}`, { name: f.name, facilityKind: f.kind });
  if (prov.length) for (const [id, name] of await providerNames(db, prov)) out.set(`provider:${id}`, { name, facilityKind: null });
  return out;
}

async function items(ctx: AppContext, db: Executor, rows: readonly ComplaintRow[]): Promise<ComplaintItem[]> {
  const [names, officers] = await Promise.all([
    targetNames(db, rows),
    displayNames(
      db,
      rows.map((r) => r.officer_id),
    ),
  ]);
  const on = today();
  const regionName = (code: string) => ctx.regions.get(code)?.name ?? code;
  return rows.map((r) => ({
    id: r.id,
    source: r.source as ComplaintItem['source'],
    target: {
      kind: r.target_kind as ComplaintItem['target']['kind'],
      id: r.target_id,
      name: r.target_kind === 'other' ? (r.target_name ?? '') : (names.get(`${r.target_kind}:${r.target_id}`)?.name ?? String(r.target_id)),
      facilityKind: r.target_kind === 'facility' ? (names.get(`facility:${r.target_id}`)?.facilityKind ?? null) : null,
    },
    category: r.category as ComplaintItem['category'],
    status: r.status as ComplaintItem['status'],
    regionCode: r.region_code,
    regionName: regionName(r.region_code),
    unitCode: r.unit_code,
    unitName: regionName(r.unit_code),
    officer: r.officer_id !== null ? { id: r.officer_id, name: officers.get(r.officer_id) ?? String(r.officer_id) } : null,
    receivedOn: r.received_on,
    dueOn: r.due_on,
    daysOverdue: daysOverdue(r, on),
    escalatedOn: r.escalated_on,
    substantiated: r.substantiated as ComplaintItem['substantiated'],
  }));
}

/** GET /api/complaints: the inbox, newest first; overdue ones can be asked for alone. */
export function listComplaints(ctx: AppContext, scope: Scope, q: ComplaintsQuery): Promise<ComplaintsReply> {
  requireAction(scope, 'complaints.read');
  const on = today();
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let base = complaintsIn(trx, scope);
      if (q.status) base = base.where('status', '=', q.status);
      if (q.open === 'true') base = base.where('status', '!=', 'closed');
      if (q.open === 'false') base = base.where('status', '=', 'closed');
      if (q.overdue === 'true') base = base.where('replied_on', 'is', null).where('status', '!=', 'closed').where('due_on', '<', on);
      if (q.category) base = base.where('category', '=', q.category);
      if (q.targetKind) base = base.where('target_kind', '=', q.targetKind);
      if (q.targetId) base = base.where('target_id', '=', q.targetId);
      const total = Number((await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
      const rows = await base
        .selectAll()
        .orderBy('id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .execute();
      return { items: await items(ctx, trx, rows), total, page: q.page, pageSize: q.pageSize };
    },
    (r) => ({ action: 'complaints.list_read', entityType: 'complaint', detail: { ids: r.items.map((i) => i.id), filter: { ...q } }, persons: [] }),
  );
}

async function complaintInScope(db: Executor, scope: Scope, id: number): Promise<ComplaintRow> {
  const row = await complaintsIn(db, scope).selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('COMPLAINT_NOT_FOUND', { id });
  return row;
}

async function detailOf(ctx: AppContext, db: Executor, row: ComplaintRow): Promise<ComplaintDetail> {
  const [item] = await items(ctx, db, [row]);
  const steps = await db.selectFrom('complaint_steps').selectAll().where('complaint_id', '=', row.id).orderBy('id').execute();
  const names = await displayNames(
    db,
    steps.map((s) => s.by_user),
  );
  const unit = ctx.regions.get(row.unit_code);
  const officers = unit ? await activeUsersOfRole(db, 'town_officer', unit.prefix) : [];
  const s = complaintSettingsOf(ctx, row.region_code);
  return {
    ...item!,
    text: ctx.cipher.decrypt(row.text_enc),
    happenedOn: row.happened_on,
    contactName: row.contact_name_enc ? ctx.cipher.decrypt(row.contact_name_enc) : null,
    contactPhoneMasked: row.contact_phone_enc ? mask('phone', ctx.cipher.decrypt(row.contact_phone_enc)) : null,
    reply: row.reply_enc ? ctx.cipher.decrypt(row.reply_enc) : null,
    deadlineDays: row.deadline_days,
    deadlineSource: s.deadlineSource,
    steps: steps.map((st): ComplaintStep => ({
      id: st.id,
      kind: st.kind as ComplaintStep['kind'],
      at: st.at,
      by: st.by_user !== null ? (names.get(st.by_user) ?? String(st.by_user)) : null,
      note: st.note_enc ? ctx.cipher.decrypt(st.note_enc) : null,
      detail: JSON.parse(st.detail) as Record<string, unknown>,
    })),
    officers: officers.map((o) => ({ id: o.id, name: o.name })),
  };
}

/** GET /api/complaints/:id: the complaint with its words, contact (phone masked) and timeline; audited. */
export function getComplaint(ctx: AppContext, scope: Scope, id: number): Promise<ComplaintDetail> {
  requireAction(scope, 'complaints.read');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => detailOf(ctx, trx, await complaintInScope(trx, scope, id)),
    (d) => ({
      action: 'complaints.detail_read',
      entityType: 'complaint',
      entityId: d.id,
      regionCode: d.regionCode,
      fields: ['text', 'contactName', 'contactPhone', 'reply', 'notes'],
      persons: [],
    }),
  );
}

/** POST /api/complaints/:id/contact: the complainant's full phone, to call them back; audited. */
export function revealContact(ctx: AppContext, scope: Scope, id: number): Promise<ContactReply> {
  requireAction(scope, 'complaints.handle');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await complaintInScope(trx, scope, id);
      return {
        regionCode: row.region_code,
        contactName: row.contact_name_enc ? ctx.cipher.decrypt(row.contact_name_enc) : null,
        contactPhone: row.contact_phone_enc ? ctx.cipher.decrypt(row.contact_phone_enc) : null,
      };
    },
    (r) => ({
      action: 'complaints.contact_reveal',
      entityType: 'complaint',
      entityId: id,
      regionCode: r.regionCode,
      fields: ['contactName', 'contactPhone'],
      persons: [],
    }),
  ).then(({ contactName, contactPhone }) => ({ contactName, contactPhone }));
}

/** One step: checked, written with its timeline row and audit entry in one transaction; answers the detail. */
async function step(
  ctx: AppContext,
  scope: Scope,
  id: number,
  action: string,
  fn: (
    trx: Transaction<Database>,
    row: ComplaintRow,
    at: string,
  ) => Promise<{ kind: ComplaintStep['kind']; note?: string | null; detail?: Record<string, unknown>; fields?: string[] }>,
): Promise<ComplaintDetail> {
  requireAction(scope, 'complaints.handle');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await complaintInScope(trx, scope, id);
    if (row.status === 'closed') throw new AppError('COMPLAINT_CLOSED', { id });
    const at = nowIso();
    const s = await fn(trx, row, at);
    await trx.updateTable('complaints').set({ updated_at: at }).where('id', '=', id).execute();
    await trx
      .insertInto('complaint_steps')
      .values({
        complaint_id: id,
        kind: s.kind,
        note_enc: s.note ? ctx.cipher.encrypt(s.note) : null,
        detail: JSON.stringify(s.detail ?? {}),
        by_user: scope.userId,
        at,
      })
      .execute();
    await recordAudit(trx, scope, { action, entityType: 'complaint', entityId: id, regionCode: row.region_code, fields: s.fields, detail: s.detail });
  });
  return getComplaint(ctx, scope, id);
}

/** POST /api/complaints/:id/assign: to a unit (a town in the viewer's area; the bureau may move it) and/or an officer of it. */
export function assignComplaint(ctx: AppContext, scope: Scope, id: number, body: AssignBody): Promise<ComplaintDetail> {
  return step(ctx, scope, id, 'complaints.assign', async (trx, row) => {
    const unitCode = body.unitCode ?? row.unit_code;
    const unit = ctx.regions.get(unitCode);
    // a town, or the bureau of the complaint's county
    const j = ctx.regions.jurisdictionOf(row.region_code);
    if (!unit || !regionInScope(scope, unitCode) || (unit.level !== 'town' && unitCode !== j?.code))
      throw new AppError('COMPLAINT_UNIT_INVALID', { unit: unitCode });
    let officerId: number | null = unitCode === row.unit_code ? row.officer_id : null;
    if (body.officerId !== undefined) {
      const officers = await activeUsersOfRole(trx, 'town_officer', unit.prefix);
      if (!officers.some((o) => o.id === body.officerId)) throw new AppError('COMPLAINT_OFFICER_INVALID', { user: body.officerId, unit: unit.name });
      officerId = body.officerId;
    }
    const status = row.status === 'received' ? 'assigned' : row.status;
    await trx.updateTable('complaints').set({ unit_code: unitCode, officer_id: officerId, status }).where('id', '=', id).execute();
    return { kind: 'assigned', detail: { unit: unitCode, officer: officerId } };
  });
}

/** POST /api/complaints/:id/investigate. */
export function investigateComplaint(ctx: AppContext, scope: Scope, id: number, body: { note?: string }): Promise<ComplaintDetail> {
  return step(ctx, scope, id, 'complaints.investigate', async (trx, row) => {
    if (row.status === 'received' || row.status === 'assigned')
      await trx.updateTable('complaints').set({ status: 'investigating' }).where('id', '=', id).execute();
    return { kind: 'investigating', note: body.note ?? null, fields: body.note ? ['note'] : [] };
  });
}

/** POST /api/complaints/:id/notes: an internal note (sealed; never on the tracking page). */
export function noteComplaint(ctx: AppContext, scope: Scope, id: number, body: NoteBody): Promise<ComplaintDetail> {
  return step(ctx, scope, id, 'complaints.note', async () => ({ kind: 'note', note: body.note, fields: ['note'] }));
}

/** POST /api/complaints/:id/classify: the target and category as found (a hotline complaint comes in as 'other'). */
export function classifyComplaint(ctx: AppContext, scope: Scope, id: number, body: ClassifyBody): Promise<ComplaintDetail> {
  refuseMarkup('targetName', body.targetName);
  return step(ctx, scope, id, 'complaints.classify', async (trx, row) => {
    const t = await resolveTarget(ctx, trx, body.targetKind, body.targetId, body.targetName);
    await trx
      .updateTable('complaints')
      .set({ target_kind: t.kind, target_id: t.id, target_name: t.name, category: body.category })
      .where('id', '=', id)
      .execute();
    return {
      kind: 'classified',
      detail: { from: { target: row.target_kind, id: row.target_id, category: row.category }, to: { target: t.kind, id: t.id, category: body.category } },
    };
  });
}

/** POST /api/complaints/:id/reply: the reply the complainant reads on the tracking page (may be revised until closed). */
export function replyComplaint(ctx: AppContext, scope: Scope, id: number, body: ReplyBody): Promise<ComplaintDetail> {
  refuseMarkup('reply', body.reply);
  return step(ctx, scope, id, 'complaints.reply', async (trx, row, at) => {
    const on = today();
    await trx
      .updateTable('complaints')
      .set({ reply_enc: ctx.cipher.encrypt(body.reply), replied_at: at, replied_on: row.replied_on ?? on, status: 'replied' })
      .where('id', '=', id)
      .execute();
    return { kind: 'replied', note: body.reply, fields: ['reply'], detail: { late: (row.replied_on ?? on) > row.due_on } };
  });
}

/** POST /api/complaints/:id/close: with the finding (substantiated yes/no/partly); only once replied. */
export function closeComplaint(ctx: AppContext, scope: Scope, id: number, body: CloseBody): Promise<ComplaintDetail> {
  return step(ctx, scope, id, 'complaints.close', async (trx, row, at) => {
    if (!row.reply_enc) throw new AppError('COMPLAINT_REPLY_REQUIRED', { id });
    await trx.updateTable('complaints').set({ status: 'closed', substantiated: body.substantiated, closed_at: at }).where('id', '=', id).execute();
    return { kind: 'closed', note: body.note ?? null, fields: body.note ? ['note'] : [], detail: { substantiated: body.substantiated } };
  });
}
