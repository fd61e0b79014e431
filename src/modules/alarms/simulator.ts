import mqtt, { type MqttClient } from 'mqtt';
import { acksTopic, eventsTopic, ingestStatus, type DeviceMessage, type IngestStatus } from './events.schema.js';

/**
 * A fleet of simulated devices for the tests and the bench (issue 18): devices that behave as the
 * contract asks a real one to. Each message is published at QoS 1 on the device's events topic and
 * kept until the platform's ack (`yiyang/v1/devices/{serial}/acks`, sent after commit) names its id,
 * and sent again with the same id while none comes; the platform merges the repeats.
 *
 * Resend policy — two clocks, as a real device keeps them:
 * - not yet PUBACKed by the broker (the publish may never have left the device: a dropped
 *   connection, a broker that died): re-sent on reconnect — mqtt.js replays its unacknowledged
 *   QoS 1 publishes on the new connection, and if still no PUBACK came `resendAfterMs` (default
 *   5 s; then 2×, 4×, at most 8×) after that, the device sends it again itself. While the connection
 *   it went out on is up, it is not re-sent: TCP and the broker's PUBACK cover it, and a copy would
 *   only add to a broker already behind.
 * - PUBACKed by the broker: the broker holds it (persisted, and queued for the ingest's durable
 *   session), so the platform's ack is merely late — under load, behind a backlog. Re-sending it
 *   soon would only queue a copy in front of new events and bury a lagging platform under its own
 *   backlog (the bench's 60-s collapse). It is re-sent only after `brokerAckedResendAfterMs`
 *   (default 30 s), ±20 % jitter so a fleet does not re-send in step, doubling per attempt up to
 *   `brokerAckedResendCapMs` (default 240 s) — the safety net for a broker that lost it (killed
 *   before it persisted) or an ack lost on the way (acks are QoS 0).
 *
 * The devices share `connections` MQTT connections (serial i on connection i mod connections), each
 * subscribed to its own serials' ack topics, so 20,000 devices need not be 20,000 sockets.
 */
export interface FleetOptions {
  url: string;
  serials: readonly string[];
  connections: number;
  /** re-send a message the broker has NOT PUBACKed after this long (default 5,000 ms), then after 2×, 4×, 8× */
  resendAfterMs?: number;
  /** re-send a message the broker PUBACKed but the platform has not acknowledged after this long (default 30,000 ms, ±20 % jitter), doubling per attempt */
  brokerAckedResendAfterMs?: number;
  /** the longest wait between re-sends of a broker-PUBACKed message (default 240,000 ms) */
  brokerAckedResendCapMs?: number;
  /** client ids are `${clientIdPrefix}-${i}` (default a random prefix) */
  clientIdPrefix?: string;
}

export interface FleetAck {
  id: string;
  status: IngestStatus;
  reason?: string;
}

export interface FleetStats {
  /** distinct messages published (re-sends not counted) */
  published: number;
  /** distinct messages the broker acknowledged (PUBACK) at least once */
  brokerAcked: number;
  /** distinct messages the platform acknowledged (stored, duplicate or rejected) */
  platformAcked: number;
  /** published and not yet acknowledged by the platform */
  pending: number;
  /** re-sends (the same id published again) */
  resent: number;
  byStatus: Record<IngestStatus, number>;
}

interface Pending {
  serial: string;
  payload: string;
  firstAt: number;
  /** the next re-send is due at */
  dueAt: number;
  sends: number;
  brokerAcked: boolean;
  /** re-sends since the broker first PUBACKed it (drives the long back-off) */
  ackedResends: number;
  /** the connection (its connect count) it was last sent on */
  epoch: number;
}

const ackSchema = ingestStatus;

export class DeviceFleet {
  private readonly clients: MqttClient[] = [];
  /** per connection: how many times it has connected (a new connection replays unacknowledged publishes) */
  private readonly epochs: number[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly listeners: Array<(serial: string, ack: FleetAck, ms: number) => void> = [];
  private readonly connectionOf = new Map<string, number>();
  private readonly resendAfterMs: number;
  private readonly ackedResendAfterMs: number;
  private readonly ackedResendCapMs: number;
  private readonly prefix: string;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private counts = { published: 0, brokerAcked: 0, platformAcked: 0, resent: 0 };
  private byStatus: Record<IngestStatus, number> = { stored: 0, duplicate: 0, rejected: 0 };

  constructor(private readonly o: FleetOptions) {
    if (o.connections < 1) throw new Error('DeviceFleet: connections must be at least 1');
    this.resendAfterMs = o.resendAfterMs ?? 5000;
    this.ackedResendAfterMs = o.brokerAckedResendAfterMs ?? 30_000;
    this.ackedResendCapMs = Math.max(this.ackedResendAfterMs, o.brokerAckedResendCapMs ?? 240_000);
    this.prefix = o.clientIdPrefix ?? `yiyang-fleet-${Math.random().toString(36).slice(2, 8)}`;
    o.serials.forEach((s, i) => this.connectionOf.set(s, i % o.connections));
  }

  /** Connects every connection and subscribes each to its serials' ack topics. */
  async start(): Promise<void> {
    const n = Math.min(this.o.connections, Math.max(1, this.o.serials.length));
    const bySerials: string[][] = Array.from({ length: n }, () => []);
    this.o.serials.forEach((s, i) => bySerials[i % n]!.push(acksTopic(s)));
    // the connection count may exceed the serials (a test with one device): map onto what exists
    for (const [s, i] of this.connectionOf) this.connectionOf.set(s, i % n);
    await Promise.all(
      bySerials.map(async (topics, i) => {
        const client = mqtt.connect(this.o.url, {
          clientId: `${this.prefix}-${i}`,
          // a device keeps its own messages (the pending map) and re-sends them: no broker session needed
          clean: true,
          reconnectPeriod: 500,
          connectTimeout: 10_000,
          resubscribe: true,
          subscribeBatchSize: 1000,
        });
        client.on('message', (topic, payload) => this.onMessage(topic, payload));
        this.epochs[i] = 0;
        client.on('connect', () => {
          this.epochs[i] = (this.epochs[i] ?? 0) + 1;
        });
        // errors surface as reconnects; a fleet outlives a broker restart
        client.on('error', () => {});
        this.clients[i] = client;
        await new Promise<void>((resolve, reject) => {
          const fail = (e: Error) => reject(e);
          client.once('error', fail);
          client.once('connect', () => {
            client.off('error', fail);
            resolve();
          });
        });
        for (let k = 0; k < topics.length; k += 1000) {
          await client.subscribeAsync(topics.slice(k, k + 1000), { qos: 0 });
        }
      }),
    );
    this.timer = setInterval(() => this.resendDue(), Math.max(50, Math.min(1000, Math.floor(this.resendAfterMs / 4))));
    this.timer.unref();
  }

  /** Publishes one message at QoS 1 and keeps it until the platform acknowledges its id. */
  publish(serial: string, m: Omit<DeviceMessage, 'serial'>): void {
    const key = `${serial}\u0000${m.id}`;
    if (this.pending.has(key)) throw new Error(`DeviceFleet: message ${m.id} of ${serial} is still pending`);
    const now = Date.now();
    const p: Pending = {
      serial,
      payload: JSON.stringify(m),
      firstAt: now,
      dueAt: now + this.resendAfterMs,
      sends: 1,
      brokerAcked: false,
      ackedResends: 0,
      epoch: 0,
    };
    this.pending.set(key, p);
    this.counts.published++;
    this.send(p);
  }

  /**
   * Publishes raw bytes on a serial's events topic, not tracked (a broken device: a malformed payload,
   * a wrong serial). Resolves on the broker's PUBACK.
   */
  async publishRaw(serial: string, payload: string | Buffer): Promise<void> {
    await this.clientOf(serial).publishAsync(eventsTopic(serial), payload, { qos: 1 });
  }

  /** Called for every platform ack of a pending message (once per message), with ms since its first publish. */
  onAck(fn: (serial: string, ack: FleetAck, ms: number) => void): void {
    this.listeners.push(fn);
  }

  stats(): FleetStats {
    return { ...this.counts, pending: this.pending.size, byStatus: { ...this.byStatus } };
  }

  /** Resolves once nothing is pending; rejects after timeoutMs saying how many still are. */
  waitIdle(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
        reject(new Error(`DeviceFleet: ${this.pending.size} message(s) still unacknowledged by the platform after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        resolve();
      };
      this.idleWaiters.push(done);
    });
  }

  /** Disconnects (pending messages are forgotten). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.clients.map((c) => c.endAsync(true)));
  }

  private clientOf(serial: string): MqttClient {
    const i = this.connectionOf.get(serial);
    if (i === undefined) throw new Error(`DeviceFleet: ${serial} is not one of the fleet's serials`);
    const c = this.clients[i];
    if (!c) throw new Error('DeviceFleet: start() first');
    return c;
  }

  private epochOf(serial: string): number {
    return this.epochs[this.connectionOf.get(serial) ?? -1] ?? 0;
  }

  private send(p: Pending): void {
    p.epoch = this.epochOf(p.serial);
    // mqtt.js queues a QoS 1 publish while disconnected and sends it on reconnect; the callback is the PUBACK
    this.clientOf(p.serial).publish(eventsTopic(p.serial), p.payload, { qos: 1 }, (err) => {
      if (err || p.brokerAcked) return;
      p.brokerAcked = true;
      this.counts.brokerAcked++;
      // the broker holds it now: wait the long clock for the platform's ack
      p.dueAt = Date.now() + this.ackedDelay(0);
    });
  }

  /** The wait before a broker-PUBACKed message's next re-send: base × 2^attempt, capped, ±20 % jitter. */
  private ackedDelay(attempt: number): number {
    const base = Math.min(this.ackedResendCapMs, this.ackedResendAfterMs * 2 ** Math.min(attempt, 30));
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }

  private resendDue(): void {
    const now = Date.now();
    for (const p of this.pending.values()) {
      if (now < p.dueAt) continue;
      if (!this.clientOf(p.serial).connected) continue;
      // not PUBACKed, on the connection it went out on: nothing to heal yet
      if (!p.brokerAcked && p.epoch === this.epochOf(p.serial)) continue;
      if (p.brokerAcked) {
        // the broker had it: the long clock, doubling per attempt up to the cap
        p.ackedResends++;
        p.dueAt = now + this.ackedDelay(p.ackedResends);
      } else {
        // back off as a real device does (×2 per attempt, at most ×8)
        p.dueAt = now + this.resendAfterMs * Math.min(8, 2 ** p.sends);
      }
      p.sends++;
      this.counts.resent++;
      this.send(p);
    }
  }

  private onMessage(topic: string, payload: Buffer): void {
    const serial = topic.split('/')[3];
    if (!serial) return;
    let ack: FleetAck;
    try {
      const raw = JSON.parse(payload.toString('utf8')) as { id?: unknown; status?: unknown; reason?: unknown };
      const status = ackSchema.parse(raw.status);
      if (typeof raw.id !== 'string') return;
      ack = { id: raw.id, status, ...(typeof raw.reason === 'string' ? { reason: raw.reason } : {}) };
    } catch {
      return;
    }
    const key = `${serial}\u0000${ack.id}`;
    const p = this.pending.get(key);
    // an ack of a re-sent copy after the first one came: already counted
    if (!p) return;
    this.pending.delete(key);
    this.counts.platformAcked++;
    this.byStatus[ack.status]++;
    const ms = Date.now() - p.firstAt;
    for (const fn of this.listeners) fn(serial, ack, ms);
    if (this.pending.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
