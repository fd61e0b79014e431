import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import pino from 'pino';
import type { AppContext } from '../../platform/context.js';
import type { Serving } from '../../platform/module.js';
import { acksTopic, deviceMessage, MQTT_EVENTS_TOPIC, serialSchema, type IngestResult, type RejectReason } from './events.schema.js';
import { ingestEvents, recordRejects, type IngestMessage, type RejectCount } from './ingest.js';

/**
 * The MQTT subscriber (issue 18): devices' events from the broker into ingestEvents, nothing lost.
 *
 * - ONE persistent session: a fixed client id (MQTT_CLIENT_ID), clean start off. MQTT 5, because
 *   then the session's lifetime (sessionExpiryInterval, 7 days) and the in-flight window
 *   (receiveMaximum) are the ingest's own choice, whatever broker it meets: under 3.1.1 the window
 *   is the broker's max_inflight_messages, 20 by default — a batch could never exceed 20 messages on
 *   a broker not configured by ops/mosquitto/yiyang.conf (CI's system broker, a vendor's). (Under
 *   MQTT 5, clean start off with the default session expiry of 0 would lose the session at every
 *   disconnect: the expiry is set explicitly.)
 * - Subscribed at QoS 1 to yiyang/v1/devices/+/events; messages are taken in batches (≤ batchSize,
 *   or what arrived within batchMs of the first) and handed to ingestEvents, one transaction per
 *   ≤ 500. The broker's PUBACK of each message is sent only AFTER that commit: killed mid-batch, the
 *   ingest gets the unacknowledged messages again on reconnect and stores each once
 *   ((device_id, message_id) unique).
 * - Malformed payloads (not JSON, not the contract), payloads over 4 KB (too_large, not parsed) and
 *   a payload whose serial is not the topic's are refused: a reject row is committed first (ingest.ts recordRejects), then the message is
 *   PUBACKed (it will never be better) and, when an id could be read, the device is told
 *   `{id, status:'rejected', reason}`. The subscriber goes on.
 * - After the commit every message's outcome is published at QoS 0 to yiyang/v1/devices/{serial}/acks
 *   (the device keeps the message until then and re-sends it with the same id) — as soon as its
 *   ingestEvents call commits, not when the rest of the messages in hand have. Acks produced while
 *   the connection is down are kept in memory (at most maxHeldAcks, default 50,000; beyond that the
 *   oldest are dropped, counted in stats().acksDropped and logged once per disconnection) and sent
 *   after the reconnect, before anything new: an ack is the only thing that stops a device
 *   re-sending, and a stored event is stored whether or not the connection survived the commit.
 * - A failed commit (database away) keeps the batch in hand and tries again with back-off; nothing
 *   is PUBACKed meanwhile. A lost connection reconnects with back-off (1 s doubling to 30 s).
 *
 * How the PUBACK is deferred without serialising the stream: mqtt.js's `customHandleAcks` hook runs
 * for every QoS 1 message, but mqtt.js handles incoming packets one at a time and takes the next only
 * after the previous one's PUBACK went out — holding the hook's callback until a commit would make
 * every batch one message long. So the hook takes the message into the batch and lets mqtt.js go on
 * (callback with 0), and the PUBACK mqtt.js then writes for it is held back here (the client's packet
 * writer is wrapped: a PUBACK of a message in hand is kept, mqtt.js is told it was written) and
 * written after the commit — only on the same connection: a PUBACK held across a reconnect is
 * dropped (its packet id may now name another message; the broker re-delivers the old one anyway).
 */

export interface MqttIngestOptions {
  /** messages per ingestEvents call (default 500) */
  batchSize?: number;
  /** how long a batch waits for more messages after its first (default 20 ms) */
  batchMs?: number;
  /** QoS 1 messages the broker may have in flight to us (MQTT 5 receive maximum; default 1,000) */
  receiveMaximum?: number;
  /** the persistent session's lifetime at the broker while we are away (default 7 days) */
  sessionExpirySeconds?: number;
  /** reconnect back-off bounds (default 1,000 → 30,000 ms) */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** acks kept while disconnected, sent after the reconnect (default 50,000; the oldest dropped beyond) */
  maxHeldAcks?: number;
}

export interface MqttIngestStats {
  received: number;
  committed: number;
  stored: number;
  duplicate: number;
  rejected: number;
  batches: number;
  /** PUBACKs written after a commit */
  pubacked: number;
  /** PUBACKs dropped because the connection they belonged to had closed before the commit */
  pubacksDropped: number;
  /** failed commits retried */
  retries: number;
  connects: number;
  /** acks published to devices */
  acksSent: number;
  /** acks produced while disconnected, kept for the reconnect (in all) */
  acksHeld: number;
  /** held acks dropped, oldest first, because more than maxHeldAcks were waiting */
  acksDropped: number;
}

export interface MqttIngest extends Serving {
  connected(): boolean;
  stats(): MqttIngestStats;
  /** resolves on the next successful connection (and subscription) */
  ready(): Promise<void>;
}

interface InHand {
  topic: string;
  payload: Buffer;
  /** the connection it came on (PUBACKs are written only on the same one) */
  generation: number;
  /** the PUBACK mqtt.js wanted to write, held until the commit (absent for QoS 0) */
  puback?: Packet;
}

interface Ack {
  serial: string;
  id: string;
  status: IngestResult['status'];
  reason?: string;
}

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;

let logger: pino.Logger | undefined;
const log = (ctx: AppContext) => (logger ??= pino({ level: ctx.config.logLevel, base: { part: 'alarms.mqtt' } }, pino.destination({ fd: 2, sync: false })));

const TOPIC = /^yiyang\/v1\/devices\/([^/]+)\/events$/;
const ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** a device message is ~100 bytes; anything far larger is refused unread */
export const MAX_PAYLOAD_BYTES = 4096;

/** Reads a payload against the contract: the message with the topic's serial, or why not. */
export function readMessage(
  topic: string,
  payload: Buffer,
): { ok: true; message: IngestMessage } | { ok: false; serial: string | null; id: string | null; reason: RejectReason } {
  const topicSerial = TOPIC.exec(topic)?.[1];
  const serial = topicSerial !== undefined && serialSchema.safeParse(topicSerial).success ? topicSerial : null;
  if (payload.length > MAX_PAYLOAD_BYTES) return { ok: false, serial, id: null, reason: 'too_large' };
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, serial, id: null, reason: 'malformed' };
  }
  const rawId = raw && typeof raw === 'object' && 'id' in raw ? (raw as { id: unknown }).id : undefined;
  const id = typeof rawId === 'string' && ID.test(rawId) ? rawId : null;
  const parsed = deviceMessage.safeParse(raw);
  if (!serial || !parsed.success) return { ok: false, serial, id, reason: 'malformed' };
  if (parsed.data.serial !== undefined && parsed.data.serial !== serial) return { ok: false, serial, id, reason: 'wrong_serial' };
  return { ok: true, message: { ...parsed.data, serial } };
}

export function startMqttIngest(ctx: AppContext, o: MqttIngestOptions = {}): MqttIngest {
  const url = ctx.config.mqttUrl;
  if (!url) throw new Error('startMqttIngest: MQTT_URL is not set');
  const batchSize = o.batchSize ?? 500;
  const batchMs = o.batchMs ?? 20;
  const minBackoff = o.reconnectMinMs ?? 1000;
  const maxBackoff = o.reconnectMaxMs ?? 30_000;
  const maxHeldAcks = Math.max(1, o.maxHeldAcks ?? 50_000);
  const stats: MqttIngestStats = {
    received: 0,
    committed: 0,
    stored: 0,
    duplicate: 0,
    rejected: 0,
    batches: 0,
    pubacked: 0,
    pubacksDropped: 0,
    retries: 0,
    connects: 0,
    acksSent: 0,
    acksHeld: 0,
    acksDropped: 0,
  };

  let generation = 0;
  let stopping = false;
  let batch: InHand[] = [];
  let timer: NodeJS.Timeout | undefined;
  /** the chain of commits: one batch at a time, in arrival order */
  let chain: Promise<void> = Promise.resolve();
  let expectPuback: InHand | undefined;
  let readyWaiters: Array<() => void> = [];
  let subscribed = false;
  /** acks waiting for a connection, oldest first (a queue: `heldFrom` is its head) */
  let held: Ack[] = [];
  let heldFrom = 0;
  let droppedWarned = false;

  const options: IClientOptions = {
    clientId: ctx.config.mqttClientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: o.sessionExpirySeconds ?? 7 * 24 * 3600, receiveMaximum: o.receiveMaximum ?? 1000 },
    reconnectPeriod: minBackoff,
    connectTimeout: 10_000,
    // subscribed on every connect below (a session that expired has no subscription)
    resubscribe: false,
    customHandleAcks: (topic, payload, _packet: IPublishPacket, cb) => {
      // stopping: taken no more and never PUBACKed (mqtt.js waits on the callback; the connection
      // ends): the broker gives the message to the next session
      if (stopping) return;
      const item: InHand = { topic, payload, generation };
      batch.push(item);
      stats.received++;
      // mqtt.js now writes the PUBACK through _sendPacket, synchronously: it is held (below)
      expectPuback = item;
      cb(0);
      expectPuback = undefined;
      schedule();
    },
  };
  const client: MqttClient = mqtt.connect(url, options);

  // hold the PUBACK of the message just taken; everything else is written as mqtt.js means it
  const internals = client as unknown as { _sendPacket: SendPacket };
  const send: SendPacket = internals._sendPacket.bind(client);
  internals._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd === 'puback' && expectPuback && !expectPuback.puback) {
      expectPuback.puback = packet;
      cb?.();
      return;
    }
    send(packet, cb, cbStorePut, noStore);
  };

  client.on('message', (topic, payload, packet) => {
    // QoS 0 publishes (a device that ignores the contract) come only through here: no PUBACK to hold
    if (packet.qos !== 0 || stopping) return;
    batch.push({ topic, payload, generation });
    stats.received++;
    schedule();
  });
  client.on('connect', (connack) => {
    stats.connects++;
    client.options.reconnectPeriod = minBackoff;
    log(ctx).info({ url: redact(url), sessionPresent: connack.sessionPresent, heldAcks: held.length - heldFrom }, 'MQTT ingest connected');
    // the acks of what was committed while we were away, first
    sendHeld();
    client.subscribe(MQTT_EVENTS_TOPIC, { qos: 1 }, (err) => {
      if (err) {
        log(ctx).error({ err: err.message }, 'MQTT ingest could not subscribe; reconnecting');
        client.reconnect();
        return;
      }
      subscribed = true;
      const waiters = readyWaiters;
      readyWaiters = [];
      for (const w of waiters) w();
    });
  });
  client.on('close', () => {
    // PUBACKs held for this connection can no longer be written
    generation++;
    subscribed = false;
    if (!stopping) {
      client.options.reconnectPeriod = Math.min(maxBackoff, Math.max(minBackoff, (client.options.reconnectPeriod ?? minBackoff) * 2));
    }
  });
  client.on('offline', () => {
    if (!stopping) log(ctx).warn({ url: redact(url), retryMs: client.options.reconnectPeriod }, 'MQTT ingest disconnected; reconnecting');
  });
  client.on('error', (err) => log(ctx).error({ err: err.message }, 'MQTT ingest connection error'));

  function schedule(): void {
    if (batch.length >= batchSize) {
      flush();
      return;
    }
    timer ??= setTimeout(flush, batchMs);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!batch.length) return;
    const taken = batch;
    batch = [];
    chain = chain.then(() => commit(taken));
  }

  async function commit(items: InHand[]): Promise<void> {
    let delay = 200;
    for (;;) {
      try {
        await store(items);
        stats.batches++;
        release(items);
        return;
      } catch (err) {
        stats.retries++;
        log(ctx).error(
          { err: (err as Error).message, messages: items.length, retryMs: delay },
          'MQTT ingest could not commit a batch; nothing acknowledged, trying again',
        );
        // stopping: the messages stay unacknowledged at the broker and come again with the session
        if (stopping) return;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(10_000, delay * 2);
      }
    }
  }

  /**
   * Commits the refusals, then the events ≤ batchSize at a time, publishing each commit's acks as
   * soon as it is done (a retry after a later failure answers the earlier ones again: 'duplicate').
   */
  async function store(items: readonly InHand[]): Promise<void> {
    const acks: Ack[] = [];
    const messages: IngestMessage[] = [];
    const refusals: RejectCount[] = [];
    for (const it of items) {
      const r = readMessage(it.topic, it.payload);
      if (r.ok) {
        messages.push(r.message);
        continue;
      }
      refusals.push({ via: 'mqtt', source: r.serial ?? '', reason: r.reason, count: 1 });
      if (r.serial && r.id) acks.push({ serial: r.serial, id: r.id, status: 'rejected', reason: r.reason });
    }
    if (refusals.length) await recordRejects(ctx, ctx.db, refusals);
    publishAcks(acks);
    const counted = { stored: 0, duplicate: 0, rejected: refusals.length };
    for (let i = 0; i < messages.length; i += batchSize) {
      const results = await ingestEvents(ctx, messages.slice(i, i + batchSize), 'mqtt');
      const chunkAcks: Ack[] = [];
      for (const res of results) {
        counted[res.status]++;
        chunkAcks.push({ serial: res.serial, id: res.id, status: res.status, ...(res.reason ? { reason: res.reason } : {}) });
      }
      publishAcks(chunkAcks);
    }
    stats.committed += items.length;
    stats.stored += counted.stored;
    stats.duplicate += counted.duplicate;
    stats.rejected += counted.rejected;
  }

  /** Writes the PUBACKs held for the committed messages (same connection only). */
  function release(items: readonly InHand[]): void {
    for (const it of items) {
      if (!it.puback) continue;
      if (it.generation !== generation || !client.connected) {
        stats.pubacksDropped++;
        continue;
      }
      send(it.puback);
      stats.pubacked++;
    }
  }

  /** Publishes acks now, or keeps them for the reconnect (behind any already kept). */
  function publishAcks(acks: readonly Ack[]): void {
    if (!acks.length) return;
    if (client.connected && heldFrom === held.length) {
      for (const a of acks) sendAck(a);
      return;
    }
    for (const a of acks) held.push(a);
    stats.acksHeld += acks.length;
    const over = held.length - heldFrom - maxHeldAcks;
    if (over > 0) {
      heldFrom += over;
      stats.acksDropped += over;
      if (!droppedWarned) {
        droppedWarned = true;
        log(ctx).warn(
          { maxHeldAcks, dropped: stats.acksDropped },
          'MQTT ingest disconnected with more acks waiting than it keeps: the oldest are dropped (their events are stored; the devices re-send and are answered duplicate)',
        );
      }
    }
    if (heldFrom > 10_000 && heldFrom * 2 > held.length) {
      held = held.slice(heldFrom);
      heldFrom = 0;
    }
    if (client.connected) sendHeld();
  }

  function sendAck(a: Ack): void {
    client.publish(acksTopic(a.serial), JSON.stringify({ id: a.id, status: a.status, ...(a.reason ? { reason: a.reason } : {}) }), { qos: 0 });
    stats.acksSent++;
  }

  /** Sends the kept acks, oldest first, while the connection lasts. */
  function sendHeld(): void {
    while (heldFrom < held.length && client.connected) sendAck(held[heldFrom++]!);
    if (heldFrom === held.length) {
      if (droppedWarned) log(ctx).warn({ dropped: stats.acksDropped }, 'MQTT ingest: acks dropped while disconnected (in all)');
      held = [];
      heldFrom = 0;
      droppedWarned = false;
    }
  }

  return {
    connected: () => client.connected,
    stats: () => ({ ...stats }),
    ready: () =>
      subscribed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            readyWaiters.push(resolve);
          }),
    async stop() {
      // the batch in hand is committed and acknowledged before the connection ends (a batch whose
      // commit keeps failing is left unacknowledged: the broker keeps it in the session)
      stopping = true;
      flush();
      await chain;
      await client.endAsync(false);
    },
  };
}

/** The broker's address without credentials, for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(unparseable MQTT_URL)';
  }
}
