import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { devicesOfPerson, listDevices, readDevice, registerDevice, retireDevice } from './devices.js';
import type { DeviceDetail, DeviceView } from './devices.schema.js';
import { ingestEvents } from './ingest.js';
import { createVendor, disableVendor, listRejects, listVendors, rotateVendor } from './vendors.js';

describe.each(dialects)('devices and vendors on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let town2: Scope;
  let staffA: Scope;
  let county: Scope;
  let providerA = 0;
  let providerB = 0;
  /** p1: town 1, a client of provider A; p2: town 1, nobody's client; p3: town 2 */
  const p = { p1: 0, p2: 0, p3: 0 };
  const base = { kind: 'emergency_button' as const, installedOn: '2026-11-02' };

  async function person(name: string, region: string) {
    const now = nowIso();
    return (
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `hash-${randomUUID()}`,
          id_enc: 'placeholder',
          id_masked: `330503**********${String(name.length).padStart(2, '0')}`,
          name,
          sex: 'F',
          birth_date: '1941-02-02',
          region_code: region,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: null,
          status: 'active',
          closed_on: null,
          hardship: 'none',
          provenance: '{}',
          created_at: now,
          updated_at: now,
        } as NewPerson)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  async function provider(name: string) {
    const j = ctx.regions.counties()[0]!;
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: j.code,
          region_code: j.code,
          kind: 'mixed',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active: 1,
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const lastAudit = () => ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    county = countyScope(ctx);
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    const village1 = (await userScope(ctx, 'grid1')).regionCode;
    const village3 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    p.p1 = await person('张一', village1);
    p.p2 = await person('李二二', village1);
    p.p3 = await person('王三三三', village3);
    providerA = await provider('颐康居家');
    providerB = await provider('安心服务');
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    staffA = await userScope(ctx, 'provider1');
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: providerA,
        person_id: p.p1,
        region_code: village1,
        home_enc: ctx.cipher.encrypt('{"lat":30.8,"lng":120.4}'),
        home_cell: 'x',
        card_hash: null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('registers a device with its address sealed, lists it, shows the address in the audited detail, retires it', async () => {
    const d = await registerDevice(ctx, town1, { ...base, serial: 'D-REG-1', personId: p.p1, address: '幸福村 3 组 12 号', model: 'RG-2' });
    expect(d).toMatchObject({ serial: 'D-REG-1', personId: p.p1, personName: '张一', status: 'active', link: 'offline', hasAddress: true, providerId: null });
    const row = await ctx.db.selectFrom('alarm_devices').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(row.address_enc).not.toContain('幸福村');
    expect(ctx.cipher.decrypt(row.address_enc!)).toBe('幸福村 3 组 12 号');
    const reg = await lastAudit();
    expect(reg).toMatchObject({ action: 'alarms.device_register', entity_type: 'alarm_device', entity_id: String(d.id) });
    expect(JSON.stringify(reg)).not.toContain('幸福村');

    const list = await listDevices(ctx, town1, { status: 'active', page: 1, pageSize: 20 });
    expect(list.items.map((i) => i.serial)).toContain('D-REG-1');
    expect(list.items.find((i) => i.id === d.id)).not.toHaveProperty('address');
    expect(await lastAudit()).toMatchObject({ action: 'alarms.devices_read' });

    const detail = await readDevice(ctx, town1, d.id);
    expect(detail.address).toBe('幸福村 3 组 12 号');
    const read = await lastAudit();
    expect(read).toMatchObject({ action: 'alarms.device_read', entity_id: String(d.id) });
    expect(JSON.parse(read.fields!)).toEqual(['address']);

    expect(await devicesOfPerson(ctx.db, p.p1)).toEqual([expect.objectContaining({ serial: 'D-REG-1', status: 'active' })]);

    const retired = await retireDevice(ctx, town1, d.id);
    expect(retired.status).toBe('retired');
    expect(await lastAudit()).toMatchObject({ action: 'alarms.device_retire' });
    expect(await codeOf(retireDevice(ctx, town1, d.id))).toBe('ALARM_DEVICE_RETIRED');
    expect((await listDevices(ctx, town1, { status: 'active', page: 1, pageSize: 20 })).items.map((i) => i.id)).not.toContain(d.id);
    expect((await listDevices(ctx, town1, { status: 'retired', page: 1, pageSize: 20 })).items.map((i) => i.id)).toContain(d.id);
  });

  it('a retired device’s events are refused at once, even though the ingest had it cached', async () => {
    const d = await registerDevice(ctx, town1, { ...base, serial: 'D-CACHE-1', personId: p.p1 });
    const at = new Date().toISOString();
    expect((await ingestEvents(ctx, [{ id: 'c1', kind: 'heartbeat', at, serial: 'D-CACHE-1' }], 'mqtt'))[0]!.status).toBe('stored');
    await retireDevice(ctx, town1, d.id);
    expect((await ingestEvents(ctx, [{ id: 'c2', kind: 'sos', at, serial: 'D-CACHE-1' }], 'mqtt'))[0]).toMatchObject({
      status: 'rejected',
      reason: 'retired_device',
    });
  });

  it('keeps a town officer to their town: another town’s officer neither sees nor registers nor retires', async () => {
    const d = await registerDevice(ctx, town1, { ...base, serial: 'D-TOWN-1', personId: p.p2 });
    expect((await listDevices(ctx, town2, { status: 'all', page: 1, pageSize: 200 })).items.map((i) => i.id)).not.toContain(d.id);
    expect(await codeOf(readDevice(ctx, town2, d.id))).toBe('ALARM_DEVICE_NOT_FOUND');
    expect(await codeOf(retireDevice(ctx, town2, d.id))).toBe('ALARM_DEVICE_NOT_FOUND');
    expect(await codeOf(registerDevice(ctx, town2, { ...base, serial: 'D-TOWN-2', personId: p.p1 }))).toBe('NOT_FOUND');
    // a region filter outside the viewer's area shows nothing
    const t1 = ctx.regions.get(town1.regionCode)!;
    expect((await listDevices(ctx, town2, { regionCode: t1.code, status: 'all', page: 1, pageSize: 200 })).total).toBe(0);
    // town 2's own person: fine
    expect((await registerDevice(ctx, town2, { ...base, serial: 'D-TOWN-3', personId: p.p3 })).regionCode.startsWith(town2.regionPrefix)).toBe(true);
  });

  it('lets a provider’s staff register only in their organisation’s name, for the persons it serves, and see only its installations', async () => {
    const own = await registerDevice(ctx, staffA, { ...base, serial: 'D-PROV-1', personId: p.p1 });
    expect(own).toMatchObject({ providerId: providerA, providerName: '颐康居家' });
    expect(await codeOf(registerDevice(ctx, staffA, { ...base, serial: 'D-PROV-2', personId: p.p1, providerId: providerB }))).toBe(
      'ALARM_DEVICE_PROVIDER_NOT_OWN',
    );
    // p2 is not a client of provider A
    expect(await codeOf(registerDevice(ctx, staffA, { ...base, serial: 'D-PROV-3', personId: p.p2 }))).toBe('NOT_FOUND');
    // an officer's registration for the same client, naming no provider: not the provider's to see
    const officers = await registerDevice(ctx, town1, { ...base, serial: 'D-PROV-4', personId: p.p1 });
    const byB = await registerDevice(ctx, town1, { ...base, serial: 'D-PROV-5', personId: p.p1, providerId: providerB });
    const seen = (await listDevices(ctx, staffA, { status: 'all', page: 1, pageSize: 200 })).items.map((i) => i.id);
    expect(seen).toEqual([own.id]);
    expect(await codeOf(readDevice(ctx, staffA, officers.id))).toBe('ALARM_DEVICE_NOT_FOUND');
    expect(await codeOf(retireDevice(ctx, staffA, byB.id))).toBe('ALARM_DEVICE_NOT_FOUND');
    expect(await codeOf(registerDevice(ctx, town1, { ...base, serial: 'D-PROV-6', personId: p.p1, providerId: 999_999 }))).toBe('ALARM_PROVIDER_NOT_FOUND');
  });

  it('refuses a serial already registered (a retired device’s too) with a clear 409, changing nothing', async () => {
    await registerDevice(ctx, town1, { ...base, serial: 'D-SER-1', personId: p.p2 });
    const session = await loginAs(app, 'town1');
    const before = await ctx.db.selectFrom('alarm_devices').select('id').execute();
    const res = await call(app, session, { method: 'POST', url: '/api/alarms/devices', payload: { ...base, serial: 'D-SER-1', personId: p.p1 } });
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'ALARM_DEVICE_SERIAL_TAKEN']);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('D-SER-1');
    expect(await codeOf(registerDevice(ctx, town1, { ...base, serial: 'D-REG-1', personId: p.p1 }))).toBe('ALARM_DEVICE_SERIAL_TAKEN');
    expect(await ctx.db.selectFrom('alarm_devices').select('id').execute()).toHaveLength(before.length);
    // through HTTP the list and the detail answer, the detail with its address
    const list = await call(app, session, { method: 'GET', url: '/api/alarms/devices?serial=D-SER' });
    expect(list.json<{ items: DeviceView[] }>().items.map((i) => i.serial)).toEqual(['D-SER-1']);
    const id = list.json<{ items: DeviceView[] }>().items[0]!.id;
    expect((await call(app, session, { method: 'GET', url: `/api/alarms/devices/${id}` })).json<DeviceDetail>()).toMatchObject({
      id,
      address: null,
      events: [],
    });
  });

  it('issues a vendor key whose secret is shown once, sealed at rest, never audited; rotates and disables it', async () => {
    const v = await createVendor(ctx, county, { name: '智联科技' });
    expect(v.keyId).toMatch(/^v-[0-9a-f]{16}$/);
    expect(v.secret.length).toBeGreaterThanOrEqual(40);
    const row = await ctx.db.selectFrom('alarm_vendors').selectAll().where('id', '=', v.id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(v.secret);
    expect(ctx.cipher.decrypt(row.secret_enc)).toBe(v.secret);
    const listed = (await listVendors(ctx)).items.find((i) => i.id === v.id)!;
    expect(listed).toEqual({ id: v.id, name: '智联科技', keyId: v.keyId, active: true, createdAt: row.created_at, devices: 0 });
    expect(await codeOf(createVendor(ctx, county, { name: '智联科技' }))).toBe('ALARM_VENDOR_NAME_TAKEN');

    const rotated = await rotateVendor(ctx, county, v.id);
    expect(rotated.keyId).toBe(v.keyId);
    expect(rotated.secret).not.toBe(v.secret);
    const audits = await ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'alarm_vendor').execute();
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['alarms.vendor_create', 'alarms.vendor_rotate']));
    for (const a of audits) expect(JSON.stringify(a)).not.toContain(v.secret.slice(0, 12));
    for (const a of audits) expect(JSON.stringify(a)).not.toContain(rotated.secret.slice(0, 12));

    // a device naming it counts; once disabled no device may name it and its key is not rotated
    await registerDevice(ctx, town1, { ...base, serial: 'D-VEN-1', personId: p.p2, vendorId: v.id });
    expect((await listVendors(ctx)).items.find((i) => i.id === v.id)!.devices).toBe(1);
    expect((await disableVendor(ctx, county, v.id)).active).toBe(false);
    expect(await codeOf(registerDevice(ctx, town1, { ...base, serial: 'D-VEN-2', personId: p.p2, vendorId: v.id }))).toBe('ALARM_VENDOR_DISABLED');
    expect(await codeOf(rotateVendor(ctx, county, v.id))).toBe('ALARM_VENDOR_DISABLED');
    expect(await codeOf(rotateVendor(ctx, county, 999_999))).toBe('ALARM_VENDOR_NOT_FOUND');
  });

  it('lists the refusals of the last days by reason and source', async () => {
    const at = new Date().toISOString();
    await ingestEvents(
      ctx,
      [
        { id: 'r1', kind: 'heartbeat', at, serial: 'D-NOBODY' },
        { id: 'r2', kind: 'heartbeat', at, serial: 'D-NOBODY' },
      ],
      'mqtt',
    );
    const r = await listRejects(ctx, { days: 7 });
    expect(r.items).toEqual(expect.arrayContaining([expect.objectContaining({ via: 'mqtt', source: 'D-NOBODY', reason: 'unknown_device', count: 2 })]));
    expect(r.byReason.find((b) => b.reason === 'unknown_device')!.count).toBeGreaterThanOrEqual(2);
  });
});
