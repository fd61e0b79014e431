import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';
import { createSeededContext, dialects, PG_URL, userScope, type TestContext } from '../../testing/harness.js';
import { freePort, startBroker, type PrivateBroker } from '../../testing/mosquitto.js';
import { DeviceFleet } from './simulator.js';

/**
 * Nothing lost (issue 18): the real server (`node --import tsx src/main.ts`, MQTT_URL a private
 * Mosquitto run with ops/mosquitto/yiyang.conf) takes a burst from a fleet of devices, and in the
 * middle of it (a) the server is SIGKILLed and started again, (b) the broker is SIGKILLed and
 * started again over its persistence directory. After the fleet is idle (every message acknowledged
 * by the platform, the unacknowledged ones re-sent by the devices): every event the platform
 * acknowledged is stored (already at the moment of the kill), every event the fleet published is
 * stored, and no (device, message id) twice. Slow tests: minutes of timeouts, no timing assertions.
 */

const EVENTS = 3000;
const DEVICES = 300; // 10 events a device: far below the per-device flood limit (60 a minute)

interface Server {
  child: ChildProcess;
  output: () => string;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  // node itself, not the tsx wrapper (a kill of the wrapper would leave its node child running)
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + 120_000;
  // listening, and the MQTT ingest subscribed (its log line)
  while (!/MQTT ingest connected/.test(out)) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > until) throw new Error(`the server did not connect to the broker in 120 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out };
}

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await gone;
}

describe.each(dialects)('events survive a killed ingest and a killed broker (%s)', (dialect) => {
  let ctx: TestContext;
  let broker: PrivateBroker;
  let env: NodeJS.ProcessEnv;
  let server: Server | undefined;
  let personId = 0;
  let village = '';
  const deviceIds = new Map<string, number>();

  async function devices(prefix: string): Promise<string[]> {
    const serials = Array.from({ length: DEVICES }, (_, i) => `${prefix}-${i}`);
    const now = nowIso();
    const rows = await ctx.db
      .insertInto('alarm_devices')
      .values(
        serials.map((serial) => ({
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
        })),
      )
      .returning(['id', 'serial'])
      .execute();
    for (const r of rows) deviceIds.set(r.serial, r.id);
    return serials;
  }

  /** (serial, message id) pairs stored for these serials, and how many rows in all. */
  async function stored(serials: readonly string[]): Promise<{ keys: Set<string>; rows: number }> {
    const bySerial = new Map(serials.map((s) => [deviceIds.get(s)!, s]));
    const rows = await ctx.db
      .selectFrom('alarm_events')
      .select(['device_id', 'message_id'])
      .where('device_id', 'in', [...bySerial.keys()])
      .execute();
    return { keys: new Set(rows.map((r) => `${bySerial.get(r.device_id)}|${r.message_id}`)), rows: rows.length };
  }

  /**
   * Publishes EVENTS at a steady pace (100 every 50 ms) and calls `disrupt` once the platform has
   * acknowledged `at` of them; resolves when all are published and the disruption is over.
   */
  async function burst(
    fleet: DeviceFleet,
    serials: readonly string[],
    published: Set<string>,
    at: number,
    disrupt: () => Promise<void>,
    fireAndForget?: { keys: Set<string>; sent: Array<Promise<void>> },
  ) {
    let disrupted: Promise<void> | undefined;
    for (let i = 0; i < EVENTS; i++) {
      const serial = serials[i % serials.length]!;
      const id = `e-${i}`;
      const m = { id, kind: i % 7 === 0 ? ('movement' as const) : ('heartbeat' as const), at: new Date().toISOString(), battery: 80 };
      if (fireAndForget && i % 10 === 5) {
        // a device that never re-sends: once the broker has it, only the broker's session can bring
        // it to a restarted ingest — which needs the ingest's PUBACK to wait for the commit
        fireAndForget.keys.add(`${serial}|${id}`);
        fireAndForget.sent.push(fleet.publishRaw(serial, JSON.stringify(m)));
      } else fleet.publish(serial, m);
      published.add(`${serial}|${id}`);
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
      if (!disrupted && fleet.stats().platformAcked >= at) disrupted = disrupt();
    }
    // a slow platform may not have reached `at` while publishing: wait for it (it has most of the
    // burst still to take, so the disruption still lands mid-way)
    while (!disrupted) {
      if (fleet.stats().platformAcked >= at) disrupted = disrupt();
      else await new Promise((r) => setTimeout(r, 20));
    }
    await disrupted;
  }

  function report(name: string, fleet: DeviceFleet, extra: Record<string, number>) {
    const s = fleet.stats();
    console.log(
      `[durability ${dialect}] ${name}: published ${s.published}, broker-acked ${s.brokerAcked}, platform-acked ${s.platformAcked}, re-sent ${s.resent}, ` +
        `duplicates merged ${s.byStatus.duplicate}, rejected ${s.byStatus.rejected}, ` +
        Object.entries(extra)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
    );
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    village = (await userScope(ctx, 'grid1')).regionCode;
    const now = nowIso();
    const person = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: '330503**********01',
      name: '测试老人',
      sex: 'M',
      birth_date: '1941-02-03',
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
    broker = await startBroker();
    env = {
      ...process.env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      YIYANG_DATA_DIR: ctx.dir,
      YIYANG_KEY: ctx.config.masterKey.toString('base64'),
      SQLITE_PATH: ctx.config.sqlitePath,
      // the test's schema: the server confined to it through the connection's search_path
      DATABASE_URL: dialect === 'postgres' ? `${PG_URL}?options=${encodeURIComponent(`-c search_path=${ctx.handle.schema}`)}` : '',
      MQTT_URL: broker.url,
      MQTT_CLIENT_ID: `yiyang-ingest-durability-${randomUUID().slice(0, 8)}`,
      // regions and users exist: the server seeds no demo county
      DEMO_ELDERS: '0',
      AUDIT_ANCHOR_SECONDS: '0',
      LOG_LEVEL: 'info',
    };
  }, 180_000);
  afterAll(async () => {
    if (server) await kill(server.child, 'SIGKILL');
    await broker?.stop();
    await ctx?.cleanup();
  });

  it('(a) the ingest SIGKILLed mid-burst: every acknowledged event stored at the kill, every published one after the restart, none twice', async () => {
    const serials = await devices(`DK-${randomUUID().slice(0, 6)}`);
    server = await startServer(env);
    const fleet = new DeviceFleet({
      url: broker.url,
      serials,
      connections: 4,
      resendAfterMs: 3000,
      brokerAckedResendAfterMs: 4000,
      clientIdPrefix: `fleet-a-${dialect}`,
    });
    const acked = new Set<string>();
    fleet.onAck((serial, ack) => acked.add(`${serial}|${ack.id}`));
    await fleet.start();
    const published = new Set<string>();
    const fireAndForget = { keys: new Set<string>(), sent: [] as Array<Promise<void>> };
    let storedKeys = new Set<string>();
    let ackedAtKill = new Set<string>();
    let storedAtKill = new Set<string>();
    try {
      await burst(
        fleet,
        serials,
        published,
        EVENTS / 4,
        async () => {
          await kill(server!.child, 'SIGKILL');
          ackedAtKill = new Set(acked);
          storedAtKill = (await stored(serials)).keys;
          server = await startServer(env);
        },
        fireAndForget,
      );
      // every event acknowledged before the kill was committed before the kill
      expect([...ackedAtKill].filter((k) => !storedAtKill.has(k))).toEqual([]);
      // the broker PUBACKed every fire-and-forget message to its device
      await Promise.all(fireAndForget.sent);
      await fleet.waitIdle(150_000);
      // the fire-and-forget ones come only through the broker's session (no re-send): wait for them
      const end = Date.now() + 60_000;
      while ([...fireAndForget.keys].some((k) => !storedKeys.has(k)) && Date.now() < end) {
        storedKeys = (await stored(serials)).keys;
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (e) {
      console.log(server?.output().slice(-4000));
      throw e;
    } finally {
      await fleet.stop();
    }
    const after = await stored(serials);
    const inFlightAtKill = [...fireAndForget.keys].filter((k) => !storedAtKill.has(k)).length;
    report('ingest killed', fleet, {
      'acked at kill': ackedAtKill.size,
      'stored at kill': storedAtKill.size,
      'rows after': after.rows,
      'fire-and-forget': fireAndForget.keys.size,
      'of them not yet stored at the kill': inFlightAtKill,
    });
    // every message of a device that does not re-send is stored: the broker's session delivered again what the killed ingest had not committed
    expect([...fireAndForget.keys].filter((k) => !after.keys.has(k))).toEqual([]);
    expect(ackedAtKill.size).toBeGreaterThan(0);
    expect(ackedAtKill.size).toBeLessThan(EVENTS);
    expect([...acked].filter((k) => !after.keys.has(k))).toEqual([]);
    expect([...published].filter((k) => !after.keys.has(k))).toEqual([]);
    // one row per (device, message id): the re-sent and re-delivered copies merged
    expect(after.rows).toBe(EVENTS);
    expect(fleet.stats().published).toBe(EVENTS - fireAndForget.keys.size);
    expect(fleet.stats().byStatus.rejected).toBe(0);
  }, 300_000);

  it('(b) the broker SIGKILLed mid-burst and restarted over its persistence: every acknowledged event stored, every published one after the re-sends, none twice', async () => {
    const serials = await devices(`DB-${randomUUID().slice(0, 6)}`);
    if (!server || server.child.exitCode !== null) server = await startServer(env);
    const fleet = new DeviceFleet({
      url: broker.url,
      serials,
      connections: 4,
      resendAfterMs: 2000,
      brokerAckedResendAfterMs: 3000,
      clientIdPrefix: `fleet-b-${dialect}`,
    });
    const acked = new Set<string>();
    fleet.onAck((serial, ack) => acked.add(`${serial}|${ack.id}`));
    await fleet.start();
    const published = new Set<string>();
    let ackedAtKill = new Set<string>();
    let storedAtKill = new Set<string>();
    try {
      await burst(fleet, serials, published, EVENTS / 4, async () => {
        await broker.kill('SIGKILL');
        ackedAtKill = new Set(acked);
        storedAtKill = (await stored(serials)).keys;
        await new Promise((r) => setTimeout(r, 1000));
        await broker.restart();
      });
      expect([...ackedAtKill].filter((k) => !storedAtKill.has(k))).toEqual([]);
      await fleet.waitIdle(150_000);
    } catch (e) {
      console.log(server.output().slice(-4000));
      console.log(broker.log().slice(-2000));
      throw e;
    } finally {
      await fleet.stop();
    }
    const after = await stored(serials);
    report('broker killed', fleet, {
      'acked at kill': ackedAtKill.size,
      'stored at kill': storedAtKill.size,
      'rows after': after.rows,
    });
    expect(ackedAtKill.size).toBeGreaterThan(0);
    expect(ackedAtKill.size).toBeLessThan(EVENTS);
    expect([...acked].filter((k) => !after.keys.has(k))).toEqual([]);
    expect([...published].filter((k) => !after.keys.has(k))).toEqual([]);
    expect(after.rows).toBe(EVENTS);
    expect(fleet.stats().byStatus.rejected).toBe(0);
  }, 300_000);
});
