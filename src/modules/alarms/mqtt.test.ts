import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';
import { startBroker, type PrivateBroker } from '../../testing/mosquitto.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { acksTopic } from './events.schema.js';
import { startMqttIngest, type MqttIngest } from './mqtt.js';
import { serveAlarms } from './serve.js';
import { DeviceFleet } from './simulator.js';

/** A switch the tests flip to make the ingest's commit fail (the database away). */
const failing = vi.hoisted(() => ({ ingest: false, gate: undefined as Promise<void> | undefined, waiting: 0 }));
vi.mock('./ingest.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./ingest.js')>();
  return {
    ...actual,
    ingestEvents: async (...args: Parameters<typeof actual.ingestEvents>) => {
      if (failing.ingest) throw new Error('database away (test)');
      // a commit held open until the test says (the connection is cut meanwhile)
      if (failing.gate) {
        failing.waiting++;
        await failing.gate;
      }
      return actual.ingestEvents(...args);
    },
  };
});

let broker: PrivateBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker?.stop();
});

const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.each(dialects)('MQTT ingest on %s', (dialect) => {
  let ctx: TestContext;
  let ingest: MqttIngest;
  let fleet: DeviceFleet;
  let listener: MqttClient;
  const heard: Array<{ serial: string; id?: string; status: string; reason?: string }> = [];
  const tag = randomUUID().slice(0, 8);
  const serials = Array.from({ length: 20 }, (_, i) => `MQ-${tag}-${i}`);
  const deviceIds = new Map<string, number>();
  let n = 0;
  const msg = () => ({ id: `m-${++n}`, kind: 'heartbeat' as const, at: new Date().toISOString(), battery: 90 });
  const eventCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('alarm_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('device_id', 'in', [...deviceIds.values()])
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { mqttUrl: broker.url, mqttClientId: `yiyang-ingest-test-${dialect}-${tag}` });
    const village = (await userScope(ctx, 'grid1')).regionCode;
    const now = nowIso();
    const person = {
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
    const personId = (await ctx.db.insertInto('persons').values(person).returning('id').executeTakeFirstOrThrow()).id;
    for (const serial of serials) {
      const row = await ctx.db
        .insertInto('alarm_devices')
        .values({
          serial,
          kind: 'bracelet',
          model: null,
          vendor_id: null,
          person_id: personId,
          region_code: village,
          address_enc: null,
          provider_id: null,
          installed_on: '2026-11-01',
          status: 'active',
          retired_on: null,
          last_seen_at: null,
          battery: null,
          link: 'offline',
          created_by: 0,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      deviceIds.set(serial, row.id);
    }
    ingest = startMqttIngest(ctx);
    await ingest.ready();
    fleet = new DeviceFleet({ url: broker.url, serials, connections: 3, clientIdPrefix: `fleet-${tag}` });
    await fleet.start();
    listener = await mqtt.connectAsync(broker.url, { clientId: `listener-${tag}` });
    listener.on('message', (topic, payload) => heard.push({ serial: topic.split('/')[3]!, ...(JSON.parse(payload.toString()) as { status: string }) }));
    await listener.subscribeAsync(serials.map(acksTopic), { qos: 0 });
  });
  afterAll(async () => {
    await fleet?.stop();
    await listener?.endAsync();
    await ingest?.stop();
    await ctx?.cleanup();
  });

  it('stores every event the fleet publishes once, acknowledges each after the commit and PUBACKs it', async () => {
    const before = ingest.stats();
    for (let i = 0; i < 300; i++) fleet.publish(serials[i % serials.length]!, msg());
    await fleet.waitIdle(60_000);
    const s = fleet.stats();
    expect(s.byStatus).toEqual({ stored: 300, duplicate: 0, rejected: 0 });
    expect(await eventCount()).toBe(300);
    const after = ingest.stats();
    // each message's PUBACK went to the broker after its batch's commit, batched (fewer commits than messages)
    expect(after.pubacked - before.pubacked).toBeGreaterThanOrEqual(300);
    expect(after.stored - before.stored).toBe(300);
    const device = await ctx.db.selectFrom('alarm_devices').selectAll().where('serial', '=', serials[0]!).executeTakeFirstOrThrow();
    expect(device).toMatchObject({ link: 'online', battery: 90 });
  });

  it('refuses a malformed payload, a payload naming another serial and an oversized one with a reject row (and an ack when an id could be read), and goes on', async () => {
    const s = serials[1]!;
    heard.length = 0;
    await fleet.publishRaw(s, 'not json {');
    await fleet.publishRaw(s, JSON.stringify({ id: 'bad-kind-1', kind: 'explosion', at: new Date().toISOString() }));
    await fleet.publishRaw(s, JSON.stringify({ id: 'ws-1', kind: 'heartbeat', at: new Date().toISOString(), serial: serials[2] }));
    await fleet.publishRaw(s, JSON.stringify({ id: 'big-1', kind: 'heartbeat', at: new Date().toISOString(), pad: 'x'.repeat(5000) }));
    await until('the refusals to be acknowledged', () => heard.filter((h) => h.status === 'rejected').length >= 2);
    expect(heard.filter((h) => h.status === 'rejected')).toEqual([
      { serial: s, id: 'bad-kind-1', status: 'rejected', reason: 'malformed' },
      { serial: s, id: 'ws-1', status: 'rejected', reason: 'wrong_serial' },
    ]);
    const rejectRows = () => ctx.db.selectFrom('alarm_rejects').selectAll().where('source', '=', s).where('via', '=', 'mqtt').execute();
    // the oversized one (published last) may come in a later batch than the two acknowledged
    await until('the oversized refusal', async () => (await rejectRows()).some((r) => r.reason === 'too_large'));
    const rejects = await rejectRows();
    const count = (reason: string) => rejects.filter((r) => r.reason === reason).reduce((a, r) => a + r.count, 0);
    expect(count('malformed')).toBe(2);
    expect(count('wrong_serial')).toBe(1);
    // over 4 KB: refused unread (no id read, so no ack)
    expect(count('too_large')).toBe(1);
    // nothing of them stored, and the subscriber goes on
    expect(await ctx.db.selectFrom('alarm_events').select('id').where('message_id', 'in', ['bad-kind-1', 'ws-1', 'big-1']).execute()).toEqual([]);
    const before = await eventCount();
    fleet.publish(s, msg());
    await fleet.waitIdle(30_000);
    expect(await eventCount()).toBe(before + 1);
  });

  it('stores a redelivered message (same id) once and says duplicate', async () => {
    const s = serials[3]!;
    const m = msg();
    fleet.publish(s, m);
    await fleet.waitIdle(30_000);
    await until('the listener to hear the first ack', () => heard.some((h) => h.id === m.id));
    await fleet.publishRaw(s, JSON.stringify(m));
    await until('the repeat to be acknowledged', () => heard.filter((h) => h.id === m.id).length === 2);
    expect(heard.filter((h) => h.id === m.id)).toEqual([
      { serial: s, id: m.id, status: 'stored' },
      { serial: s, id: m.id, status: 'duplicate' },
    ]);
    const rows = await ctx.db.selectFrom('alarm_events').select('id').where('device_id', '=', deviceIds.get(s)!).where('message_id', '=', m.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('does not PUBACK a batch whose commit failed: the broker gives it to the next session, which stores it', async () => {
    const s = serials[4]!;
    failing.ingest = true;
    const before = ingest.stats();
    const lost = [msg(), msg(), msg()];
    for (const m of lost) await fleet.publishRaw(s, JSON.stringify(m));
    await until('the failing commit to be tried', () => ingest.stats().retries > before.retries);
    // the ingest goes away with the batch uncommitted (stop gives up on a failing commit)
    await ingest.stop();
    expect(ingest.stats().pubacked).toBe(before.pubacked);
    failing.ingest = false;
    // a new process, the same client id: the session still holds the three messages
    ingest = startMqttIngest(ctx);
    await until('the messages to be stored', async () => {
      const rows = await ctx.db
        .selectFrom('alarm_events')
        .select('message_id')
        .where('device_id', '=', deviceIds.get(s)!)
        .where(
          'message_id',
          'in',
          lost.map((m) => m.id),
        )
        .execute();
      return rows.length === 3;
    });
  });

  it('keeps the acks of a batch committed while disconnected and sends them after the reconnect', async () => {
    const s = serials[7]!;
    const m = msg();
    let open = () => {};
    failing.gate = new Promise<void>((r) => (open = r));
    failing.waiting = 0;
    const before = ingest.stats();
    await fleet.publishRaw(s, JSON.stringify(m));
    await until('the commit to start', () => failing.waiting > 0);
    // another client takes the ingest's client id with a clean start: the ingest is disconnected
    // and its session (with the message not yet PUBACKed) is gone — only the kept ack can answer
    const rogue = await mqtt.connectAsync(broker.url, { clientId: ctx.config.mqttClientId, clean: true, protocolVersion: 5, reconnectPeriod: 0 });
    try {
      await until('the ingest to be disconnected', () => !ingest.connected());
      failing.gate = undefined;
      open();
      await until('the commit', () => ingest.stats().committed > before.committed);
    } finally {
      await rogue.endAsync();
    }
    expect(ingest.stats().acksHeld).toBeGreaterThan(before.acksHeld);
    await until('the ack after the reconnect', () => heard.some((h) => h.serial === s && h.id === m.id), 30_000);
    expect(heard.filter((h) => h.serial === s && h.id === m.id)).toEqual([{ serial: s, id: m.id, status: 'stored' }]);
    expect(ingest.stats().acksDropped).toBe(before.acksDropped);
    await ingest.ready();
  });

  it('stop() commits and acknowledges the batch in hand', async () => {
    for (let i = 0; i < 50; i++) fleet.publish(serials[i % serials.length]!, msg());
    await until('messages to arrive', () => ingest.stats().received > 0);
    await ingest.stop();
    const st = ingest.stats();
    expect(st.committed).toBe(st.received);
    expect(st.pubacked + st.pubacksDropped).toBe(st.received);
    ingest = startMqttIngest(ctx);
    await fleet.waitIdle(60_000);
  });
});

describe('serveAlarms', () => {
  it('starts the subscriber when MQTT_URL is set, says MQTT is off otherwise, and stops what it started', async () => {
    const ctx = await createSeededContext('sqlite', { mqttUrl: broker.url, mqttClientId: `yiyang-serve-test-${randomUUID().slice(0, 8)}` });
    try {
      const lines: string[] = [];
      const on = serveAlarms(ctx, (l) => lines.push(l));
      expect(lines.join('\n')).toMatch(/MQTT ingest subscribing at mqtt:\/\/127\.0\.0\.1:\d+/);
      // the subscriber connected to the broker under its client id (the broker's log says so)
      await until('the subscriber to connect', () => broker.log().includes(`as ${ctx.config.mqttClientId}`));
      await on.stop();
      lines.length = 0;
      const off = serveAlarms({ ...ctx, config: { ...ctx.config, mqttUrl: undefined } }, (l) => lines.push(l));
      expect(lines).toEqual([expect.stringMatching(/MQTT is off/)]);
      await off.stop();
    } finally {
      await ctx.cleanup();
    }
  });
});
