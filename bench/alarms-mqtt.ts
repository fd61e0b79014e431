/**
 * Issue 18's load: events over MQTT from simulated devices into the real server, nothing lost,
 * and a red-button (sos) alarm reaching a connected console under that load.
 *
 *   npx tsx bench/alarms-mqtt.ts [--rate 5000] [--seconds 60] [--devices 20000] [--connections 100]
 *                                [--workers 2] [--db sqlite|postgres|both] [--cpu-prof DIR] [--keep]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/alarms-mqtt.ts --db both
 *
 * For each database: a fresh data directory (SQLite) or a fresh PostgreSQL database created beside
 * the one DATABASE_URL names (dropped after); the demo county's regions and accounts and
 * `--devices` devices (about three per elder) written by direct inserts, not through the
 * registration route (bench/alarms/prepare.ts); a private mosquitto on a free port with the
 * project's configuration (src/testing/mosquitto.ts, ops/mosquitto/yiyang.conf); the real server
 * (`src/main.ts`, a child process: its CPU is read from /proc) with MQTT_URL set. hotline1 logs in
 * and holds GET /api/events open, as the console does. Then for `--seconds` the devices publish
 * `--rate` events a second at QoS 1 (heartbeats, movement, in-bed, door-closed: nothing that raises
 * an alarm under the default rules), paced against the wall clock, through `--connections`
 * connections shared as vendors' gateways share them, from `--workers` fleet processes (each its own
 * DeviceFleet, src/modules/alarms/simulator.ts); and once a second a different emergency button,
 * on a connection of its own, presses sos. Each device keeps its message until the platform's ack
 * and sends it again with the same id if none comes (the simulator's resend).
 *
 * Printed: the publish rate per second (target; achieved min/median/max), published, acknowledged
 * by the broker (PUBACK) and by the platform (the ack topic, sent after commit), stored (counted in
 * the database after the server stopped), lost (published − stored), duplicates merged, the ingest
 * lag (last publish → every message acknowledged), sos publish → the `alarms.alarm` live event on
 * the console (median/p95/p99/max), and the CPU seconds of the server, the broker and this process.
 * No assertion; the exit code is 0 unless something failed to run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { fork, spawnSync } from 'node:child_process';
import mqtt, { type MqttClient } from 'mqtt';
import { fileURLToPath } from 'node:url';
import { DeviceFleet } from '../src/modules/alarms/simulator.js';
import { startBroker, type PrivateBroker } from '../src/testing/mosquitto.js';
import { login, nowMs, openConsole } from './alarms/console.js';
import { countStored, createPgDatabase, prepareDatabase, type PgDatabase } from './alarms/prepare.js';
import type { FleetStats, FromWorker, ToWorker, WorkerInit } from './alarms/protocol.js';
import { cpuSeconds, ROOT, startServer } from './alarms/server.js';
import { int, machine, percentile } from './util.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '60' },
    devices: { type: 'string', default: '20000' },
    connections: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2' },
    db: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'drain-seconds': { type: 'string', default: '180' },
    'resend-ms': { type: 'string' },
    keep: { type: 'boolean', default: false },
    'ack-observer': { type: 'string', default: 'on' },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const DEVICES = Number(values.devices);
const CONNECTIONS = Number(values.connections);
const WORKERS = Math.max(1, Number(values.workers));
const DRAIN_MS = Number(values['drain-seconds']) * 1000;
const RESEND_MS = values['resend-ms'] ? Number(values['resend-ms']) : undefined;
const OBSERVE_ACKS = values['ack-observer'] !== 'off';
const PG_URL = process.env.DATABASE_URL || undefined;
const DB = values.db ?? (PG_URL ? 'both' : 'sqlite');
if (!['sqlite', 'postgres', 'both'].includes(DB)) throw new Error(`--db sqlite|postgres|both, not ${DB}`);
if (DB !== 'sqlite' && !PG_URL) throw new Error('--db postgres|both needs DATABASE_URL (postgres://postgres@127.0.0.1:5432/test)');
for (const [k, v] of Object.entries({ RATE, SECONDS, DEVICES, CONNECTIONS }))
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k.toLowerCase()} must be a positive number`);
/** one emergency button per second of load, each pressed once */
const SOS_DEVICES = Math.ceil(SECONDS);
if (DEVICES <= SOS_DEVICES) throw new Error(`--devices must exceed the ${SOS_DEVICES} emergency buttons kept for the sos presses`);
if (CONNECTIONS < WORKERS) throw new Error('--connections must be at least --workers (each worker holds its own connections)');

/** `ulimit -n` of this process (soft limit), from /proc/self/limits. */
function openFilesLimit(): string {
  try {
    return /^Max open files\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** The commit the server runs, and whether src/ has uncommitted changes (another session's work in progress). */
function gitState(): string {
  const git = (...a: string[]) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'not a git checkout';
  const dirty = git('status', '--porcelain', '--', 'src')
    .split('\n')
    .filter((l) => l && !l.startsWith('??')).length;
  return `${head}${dirty ? ` with ${dirty} uncommitted change(s) under src/` : ''}`;
}

/** The server's pino lines at warn or above, counted by message ("MQTT ingest disconnected; reconnecting × 3"). */
function serverWarnings(out: string): string {
  const counts = new Map<string, number>();
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: unknown };
      const key = `${j.msg ?? '?'}${j.err ? ` (${typeof j.err === 'string' ? j.err : JSON.stringify(j.err).slice(0, 120)})` : ''}`;
      if ((j.level ?? 0) >= 40) counts.set(key, (counts.get(key) ?? 0) + 1);
    } catch {
      // not a log line
    }
  }
  return counts.size ? [...counts].map(([m, n]) => `${m} × ${n}`).join('; ') : 'none';
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const ms0 = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '—' : `${Math.round(n)} ms`);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function addStats(a: FleetStats, b: FleetStats): FleetStats {
  const byStatus = { ...a.byStatus };
  for (const [k, v] of Object.entries(b.byStatus)) byStatus[k as keyof typeof byStatus] = (byStatus[k as keyof typeof byStatus] ?? 0) + v;
  return {
    published: a.published + b.published,
    brokerAcked: a.brokerAcked + b.brokerAcked,
    platformAcked: a.platformAcked + b.platformAcked,
    pending: a.pending + b.pending,
    resent: a.resent + b.resent,
    byStatus,
  };
}
const zeroStats = (): FleetStats => ({
  published: 0,
  brokerAcked: 0,
  platformAcked: 0,
  pending: 0,
  resent: 0,
  byStatus: { stored: 0, duplicate: 0, rejected: 0 },
});

/**
 * A fleet process with its share of the devices (a child process, not a thread: the two run on
 * both cores, and tsx loads it as it loads this program), and a way to wait for its next message.
 */
function spawnWorker(init: WorkerInit) {
  const w = fork(fileURLToPath(new URL('./alarms/fleet-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  w.send({ type: 'init', init } satisfies ToWorker);
  const waiting = new Map<string, (m: FromWorker) => void>();
  let failure: Error | undefined;
  const seconds: Array<Extract<FromWorker, { type: 'second' }>> = [];
  w.on('message', (m: FromWorker) => {
    if (m.type === 'error') {
      failure = new Error(`fleet worker ${init.index}: ${m.message}`);
      for (const fn of waiting.values()) fn(m);
      return;
    }
    if (m.type === 'second') seconds.push(m);
    waiting.get(m.type)?.(m);
  });
  w.on('error', (e) => {
    failure = e;
    for (const fn of waiting.values()) fn({ type: 'error', message: e.message });
  });
  w.on('exit', (code, signal) => {
    if (code === 0) return;
    failure ??= new Error(`fleet process ${init.index} exited (${code ?? signal})`);
    for (const fn of waiting.values()) fn({ type: 'error', message: failure.message });
  });
  const next = <T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.set(type, (m) => {
        waiting.delete(type);
        if (m.type === 'error') reject(failure ?? new Error(m.message));
        else resolve(m as Extract<FromWorker, { type: T }>);
      });
    });
  return { worker: w, next, send: (m: ToWorker) => w.send(m), seconds };
}

interface Result {
  db: string;
  figures: Array<[string, string]>;
}

async function runOnce(db: 'sqlite' | 'postgres'): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), `yiyang-bench-alarms-${db}-`));
  let pgDb: PgDatabase | undefined;
  let broker: PrivateBroker | undefined;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  const workers: Array<ReturnType<typeof spawnWorker>> = [];
  let sosFleet: DeviceFleet | undefined;
  let closeConsole = () => {};
  let observer: MqttClient | undefined;
  try {
    console.log(`\n## ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — ${new Date().toISOString()} — load average ${load()}`);
    if (db === 'postgres') {
      pgDb = await createPgDatabase(PG_URL!);
      console.log(`database: PostgreSQL, a fresh database ${pgDb.name} beside ${PG_URL!.replace(/:[^:@/]*@/, ':***@')} (dropped after)`);
    } else console.log(`database: SQLite in ${dir}`);

    const tPrep = performance.now();
    const fleet = await prepareDatabase({ dataDir: dir, databaseUrl: pgDb?.url, devices: DEVICES, sosDevices: SOS_DEVICES });
    console.log(
      `setup: ${int(DEVICES)} devices (${int(fleet.load.length)} carrying the load, ${SOS_DEVICES} emergency buttons for the sos presses) for ${int(fleet.persons)} elders, ` +
        `direct inserts (not the registration route), ${((performance.now() - tPrep) / 1000).toFixed(1)} s`,
    );

    broker = await startBroker();
    console.log(
      `broker: mosquitto pid ${broker.pid()} at ${broker.url}, ops/mosquitto/yiyang.conf with its port and persistence directory replaced (src/testing/mosquitto.ts)`,
    );
    const brokerPid = broker.pid()!;
    const clientId = `yiyang-bench-${randomBytes(4).toString('hex')}`;
    server = await startServer({ dataDir: dir, databaseUrl: pgDb?.url, mqttUrl: broker.url, clientId, cpuProfDir: values['cpu-prof'] });
    console.log(`server: pid ${server.pid} at ${server.base}, MQTT_URL ${broker.url}, client id ${clientId}`);

    // the ingest's session at the broker (its subscription follows its connection): wait for it
    for (let t = 0; t < 30_000 && !broker.log().includes(` as ${clientId}`); t += 100) await new Promise((r) => setTimeout(r, 100));
    if (!broker.log().includes(` as ${clientId}`)) throw new Error(`the server's ingest did not connect to the broker within 30 s:\n${server.output()}`);

    // every platform ack, including those of re-sent copies (the devices count only the first):
    // how many copies the platform merged as duplicates
    const acksSeen = { stored: 0, duplicate: 0, rejected: 0, other: 0 };
    const sosAckObserved = new Map<string, number>();
    if (OBSERVE_ACKS) {
      observer = await mqtt.connectAsync(broker.url, { clientId: `bench-ack-observer-${randomBytes(3).toString('hex')}`, clean: true });
      observer.on('message', (topic, payload) => {
        const text = payload.toString('utf8');
        const status = /"status":"(\w+)"/.exec(text)?.[1];
        if (topic.includes('/SOS-')) {
          const id = /"id":"([^"]+)"/.exec(text)?.[1];
          if (id && !sosAckObserved.has(id)) sosAckObserved.set(id, nowMs());
        }
        if (status === 'stored' || status === 'duplicate' || status === 'rejected') acksSeen[status]++;
        else acksSeen.other++;
      });
      await observer.subscribeAsync('yiyang/v1/devices/+/acks', { qos: 0 });
    }

    const consoleStream = await openConsole(server.base, await login(server.base, 'hotline1'));
    closeConsole = consoleStream.close;

    // the load's devices, dealt to the workers; each worker shares its connections among its devices
    const shares: string[][] = Array.from({ length: WORKERS }, () => []);
    fleet.load.forEach((s, i) => shares[i % WORKERS]!.push(s));
    for (let i = 0; i < WORKERS; i++) {
      const conns = Math.floor(CONNECTIONS / WORKERS) + (i < CONNECTIONS % WORKERS ? 1 : 0);
      workers.push(
        spawnWorker({
          index: i,
          url: broker.url,
          serials: shares[i]!,
          connections: conns,
          clientIdPrefix: `bench-gw${i}-`,
          ...(RESEND_MS ? { resendAfterMs: RESEND_MS } : {}),
        }),
      );
    }
    await Promise.all(workers.map((w) => w.next('ready')));
    sosFleet = new DeviceFleet({
      url: broker.url,
      serials: fleet.sos,
      connections: 1,
      clientIdPrefix: 'bench-sos-',
      ...(RESEND_MS ? { resendAfterMs: RESEND_MS } : {}),
    });
    const sosAcked = new Map<string, number>();
    sosFleet.onAck((_serial, ack) => {
      if (!sosAcked.has(ack.id)) sosAcked.set(ack.id, nowMs());
    });
    await sosFleet.start();
    console.log(
      `fleet: ${WORKERS} process(es), ${CONNECTIONS} gateway connections for ${int(fleet.load.length)} devices (${int(fleet.load.length / CONNECTIONS)} a connection) + 1 connection for the emergency buttons; open files limit ${openFilesLimit()}`,
    );

    // -- the load --------------------------------------------------------------------------------
    const t0 = nowMs() + 1000;
    const fleetCpu = () => workers.map((w) => cpuSeconds(w.worker.pid!) ?? NaN);
    const cpu0 = { server: cpuSeconds(server.pid)!, broker: cpuSeconds(brokerPid) ?? NaN, fleet: fleetCpu(), self: process.cpuUsage() };
    const rates = workers.map((_w, i) => (RATE * shares[i]!.length) / fleet.load.length);
    const loaded = workers.map((w) => w.next('loaded'));
    workers.forEach((w, i) => w.send({ type: 'run', rate: rates[i]!, seconds: SECONDS, t0 }));
    const sosPublished = new Map<string, number>();
    const sosTimers: NodeJS.Timeout[] = [];
    for (let i = 0; i < SOS_DEVICES; i++) {
      const at = t0 + i * 1000 + 500;
      sosTimers.push(
        setTimeout(
          () => {
            const id = `sos-${i}`;
            sosPublished.set(id, nowMs());
            sosFleet!.publish(fleet.sos[i]!, { id, kind: 'sos', at: new Date().toISOString() });
          },
          Math.max(0, at - nowMs()),
        ),
      );
    }
    const progress = setInterval(() => {
      const latest = workers.map((w) => w.seconds.at(-1)?.stats ?? zeroStats()).reduce(addStats, zeroStats());
      const s = Math.floor((nowMs() - t0) / 1000);
      console.log(
        `  t=${String(s).padStart(3)} s  published ${int(latest.published)}  broker-acked ${int(latest.brokerAcked)}  platform-acked ${int(latest.platformAcked)}  pending ${int(latest.pending)}  resent ${int(latest.resent)}  sos alarms seen ${consoleStream.firstSeen.size}  load ${load()}`,
      );
    }, 10_000);
    const loads = await Promise.all(loaded);
    clearInterval(progress);
    const lastPublish = Math.max(...loads.map((l) => l.lastPublishMs));
    const cpuLoad = { server: cpuSeconds(server.pid)! - cpu0.server };

    // -- drain: every message acknowledged by the platform ----------------------------------------
    let sosIdle = true;
    const sosDrained = sosFleet.waitIdle(DRAIN_MS).catch(() => (sosIdle = false));
    const drained = await Promise.all(
      workers.map((w) => {
        const p = w.next('drained');
        w.send({ type: 'drain', timeoutMs: DRAIN_MS });
        return p;
      }),
    );
    await sosDrained;
    const allAcked = Math.max(...drained.map((d) => d.atMs), nowMs());
    const cpu1 = { server: cpuSeconds(server.pid)!, broker: cpuSeconds(brokerPid) ?? NaN, fleet: fleetCpu(), self: process.cpuUsage(cpu0.self) };
    // the last live events: wait until every sos alarm reached the console (or 5 s)
    for (let t = 0; t < 5000 && consoleStream.firstSeen.size < sosPublished.size; t += 50) await new Promise((r) => setTimeout(r, 50));
    const loadEnd = load();

    const loadStats = drained.map((d) => d.stats).reduce(addStats, zeroStats());
    const sosStats = sosFleet.stats();
    const perSecond = Array.from({ length: SECONDS }, (_, s) => sum(loads.map((l) => l.publishedPerSecond[s] ?? 0)));
    const brokerPerSecond = Array.from({ length: SECONDS }, (_, s) =>
      sum(loads.map((l) => (l.brokerAckedAt[s] ?? l.brokerAckedAt.at(-1) ?? 0) - (s ? (l.brokerAckedAt[s - 1] ?? 0) : 0))),
    );
    const platformPerSecond = Array.from({ length: SECONDS }, (_, s) => sum(drained.map((d) => d.platformAckedPerSecond[s] ?? 0)));
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const mmm = (xs: number[]) => {
      const s = sorted(xs);
      return `${int(s[0] ?? NaN)} / ${int(percentile(s, 50))} / ${int(s.at(-1) ?? NaN)}`;
    };

    for (const t of sosTimers) clearTimeout(t);
    await Promise.all(
      workers.map((w) => {
        const p = w.next('stopped');
        w.send({ type: 'stop' });
        return p;
      }),
    );
    await sosFleet.stop();
    sosFleet = undefined;
    await observer?.endAsync();
    observer = undefined;
    closeConsole();
    const exit = await server.stop();
    const serverOut = server.output();
    server = undefined;
    await broker.stop();
    broker = undefined;

    // -- what the database holds ------------------------------------------------------------------
    const stored = await countStored({ dataDir: dir, databaseUrl: pgDb?.url });
    const latencies: number[] = [];
    let noAlarm = 0;
    let noEvent = 0;
    for (const [id, at] of sosPublished) {
      const alarmId = stored.sosAlarms.get(id);
      if (alarmId === undefined) {
        noAlarm++;
        continue;
      }
      const seen = consoleStream.firstSeen.get(alarmId);
      if (!seen) noEvent++;
      else latencies.push(seen.ms - at);
    }
    const lat = sorted(latencies);
    const ackLat = sorted([...sosPublished].flatMap(([id, at]) => (sosAcked.has(id) ? [sosAcked.get(id)! - at] : [])));
    const ackObsLat = sorted([...sosPublished].flatMap(([id, at]) => (sosAckObserved.has(id) ? [sosAckObserved.get(id)! - at] : [])));
    const published = loadStats.published + sosStats.published;
    const ackedKept = loadStats.byStatus.stored + loadStats.byStatus.duplicate + sosStats.byStatus.stored + sosStats.byStatus.duplicate;
    const storedAll = stored.load + stored.sos;
    const serverCpu = cpu1.server - cpu0.server;

    const figures: Array<[string, string]> = [
      [
        'target rate',
        `${int(RATE)} events/s for ${SECONDS} s from ${int(DEVICES)} devices over ${CONNECTIONS} connections (+1 for sos), ${WORKERS} fleet process(es)`,
      ],
      ['achieved publish rate min / median / max per s', mmm(perSecond)],
      ['broker-acked (PUBACK) per s min / median / max', mmm(brokerPerSecond)],
      ['platform-acked per s min / median / max (during the load)', mmm(platformPerSecond)],
      ['published (load + sos)', `${int(published)} (${int(loadStats.published)} + ${int(sosStats.published)})`],
      ['broker-acked', int(loadStats.brokerAcked + sosStats.brokerAcked)],
      [
        'platform-acked',
        `${int(loadStats.platformAcked + sosStats.platformAcked)} (stored ${int(loadStats.byStatus.stored + sosStats.byStatus.stored)}, duplicate ${int(loadStats.byStatus.duplicate + sosStats.byStatus.duplicate)}, rejected ${int(loadStats.byStatus.rejected + sosStats.byStatus.rejected)})`,
      ],
      ['stored (rows in alarm_events)', `${int(storedAll)} (${int(stored.load)} + ${int(stored.sos)} sos)`],
      [
        'lost (published − stored)',
        `${int(published - storedAll)}${
          loadStats.pending + sosStats.pending
            ? ` (of which ${int(loadStats.pending + sosStats.pending)} never acknowledged: still held by their devices, which would send them again)`
            : ''
        }; acknowledged as stored or duplicate but not in the database: ${int(Math.max(0, ackedKept - storedAll))}`,
      ],
      [
        'duplicates merged',
        `${int(loadStats.resent + sosStats.resent)} copies re-sent by devices without an ack in time; ${
          OBSERVE_ACKS
            ? `${int(acksSeen.duplicate)} acks 'duplicate' (copies merged), ${int(acksSeen.stored)} 'stored', ${int(acksSeen.rejected)} 'rejected' seen on the ack topics`
            : 'acks not observed (--ack-observer off)'
        }; first ack 'duplicate' ${int(loadStats.byStatus.duplicate + sosStats.byStatus.duplicate)}`,
      ],
      ['rejects in alarm_rejects', stored.rejects.length ? stored.rejects.map((r) => `${r.reason} ${int(r.count)}`).join(', ') : 'none'],
      [
        'still pending after the drain',
        `${int(loadStats.pending + sosStats.pending)}${drained.every((d) => d.idle) && sosIdle ? '' : ` (drain timed out after ${DRAIN_MS / 1000} s)`}`,
      ],
      ['ingest lag: last publish → all acked', `${f1((allAcked - lastPublish) / 1000)} s`],
      [
        'sos publish → alarms.alarm on the console, median / p95 / p99 / max',
        lat.length
          ? `${ms0(percentile(lat, 50))} / ${ms0(percentile(lat, 95))} / ${ms0(percentile(lat, 99))} / ${ms0(lat.at(-1))} (${lat.length} of ${sosPublished.size}${noAlarm ? `; ${noAlarm} raised no alarm` : ''}${noEvent ? `; ${noEvent} alarms never reached the stream` : ''})`
          : `none measured (${sosPublished.size} pressed; ${noAlarm} raised no alarm, ${noEvent} alarms never reached the stream)`,
      ],
      [
        'sos publish → platform ack at the device (at the observer), median / p99 / max',
        ackLat.length
          ? `${ms0(percentile(ackLat, 50))} / ${ms0(percentile(ackLat, 99))} / ${ms0(ackLat.at(-1))}${
              ackObsLat.length ? ` (${ms0(percentile(ackObsLat, 50))} / ${ms0(percentile(ackObsLat, 99))} / ${ms0(ackObsLat.at(-1))})` : ''
            }`
          : '—',
      ],
      ['server CPU s (load / load + drain)', `${f1(cpuLoad.server)} / ${f1(serverCpu)} (${int((serverCpu * 1e6) / Math.max(1, published))} µs per event)`],
      [
        'broker CPU s / fleet processes CPU s / bench CPU s (sos + console)',
        `${f1(cpu1.broker - cpu0.broker)} / ${f1(sum(cpu1.fleet) - sum(cpu0.fleet))} / ${f1((cpu1.self.user + cpu1.self.system) / 1e6)}`,
      ],
      ['load average at start / end', `${loadStartOf(db)} / ${loadEnd}`],
      ['server log: warnings and errors (pino level ≥ 40), by message', serverWarnings(serverOut)],
      ['server exit', `${exit === null ? 'killed (did not stop within 60 s of SIGTERM)' : exit}${exit ? `\n${serverOut.slice(-2000)}` : ''}`],
    ];
    return { db, figures };
  } finally {
    closeConsole();
    await observer?.endAsync(true).catch(() => undefined);
    for (const w of workers) if (w.worker.exitCode === null) w.worker.kill('SIGKILL');
    await sosFleet?.stop().catch(() => undefined);
    await server?.stop();
    await broker?.stop();
    await pgDb?.drop().catch((e: unknown) => console.error(`could not drop ${pgDb?.name}: ${(e as Error).message}`));
    if (values.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const loadStarts = new Map<string, string>();
const loadStartOf = (db: string) => loadStarts.get(db) ?? '?';

console.log(`# alarms over MQTT — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}; load average ${load()}; open files limit (ulimit -n) ${openFilesLimit()}`);
console.log(`code: ${gitState()}`);
console.log(
  `command: npx tsx bench/alarms-mqtt.ts --rate ${RATE} --seconds ${SECONDS} --devices ${DEVICES} --connections ${CONNECTIONS} --workers ${WORKERS} --db ${DB}`,
);
const results: Result[] = [];
for (const db of DB === 'both' ? (['sqlite', 'postgres'] as const) : [DB as 'sqlite' | 'postgres']) {
  loadStarts.set(db, load());
  const r = await runOnce(db);
  results.push(r);
  console.log('');
  for (const [k, v] of r.figures) console.log(`${k.padEnd(66)} ${v}`);
}
if (results.length > 1) {
  console.log('\n| figure | ' + results.map((r) => r.db).join(' | ') + ' |');
  console.log('|---|' + results.map(() => '---|').join(''));
  for (let i = 0; i < results[0]!.figures.length; i++)
    console.log(`| ${results[0]!.figures[i]![0]} | ${results.map((r) => r.figures[i]![1].split('\n')[0]).join(' | ')} |`);
}
process.exit(0);
