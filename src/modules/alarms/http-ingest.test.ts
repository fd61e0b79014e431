import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { registerDevice } from './devices.js';
import { purgeNonces } from './nonces.js';
import { signedHeaders, signRequest } from './signature.js';
import { createVendor, disableVendor } from './vendors.js';

describe.each(dialects)('signed HTTP intake on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const vendor = { a: { id: 0, keyId: '', secret: '' }, b: { id: 0, keyId: '', secret: '' }, off: { id: 0, keyId: '', secret: '' } };
  let n = 0;

  const event = (serial: string, kind = 'heartbeat', extra: Record<string, unknown> = {}) => ({
    id: `h-${++n}`,
    kind,
    at: new Date().toISOString(),
    serial,
    ...extra,
  });
  const post = (raw: string, headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/alarms/ingest', payload: raw, headers: { 'content-type': 'application/json', ...headers } });
  const signed = (v: { keyId: string; secret: string }, body: unknown, opts: { now?: Date; nonce?: string } = {}) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return post(raw, signedHeaders(v.keyId, v.secret, raw, opts));
  };
  const stored = async (serial: string) =>
    (
      await ctx.db
        .selectFrom('alarm_events')
        .innerJoin('alarm_devices', 'alarm_devices.id', 'alarm_events.device_id')
        .select('alarm_events.message_id')
        .where('alarm_devices.serial', '=', serial)
        .execute()
    ).map((r) => r.message_id);
  const rejectCount = async (source: string, reason: string) =>
    (await ctx.db.selectFrom('alarm_rejects').select('count').where('source', '=', source).where('reason', '=', reason).execute()).reduce(
      (s, r) => s + r.count,
      0,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    const county = countyScope(ctx);
    const village = (await userScope(ctx, 'grid1')).regionCode;
    const now = nowIso();
    const personId = (
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `hash-${randomUUID()}`,
          id_enc: 'placeholder',
          id_masked: '330503**********02',
          name: '签名测试',
          sex: 'M',
          birth_date: '1938-03-03',
          region_code: village,
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
    for (const k of ['a', 'b', 'off'] as const) {
      const v = await createVendor(ctx, county, { name: `厂商-${k}` });
      vendor[k] = { id: v.id, keyId: v.keyId, secret: v.secret };
    }
    await disableVendor(ctx, county, vendor.off.id);
    await registerDevice(ctx, county, { serial: 'H-A-1', kind: 'emergency_button', vendorId: vendor.a.id, personId, installedOn: '2026-11-01' });
    await registerDevice(ctx, county, { serial: 'H-A-2', kind: 'mattress', vendorId: vendor.a.id, personId, installedOn: '2026-11-01' });
    await registerDevice(ctx, county, { serial: 'H-B-1', kind: 'door_sensor', vendorId: vendor.b.id, personId, installedOn: '2026-11-01' });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('stores a correctly signed batch and answers 200 after the commit, one line per event', async () => {
    const events = [event('H-A-1', 'sos'), event('H-A-2', 'out_of_bed', { value: 12 })];
    const res = await signed(vendor.a, { events });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ results: events.map((e) => ({ id: e.id, serial: e.serial, status: 'stored' })) });
    expect(await stored('H-A-1')).toContain(events[0]!.id);
    const row = await ctx.db.selectFrom('alarm_events').select(['via', 'value']).where('message_id', '=', events[1]!.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ via: 'http', value: 12 });
    // the vendor's retry of the same events (a new nonce): merged
    const again = await signed(vendor.a, { events });
    expect(again.json<{ results: { status: string }[] }>().results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
  });

  it('refuses a forged signature, a tampered body and a wrong secret with 401, storing nothing', async () => {
    const e = event('H-A-1', 'sos');
    const raw = JSON.stringify({ events: [e] });
    const headers = signedHeaders(vendor.a.keyId, vendor.a.secret, raw);
    const forged = await post(raw, { ...headers, 'x-yiyang-signature': signRequest('guessed', headers['x-yiyang-timestamp'], headers['x-yiyang-nonce'], raw) });
    expect(forged.statusCode).toBe(401);
    expect(forged.json<{ error: { code: string } }>().error.code).toBe('INGEST_BAD_SIGNATURE');
    const tampered = await post(raw.replace('"sos"', '"fall"'), signedHeaders(vendor.a.keyId, vendor.a.secret, raw));
    expect(tampered.json<{ error: { code: string } }>().error.code).toBe('INGEST_BAD_SIGNATURE');
    // signed with another vendor's secret
    const other = await post(raw, signedHeaders(vendor.a.keyId, vendor.b.secret, raw));
    expect(other.statusCode).toBe(401);
    expect(await stored('H-A-1')).not.toContain(e.id);
    expect(await rejectCount(vendor.a.keyId, 'bad_signature')).toBe(3);
  });

  it('refuses an unknown key and a disabled one with 401', async () => {
    const body = { events: [event('H-A-1')] };
    const unknown = await signed({ keyId: 'v-doesnotexist', secret: vendor.a.secret }, body);
    expect([unknown.statusCode, unknown.json<{ error: { code: string } }>().error.code]).toEqual([401, 'INGEST_UNKNOWN_KEY']);
    const disabled = await signed(vendor.off, body);
    expect([disabled.statusCode, disabled.json<{ error: { code: string } }>().error.code]).toEqual([401, 'INGEST_KEY_DISABLED']);
    expect(await rejectCount('v-doesnotexist', 'unknown_key')).toBe(1);
    expect(await stored('H-A-1')).not.toContain(body.events[0]!.id);
  });

  it('refuses a timestamp outside the window, either way, with 401', async () => {
    // ten seconds past the window: both sides floor to whole seconds, and a request that crosses a second boundary on the way would make one second past it exactly the window
    for (const offset of [-310_000, 310_000]) {
      const body = { events: [event('H-A-1')] };
      const res = await signed(vendor.a, body, { now: new Date(Date.now() + offset) });
      expect(res.statusCode).toBe(401);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('INGEST_STALE_TIMESTAMP');
      expect(await stored('H-A-1')).not.toContain(body.events[0]!.id);
    }
    // within the window: accepted
    expect((await signed(vendor.a, { events: [event('H-A-1')] }, { now: new Date(Date.now() - 200_000) })).statusCode).toBe(200);
  });

  it('refuses a replayed request (same nonce) with 409, and the nonce stays until twice the window has passed', async () => {
    const raw = JSON.stringify({ events: [event('H-A-2', 'movement')] });
    const headers = signedHeaders(vendor.a.keyId, vendor.a.secret, raw);
    expect((await post(raw, headers)).statusCode).toBe(200);
    const replay = await post(raw, headers);
    expect([replay.statusCode, replay.json<{ error: { code: string } }>().error.code]).toEqual([409, 'INGEST_REPLAYED']);
    // another vendor may use the same nonce
    const rawB = JSON.stringify({ events: [event('H-B-1')] });
    expect((await post(rawB, signedHeaders(vendor.b.keyId, vendor.b.secret, rawB, { nonce: headers['x-yiyang-nonce'] }))).statusCode).toBe(200);
    const nonce = headers['x-yiyang-nonce'];
    const kept = () => ctx.db.selectFrom('alarm_nonces').select('nonce').where('nonce', '=', nonce).execute();
    await purgeNonces(ctx, new Date(Date.now() + 590_000));
    expect(await kept()).toHaveLength(2);
    expect(await purgeNonces(ctx, new Date(Date.now() + 601_000))).toBeGreaterThanOrEqual(2);
    expect(await kept()).toHaveLength(0);
  });

  it('answers 400 to a malformed body, too many events and missing headers, storing nothing', async () => {
    const notJson = await signed(vendor.a, '{"events": [');
    expect([notJson.statusCode, notJson.json<{ error: { code: string } }>().error.code]).toEqual([400, 'INGEST_MALFORMED']);
    const badKind = await signed(vendor.a, { events: [event('H-A-1', 'explode')] });
    const err = badKind.json<{ error: { code: string; details: { field: string }[] } }>().error;
    expect([badKind.statusCode, err.code]).toEqual([400, 'INGEST_MALFORMED']);
    expect(err.details[0]!.field).toBe('body.events.0.kind');
    // the value sent is not echoed back
    expect(badKind.body).not.toContain('explode');
    const noSerial = await signed(vendor.a, { events: [{ id: 'x1', kind: 'sos', at: new Date().toISOString() }] });
    expect(noSerial.json<{ error: { code: string } }>().error.code).toBe('INGEST_MALFORMED');
    const many = await signed(vendor.a, { events: Array.from({ length: 501 }, () => event('H-A-1')) });
    expect([many.statusCode, many.json<{ error: { code: string } }>().error.code]).toEqual([400, 'INGEST_TOO_MANY']);
    const unsigned = await post(JSON.stringify({ events: [event('H-A-1')] }), {});
    expect([unsigned.statusCode, unsigned.json<{ error: { code: string } }>().error.code]).toEqual([400, 'INGEST_HEADERS_MISSING']);
    const { n: events } = await ctx.db
      .selectFrom('alarm_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('message_id', '=', 'x1')
      .executeTakeFirstOrThrow();
    expect(Number(events)).toBe(0);
  });

  it('refuses, per line, an event of another vendor’s device or an unknown one, and stores the other lines', async () => {
    const events = [event('H-A-1'), event('H-B-1'), event('H-NOPE'), event('H-A-2')];
    const res = await signed(vendor.a, { events });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ results: { status: string; reason?: string }[] }>().results.map((r) => r.reason ?? r.status)).toEqual([
      'stored',
      'wrong_vendor',
      'unknown_device',
      'stored',
    ]);
    expect(await stored('H-B-1')).not.toContain(events[1]!.id);
  });

  it('refuses a body over the limit with 413 and counts it, and leaves the JSON of other routes alone', async () => {
    const raw = JSON.stringify({ events: [event('H-A-1', 'heartbeat', { pad: 'x'.repeat(1024 * 1024) })] });
    const res = await post(raw, signedHeaders(vendor.a.keyId, vendor.a.secret, raw));
    expect(res.statusCode).toBe(413);
    expect(await rejectCount(vendor.a.keyId, 'too_large')).toBe(1);
    // the app's JSON parser still serves the other routes
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: DEMO_PASSWORD } });
    expect(login.statusCode).toBe(200);
  });
});
