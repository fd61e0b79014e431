import { sql, type SelectQueryBuilder } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { auditedRead } from '../../platform/reads.js';
import { inReach, inRegion, narrowScope, type Scope } from '../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../platform/time.js';
import { personColumns } from '../register/history.queries.js';
import { personLabels, personPermitted } from '../register/people.js';
import { providerNames } from '../services/providers.js';
import type { AlarmDeviceRow } from './alarms.tables.js';
import type { DeviceDetail, DeviceEventView, DevicesQuery, DevicesReply, DeviceView, PersonDeviceView, RegisterDeviceBody } from './devices.schema.js';
import type { EventKind } from './events.schema.js';
import { forgetDevice } from './ingest.js';

/**
 * Devices installed for a person (issue 18). The scope rule: the viewer's region subtree (the
 * person's region at installation); a provider's staff (a scope with an organisation) only the
 * devices their organisation installed (provider_id), registering only for the persons their
 * organisation reaches (the register's permittedPersons) and only in its name; assigned-only
 * scopes only their persons. The address served is sealed; the detail that shows it is audited,
 * as is every list (it shows names beside masked IDs). A serial is registered once, retired
 * devices included (the unique index; a clear error).
 */

const isUniqueViolation = (e: unknown) => /unique|23505/i.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message ?? ''}`);

/** The devices the scope sees. */
function scoped<O>(qb: SelectQueryBuilder<Database, 'alarm_devices', O>, scope: Scope): SelectQueryBuilder<Database, 'alarm_devices', O> {
  let q = qb.where(inRegion(scope, 'alarm_devices.region_code'));
  if (scope.organisationId !== null) q = q.where('alarm_devices.provider_id', '=', scope.organisationId);
  if (scope.assignedOnly) q = q.where(inReach({ ...scope, organisationId: null }, 'alarm_devices.person_id'));
  return q;
}

/** The device with this id as the scope sees it, or ALARM_DEVICE_NOT_FOUND (also for one outside it). */
export async function deviceInScope(db: Executor, scope: Scope, id: number): Promise<AlarmDeviceRow> {
  const row = await scoped(db.selectFrom('alarm_devices').selectAll(), scope).where('alarm_devices.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('ALARM_DEVICE_NOT_FOUND', { id });
  return row;
}

/** A person's devices, active first, for the hotline summary and the person's profile (the caller checks the scope and audits). */
export async function devicesOfPerson(db: Executor, personId: number): Promise<PersonDeviceView[]> {
  const rows = await db.selectFrom('alarm_devices').selectAll().where('person_id', '=', personId).orderBy('status').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    kind: r.kind,
    model: r.model,
    status: r.status as PersonDeviceView['status'],
    lastSeenAt: r.last_seen_at,
    battery: r.battery,
    link: r.link as PersonDeviceView['link'],
    installedOn: r.installed_on,
  }));
}

async function deviceViews(ctx: AppContext, db: Executor, rows: readonly AlarmDeviceRow[]): Promise<DeviceView[]> {
  const labels = await personLabels(
    db,
    rows.map((r) => r.person_id),
  );
  const providers = await providerNames(
    db,
    rows.flatMap((r) => (r.provider_id === null ? [] : [r.provider_id])),
  );
  const vendorIds = [...new Set(rows.flatMap((r) => (r.vendor_id === null ? [] : [r.vendor_id])))];
  const vendors = new Map(
    vendorIds.length ? (await db.selectFrom('alarm_vendors').select(['id', 'name']).where('id', 'in', vendorIds).execute()).map((v) => [v.id, v.name]) : [],
  );
  return rows.map((r) => ({
    id: r.id,
    serial: r.serial,
    kind: r.kind,
    model: r.model,
    vendorId: r.vendor_id,
    vendorName: r.vendor_id === null ? null : (vendors.get(r.vendor_id) ?? null),
    personId: r.person_id,
    personName: labels.get(r.person_id)?.name ?? '',
    idMasked: labels.get(r.person_id)?.idMasked ?? '',
    regionCode: r.region_code,
    regionName: ctx.regions.get(r.region_code)?.name ?? r.region_code,
    providerId: r.provider_id,
    providerName: r.provider_id === null ? null : (providers.get(r.provider_id) ?? null),
    installedOn: r.installed_on,
    status: r.status as DeviceView['status'],
    retiredOn: r.retired_on,
    lastSeenAt: r.last_seen_at,
    battery: r.battery,
    link: r.link as DeviceView['link'],
    hasAddress: r.address_enc !== null,
  }));
}

/** GET /alarms/devices: a page of the devices the viewer sees, audited (names beside masked IDs). */
export function listDevices(ctx: AppContext, scope: Scope, f: DevicesQuery): Promise<DevicesReply> {
  let s = scope;
  if (f.regionCode !== undefined) {
    const region = ctx.regions.get(f.regionCode);
    if (!region) throw new AppError('REGION_UNKNOWN', { region: f.regionCode });
    s = narrowScope(scope, region.code, region.prefix);
  }
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      let q = scoped(trx.selectFrom('alarm_devices'), s);
      if (f.kind) q = q.where('alarm_devices.kind', '=', f.kind);
      if (f.link) q = q.where('alarm_devices.link', '=', f.link);
      if (f.status !== 'all') q = q.where('alarm_devices.status', '=', f.status);
      if (f.personId !== undefined) q = q.where('alarm_devices.person_id', '=', f.personId);
      const serial = f.serial?.trim();
      if (serial) q = q.where('alarm_devices.serial', '>=', serial).where('alarm_devices.serial', '<', `${serial}\uffff`);
      const { n } = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('alarm_devices.id', 'desc')
        .limit(f.pageSize)
        .offset((f.page - 1) * f.pageSize)
        .execute();
      return { items: await deviceViews(ctx, trx, rows), total: Number(n), page: f.page, pageSize: f.pageSize };
    },
    (r) => ({ action: 'alarms.devices_read', entityType: 'alarm_device', persons: r.items.map((d) => d.personId) }),
  );
}

/** GET /alarms/devices/:id: the device with its address (unsealed) and last 50 events; audited, naming the address when one is shown. */
export function readDevice(ctx: AppContext, scope: Scope, id: number): Promise<DeviceDetail> {
  return auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      const row = await deviceInScope(trx, scope, id);
      const [view] = await deviceViews(ctx, trx, [row]);
      const events = await trx
        .selectFrom('alarm_events')
        .selectAll()
        .where('device_id', '=', row.id)
        .orderBy('occurred_at', 'desc')
        .orderBy('id', 'desc')
        .limit(50)
        .execute();
      return {
        ...view!,
        address: row.address_enc === null ? null : ctx.cipher.decrypt(row.address_enc),
        events: events.map((e): DeviceEventView => ({
          id: e.id,
          messageId: e.message_id,
          kind: e.kind as EventKind,
          occurredAt: e.occurred_at,
          receivedAt: e.received_at,
          via: e.via as DeviceEventView['via'],
          battery: e.battery,
          value: e.value,
          alarmId: e.alarm_id,
        })),
      };
    },
    (d) => ({
      action: 'alarms.device_read',
      entityType: 'alarm_device',
      entityId: d.id,
      regionCode: d.regionCode,
      fields: d.address === null ? [] : ['address'],
      persons: [d.personId],
    }),
  );
}

/** POST /alarms/devices: registers a device for a person the viewer may see (see the file's comment). */
export async function registerDevice(ctx: AppContext, scope: Scope, body: RegisterDeviceBody): Promise<DeviceView> {
  if (!isCivilDate(body.installedOn)) throw new AppError('VALIDATION', { issues: [{ field: 'body.installedOn', issue: 'invalid_format', format: 'date' }] });
  let providerId = body.providerId ?? null;
  if (scope.organisationId !== null) {
    if (providerId !== null && providerId !== scope.organisationId)
      throw new AppError('ALARM_DEVICE_PROVIDER_NOT_OWN', { own: scope.organisationId, providerId });
    providerId = scope.organisationId;
  } else if (providerId !== null && !(await providerNames(ctx.db, [providerId])).has(providerId)) {
    throw new AppError('ALARM_PROVIDER_NOT_FOUND', { id: providerId });
  }
  if (!(await personPermitted(ctx.db, scope, body.personId))) throw notFound('person');
  const [person] = (await personColumns(ctx.db, ['id', 'region_code', 'status'], [body.personId])) as { id: number; region_code: string; status: string }[];
  if (!person) throw notFound('person');
  if (person.status !== 'active') throw new AppError('ALARM_DEVICE_PERSON_INACTIVE', { id: person.id, status: person.status });
  if (body.vendorId !== undefined) {
    const vendor = await ctx.db.selectFrom('alarm_vendors').select(['id', 'active']).where('id', '=', body.vendorId).executeTakeFirst();
    if (!vendor) throw new AppError('ALARM_VENDOR_NOT_FOUND', { id: body.vendorId });
    if (!vendor.active) throw new AppError('ALARM_VENDOR_DISABLED', { id: body.vendorId });
  }
  const serialTaken = async () => {
    const taken = await ctx.db.selectFrom('alarm_devices').select('id').where('serial', '=', body.serial).executeTakeFirst();
    return taken ? new AppError('ALARM_DEVICE_SERIAL_TAKEN', { serial: body.serial, id: taken.id }) : null;
  };
  const early = await serialTaken();
  if (early) throw early;
  let row: AlarmDeviceRow;
  try {
    row = await ctx.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('alarm_devices')
        .values({
          serial: body.serial,
          kind: body.kind,
          model: body.model ?? null,
          vendor_id: body.vendorId ?? null,
          person_id: person.id,
          region_code: person.region_code,
          address_enc: body.address === undefined ? null : ctx.cipher.encrypt(body.address),
          provider_id: providerId,
          installed_on: body.installedOn,
          status: 'active',
          retired_on: null,
          last_seen_at: null,
          battery: null,
          // not heard from yet: online once its first event is stored
          link: 'offline',
          created_by: scope.userId ?? 0,
          created_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, scope, {
        action: 'alarms.device_register',
        entityType: 'alarm_device',
        entityId: inserted.id,
        regionCode: inserted.region_code,
        fields: ['serial', 'kind', 'model', 'vendorId', 'personId', 'providerId', 'installedOn', ...(body.address === undefined ? [] : ['address'])],
        detail: { serial: inserted.serial, kind: inserted.kind, personId: inserted.person_id, providerId, vendorId: inserted.vendor_id },
      });
      return inserted;
    });
  } catch (e) {
    // two registrations of one serial at once: the unique index decides
    if (!(e instanceof AppError) && isUniqueViolation(e)) throw (await serialTaken()) ?? e;
    throw e;
  }
  forgetDevice(ctx, row.serial);
  return (await deviceViews(ctx, ctx.db, [row]))[0]!;
}

/** POST /alarms/devices/:id/retire: the device serves nobody any more; its events are refused from now on ('retired_device'). */
export async function retireDevice(ctx: AppContext, scope: Scope, id: number): Promise<DeviceView> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const device = await deviceInScope(trx, scope, id);
    if (device.status !== 'active') throw new AppError('ALARM_DEVICE_RETIRED', { id, on: device.retired_on ?? '?' });
    const on = today();
    const r = await trx
      .updateTable('alarm_devices')
      .set({ status: 'retired', retired_on: on })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('ALARM_DEVICE_RETIRED', { id, on });
    await recordAudit(trx, scope, {
      action: 'alarms.device_retire',
      entityType: 'alarm_device',
      entityId: id,
      regionCode: device.region_code,
      fields: ['status', 'retiredOn'],
      detail: { serial: device.serial, personId: device.person_id },
    });
    return { ...device, status: 'retired', retired_on: on };
  });
  forgetDevice(ctx, row.serial);
  return (await deviceViews(ctx, ctx.db, [row]))[0]!;
}
