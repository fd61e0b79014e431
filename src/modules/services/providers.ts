import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { mask } from '../../platform/mask.js';
import { everywhere, inRegion, regionInScope, type Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { listUsers } from '../users/users.service.js';
import { ownProvider } from './access.js';
import type { ServiceCaregiverRow, ServiceProviderRow } from './services.tables.js';
import type {
  CaregiverView,
  CaregiversQuery,
  CertificateBody,
  CertificateKind,
  CertificateStatus,
  CertificateView,
  CertStatus,
  CreateCaregiverBody,
  CreateProviderBody,
  ProviderKind,
  ProviderView,
  UpdateCaregiverBody,
  UpdateProviderBody,
} from './providers.schema.js';

/**
 * Providers (organisations the government buys home services from), their caregivers and the
 * caregivers' certificates. Officers see the providers registered in their region subtree; a
 * provider's staff see their own organisation only (access.ts), anything else answers "not found".
 * Phones are sealed at rest and shown masked.
 */

/** A certificate counts as expiring when it ends within this many days. */
export const EXPIRING_DAYS = 30;

/* ---- public functions other parts use ---- */

/** The caregiver with this id, whatever its state; null if none. */
export async function caregiverById(db: Executor, id: number): Promise<ServiceCaregiverRow | null> {
  return (await db.selectFrom('service_caregivers').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

/** The active caregiver a login belongs to (the phone's user); null if the user is none. */
export async function caregiverOfUser(db: Executor, userId: number): Promise<ServiceCaregiverRow | null> {
  return (await db.selectFrom('service_caregivers').selectAll().where('user_id', '=', userId).where('active', '=', 1).executeTakeFirst()) ?? null;
}

/**
 * Why a caregiver may not serve on a date for want of a certificate: a caregiver needs a
 * 'caregiver' certificate (养老护理员职业技能等级证书) issued on or before the date and not expired
 * before it. Null when one is valid; otherwise the latest expiry among those held (null when none
 * expires or none is held) and whether none is held at all.
 */
export async function certificateProblem(
  db: Executor,
  caregiverId: number,
  onDate: string,
): Promise<null | { kind: 'caregiver'; expiresOn: string | null; missing: boolean }> {
  const certs = await db
    .selectFrom('service_certificates')
    .select(['issued_on', 'expires_on'])
    .where('caregiver_id', '=', caregiverId)
    .where('kind', '=', 'caregiver')
    .execute();
  if (certs.some((c) => c.issued_on <= onDate && (c.expires_on === null || c.expires_on >= onDate))) return null;
  const expiries = certs.map((c) => c.expires_on).filter((e): e is string => e !== null && e < onDate);
  return { kind: 'caregiver', expiresOn: expiries.length ? expiries.sort().at(-1)! : null, missing: certs.length === 0 };
}

/* ---- providers ---- */

/** The provider as the scope may see it, or SERVICE_PROVIDER_NOT_FOUND (also for one outside it). */
export async function providerInScope(db: Executor, scope: Scope, id: number): Promise<ServiceProviderRow> {
  const row = await db.selectFrom('service_providers').selectAll().where('id', '=', id).executeTakeFirst();
  const own = ownProvider(scope);
  const visible = row && (own !== null ? row.id === own : regionInScope(scope, row.region_code));
  if (!visible) throw new AppError('SERVICE_PROVIDER_NOT_FOUND', { id });
  return row;
}

/** Names of the given providers, by id. */
export async function providerNames(db: Executor, ids: readonly number[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return new Map();
  const rows = await db.selectFrom('service_providers').select(['id', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A provider as supervision's pools and ratings see it: no contact person, nothing personal. */
export interface ProviderSummary {
  id: number;
  name: string;
  kind: string;
  regionCode: string;
  active: boolean;
}

/** Providers registered in a region subtree (code prefix), by id; the active ones only unless told. */
export async function providerSummaries(
  db: Executor,
  opts: { regionPrefix?: string; activeOnly?: boolean; ids?: readonly number[] } = {},
): Promise<ProviderSummary[]> {
  let q = db.selectFrom('service_providers').select(['id', 'name', 'kind', 'region_code', 'active']);
  if (opts.regionPrefix) q = q.where('region_code', '>=', opts.regionPrefix).where('region_code', '<', prefixUpperBound(opts.regionPrefix));
  if (opts.activeOnly !== false) q = q.where('active', '=', 1);
  if (opts.ids) {
    if (!opts.ids.length) return [];
    q = q.where('id', 'in', [...opts.ids]);
  }
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, regionCode: r.region_code, active: r.active === 1 }));
}

function unsealPhone(ctx: AppContext, enc: string | null): string | null {
  return enc === null ? null : mask('phone', ctx.cipher.decrypt(enc));
}

async function providerViews(ctx: AppContext, db: Executor, rows: readonly ServiceProviderRow[]): Promise<ProviderView[]> {
  const ids = rows.map((r) => r.id);
  const counts = new Map<number, { caregivers: number; clients: number }>();
  if (ids.length) {
    const cg = await db
      .selectFrom('service_caregivers')
      .select(['provider_id', sql<number>`count(*)`.as('n')])
      .where('provider_id', 'in', ids)
      .where('active', '=', 1)
      .groupBy('provider_id')
      .execute();
    const cl = await db
      .selectFrom('service_clients')
      .select(['provider_id', sql<number>`count(*)`.as('n')])
      .where('provider_id', 'in', ids)
      .where('ended_at', 'is', null)
      .groupBy('provider_id')
      .execute();
    for (const id of ids) counts.set(id, { caregivers: 0, clients: 0 });
    for (const r of cg) counts.get(r.provider_id)!.caregivers = Number(r.n);
    for (const r of cl) counts.get(r.provider_id)!.clients = Number(r.n);
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as ProviderKind,
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    creditCode: r.credit_code,
    contactName: r.contact_name,
    phoneMasked: unsealPhone(ctx, r.contact_phone_enc),
    active: r.active === 1,
    caregivers: counts.get(r.id)?.caregivers ?? 0,
    clients: counts.get(r.id)?.clients ?? 0,
  }));
}

/** GET /services/providers: the providers of the viewer's region subtree (a provider's staff: their own). */
export async function listProviders(ctx: AppContext, scope: Scope, db: Executor = ctx.db): Promise<{ items: ProviderView[] }> {
  let q = db.selectFrom('service_providers').selectAll();
  const own = ownProvider(scope);
  q = own !== null ? q.where('id', '=', own) : q.where(inRegion(scope, 'service_providers.region_code'));
  const rows = await q.orderBy('name').orderBy('id').execute();
  return { items: await providerViews(ctx, db, rows) };
}

/** The providers list as the route answers it: audited, as it shows contact persons' names and masked phones. */
export function readProviders(ctx: AppContext, scope: Scope): Promise<{ items: ProviderView[] }> {
  return auditedRead(
    ctx.db,
    scope,
    (trx) => listProviders(ctx, scope, trx),
    (r) => ({ action: 'services.providers_read', entityType: 'service_provider', persons: [], detail: { providers: r.items.map((p) => p.id) } }),
  );
}

function checkRegion(ctx: AppContext, scope: Scope, code: string): string {
  const region = ctx.regions.get(code);
  if (!region) throw new AppError('REGION_UNKNOWN', { region: code });
  if (!regionInScope(scope, region.code)) throw new AppError('REGION_OUT_OF_SCOPE', { region: region.name });
  return region.code;
}

async function nameFree(db: Executor, jurisdiction: string, name: string, except: number | null): Promise<void> {
  let q = db.selectFrom('service_providers').select('id').where('jurisdiction', '=', jurisdiction).where('name', '=', name);
  if (except !== null) q = q.where('id', '!=', except);
  if (await q.executeTakeFirst()) throw new AppError('SERVICE_PROVIDER_NAME_TAKEN', { name });
}

/** POST /services/providers: a provider registered in a region of the viewer's (audited; no phone in the audit). */
export async function createProvider(ctx: AppContext, scope: Scope, body: CreateProviderBody): Promise<ProviderView> {
  const regionCode = checkRegion(ctx, scope, body.regionCode);
  // the jurisdiction (county, or a city for one registered at the city) whose government buys from it
  const jurisdiction = ctx.regions.jurisdictionOf(regionCode)!.code;
  return ctx.db.transaction().execute(async (trx) => {
    await nameFree(trx, jurisdiction, body.name, null);
    const row = await trx
      .insertInto('service_providers')
      .values({
        name: body.name,
        jurisdiction,
        region_code: regionCode,
        kind: body.kind,
        credit_code: body.creditCode ?? null,
        contact_phone_enc: body.contactPhone ? ctx.cipher.encrypt(body.contactPhone) : null,
        contact_name: body.contactName ?? null,
        active: 1,
        created_by: scope.userId ?? 0,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.provider_create',
      entityType: 'service_provider',
      entityId: row.id,
      regionCode,
      detail: { name: row.name, kind: row.kind },
    });
    return (await providerViews(ctx, trx, [row]))[0]!;
  });
}

/** PATCH /services/providers/:id: name, active, contact (audited with the fields changed, the phone never). */
export async function updateProvider(ctx: AppContext, scope: Scope, id: number, body: UpdateProviderBody): Promise<ProviderView> {
  return ctx.db.transaction().execute(async (trx) => {
    const before = await providerInScope(trx, scope, id);
    if (body.name !== undefined) await nameFree(trx, before.jurisdiction, body.name, id);
    const patch = {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
      ...(body.contactName !== undefined && { contact_name: body.contactName }),
      ...(body.contactPhone !== undefined && { contact_phone_enc: body.contactPhone ? ctx.cipher.encrypt(body.contactPhone) : null }),
    };
    if (!Object.keys(patch).length) return (await providerViews(ctx, trx, [before]))[0]!;
    const after = await trx.updateTable('service_providers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.provider_update',
      entityType: 'service_provider',
      entityId: id,
      regionCode: after.region_code,
      fields: Object.keys(body),
      detail: {
        before: { name: before.name, active: before.active === 1, contactName: before.contact_name },
        after: { name: after.name, active: after.active === 1, contactName: after.contact_name },
      },
    });
    return (await providerViews(ctx, trx, [after]))[0]!;
  });
}

/* ---- caregivers ---- */

/** A date `days` after a civil date. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A certificate's state on a date: expired before it, expiring within EXPIRING_DAYS, else valid. */
export function certificateStatusOn(expiresOn: string | null, on: string): CertificateStatus {
  if (expiresOn === null) return 'valid';
  if (expiresOn < on) return 'expired';
  return expiresOn <= addDays(on, EXPIRING_DAYS) ? 'expiring' : 'valid';
}

/** The caregiver's standing for the 'caregiver' certificate today: the best of those valid today. */
export function caregiverCertStatus(certs: readonly Pick<CertificateView, 'kind' | 'issuedOn' | 'expiresOn'>[], on: string): CertStatus {
  const held = certs.filter((c) => c.kind === 'caregiver');
  if (!held.length) return 'missing';
  const current = held.filter((c) => c.issuedOn <= on && (c.expiresOn === null || c.expiresOn >= on));
  if (!current.length) return 'expired';
  return current.some((c) => certificateStatusOn(c.expiresOn, on) === 'valid') ? 'valid' : 'expiring';
}

interface UserOfRecord {
  id: number;
  username: string;
  role: string;
  organisationId: number | null;
  active: boolean;
}

/**
 * The accounts on record (users' public listing, read with the system's scope: a caregiver's link
 * names a login, and the users module has no narrower public lookup yet).
 */
async function usersOfRecord(ctx: AppContext): Promise<UserOfRecord[]> {
  return (await listUsers(ctx, everywhere('services'))).map((u) => ({
    id: u.id,
    username: u.username,
    role: u.role,
    organisationId: u.organisationId,
    active: u.active,
  }));
}

/** Usernames of the logins linked to these caregivers (read outside any transaction: users' listing uses ctx.db). */
async function linkedUsernames(ctx: AppContext, rows: readonly ServiceCaregiverRow[]): Promise<Map<number, string>> {
  if (!rows.some((r) => r.user_id !== null)) return new Map();
  return new Map((await usersOfRecord(ctx)).map((u) => [u.id, u.username]));
}

async function caregiverViews(ctx: AppContext, db: Executor, rows: readonly ServiceCaregiverRow[], usernames?: Map<number, string>): Promise<CaregiverView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const certs = await db.selectFrom('service_certificates').selectAll().where('caregiver_id', 'in', ids).orderBy('issued_on').orderBy('id').execute();
  const providers = await providerNames(
    db,
    rows.map((r) => r.provider_id),
  );
  const linked = usernames ?? (await linkedUsernames(ctx, rows));
  const on = today();
  return rows.map((r) => {
    const mine: CertificateView[] = certs
      .filter((c) => c.caregiver_id === r.id)
      .map((c) => ({
        id: c.id,
        kind: c.kind as CertificateKind,
        number: c.number,
        issuedOn: c.issued_on,
        expiresOn: c.expires_on,
        status: certificateStatusOn(c.expires_on, on),
      }));
    return {
      id: r.id,
      providerId: r.provider_id,
      providerName: providers.get(r.provider_id) ?? '',
      name: r.name,
      userId: r.user_id,
      username: r.user_id !== null ? (linked.get(r.user_id) ?? null) : null,
      phoneMasked: unsealPhone(ctx, r.phone_enc),
      skillLevel: r.skill_level,
      active: r.active === 1,
      certStatus: caregiverCertStatus(mine, on),
      certificates: mine,
    };
  });
}

/** The caregiver as the scope may see it (through its provider), or SERVICE_CAREGIVER_NOT_FOUND. */
export async function caregiverInScope(db: Executor, scope: Scope, id: number): Promise<ServiceCaregiverRow> {
  const row = await caregiverById(db, id);
  if (!row) throw new AppError('SERVICE_CAREGIVER_NOT_FOUND', { id });
  try {
    await providerInScope(db, scope, row.provider_id);
  } catch {
    throw new AppError('SERVICE_CAREGIVER_NOT_FOUND', { id });
  }
  return row;
}

/** GET /services/caregivers: the caregivers of the providers the viewer sees (or of one of them). */
export async function listCaregivers(ctx: AppContext, scope: Scope, f: CaregiversQuery): Promise<{ items: CaregiverView[] }> {
  let providerIds: number[];
  if (f.providerId !== undefined) providerIds = [(await providerInScope(ctx.db, scope, f.providerId)).id];
  else providerIds = (await listProviders(ctx, scope)).items.map((p) => p.id);
  if (!providerIds.length) return { items: [] };
  const rows = await ctx.db
    .selectFrom('service_caregivers')
    .selectAll()
    .where('provider_id', 'in', providerIds)
    .orderBy('provider_id')
    .orderBy('active', 'desc')
    .orderBy('name')
    .orderBy('id')
    .execute();
  const usernames = await linkedUsernames(ctx, rows);
  // caregivers are people too: their names and masked phones are shown under an audit entry
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => ({ items: await caregiverViews(ctx, trx, rows, usernames) }),
    (r) => ({ action: 'services.caregivers_read', entityType: 'service_caregiver', persons: [], detail: { caregivers: r.items.map((c) => c.id) } }),
  );
}

/** The login named for a caregiver: an active caregiver- (or provider-) role account of the same organisation, linked to nobody else. */
async function linkableUser(ctx: AppContext, username: string, providerId: number): Promise<number> {
  const u = (await usersOfRecord(ctx)).find((x) => x.username === username);
  if (!u || !u.active || (u.role !== 'caregiver' && u.role !== 'provider') || u.organisationId !== providerId) {
    throw new AppError('SERVICE_CAREGIVER_USER_INVALID', { username, provider: providerId });
  }
  return u.id;
}

async function userFree(db: Executor, username: string, userId: number): Promise<void> {
  const other = await db.selectFrom('service_caregivers').select('id').where('user_id', '=', userId).executeTakeFirst();
  if (other) throw new AppError('SERVICE_CAREGIVER_USER_TAKEN', { username, caregiver: other.id });
}

/** POST /services/caregivers: a caregiver of a provider the viewer sees, optionally linked to its phone login (audited). */
export async function createCaregiver(ctx: AppContext, scope: Scope, body: CreateCaregiverBody): Promise<CaregiverView> {
  const provider = await providerInScope(ctx.db, scope, body.providerId);
  const userId = body.username ? await linkableUser(ctx, body.username, provider.id) : null;
  const row = await ctx.db.transaction().execute(async (trx) => {
    if (userId !== null) await userFree(trx, body.username!, userId);
    const row = await trx
      .insertInto('service_caregivers')
      .values({
        provider_id: provider.id,
        user_id: userId,
        name: body.name,
        phone_enc: body.phone ? ctx.cipher.encrypt(body.phone) : null,
        skill_level: body.skillLevel,
        active: 1,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.caregiver_create',
      entityType: 'service_caregiver',
      entityId: row.id,
      regionCode: provider.region_code,
      detail: { providerId: provider.id, skillLevel: row.skill_level, userId },
    });
    return row;
  });
  return (await caregiverViews(ctx, ctx.db, [row]))[0]!;
}

/** PATCH /services/caregivers/:id: name, phone, skill level, active (audited with the fields changed). */
export async function updateCaregiver(ctx: AppContext, scope: Scope, id: number, body: UpdateCaregiverBody): Promise<CaregiverView> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await caregiverInScope(trx, scope, id);
    const patch = {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.phone !== undefined && { phone_enc: body.phone ? ctx.cipher.encrypt(body.phone) : null }),
      ...(body.skillLevel !== undefined && { skill_level: body.skillLevel }),
      ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
    };
    if (!Object.keys(patch).length) return before;
    const after = await trx.updateTable('service_caregivers').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.caregiver_update',
      entityType: 'service_caregiver',
      entityId: id,
      fields: Object.keys(body),
      detail: {
        before: { skillLevel: before.skill_level, active: before.active === 1 },
        after: { skillLevel: after.skill_level, active: after.active === 1 },
      },
    });
    return after;
  });
  return (await caregiverViews(ctx, ctx.db, [row]))[0]!;
}

/** POST /services/caregivers/:id/certificates: a certificate added (never edited: a renewal is a new one). */
export async function addCertificate(ctx: AppContext, scope: Scope, caregiverId: number, body: CertificateBody): Promise<CaregiverView> {
  if (body.expiresOn !== null && body.expiresOn < body.issuedOn) {
    throw new AppError('SERVICE_CERTIFICATE_DATES', { issuedOn: body.issuedOn, expiresOn: body.expiresOn });
  }
  const cg = await ctx.db.transaction().execute(async (trx) => {
    const cg = await caregiverInScope(trx, scope, caregiverId);
    const row = await trx
      .insertInto('service_certificates')
      .values({
        caregiver_id: cg.id,
        kind: body.kind,
        number: body.number,
        issued_on: body.issuedOn,
        expires_on: body.expiresOn,
        added_by: scope.userId ?? 0,
        added_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.certificate_add',
      entityType: 'service_caregiver',
      entityId: cg.id,
      detail: { certificateId: row.id, kind: body.kind, issuedOn: body.issuedOn, expiresOn: body.expiresOn },
    });
    return cg;
  });
  return (await caregiverViews(ctx, ctx.db, [cg]))[0]!;
}
