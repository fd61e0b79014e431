import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DbHandle } from '../db/database.js';
import type { AppContext } from './context.js';
import { listenPg, notifyPg, type PgListener } from './events-pg.js';
import { roles } from './policy.js';
import { roleScope, type Scope } from './scope.js';

/**
 * Live events (server push, GET /api/events): a module publishes an event with what each viewer
 * may see of it (`for`: the payload for that scope, or null when the viewer may not see it at
 * all); every open stream asks it for its viewer. Run and import progress now, alarms later.
 *
 * Publishing is one call (`publish(e)`) wherever the work runs; the bus decides where it goes:
 * - always to the streams of this process;
 * - on PostgreSQL also to every other process on the same database (NOTIFY, events-pg.ts): a run
 *   started from the command line reaches the browsers connected to the server. The event crosses
 *   as data, rendered here for every kind of viewer (role x region, which is all a Scope filters
 *   on), and each notification carries this process's origin so that a process ignores its own.
 *   The database an event goes to is that of the work publishing it: the job runner
 *   (platform/jobs.ts) runs every job inside `withEventContext(ctx)`.
 * - on SQLite, in-process delivery is enough: only one process writes at a time (the server holds
 *   the lock file, platform/db-lock.ts, and the command line's writing commands refuse meanwhile),
 *   so the process doing the work is the one serving the streams.
 */
export interface LiveEvent {
  name: string;
  /** the payload this viewer may see, or null */
  for(scope: Scope): unknown;
}

export type LiveSubscriber = (e: LiveEvent) => void;

/**
 * An event as it crosses processes: `v` the distinct payloads, `r` per role the index of the
 * payload most regions see and the exceptions by region prefix (-1: nothing).
 */
export interface WireEvent {
  n: string;
  v: unknown[];
  r: Record<string, number | [number, Record<string, number>]>;
}

// Sends run outside the publisher's async context: an event published from inside a transaction's
// callback must not look like a query on the root handle inside that transaction (db/guard.ts).
const outside = AsyncLocalStorage.snapshot();

export class EventBus {
  /** Tags what this bus sends to other processes, so that it ignores its own notifications. */
  readonly origin = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly subscribers = new Set<LiveSubscriber>();
  /** per database: the sends not yet done, one after another (events arrive in the order published) */
  private readonly sending = new WeakMap<DbHandle, Promise<void>>();

  /** To the streams of this process, and to the other processes on `ctx`'s database if it has a sender. */
  publish(e: LiveEvent, ctx?: AppContext): void {
    this.deliver(e);
    // SQLite: in-process delivery is enough (one writing process, see above)
    if (!ctx || ctx.dialect !== 'postgres') return;
    let wire: WireEvent | null;
    try {
      wire = toWire(ctx, e);
    } catch {
      return; // an event that cannot be rendered stays in this process
    }
    if (!wire) return; // nobody may see it
    const before = this.sending.get(ctx.handle) ?? Promise.resolve();
    const next = before
      .then(() => outside(() => notifyPg(ctx, this.origin, wire)))
      .catch(() => {
        /* a lost notification never reaches the publisher */
      });
    this.sending.set(ctx.handle, next);
  }

  /** To the streams of this process only (what arrives from other processes). */
  deliver(e: LiveEvent): void {
    for (const s of this.subscribers) {
      try {
        s(e);
      } catch {
        /* one stream's failure never reaches the publisher */
      }
    }
  }

  subscribe(s: LiveSubscriber): () => void {
    this.subscribers.add(s);
    return () => {
      this.subscribers.delete(s);
    };
  }

  /** Resolves when everything published so far for `ctx`'s database has been sent. */
  async flush(ctx: AppContext): Promise<void> {
    await this.sending.get(ctx.handle);
  }

  /**
   * Hears the events other processes publish on `ctx`'s database and delivers them to this bus's
   * streams (PostgreSQL: one dedicated LISTEN connection, reconnecting after an error; nothing to
   * do on SQLite). Its own notifications it ignores: they were delivered here when published.
   * `connectionString`: the database's, when the configuration does not name it (tests).
   */
  listen(ctx: AppContext, connectionString?: string): PgListener | undefined {
    if (ctx.dialect !== 'postgres') return undefined;
    const url = connectionString ?? ctx.config.databaseUrl;
    if (!url) return undefined;
    return listenPg(url, ctx.handle.schema, this.origin, (w) => {
      if (isWire(w)) this.deliver(fromWire(w));
    });
  }
}

/** The bus of this process: its streams subscribe here. */
export const processBus = new EventBus();

interface Ambient {
  ctx?: AppContext;
  bus?: EventBus;
}
const ambient = new AsyncLocalStorage<Ambient>();

/**
 * Runs `fn` with `ctx` as the database its events go to (the job runner wraps every job in it).
 * `bus`: another bus than the process's (tests simulating a second process); an inner call without
 * one keeps the outer call's.
 */
export function withEventContext<T>(ctx: AppContext, fn: () => T, bus?: EventBus): T {
  return ambient.run({ ctx, bus: bus ?? ambient.getStore()?.bus }, fn);
}

/** Publishes an event: to this process's streams, and on PostgreSQL to the other processes' (see above). */
export function publish(e: LiveEvent): void {
  const a = ambient.getStore();
  (a?.bus ?? processBus).publish(e, a?.ctx);
}

export function subscribe(s: LiveSubscriber): () => void {
  return processBus.subscribe(s);
}

/** Resolves when the events published so far in work on `ctx` have left for the other processes. */
export function flushEvents(ctx: AppContext): Promise<void> {
  return (ambient.getStore()?.bus ?? processBus).flush(ctx);
}

/**
 * The event rendered for every kind of viewer: each role at each region of the tree (a stream's
 * Scope is a role over a region's subtree). Null when no viewer may see it. Events whose payload
 * depends on who the viewer is beyond role and region (none today) would need their own wire form.
 */
export function toWire(ctx: AppContext, e: LiveEvent): WireEvent | null {
  const regions = ctx.regions.all();
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const r: WireEvent['r'] = {};
  let visible = false;
  for (const role of roles) {
    const per: number[] = [];
    const counts = new Map<number, number>();
    for (const region of regions) {
      const data = e.for(roleScope(role, region.code, region.prefix));
      let i = -1;
      if (data !== null && data !== undefined) {
        const key = JSON.stringify(data);
        i = index.get(key) ?? -1;
        if (i < 0) {
          i = values.length;
          values.push(data);
          index.set(key, i);
        }
        visible = true;
      }
      per.push(i);
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    let common = -1;
    let most = -1;
    for (const [i, n] of counts)
      if (n > most) {
        common = i;
        most = n;
      }
    const except: Record<string, number> = {};
    let any = false;
    per.forEach((i, k) => {
      if (i !== common) {
        except[regions[k]!.prefix] = i;
        any = true;
      }
    });
    r[role] = any ? [common, except] : common;
  }
  return visible ? { n: e.name, v: values, r } : null;
}

function isWire(w: unknown): w is WireEvent {
  const o = w as Partial<WireEvent> | null;
  return typeof o === 'object' && o !== null && typeof o.n === 'string' && Array.isArray(o.v) && typeof o.r === 'object' && o.r !== null;
}

/** The event a wire form describes: each viewer gets the payload of its role and region. */
export function fromWire(w: WireEvent): LiveEvent {
  return {
    name: w.n,
    for(scope) {
      const rule = w.r[scope.role];
      if (rule === undefined) return null;
      const i = typeof rule === 'number' ? rule : (rule[1][scope.regionPrefix] ?? rule[0]);
      return i >= 0 ? (w.v[i] ?? null) : null;
    },
  };
}

/** Snapshots: the current state a new stream starts from (the running runs), by event name. */
export type SnapshotSource = (ctx: AppContext, scope: Scope) => Promise<LiveEvent[]>;
const snapshots = new Set<SnapshotSource>();

export function addSnapshotSource(s: SnapshotSource): void {
  snapshots.add(s);
}

export async function snapshot(ctx: AppContext, scope: Scope): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  for (const s of snapshots) out.push(...(await s(ctx, scope)));
  return out;
}

/** One event in the text/event-stream format. */
export function sseFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
