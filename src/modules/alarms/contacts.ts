import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { mask } from '../../platform/mask.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, requireAction, type Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personPermitted } from '../register/people.js';
import type { HotlineContactRow } from './alarms.tables.js';
import type { ContactRelation, ContactView, ContactsReply, CreateContactBody, PatchContactBody, RevealContactReply } from './hotline.schema.js';

/**
 * A person's emergency contacts (紧急联系人) for the hotline: name, relation, the number sealed with
 * its masked copy, the call order. Lists show the masked number; the operator who dials gets the
 * full number through reveal, one audit entry per number shown.
 */

/**
 * A phone as typed → its digits (a leading + kept): spaces, dashes and brackets dropped, China's
 * +86 / 0086 country code dropped from a mobile so one number is always written one way. A
 * number that is not 7–20 digits afterwards is refused (HOTLINE_PHONE_FORMAT, naming the field).
 */
export function normalisePhone(raw: string, field: string): string {
  let s = raw.trim().replace(/[\s\-()（）]/g, '');
  if (/^(\+86|0086)1\d{10}$/.test(s)) s = s.replace(/^(\+86|0086)/, '');
  if (!/^\+?\d{7,20}$/.test(s)) throw new AppError('HOTLINE_PHONE_FORMAT', { field });
  return s;
}

/** The person (on the register, in the viewer's scope) and their region, or HOTLINE_PERSON_NOT_FOUND. */
export async function personInScope(db: Executor, scope: Scope, personId: number): Promise<{ id: number; regionCode: string }> {
  if (!(await personPermitted(db, scope, personId))) throw new AppError('HOTLINE_PERSON_NOT_FOUND', { id: personId });
  const [row] = await personColumns(db, ['id', 'region_code'], [personId]);
  if (!row) throw new AppError('HOTLINE_PERSON_NOT_FOUND', { id: personId });
  return { id: personId, regionCode: String(row.region_code) };
}

export function contactView(r: HotlineContactRow): ContactView {
  return {
    id: r.id,
    personId: r.person_id,
    name: r.name,
    relation: r.relation as ContactRelation,
    phoneMasked: r.phone_masked,
    rank: r.rank,
    updatedAt: r.updated_at,
  };
}

/** The person's contacts in call order (the caller checked the person is in scope and audits the read). */
export async function contactsOf(db: Executor, personId: number): Promise<ContactView[]> {
  const rows = await db.selectFrom('hotline_contacts').selectAll().where('person_id', '=', personId).orderBy('rank').orderBy('id').execute();
  return rows.map(contactView);
}

/** GET /api/alarms/persons/:id/contacts: masked, audited with the person shown. */
export function listContacts(ctx: AppContext, scope: Scope, personId: number): Promise<ContactsReply> {
  requireAction(scope, 'hotline.contacts');
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const p = await personInScope(trx, scope, personId);
      return { regionCode: p.regionCode, items: await contactsOf(trx, personId) };
    },
    (r) => ({
      action: 'hotline.contacts_read',
      entityType: 'person',
      entityId: personId,
      regionCode: r.regionCode,
      fields: ['contacts'],
      persons: [personId],
    }),
  ).then((r) => ({ items: r.items }));
}

/** POST /api/alarms/persons/:id/contacts. */
export async function addContact(ctx: AppContext, scope: Scope, personId: number, body: CreateContactBody): Promise<ContactView> {
  requireAction(scope, 'hotline.contacts');
  const phone = normalisePhone(body.phone, 'phone');
  return ctx.db.transaction().execute(async (trx) => {
    const p = await personInScope(trx, scope, personId);
    let rank = body.rank;
    if (rank === undefined) {
      const last = await trx
        .selectFrom('hotline_contacts')
        .select((eb) => eb.fn.max('rank').as('rank'))
        .where('person_id', '=', personId)
        .executeTakeFirst();
      rank = Number(last?.rank ?? 0) + 1;
    }
    const row = await trx
      .insertInto('hotline_contacts')
      .values({
        person_id: personId,
        region_code: p.regionCode,
        name: body.name,
        relation: body.relation,
        phone_enc: ctx.cipher.encrypt(phone),
        phone_masked: mask('phone', phone),
        rank,
        updated_by: scope.userId ?? 0,
        updated_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'hotline.contact_add',
      entityType: 'hotline_contact',
      entityId: row.id,
      regionCode: p.regionCode,
      fields: ['name', 'relation', 'phone', 'rank'],
      detail: { person: personId, relation: body.relation, rank },
    });
    return contactView(row);
  });
}

/** The contact, if its person is in the viewer's scope; HOTLINE_CONTACT_NOT_FOUND otherwise (never "exists elsewhere"). */
async function contactInScope(db: Executor, scope: Scope, id: number): Promise<HotlineContactRow> {
  const row = await db
    .selectFrom('hotline_contacts')
    .selectAll()
    .where('id', '=', id)
    .where(inRegion(scope, 'hotline_contacts.region_code'))
    .executeTakeFirst();
  if (!row || !(await personPermitted(db, scope, row.person_id))) throw new AppError('HOTLINE_CONTACT_NOT_FOUND', { id });
  return row;
}

/** PATCH /api/alarms/contacts/:id. */
export async function patchContact(ctx: AppContext, scope: Scope, id: number, body: PatchContactBody): Promise<ContactView> {
  requireAction(scope, 'hotline.contacts');
  const phone = body.phone !== undefined ? normalisePhone(body.phone, 'phone') : undefined;
  return ctx.db.transaction().execute(async (trx) => {
    const before = await contactInScope(trx, scope, id);
    const row = await trx
      .updateTable('hotline_contacts')
      .set({
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.relation !== undefined ? { relation: body.relation } : {}),
        ...(body.rank !== undefined ? { rank: body.rank } : {}),
        ...(phone !== undefined ? { phone_enc: ctx.cipher.encrypt(phone), phone_masked: mask('phone', phone) } : {}),
        updated_by: scope.userId ?? 0,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const fields = Object.keys(body).filter((k) => body[k as keyof PatchContactBody] !== undefined);
    await recordAudit(trx, scope, {
      action: 'hotline.contact_update',
      entityType: 'hotline_contact',
      entityId: id,
      regionCode: before.region_code,
      fields,
      detail: { person: before.person_id, ...(body.rank !== undefined ? { rank: [before.rank, body.rank] } : {}) },
    });
    return contactView(row);
  });
}

/** POST /api/alarms/contacts/:id/reveal: the full number to dial, one audit entry. */
export async function revealContact(ctx: AppContext, scope: Scope, id: number): Promise<RevealContactReply> {
  requireAction(scope, 'hotline.contacts');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await contactInScope(trx, scope, id);
    await recordAudit(trx, scope, {
      action: 'hotline.contact_reveal',
      entityType: 'hotline_contact',
      entityId: id,
      regionCode: row.region_code,
      fields: ['phone'],
      detail: { person: row.person_id },
    });
    return { id: row.id, personId: row.person_id, name: row.name, phone: ctx.cipher.decrypt(row.phone_enc) };
  });
}
