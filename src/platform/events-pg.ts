import pg from 'pg';
import { sql } from 'kysely';
import type { AppContext } from './context.js';

/**
 * Live events across processes on PostgreSQL (LISTEN/NOTIFY), for events.ts: a process NOTIFYs
 * each event it publishes on its database's channel; a server holds one dedicated connection
 * that LISTENs there and hands on what the other processes sent.
 *
 * A notification is `<origin>|<seq>|<part>|<parts>|<json>`: the origin names the sending bus
 * (host:pid:random), so a process skips its own. NOTIFY takes at most 8000 bytes: the JSON is
 * written in ASCII (other characters as \u escapes) and an event longer than one notification
 * goes as numbered parts in one statement (delivered together at its commit), joined again here.
 * A run's or an import's progress is a few hundred bytes: one part.
 */

/** The channel of a database (of a schema, where tests confine each context to its own). */
export function channelOf(schema: string | undefined): string {
  return (schema ? `yiyang_events_${schema}` : 'yiyang_events').toLowerCase().slice(0, 63);
}

/** Bytes of JSON per notification (under NOTIFY's 8000 with the header). */
export const PART_CHARS = 7800;

let seq = 0;

function ascii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The notifications that carry one event. */
export function notifications(origin: string, data: unknown): string[] {
  const json = ascii(JSON.stringify(data));
  const n = Math.max(1, Math.ceil(json.length / PART_CHARS));
  const id = ++seq;
  return Array.from({ length: n }, (_, i) => `${origin}|${id}|${i}|${n}|${json.slice(i * PART_CHARS, (i + 1) * PART_CHARS)}`);
}

/** Sends one event to the other processes on `ctx`'s database. */
export async function notifyPg(ctx: AppContext, origin: string, data: unknown): Promise<void> {
  const parts = notifications(origin, data);
  const channel = channelOf(ctx.handle.schema);
  if (parts.length === 1) await sql`select pg_notify(${channel}, ${parts[0]!})`.execute(ctx.db);
  else await sql`select pg_notify(${channel}, p) from unnest(cast(${parts} as text[])) with ordinality as t(p, i) order by i`.execute(ctx.db);
}

/** Joins notifications back into events, skipping `origin`'s own. */
export function receiver(origin: string, onEvent: (data: unknown) => void): (payload: string) => void {
  const pending = new Map<string, { parts: string[]; got: number; at: number }>();
  return (payload) => {
    const m = /^([^|]*)\|(\d+)\|(\d+)\|(\d+)\|/.exec(payload);
    if (!m || m[1] === origin) return;
    const [head, from, id, i, n] = m;
    const body = payload.slice(head.length);
    let json = body;
    if (n !== '1') {
      const now = Date.now();
      // parts of an event whose rest never came (a sender that died mid-statement cannot: one statement)
      for (const [k, p] of pending) if (now - p.at > 60_000) pending.delete(k);
      const key = `${from}|${id}`;
      const p = pending.get(key) ?? { parts: new Array<string>(Number(n)), got: 0, at: now };
      pending.set(key, p);
      if (p.parts[Number(i)] === undefined) {
        p.parts[Number(i)] = body;
        p.got++;
      }
      if (p.got < Number(n)) return;
      pending.delete(key);
      json = p.parts.join('');
    }
    let data: unknown;
    try {
      data = JSON.parse(json);
    } catch {
      return;
    }
    onEvent(data);
  };
}

export interface PgListener {
  /** resolves once the first LISTEN is in place (or failed: it keeps trying) */
  ready: Promise<void>;
  /** whether the LISTEN is in place now */
  connected(): boolean;
  close(): Promise<void>;
}

interface Shared {
  count: number;
  listener: PgListener;
}
const shared = new Map<string, Shared>();

/**
 * One LISTEN connection per bus and database in a process (a second server on the same database
 * in the process shares it). After an error or a dropped connection it reconnects (0.5 s, doubling
 * to 30 s); what was published in between is not replayed (the next progress event, or the
 * stream's snapshot when the browser reconnects, brings the state back).
 */
export function listenPg(connectionString: string, schema: string | undefined, origin: string, onEvent: (data: unknown) => void): PgListener {
  const channel = channelOf(schema);
  const key = `${origin}|${connectionString}|${channel}`;
  let s = shared.get(key);
  if (!s) {
    s = { count: 0, listener: openListener(connectionString, channel, receiver(origin, onEvent)) };
    shared.set(key, s);
  }
  const entry = s;
  entry.count++;
  let closed = false;
  return {
    ready: entry.listener.ready,
    connected: () => entry.listener.connected(),
    async close() {
      if (closed) return;
      closed = true;
      if (--entry.count > 0) return;
      shared.delete(key);
      await entry.listener.close();
    },
  };
}

function openListener(connectionString: string, channel: string, receive: (payload: string) => void): PgListener {
  let client: pg.Client | undefined;
  let closed = false;
  let listening = false;
  let timer: NodeJS.Timeout | undefined;
  let delay = 500;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const retry = (c: pg.Client) => {
    if (client !== c) return; // this connection was already given up
    client = undefined;
    listening = false;
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    if (closed) return;
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(delay * 2, 30_000);
  };
  const connect = () => {
    timer = undefined;
    if (closed) return;
    const c = new pg.Client({ connectionString, keepAlive: true });
    client = c;
    c.on('notification', (msg) => {
      if (msg.channel === channel && msg.payload) receive(msg.payload);
    });
    c.on('error', () => retry(c));
    c.on('end', () => retry(c));
    c.connect()
      .then(() => c.query(`LISTEN "${channel.replaceAll('"', '""')}"`))
      .then(
        () => {
          if (client !== c) return;
          listening = true;
          delay = 500;
          markReady();
        },
        () => {
          markReady();
          retry(c);
        },
      );
  };
  connect();
  return {
    ready,
    connected: () => listening,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      listening = false;
      if (c) await c.end().catch(() => undefined);
    },
  };
}
