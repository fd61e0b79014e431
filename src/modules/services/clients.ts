import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { AppContext } from '../../platform/context.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { personPermitted, personLabels } from '../register/people.js';
import { personColumns } from '../register/history.queries.js';
import { nowIso } from '../../platform/time.js';
import type { Scope } from '../../platform/scope.js';
import { ownProvider, scopedRows } from './access.js';
import { cellOf, checkFix, type Point } from './geo.js';
import { providerInScope, providerNames } from './providers.js';
import { serviceSettingsOf } from './services.settings.js';
import type { ServiceClientRow } from './services.tables.js';
import type { ClientsQuery, ClientsReply, ClientView, CreateClientBody } from './providers.schema.js';

/**
 * Clients: the persons a provider serves. An enrolment keeps the home the check-in is measured
 * against (sealed; only its ~1 km cell in the clear) and, optionally, the elder's service card,
 * kept only as a keyed hash (the register's lookup hash, under a prefix of its own so a card code
 * can never be matched against another kind of number). An enrolment ends; it is never deleted.
 */

/* ---- public functions other parts use ---- */

/** The person's active enrolment with the provider (the latest, if ever two); null if none. */
export async function activeClient(db: Executor, providerId: number, personId: number): Promise<ServiceClientRow | null> {
  return (
    (await db
      .selectFrom('service_clients')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('person_id', '=', personId)
      .where('ended_at', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst()) ?? null
  );
}

/** The client's home (unsealed): never logged, never sent to a client as it is. */
export function homeOf(ctx: AppContext, client: Pick<ServiceClientRow, 'home_enc'>): Point {
  const p = JSON.parse(ctx.cipher.decrypt(client.home_enc)) as Point;
  return { lat: p.lat, lng: p.lng };
}

/** The keyed hash a service card code is kept as. */
export function cardHash(ctx: Pick<AppContext, 'cipher'>, code: string): string {
  return ctx.cipher.lookupHash(`service-card:${code.trim()}`);
}

/** Whether a card code presented at check-out is the client's card (false when no card is on record). */
export function cardMatches(ctx: Pick<AppContext, 'cipher'>, client: Pick<ServiceClientRow, 'card_hash'>, code: string): boolean {
  return client.card_hash !== null && cardHash(ctx, code) === client.card_hash;
}

/** The enrolment with this id as the scope may see it, or SERVICE_CLIENT_NOT_FOUND. */
export async function clientInScope(db: Executor, scope: Scope, id: number): Promise<ServiceClientRow> {
  const row = await scopedRows(db.selectFrom('service_clients').selectAll().where('id', '=', id), scope, 'service_clients').executeTakeFirst();
  if (!row) throw new AppError('SERVICE_CLIENT_NOT_FOUND', { id });
  return row;
}

/* ---- the routes' functions ---- */

async function clientViews(ctx: AppContext, db: Executor, rows: readonly ServiceClientRow[]): Promise<ClientView[]> {
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const providers = await providerNames(
    db,
    rows.map((r) => r.provider_id),
  );
  return rows.map((r) => ({
    id: r.id,
    providerId: r.provider_id,
    providerName: providers.get(r.provider_id) ?? '',
    personId: r.person_id,
    personName: labels.get(r.person_id)?.name ?? '',
    idMasked: labels.get(r.person_id)?.idMasked ?? '',
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    enrolledAt: r.enrolled_at,
    hasCard: r.card_hash !== null,
    active: r.ended_at === null,
  }));
}

/** GET /services/clients: a page of the enrolments the viewer sees (active ones unless `all`), audited. */
export function listClients(ctx: AppContext, scope: Scope, f: ClientsQuery): Promise<ClientsReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = scopedRows(trx.selectFrom('service_clients'), scope, 'service_clients');
      if (f.providerId !== undefined) q = q.where('service_clients.provider_id', '=', f.providerId);
      if (f.all !== 'true') q = q.where('service_clients.ended_at', 'is', null);
      const offset = (f.page - 1) * f.pageSize;
      const text = f.q?.trim();
      if (text) {
        // a name: the provider's clients are a few hundred; their names are matched here
        const all = await q.selectAll().orderBy('service_clients.id').execute();
        const labels = await personLabels(
          trx,
          all.map((r) => r.person_id),
        );
        const hits = all.filter((r) => labels.get(r.person_id)?.name.includes(text));
        return { items: await clientViews(ctx, trx, hits.slice(offset, offset + f.pageSize)), total: hits.length, page: f.page, pageSize: f.pageSize };
      }
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q.selectAll().orderBy('service_clients.id', 'desc').limit(f.pageSize).offset(offset).execute();
      return { items: await clientViews(ctx, trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'services.clients_read', entityType: 'service_client', persons: r.items.map((c) => c.personId) }),
  );
}

/**
 * POST /services/clients: enrols a person with a provider the viewer sees. The person must be on
 * the register, active, and in the viewer's region subtree — for a provider's staff, the region of
 * their account (a person is not yet in the provider's reach before the enrolment that puts them
 * there; the enrolment is audited). The home must be a real place inside the person's jurisdiction.
 */
export async function createClient(ctx: AppContext, scope: Scope, body: CreateClientBody): Promise<ClientView> {
  const provider = await providerInScope(ctx.db, scope, body.providerId);
  const regionScope = ownProvider(scope) !== null ? { ...scope, organisationId: null } : scope;
  if (!(await personPermitted(ctx.db, regionScope, body.personId))) throw notFound('person');
  const [person] = (await personColumns(ctx.db, ['id', 'region_code', 'status'], [body.personId])) as { id: number; region_code: string; status: string }[];
  if (!person) throw notFound('person');
  if (person.status !== 'active') throw new AppError('SERVICE_PERSON_INACTIVE', { id: person.id, status: person.status });
  // the home is inside the bounds of the person's jurisdiction
  const home = checkFix({ ...body.home, accuracy: 0 }, serviceSettingsOf(ctx, person.region_code), 'home');
  const row = await ctx.db.transaction().execute(async (trx) => {
    // two enrolments of one person at once: the provider's row is the lock (PostgreSQL; SQLite writes one at a time)
    let lock = trx.selectFrom('service_providers').select('id').where('id', '=', provider.id);
    if (dialectOf(trx) === 'postgres') lock = lock.forUpdate();
    await lock.execute();
    const existing = await activeClient(trx, provider.id, person.id);
    if (existing) throw new AppError('SERVICE_CLIENT_EXISTS', { id: existing.id });
    const point = { lat: home.lat, lng: home.lng };
    const row = await trx
      .insertInto('service_clients')
      .values({
        provider_id: provider.id,
        person_id: person.id,
        region_code: person.region_code,
        home_enc: ctx.cipher.encrypt(JSON.stringify(point)),
        home_cell: cellOf(point),
        card_hash: body.cardCode ? cardHash(ctx, body.cardCode) : null,
        enrolled_by: scope.userId ?? 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.client_enrol',
      entityType: 'service_client',
      entityId: row.id,
      regionCode: row.region_code,
      fields: ['home', ...(body.cardCode ? ['cardCode'] : [])],
      detail: { providerId: provider.id, persons: [person.id] },
    });
    return row;
  });
  return (await clientViews(ctx, ctx.db, [row]))[0]!;
}

/** POST /services/clients/:id/end: the enrolment ends (kept on record; the home no longer counts for new orders). */
export async function endClient(ctx: AppContext, scope: Scope, id: number): Promise<ClientView> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await clientInScope(trx, scope, id);
    if (before.ended_at !== null) throw new AppError('SERVICE_CLIENT_ENDED', { id, endedAt: before.ended_at });
    const after = await trx.updateTable('service_clients').set({ ended_at: nowIso() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.client_end',
      entityType: 'service_client',
      entityId: id,
      regionCode: after.region_code,
      detail: { providerId: after.provider_id, persons: [after.person_id] },
    });
    return after;
  });
  return (await clientViews(ctx, ctx.db, [row]))[0]!;
}
