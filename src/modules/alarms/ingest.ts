import { sql, type Transaction } from 'kysely';
import pino from 'pino';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { ingestLimitsOf } from './alarms.settings.js';
import type { DeviceMessage, EventKind, IngestResult, RejectReason } from './events.schema.js';
import { applyRules, publishAlarmChanges, type AlarmChange, type StoredEvent } from './raise.js';

/**
 * The one way device events enter the platform (MQTT and vendors' HTTP alike; issue 18): one
 * transaction per call, in a few statements whatever the batch size —
 *
 * 1. the devices of the batch by serial (from a small in-memory cache, see below; the misses in one
 *    query);
 * 2. per message, in memory: unknown / retired device, a device of another vendor (HTTP), the
 *    device's clock too far from ours (clock_skew), the per-device flood limit (rate_limited; never
 *    sos or fall), and a message repeated inside the batch (duplicate of the first);
 * 3. one multi-row INSERT … ON CONFLICT (device_id, message_id) DO NOTHING RETURNING per 1,000
 *    messages: a row that comes back was stored now, one that does not was stored before
 *    (duplicate) — the same on SQLite and PostgreSQL, and safe against a concurrent ingest of the
 *    same message (the unique index decides, never a read before the write);
 * 4. one UPDATE per 500 devices touched: last_seen_at, battery, link 'online' — at most once a
 *    minute per device (TOUCH_INTERVAL_MS) unless its battery changed (see "the touch memory");
 * 5. one upsert of the refusals, counted per (via, source, reason, minute) (migration 002);
 * 6. the alarm rules over the events just stored (raise.ts applyRules), in the same transaction;
 *
 * then commit, and only then the live consoles are told (publishAlarmChanges) and the caller acks.
 * Nothing of a batch is written if any of it fails.
 *
 * The device cache: serial → device, per database handle, each entry kept at most
 * DEVICE_CACHE_TTL_MS; registering or retiring a device in this process drops its entry at once
 * (forgetDevice); another process's change is seen within the TTL. The flood window is in memory
 * too (per process, per device and minute of the platform clock): a second ingest process would
 * allow each device its own quota — one ingest process is the deployment.
 *
 * The touch memory (per process, per database handle, like the cache): device id → when this
 * process last wrote its last_seen_at / link 'online' and the battery it wrote. A device is touched
 * again only when TOUCH_INTERVAL_MS has passed or it reports a battery other than the one written:
 * under thousands of events a second each touch moves the device's entry in the
 * alarm_devices_seen index, and most of them would change nothing anyone reads. So last_seen_at
 * may be up to a minute stale; the clock's offline rule (clock.ts) counts in hours by default
 * (24 h) and no threshold should be set under a few minutes. A device the clock marked offline was
 * silent for its threshold, longer than the interval, so its next event touches it (link 'online')
 * at once. The memory is written only after the commit (a rolled-back batch touched nothing);
 * another ingest process, or a restart, simply touches again.
 */

const DEVICE_CACHE_TTL_MS = 60_000;
const INSERT_CHUNK = 1000;
const UPDATE_CHUNK = 500;
/** A device's last_seen_at / link is written at most this often unless its battery changes. */
export const TOUCH_INTERVAL_MS = 60_000;
/** Kinds the flood limit never refuses. */
const NEVER_LIMITED: ReadonlySet<EventKind> = new Set<EventKind>(['sos', 'fall']);

export type IngestMessage = DeviceMessage & { serial: string };

export interface IngestOptions {
  /** HTTP: the vendor whose signed request this is; its devices only */
  vendorId?: number;
  /** the platform clock (tests); default now */
  now?: Date;
}

interface KnownDevice {
  id: number;
  serial: string;
  kind: string;
  personId: number;
  regionCode: string;
  vendorId: number | null;
  status: string;
  loadedAt: number;
}

/* ---- per-handle memory: device cache, flood windows, log throttle ---- */

interface Memory {
  devices: Map<string, KnownDevice>;
  /** device id → events let through in the current minute */
  flood: Map<number, { minute: number; count: number }>;
  /** `${via}|${source}|${reason}|${minute}` logged already */
  logged: Set<string>;
  loggedMinute: number;
  /** device id → when this process last touched it (platform clock, ms) and the battery written then (null: kept) */
  touchedAt: Map<number, { at: number; battery: number | null }>;
}

const memories = new WeakMap<object, Memory>();
function memoryOf(ctx: AppContext): Memory {
  const key = ctx.handle as object;
  let m = memories.get(key);
  if (!m) {
    m = { devices: new Map(), flood: new Map(), logged: new Set(), loggedMinute: 0, touchedAt: new Map() };
    memories.set(key, m);
  }
  return m;
}

/** Drops a serial from the device cache (devices.ts calls it on register and retire). */
export function forgetDevice(ctx: AppContext, serial: string): void {
  memoryOf(ctx).devices.delete(serial);
}

/** Forgets the flood windows (tests). */
export function resetFloodWindows(ctx: AppContext): void {
  memoryOf(ctx).flood.clear();
}

/** Forgets when devices were last touched (tests; the next event of each writes last_seen_at again). */
export function resetTouchMemory(ctx: AppContext): void {
  memoryOf(ctx).touchedAt.clear();
}

async function devicesBySerial(ctx: AppContext, db: Executor, serials: readonly string[], nowMs: number): Promise<Map<string, KnownDevice>> {
  const mem = memoryOf(ctx);
  const out = new Map<string, KnownDevice>();
  const missing: string[] = [];
  for (const s of new Set(serials)) {
    const d = mem.devices.get(s);
    if (d && nowMs - d.loadedAt < DEVICE_CACHE_TTL_MS) out.set(s, d);
    else missing.push(s);
  }
  for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('alarm_devices')
      .select(['id', 'serial', 'kind', 'person_id', 'region_code', 'vendor_id', 'status'])
      .where('serial', 'in', missing.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) {
      const d: KnownDevice = {
        id: r.id,
        serial: r.serial,
        kind: r.kind,
        personId: r.person_id,
        regionCode: r.region_code,
        vendorId: r.vendor_id,
        status: r.status,
        loadedAt: nowMs,
      };
      mem.devices.set(r.serial, d);
      out.set(r.serial, d);
    }
  }
  if (mem.devices.size > 200_000) mem.devices.clear();
  return out;
}

/* ---- refusals: counted rows, and a log line per source, reason and minute ---- */

let logger: pino.Logger | undefined;
const log = () => (logger ??= pino({ level: 'info', base: { part: 'alarms.ingest' } }, pino.destination({ fd: 2, sync: false })));

export interface RejectCount {
  via: 'mqtt' | 'http';
  /** the serial, the vendor's key id, or '' — never a payload */
  source: string;
  reason: string;
  count: number;
  detail?: string | null;
}

/** The minute bucket a refusal is counted in: the ISO instant of the minute's start. */
const minuteOf = (ms: number) => Math.floor(ms / 60_000);
const minuteIso = (minute: number) => new Date(minute * 60_000).toISOString();

/** Adds refusals to their minute's rows (one upsert) and logs each source and reason once a minute. */
export async function recordRejects(ctx: AppContext, db: Executor, rejects: readonly RejectCount[], now: Date = new Date()): Promise<void> {
  if (!rejects.length) return;
  const minute = minuteOf(now.getTime());
  const at = minuteIso(minute);
  const merged = new Map<string, RejectCount>();
  for (const r of rejects) {
    const key = `${r.via}|${r.source}|${r.reason}`;
    const m = merged.get(key);
    if (m) m.count += r.count;
    else merged.set(key, { ...r, source: r.source.slice(0, 80) });
  }
  const rows = [...merged.values()];
  for (let i = 0; i < rows.length; i += UPDATE_CHUNK) {
    await db
      .insertInto('alarm_rejects')
      .values(rows.slice(i, i + UPDATE_CHUNK).map((r) => ({ at, via: r.via, source: r.source, reason: r.reason, count: r.count, detail: r.detail ?? null })))
      .onConflict((oc) =>
        oc.columns(['via', 'source', 'reason', 'at']).doUpdateSet((eb) => ({ count: eb('alarm_rejects.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
  }
  logRejects(ctx, rows, minute);
}

function logRejects(ctx: AppContext, rows: readonly RejectCount[], minute: number): void {
  const mem = memoryOf(ctx);
  if (mem.loggedMinute !== minute) {
    mem.logged.clear();
    mem.loggedMinute = minute;
  }
  for (const r of rows) {
    const key = `${r.via}|${r.source}|${r.reason}`;
    if (mem.logged.has(key)) continue;
    mem.logged.add(key);
    // the reason and the source only: never the payload, never anything about the person
    log().warn(
      { via: r.via, source: r.source, reason: r.reason, count: r.count },
      'alarm event refused (further refusals of this source and reason are counted for the minute)',
    );
  }
}

/* ---- the ingest ---- */

interface Pending {
  index: number;
  device: KnownDevice;
  message: IngestMessage;
  occurredAt: string;
}

/**
 * Stores a batch of device messages (see the file's comment) and answers per message, in order:
 * stored | duplicate | rejected with a reason. Resolves only after the commit.
 */
export async function ingestEvents(
  ctx: AppContext,
  messages: readonly IngestMessage[],
  via: 'mqtt' | 'http',
  opts: IngestOptions = {},
): Promise<IngestResult[]> {
  const now = opts.now ?? new Date();
  const nowMs = now.getTime();
  const receivedAt = now.toISOString();
  // each device's messages by its person's county's limits
  const limitsOf = (d: KnownDevice) => ingestLimitsOf(ctx, d.regionCode);
  const minute = minuteOf(nowMs);
  const mem = memoryOf(ctx);

  const results: IngestResult[] = messages.map((m) => ({ id: m.id, serial: m.serial, status: 'rejected' }));
  const refusals: RejectCount[] = [];
  const refuse = (i: number, reason: RejectReason) => {
    results[i] = { id: messages[i]!.id, serial: messages[i]!.serial, status: 'rejected', reason };
    refusals.push({ via, source: messages[i]!.serial, reason, count: 1, detail: opts.vendorId !== undefined ? `vendor ${opts.vendorId}` : null });
  };

  let changes: AlarmChange[] = [];
  let floodCounts = new Map<number, number>();
  let written = new Map<number, { battery: number | null }>();
  await ctx.db.transaction().execute(async (trx) => {
    const devices = await devicesBySerial(
      ctx,
      trx,
      messages.map((m) => m.serial),
      nowMs,
    );
    const pending: Pending[] = [];
    const firstOf = new Map<string, number>();
    const duplicateOf: number[] = [];
    floodCounts = new Map();
    const touched = new Map<number, { battery: number | null; batteryAt: string }>();
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      const d = devices.get(m.serial);
      if (!d) {
        refuse(i, 'unknown_device');
        continue;
      }
      if (opts.vendorId !== undefined && d.vendorId !== opts.vendorId) {
        // another vendor's device (or an MQTT-only one): its existence is not confirmed either
        refuse(i, 'wrong_vendor');
        continue;
      }
      if (d.status !== 'active') {
        refuse(i, 'retired_device');
        continue;
      }
      const at = Date.parse(m.at);
      if (Number.isNaN(at)) {
        refuse(i, 'malformed');
        continue;
      }
      // the device is alive, whatever becomes of this message
      if (!touched.has(d.id)) touched.set(d.id, { battery: null, batteryAt: '' });
      if (Math.abs(at - nowMs) > limitsOf(d).clockSkewMinutes * 60_000) {
        refuse(i, 'clock_skew');
        continue;
      }
      const key = `${d.id}|${m.id}`;
      if (firstOf.has(key)) {
        duplicateOf.push(i);
        continue;
      }
      if (!NEVER_LIMITED.has(m.kind)) {
        const w = mem.flood.get(d.id);
        const before = w && w.minute === minute ? w.count : 0;
        const mine = floodCounts.get(d.id) ?? 0;
        if (before + mine >= limitsOf(d).perDevicePerMinute) {
          refuse(i, 'rate_limited');
          continue;
        }
        floodCounts.set(d.id, mine + 1);
      }
      firstOf.set(key, i);
      const occurredAt = new Date(at).toISOString();
      pending.push({ index: i, device: d, message: m, occurredAt });
      if (m.battery !== undefined) {
        const t = touched.get(d.id)!;
        if (occurredAt >= t.batteryAt) touched.set(d.id, { battery: m.battery, batteryAt: occurredAt });
      }
    }

    const stored: StoredEvent[] = [];
    for (let c = 0; c < pending.length; c += INSERT_CHUNK) {
      const chunk = pending.slice(c, c + INSERT_CHUNK);
      const rows = await trx
        .insertInto('alarm_events')
        .values(
          chunk.map((p) => ({
            device_id: p.device.id,
            message_id: p.message.id,
            kind: p.message.kind,
            occurred_at: p.occurredAt,
            received_at: receivedAt,
            via,
            battery: p.message.battery ?? null,
            value: p.message.value ?? null,
            person_id: p.device.personId,
            region_code: p.device.regionCode,
            alarm_id: null,
          })),
        )
        .onConflict((oc) => oc.columns(['device_id', 'message_id']).doNothing())
        .returning(['id', 'device_id', 'message_id'])
        .execute();
      const ids = new Map(rows.map((r) => [`${r.device_id}|${r.message_id}`, r.id]));
      for (const p of chunk) {
        const id = ids.get(`${p.device.id}|${p.message.id}`);
        results[p.index] = { id: p.message.id, serial: p.message.serial, status: id === undefined ? 'duplicate' : 'stored' };
        if (id === undefined) continue;
        stored.push({
          id,
          deviceId: p.device.id,
          deviceKind: p.device.kind,
          personId: p.device.personId,
          regionCode: p.device.regionCode,
          kind: p.message.kind,
          occurredAt: p.occurredAt,
          receivedAt,
          battery: p.message.battery ?? null,
          value: p.message.value ?? null,
        });
      }
    }
    // the same message twice in one batch: the first is stored (or was before), the rest merged into it
    for (const i of duplicateOf) results[i] = { id: messages[i]!.id, serial: messages[i]!.serial, status: 'duplicate' };

    // only the devices not touched within the interval, or whose battery changed
    written = new Map();
    for (const [id, t] of touched) {
      const last = mem.touchedAt.get(id);
      if (last && nowMs - last.at >= 0 && nowMs - last.at < TOUCH_INTERVAL_MS && (t.battery === null || t.battery === last.battery)) continue;
      written.set(id, t);
    }
    await touchDevices(trx, written, receivedAt);
    await recordRejects(ctx, trx, refusals, now);
    changes = stored.length ? await applyRules(ctx, trx, stored) : [];
  });

  // committed: the flood windows count what was let through, and the consoles are told
  for (const [deviceId, n] of floodCounts) {
    const w = mem.flood.get(deviceId);
    if (w && w.minute === minute) w.count += n;
    else mem.flood.set(deviceId, { minute, count: n });
  }
  if (mem.flood.size > 50_000) for (const [id, w] of mem.flood) if (w.minute < minute) mem.flood.delete(id);
  for (const [id, t] of written) {
    // a touch without a battery kept the stored one: remember the one written before, if any
    const before = mem.touchedAt.get(id);
    mem.touchedAt.set(id, { at: nowMs, battery: t.battery ?? before?.battery ?? null });
  }
  if (mem.touchedAt.size > 200_000) for (const [id, t] of mem.touchedAt) if (nowMs - t.at >= TOUCH_INTERVAL_MS) mem.touchedAt.delete(id);
  if (changes.length) publishAlarmChanges(ctx, changes);
  return results;
}

/**
 * last_seen_at, battery (the latest reported, else kept) and link 'online' of the devices touched:
 * one statement per 500 devices, `SET battery = CASE WHEN id IN (…) THEN 76 WHEN id IN (…) THEN 80 …
 * ELSE battery END WHERE id IN (…)` — at most 101 battery values, and IN lists both databases
 * look up by index (an UPDATE … FROM (VALUES …) scanned the devices on SQLite).
 */
async function touchDevices(trx: Transaction<Database>, touched: Map<number, { battery: number | null }>, seenAt: string): Promise<void> {
  const all = [...touched].sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < all.length; i += UPDATE_CHUNK) {
    const chunk = all.slice(i, i + UPDATE_CHUNK);
    const byBattery = new Map<number, number[]>();
    for (const [id, t] of chunk) if (t.battery !== null) byBattery.set(t.battery, [...(byBattery.get(t.battery) ?? []), id]);
    const battery = byBattery.size
      ? sql`case ${sql.join(
          [...byBattery].map(([value, ids]) => sql`when id in (${sql.join(ids)}) then ${value}`),
          sql` `,
        )} else battery end`
      : sql`battery`;
    await sql`update alarm_devices set last_seen_at = ${seenAt}, link = 'online', battery = ${battery} where id in (${sql.join(chunk.map(([id]) => id))})`.execute(
      trx,
    );
  }
}
