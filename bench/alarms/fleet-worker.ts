import type { EventKind } from '../../src/modules/alarms/events.schema.js';
import { DeviceFleet } from '../../src/modules/alarms/simulator.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

/**
 * One share of the simulated devices in a process of its own (forked by bench/alarms-mqtt.ts):
 * its own DeviceFleet (its connections, its serials), publishing at its share of the rate, paced
 * against the wall clock from the common start. The bench sums the shares.
 */
const init = await new Promise<WorkerInit>((resolve) =>
  process.once('message', (m: ToWorker) => {
    if (m.type === 'init') resolve(m.init);
  }),
);
const post = (m: FromWorker) => process.send!(m);
// the bench gone (killed, failed): no orphaned devices
process.on('disconnect', () => process.exit(0));
const nowMs = () => performance.timeOrigin + performance.now();

/** The load's kinds: none of them raises an alarm under the default rules (the sos presses are apart). */
const MIX: readonly EventKind[] = [
  'heartbeat',
  'heartbeat',
  'heartbeat',
  'movement',
  'heartbeat',
  'heartbeat',
  'in_bed',
  'heartbeat',
  'movement',
  'door_close',
  'heartbeat',
  'heartbeat',
  'heartbeat',
  'movement',
  'heartbeat',
  'heartbeat',
  'heartbeat',
  'movement',
  'heartbeat',
  'heartbeat',
];

const fleet = new DeviceFleet({
  url: init.url,
  serials: init.serials,
  connections: init.connections,
  clientIdPrefix: init.clientIdPrefix,
  ...(init.resendAfterMs ? { resendAfterMs: init.resendAfterMs } : {}),
});
const platformAckedPerSecond: number[] = [];
let t0 = 0;
fleet.onAck(() => {
  const s = Math.floor((nowMs() - t0) / 1000);
  if (s >= 0) platformAckedPerSecond[s] = (platformAckedPerSecond[s] ?? 0) + 1;
});

async function run(rate: number, seconds: number, start: number) {
  t0 = start;
  const publishedPerSecond: number[] = [];
  const brokerAckedAt: number[] = [];
  const total = Math.round(rate * seconds);
  const end = t0 + seconds * 1000;
  // at most 50 ms worth at once: a fleet that falls behind publishes less, it does not burst
  const burst = Math.max(10, Math.ceil(rate / 20));
  let sent = 0;
  let next = 0;
  while (nowMs() < t0) await sleep(Math.min(50, t0 - nowMs()));
  let second = 0;
  for (let now = nowMs(); now < end && sent < total; now = nowMs()) {
    const due = Math.min(total, sent + burst, Math.floor(((now - t0) / 1000) * rate));
    const s = Math.floor((now - t0) / 1000);
    while (second < s) {
      brokerAckedAt[second++] = fleet.stats().brokerAcked;
      post({ type: 'second', second: second - 1, stats: fleet.stats() });
    }
    const at = new Date().toISOString();
    for (; sent < due; sent++) {
      const serial = init.serials[next]!;
      next = (next + 1) % init.serials.length;
      const kind = MIX[sent % MIX.length]!;
      fleet.publish(serial, { id: `${init.index}-${sent.toString(36)}`, kind, at, ...(sent % 7 === 0 ? { battery: 80 + (sent % 21) } : {}) });
      publishedPerSecond[s] = (publishedPerSecond[s] ?? 0) + 1;
    }
    await sleep(5);
  }
  const lastPublishMs = nowMs();
  brokerAckedAt[second] = fleet.stats().brokerAcked;
  post({ type: 'loaded', publishedPerSecond, brokerAckedAt, lastPublishMs, stats: fleet.stats() });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.on('message', (m: ToWorker) => {
  void (async () => {
    try {
      if (m.type === 'run') await run(m.rate, m.seconds, m.t0);
      else if (m.type === 'drain') {
        let idle = true;
        try {
          await fleet.waitIdle(m.timeoutMs);
        } catch {
          idle = false;
        }
        post({ type: 'drained', idle, atMs: nowMs(), stats: fleet.stats(), platformAckedPerSecond });
      } else if (m.type === 'stop') {
        await fleet.stop();
        post({ type: 'stopped' });
      }
    } catch (e) {
      post({ type: 'error', message: (e as Error).stack ?? String(e) });
    }
  })();
});

try {
  await fleet.start();
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'error', message: (e as Error).stack ?? String(e) });
}
