import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { ingestEvents, type IngestMessage } from './ingest.js';

/** A switch the tests flip to make the rules fail inside the ingest's transaction. */
const failing = vi.hoisted(() => ({ rules: false }));
vi.mock('./raise.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./raise.js')>();
  return {
    ...actual,
    applyRules: async (...args: Parameters<typeof actual.applyRules>) => {
      if (failing.rules) throw new Error('rules failed (test)');
      return actual.applyRules(...args);
    },
  };
});

describe.each(dialects)('ingestEvents on %s', (dialect) => {
  let ctx: TestContext;
  let personId = 0;
  let village = '';
  let vendorA = 0;
  let vendorB = 0;
  let n = 0;

  async function device(serial: string, opts: { status?: string; vendorId?: number | null; kind?: string } = {}) {
    return (
      await ctx.db
        .insertInto('alarm_devices')
        .values({
          serial,
          kind: opts.kind ?? 'emergency_button',
          model: null,
          vendor_id: opts.vendorId ?? null,
          person_id: personId,
          region_code: village,
          address_enc: null,
          provider_id: null,
          installed_on: '2026-11-01',
          status: opts.status ?? 'active',
          retired_on: opts.status === 'retired' ? '2026-11-20' : null,
          last_seen_at: null,
          battery: null,
          link: 'offline',
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  async function vendor(name: string) {
    return (
      await ctx.db
        .insertInto('alarm_vendors')
        .values({ name, key_id: `v-${randomUUID().slice(0, 8)}`, secret_enc: ctx.cipher.encrypt('secret'), active: 1, created_by: 0, created_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const msg = (serial: string, kind: IngestMessage['kind'] = 'heartbeat', extra: Partial<IngestMessage> = {}): IngestMessage => ({
    id: `m-${++n}`,
    kind,
    at: new Date().toISOString(),
    serial,
    ...extra,
  });
  const eventsOf = async (deviceId: number) => ctx.db.selectFrom('alarm_events').selectAll().where('device_id', '=', deviceId).orderBy('id').execute();
  const rejects = async (source: string, reason: string) =>
    ctx.db.selectFrom('alarm_rejects').selectAll().where('source', '=', source).where('reason', '=', reason).orderBy('at').execute();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    village = (await userScope(ctx, 'grid1')).regionCode;
    const now = nowIso();
    const person: NewPerson = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: '330503**********01',
      name: '测试老人',
      sex: 'F',
      birth_date: '1940-01-01',
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
    } as NewPerson;
    personId = (await ctx.db.insertInto('persons').values(person).returning('id').executeTakeFirstOrThrow()).id;
    vendorA = await vendor('甲厂商');
    vendorB = await vendor('乙厂商');
  });
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('stores events with the device, person and region, and updates the device state', async () => {
    const d1 = await device('S-STORE-1');
    const d2 = await device('S-STORE-2', { kind: 'mattress' });
    const batch = [msg('S-STORE-1', 'heartbeat', { battery: 80 }), msg('S-STORE-2', 'in_bed', { value: 3 }), msg('S-STORE-1', 'battery', { battery: 76 })];
    const results = await ingestEvents(ctx, batch, 'mqtt');
    expect(results).toEqual(batch.map((m) => ({ id: m.id, serial: m.serial, status: 'stored' })));
    const rows = await eventsOf(d1);
    expect(rows.map((r) => [r.message_id, r.kind, r.battery, r.via, r.person_id, r.region_code])).toEqual([
      [batch[0]!.id, 'heartbeat', 80, 'mqtt', personId, village],
      [batch[2]!.id, 'battery', 76, 'mqtt', personId, village],
    ]);
    expect((await eventsOf(d2))[0]).toMatchObject({ kind: 'in_bed', value: 3 });
    const devs = await ctx.db.selectFrom('alarm_devices').selectAll().where('id', 'in', [d1, d2]).orderBy('id').execute();
    expect(devs[0]).toMatchObject({ link: 'online', battery: 76 });
    expect(devs[0]!.last_seen_at).not.toBeNull();
    // a device that reports no battery keeps the one it had (none)
    expect(devs[1]).toMatchObject({ link: 'online', battery: null });
  });

  it('touches a device at most once a minute unless its battery changes (last_seen_at up to a minute stale), and at once after a minute', async () => {
    const d = await device('S-TOUCH-1');
    const t0 = Date.parse('2026-11-30T08:00:00.000Z');
    const at = (ms: number) => ({ at: new Date(ms).toISOString() });
    const state = () => ctx.db.selectFrom('alarm_devices').select(['last_seen_at', 'battery', 'link']).where('id', '=', d).executeTakeFirstOrThrow();
    const seen = async () => Date.parse((await state()).last_seen_at!);
    await ingestEvents(ctx, [msg('S-TOUCH-1', 'heartbeat', { battery: 90, ...at(t0) })], 'mqtt', { now: new Date(t0) });
    expect(await seen()).toBe(t0);
    // 30 s later, same battery: the event is stored, the device row not written
    const r = await ingestEvents(ctx, [msg('S-TOUCH-1', 'heartbeat', { battery: 90, ...at(t0 + 30_000) })], 'mqtt', { now: new Date(t0 + 30_000) });
    expect(r[0]!.status).toBe('stored');
    expect(await seen()).toBe(t0);
    // no battery reported: nothing changes either
    await ingestEvents(ctx, [msg('S-TOUCH-1', 'movement', at(t0 + 40_000))], 'mqtt', { now: new Date(t0 + 40_000) });
    expect(await seen()).toBe(t0);
    // the battery changed: written at once
    await ingestEvents(ctx, [msg('S-TOUCH-1', 'heartbeat', { battery: 89, ...at(t0 + 45_000) })], 'mqtt', { now: new Date(t0 + 45_000) });
    expect(await state()).toMatchObject({ battery: 89, link: 'online' });
    expect(await seen()).toBe(t0 + 45_000);
    // the clock marks it offline (another writer): a minute after the last touch the next event brings it back
    await ctx.db.updateTable('alarm_devices').set({ link: 'offline' }).where('id', '=', d).execute();
    await ingestEvents(ctx, [msg('S-TOUCH-1', 'movement', at(t0 + 100_000))], 'mqtt', { now: new Date(t0 + 100_000) });
    expect(await state()).toMatchObject({ battery: 89, link: 'offline' });
    await ingestEvents(ctx, [msg('S-TOUCH-1', 'movement', at(t0 + 105_000))], 'mqtt', { now: new Date(t0 + 105_000) });
    expect(await state()).toMatchObject({ battery: 89, link: 'online' });
    expect(await seen()).toBe(t0 + 105_000);
  });

  it('merges a message sent twice, in one batch and across batches, into the one stored', async () => {
    const d = await device('S-DUP-1');
    const m = msg('S-DUP-1', 'sos');
    const other = msg('S-DUP-1', 'heartbeat');
    expect((await ingestEvents(ctx, [m, { ...m }, other], 'mqtt')).map((r) => r.status)).toEqual(['stored', 'duplicate', 'stored']);
    expect((await ingestEvents(ctx, [{ ...m, at: new Date().toISOString() }, other], 'http', {})).map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    const rows = await eventsOf(d);
    expect(rows.map((r) => r.message_id)).toEqual([m.id, other.id]);
    // the same message id of another device is another message
    await device('S-DUP-2');
    expect((await ingestEvents(ctx, [{ ...m, serial: 'S-DUP-2' }], 'mqtt'))[0]!.status).toBe('stored');
  });

  it('refuses unknown and retired devices and another vendor’s devices, per message, and counts the refusals', async () => {
    await device('S-RET-1', { status: 'retired', vendorId: vendorA });
    const dA = await device('S-VEND-A', { vendorId: vendorA });
    await device('S-VEND-B', { vendorId: vendorB });
    const batch = [msg('S-NOPE-1'), msg('S-RET-1'), msg('S-VEND-A'), msg('S-VEND-B'), msg('S-NOPE-1')];
    const results = await ingestEvents(ctx, batch, 'http', { vendorId: vendorA });
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'unknown_device'],
      ['rejected', 'retired_device'],
      ['stored', undefined],
      ['rejected', 'wrong_vendor'],
      ['rejected', 'unknown_device'],
    ]);
    expect(await eventsOf(dA)).toHaveLength(1);
    expect((await rejects('S-NOPE-1', 'unknown_device')).map((r) => [r.via, r.count])).toEqual([['http', 2]]);
    expect(await rejects('S-RET-1', 'retired_device')).toHaveLength(1);
    expect(await rejects('S-VEND-B', 'wrong_vendor')).toHaveLength(1);
    // the same devices over MQTT: no vendor check
    expect((await ingestEvents(ctx, [msg('S-VEND-B')], 'mqtt'))[0]!.status).toBe('stored');
  });

  it('refuses an event whose device clock is farther from ours than clockSkewMinutes, either way', async () => {
    const d = await device('S-SKEW-1');
    const now = Date.now();
    const results = await ingestEvents(
      ctx,
      [
        msg('S-SKEW-1', 'sos', { at: new Date(now - 25 * 3_600_000).toISOString() }),
        msg('S-SKEW-1', 'sos', { at: new Date(now + 25 * 3_600_000).toISOString() }),
        msg('S-SKEW-1', 'heartbeat', { at: new Date(now - 23 * 3_600_000).toISOString() }),
      ],
      'mqtt',
    );
    expect(results.map((r) => r.reason ?? r.status)).toEqual(['clock_skew', 'clock_skew', 'stored']);
    expect(await eventsOf(d)).toHaveLength(1);
    expect((await rejects('S-SKEW-1', 'clock_skew'))[0]!.count).toBe(2);
  });

  it('rate-limits a flooding device per minute with one refusal row a minute, while sos and fall always pass', async () => {
    const d = await device('S-FLOOD-1');
    const quiet = await device('S-FLOOD-2');
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 1000);
    const flood = (count: number, at: Date) => Array.from({ length: count }, () => msg('S-FLOOD-1', 'movement', { at: at.toISOString() }));
    // 60 a minute by default: 70 in one batch, then 5 more and an sos and a fall in the same minute
    const first = await ingestEvents(ctx, [...flood(70, t0), msg('S-FLOOD-2')], 'mqtt', { now: t0 });
    expect(first.filter((r) => r.status === 'stored')).toHaveLength(61);
    expect(first.slice(60, 70).every((r) => r.reason === 'rate_limited')).toBe(true);
    const t1 = new Date(t0.getTime() + 20_000);
    const second = await ingestEvents(
      ctx,
      [...flood(5, t1), msg('S-FLOOD-1', 'sos', { at: t1.toISOString() }), msg('S-FLOOD-1', 'fall', { at: t1.toISOString() })],
      'mqtt',
      {
        now: t1,
      },
    );
    expect(second.map((r) => r.reason ?? r.status)).toEqual([
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'rate_limited',
      'stored',
      'stored',
    ]);
    // the other device was not disturbed
    expect(await eventsOf(quiet)).toHaveLength(1);
    let rows = await rejects('S-FLOOD-1', 'rate_limited');
    expect(rows.map((r) => [r.at, r.count])).toEqual([[new Date(Math.floor(t0.getTime() / 60_000) * 60_000).toISOString(), 15]]);
    // the next minute: a fresh quota, and a second row for the second minute's refusals
    const t2 = new Date(t0.getTime() + 60_000);
    const third = await ingestEvents(ctx, flood(62, t2), 'mqtt', { now: t2 });
    expect(third.filter((r) => r.status === 'stored')).toHaveLength(60);
    rows = await rejects('S-FLOOD-1', 'rate_limited');
    expect(rows.map((r) => r.count)).toEqual([15, 2]);
    expect(await eventsOf(d)).toHaveLength(60 + 2 + 60);
  });

  it('writes nothing of a batch that fails inside its transaction (events, device state, refusals)', async () => {
    const d = await device('S-FAIL-1');
    const before = await ctx.db.selectFrom('alarm_devices').select(['last_seen_at', 'link']).where('id', '=', d).executeTakeFirstOrThrow();
    const batch = [msg('S-FAIL-1', 'heartbeat', { battery: 50 }), msg('S-FAIL-1', 'sos'), msg('S-FAIL-NOPE')];
    failing.rules = true;
    try {
      await expect(ingestEvents(ctx, batch, 'mqtt')).rejects.toThrow('rules failed');
    } finally {
      failing.rules = false;
    }
    expect(await eventsOf(d)).toEqual([]);
    expect(await ctx.db.selectFrom('alarm_devices').select(['last_seen_at', 'link']).where('id', '=', d).executeTakeFirstOrThrow()).toEqual(before);
    expect(await rejects('S-FAIL-NOPE', 'unknown_device')).toEqual([]);
    // sent again (the device had no ack): stored now, once
    expect((await ingestEvents(ctx, batch, 'mqtt')).map((r) => r.status)).toEqual(['stored', 'stored', 'rejected']);
    expect(await eventsOf(d)).toHaveLength(2);
  });

  it('two ingests at once raising the same devices and rule give one alarm each, the other event folded in (batches naming them in opposite orders)', async () => {
    // PostgreSQL runs the two transactions on two connections at once; SQLite writes one at a time
    for (let round = 0; round < 5; round++) {
      const [sx, sy] = [`S-RACE-${round}-X`, `S-RACE-${round}-Y`];
      const [x, y] = [await device(sx), await device(sy)];
      // a heartbeat first: both devices are cached and were just touched, so neither ingest below
      // writes their rows (a row lock that would happen to serialise the two)
      await ingestEvents(ctx, [msg(sx), msg(sy)], 'mqtt');
      const t = Date.now();
      const at = (s: number) => new Date(t + s * 1000).toISOString();
      // the MQTT subscriber and a vendor's HTTP push, each a red-button press of both devices, in opposite orders
      const [viaMqtt, viaHttp] = await Promise.all([
        ingestEvents(ctx, [msg(sx, 'sos', { at: at(0) }), msg(sy, 'sos', { at: at(1) })], 'mqtt'),
        ingestEvents(ctx, [msg(sy, 'sos', { at: at(2) }), msg(sx, 'sos', { at: at(3) })], 'http', {}),
      ]);
      expect([...viaMqtt, ...viaHttp].map((r) => r.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
      for (const d of [x, y]) {
        const alarms = await ctx.db.selectFrom('alarms').selectAll().where('device_id', '=', d).execute();
        expect(alarms.map((a) => [a.rule_key, a.state, a.event_count])).toEqual([['sos', 'raised', 2]]);
        const sos = (await eventsOf(d)).filter((e) => e.kind === 'sos');
        expect(sos.map((e) => e.alarm_id)).toEqual([alarms[0]!.id, alarms[0]!.id]);
        const steps = await ctx.db.selectFrom('alarm_steps').select('kind').where('alarm_id', '=', alarms[0]!.id).orderBy('id').execute();
        expect(steps.map((s) => s.kind)).toEqual(['raised', 'folded']);
        // the later press is the alarm's last event, whichever transaction committed first
        expect(alarms[0]!.last_event_at).toBe(d === x ? at(3) : at(2));
      }
    }
  });

  it('takes a batch of 500 in a few statements (multi-row insert, bulk device update)', async () => {
    const serials = Array.from({ length: 250 }, (_, i) => `S-BULK-${i}`);
    for (const s of serials) await device(s);
    const batch = serials.flatMap((s, i) => [msg(s, 'heartbeat', { battery: i % 100 }), msg(s, 'movement')]);
    const results = await ingestEvents(ctx, batch, 'mqtt');
    expect(results.every((r) => r.status === 'stored')).toBe(true);
    const { n: stored } = await ctx.db
      .selectFrom('alarm_events')
      .innerJoin('alarm_devices', 'alarm_devices.id', 'alarm_events.device_id')
      .select(sql<number>`count(*)`.as('n'))
      .where('alarm_devices.serial', 'like', 'S-BULK-%')
      .executeTakeFirstOrThrow();
    expect(Number(stored)).toBe(500);
    const dev = await ctx.db.selectFrom('alarm_devices').select(['battery', 'link']).where('serial', '=', 'S-BULK-42').executeTakeFirstOrThrow();
    expect(dev).toEqual({ battery: 42, link: 'online' });
  });
});
