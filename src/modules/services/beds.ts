import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { auditedRead } from '../../platform/reads.js';
import { inRegion, narrowScope, nowhere, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { requireProvider, scopedRows, viewerJurisdictions } from './access.js';
import { serviceSettingsOf } from './services.settings.js';
import type { FamilyCareBedRow, ServiceProviderRow } from './services.tables.js';
import type { AdaptationItem, BedsQuery, BedsReply, BedView, CloseBedBody, DeviceItem, OpenBedBody, PatchBedBody } from './beds-meals.schema.js';
import { openBedBody } from './beds-meals.schema.js';
import { providerNames } from './providers.js';

/**
 * Family care beds (家庭养老床位, 000 §5: at least 580 in the jurisdiction): a bed at a person's
 * home, with its provider, the home adaptation done (适老化改造) and the devices installed; the
 * services delivered to it are the provider's orders for that person.
 *
 * Decided here:
 * - one active bed per person (a second is refused; changing provider = close, then open);
 * - the bed's region is the person's at opening; the list is the viewer's region subtree (a
 *   provider's staff: their provider's beds only), and a bed is changed only by whoever sees it;
 * - `active` counts the viewer's region, `jurisdictionActive` the whole jurisdiction — the target
 *   (settings.bedsTarget) is the jurisdiction's, so a town officer sees both;
 * - changes to adaptation and devices are kept in the audit log with the before and after.
 */

/** The provider a bed or meal point is opened with: of a jurisdiction the viewer works in, active, and the viewer's own for a provider's staff. */
export async function providerForUse(ctx: AppContext, db: Executor, scope: Scope, providerId: number): Promise<ServiceProviderRow> {
  requireProvider(scope, providerId);
  const row = await db.selectFrom('service_providers').selectAll().where('id', '=', providerId).executeTakeFirst();
  if (!row || !viewerJurisdictions(ctx, scope).includes(row.jurisdiction)) throw new AppError('SERVICE_PROVIDER_NOT_FOUND', { id: providerId });
  if (!row.active) throw new AppError('SERVICE_BEDS_MEALS_PROVIDER_INACTIVE', { providerId });
  return row;
}

/** Refuses a date after today (Beijing) or not a real date. */
function pastDate(date: string): void {
  const now = today();
  if (!isCivilDate(date) || date > now) throw new AppError('SERVICE_BED_DATE_FUTURE', { date, today: now });
}

function checkDates(adaptation: readonly AdaptationItem[] | undefined, devices: readonly DeviceItem[] | undefined): void {
  for (const a of adaptation ?? []) pastDate(a.doneOn);
  for (const d of devices ?? []) pastDate(d.installedOn);
}

const parseList = <T>(json: string): T[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
};

/** The views of these beds (names, provider, this month's services). */
async function bedViews(ctx: AppContext, db: Executor, rows: readonly FamilyCareBedRow[]): Promise<BedView[]> {
  if (!rows.length) return [];
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const providers = await providerNames(
    db,
    rows.map((r) => r.provider_id),
  );
  const period = today().slice(0, 7);
  const counts = await db
    .selectFrom('service_orders')
    .select(['provider_id', 'person_id', sql<number>`count(*)`.as('n')])
    .where('period', '=', period)
    .where('status', '!=', 'cancelled')
    .where(
      'person_id',
      'in',
      rows.map((r) => r.person_id),
    )
    .groupBy(['provider_id', 'person_id'])
    .execute();
  const services = new Map(counts.map((c) => [`${c.provider_id}|${c.person_id}`, Number(c.n)]));
  return rows.map((r) => {
    const p = labels.get(r.person_id);
    return {
      id: r.id,
      personId: r.person_id,
      personName: p?.name ?? '',
      idMasked: p?.idMasked ?? '',
      regionCode: r.region_code,
      regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
      providerId: r.provider_id,
      providerName: providers.get(r.provider_id) ?? '',
      status: r.status as BedView['status'],
      openedOn: r.opened_on,
      closedOn: r.closed_on,
      closeReason: r.close_reason,
      adaptation: parseList<AdaptationItem>(r.adaptation),
      devices: parseList<DeviceItem>(r.devices),
      servicesThisMonth: services.get(`${r.provider_id}|${r.person_id}`) ?? 0,
    };
  });
}

/** The viewer's scope narrowed to a region filter (one outside it matches nothing). */
export function narrowed(ctx: AppContext, scope: Scope, region: string | undefined): Scope {
  if (!region) return scope;
  const r = ctx.regions.get(region);
  return r ? narrowScope(scope, r.code, r.prefix) : nowhere(scope);
}

/** GET /services/beds: the target, the counts and a page of the viewer's beds (audited: names shown). */
export function listBeds(ctx: AppContext, scope: Scope, f: BedsQuery): Promise<BedsReply> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const settings = serviceSettingsOf(ctx, scope.regionCode);
      // the viewer's active beds, by region (a county has a few thousand at most)
      const activeRows = await scopedRows(trx.selectFrom('family_care_beds'), scope, 'family_care_beds')
        .select(['region_code', sql<number>`count(*)`.as('n')])
        .where('status', '=', 'active')
        .groupBy('region_code')
        .execute();
      const towns = new Map<string, { regionCode: string; regionName: string; active: number }>();
      let active = 0;
      for (const r of activeRows) {
        const n = Number(r.n);
        active += n;
        const town = ctx.regions.town(r.region_code);
        const key = town?.code ?? r.region_code;
        const t = towns.get(key) ?? { regionCode: key, regionName: town?.name ?? ctx.regions.get(key)?.name ?? key, active: 0 };
        t.active += n;
        towns.set(key, t);
      }
      // the whole of the viewer's jurisdiction (a city's officer: every county of the city)
      const j = ctx.regions.jurisdictionOf(scope.regionCode);
      const all = await trx
        .selectFrom('family_care_beds')
        .select(sql<number>`count(*)`.as('n'))
        .where('status', '=', 'active')
        .where(inRegion({ ...scope, regionPrefix: j?.prefix ?? '' }, 'family_care_beds.region_code'))
        .executeTakeFirstOrThrow();

      let q = scopedRows(trx.selectFrom('family_care_beds'), narrowed(ctx, scope, f.regionCode), 'family_care_beds');
      if (f.status) q = q.where('status', '=', f.status);
      if (f.providerId) q = q.where('provider_id', '=', f.providerId);
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('status')
        .orderBy('opened_on', 'desc')
        .orderBy('id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return {
        target: settings.bedsTarget,
        active,
        jurisdictionActive: Number(all.n),
        byTown: [...towns.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode)),
        page: { items: await bedViews(ctx, trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize },
      };
    },
    (r) => ({ action: 'services.beds_read', entityType: 'family_care_bed', persons: r.page.items.map((b) => b.personId) }),
  );
}

/** A bed the viewer may see and change, or SERVICE_BED_NOT_FOUND (also for one outside their scope). */
async function bedInScope(db: Executor, scope: Scope, id: number): Promise<FamilyCareBedRow> {
  const row = await scopedRows(db.selectFrom('family_care_beds'), scope, 'family_care_beds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('SERVICE_BED_NOT_FOUND', { id });
  return row;
}

/** One person's bed decisions at a time on PostgreSQL (SQLite writes one transaction at a time anyway). */
async function lockPerson(db: Executor, personId: number): Promise<void> {
  if (dialectOf(db) === 'postgres') await sql`select pg_advisory_xact_lock(${17_005}::int, ${personId}::int)`.execute(db);
}

/** POST /services/beds: opens a bed for a person in scope and active on the register; one active bed each. */
export async function openBed(ctx: AppContext, scope: Scope, input: OpenBedBody): Promise<BedView> {
  const body = openBedBody.parse(input);
  pastDate(body.openedOn);
  checkDates(body.adaptation, body.devices);
  await providerForUse(ctx, ctx.db, scope, body.providerId);
  if (!(await personPermitted(ctx.db, scope, body.personId))) throw notFound('person');
  const [person] = await personColumns(ctx.db, ['id', 'region_code', 'status'], [body.personId]);
  if (!person) throw notFound('person');
  if (person.status !== 'active') throw new AppError('SERVICE_BED_PERSON_INACTIVE', { personId: body.personId, status: String(person.status) });
  const row = await ctx.db.transaction().execute(async (trx) => {
    await lockPerson(trx, body.personId);
    const existing = await trx
      .selectFrom('family_care_beds')
      .select(['id', 'opened_on'])
      .where('person_id', '=', body.personId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (existing) throw new AppError('SERVICE_BED_EXISTS', { personId: body.personId, id: existing.id, openedOn: existing.opened_on });
    const r = await trx
      .insertInto('family_care_beds')
      .values({
        person_id: body.personId,
        provider_id: body.providerId,
        region_code: String(person.region_code),
        status: 'active',
        opened_on: body.openedOn,
        closed_on: null,
        close_reason: null,
        adaptation: JSON.stringify(body.adaptation),
        devices: JSON.stringify(body.devices),
        created_by: scope.userId ?? 0,
        created_at: nowIso(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, scope, {
      action: 'services.bed_open',
      entityType: 'family_care_bed',
      entityId: r.id,
      regionCode: r.region_code,
      detail: { personId: r.person_id, providerId: r.provider_id, openedOn: r.opened_on, adaptation: body.adaptation.length, devices: body.devices.length },
    });
    return r;
  });
  return (await bedViews(ctx, ctx.db, [row]))[0]!;
}

/** PATCH /services/beds/:id: replaces the adaptation and/or devices lists of an active bed (audited, before and after). */
export async function patchBed(ctx: AppContext, scope: Scope, id: number, body: PatchBedBody): Promise<BedView> {
  checkDates(body.adaptation, body.devices);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await bedInScope(trx, scope, id);
    if (before.status !== 'active') throw new AppError('SERVICE_BED_CLOSED', { id, closedOn: before.closed_on ?? '' });
    const patch: { adaptation?: string; devices?: string } = {};
    if (body.adaptation) patch.adaptation = JSON.stringify(body.adaptation);
    if (body.devices) patch.devices = JSON.stringify(body.devices);
    if (!Object.keys(patch).length) return before;
    await trx.updateTable('family_care_beds').set(patch).where('id', '=', id).execute();
    await recordAudit(trx, scope, {
      action: 'services.bed_update',
      entityType: 'family_care_bed',
      entityId: id,
      regionCode: before.region_code,
      fields: Object.keys(patch),
      detail: {
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, parseList(before[k as 'adaptation' | 'devices'])])),
        after: Object.fromEntries(Object.entries(patch).map(([k, v]) => [k, JSON.parse(v) as unknown])),
      },
    });
    return { ...before, ...patch };
  });
  return (await bedViews(ctx, ctx.db, [row]))[0]!;
}

/** POST /services/beds/:id/close: closes an active bed on a date not before its opening nor after today. */
export async function closeBed(ctx: AppContext, scope: Scope, id: number, body: CloseBedBody): Promise<BedView> {
  pastDate(body.closedOn);
  const row = await ctx.db.transaction().execute(async (trx) => {
    const before = await bedInScope(trx, scope, id);
    if (before.status !== 'active') throw new AppError('SERVICE_BED_CLOSED', { id, closedOn: before.closed_on ?? '' });
    if (body.closedOn < before.opened_on) throw new AppError('SERVICE_BED_CLOSE_BEFORE_OPEN', { id, closedOn: body.closedOn, openedOn: before.opened_on });
    const changed = await trx
      .updateTable('family_care_beds')
      .set({ status: 'closed', closed_on: body.closedOn, close_reason: body.reason })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new AppError('SERVICE_BED_CLOSED', { id, closedOn: body.closedOn });
    await recordAudit(trx, scope, {
      action: 'services.bed_close',
      entityType: 'family_care_bed',
      entityId: id,
      regionCode: before.region_code,
      detail: { closedOn: body.closedOn, reason: body.reason },
    });
    return { ...before, status: 'closed', closed_on: body.closedOn, close_reason: body.reason };
  });
  return (await bedViews(ctx, ctx.db, [row]))[0]!;
}
