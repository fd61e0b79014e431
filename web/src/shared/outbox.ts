import { createStore, del, get as idbGet, keys, set as idbSet } from 'idb-keyval';
import { ApiError, get, post, setCsrfToken, type Session } from './api';

/**
 * What a phone or tablet keeps while the network is away, and sends when it is back (issue 15's
 * assessment form first; issue 16's visits). Three pieces:
 *
 * - a key-value store per feature (IndexedDB through idb-keyval; a memory map where IndexedDB is
 *   missing: tests, private modes);
 * - the helpers every send needs: a clientId (the server merges a resend of the same clientId once),
 *   a time limit on a request (a connection that came back half-way can leave one hanging), and the
 *   CSRF token asked again (a page loaded offline has none);
 * - a generic outbox of one-shot records (`createOutbox`): each record is POSTed whole, once it is
 *   answered it is 'sent' with the server's reply, a refusal is kept with the server's words, and a
 *   record left 'sending' by a reload is sent again (merged by its clientId).
 *
 * The assessment form's drafts (edited many times, versions, conflicts) keep their own queue in
 * modules/assessment-form/offline.ts, built on the helpers here.
 */

export interface Kv {
  get<T>(k: string): Promise<T | undefined>;
  set(k: string, v: unknown): Promise<void>;
  del(k: string): Promise<void>;
  keys(): Promise<string[]>;
}

export function memoryKv(): Kv {
  const m = new Map<string, unknown>();
  return {
    get: async <T>(k: string) => structuredClone(m.get(k)) as T | undefined,
    set: async (k, v) => void m.set(k, structuredClone(v)),
    del: async (k) => void m.delete(k),
    keys: async () => [...m.keys()],
  };
}

/** The store named `dbName` (one IndexedDB database with one object store 'kv'); created on first use. */
export function kvStore(dbName: string): { kv: () => Kv; useMemoryForTests: () => void } {
  let kv: Kv | null = null;
  return {
    kv: () => {
      if (!kv) {
        if (typeof indexedDB === 'undefined') kv = memoryKv();
        else {
          const store = createStore(dbName, 'kv');
          kv = {
            get: <T>(k: string) => idbGet<T>(k, store),
            set: (k, v) => idbSet(k, v, store),
            del: (k) => del(k, store),
            keys: async () => (await keys(store)).map(String),
          };
        }
      }
      return kv;
    },
    useMemoryForTests: () => {
      kv = memoryKv();
    },
  };
}

/** A new client id: crypto.randomUUID where the page is a secure context, else the same v4 form from getRandomValues (plain HTTP on a LAN). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The session's CSRF token may be stale (or absent: a page loaded offline): asked again before sending. */
export async function refreshSession(): Promise<void> {
  const s = await get<Session>('/api/auth/me');
  setCsrfToken(s.csrfToken);
}

/**
 * A request that has not answered in `ms` is treated as the network being away: the next pass
 * sends again, and the server merges the same clientId once, so a send that did arrive is not doubled.
 */
export function inTime<T>(p: Promise<T>, ms = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new ApiError(0, 'TIMEOUT', 'no answer in time')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** POST with the CSRF token asked again once when the server refuses it (a page loaded offline). */
export async function postFresh<R>(url: string, body: unknown, ms = 20_000): Promise<R> {
  try {
    return await inTime(post<R>(url, body), ms);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'CSRF')) throw e;
    await inTime(refreshSession(), ms);
    return inTime(post<R>(url, body), ms);
  }
}

/** waiting: on the device, to be sent · sending · sent: the server answered · refused: the server said no (its words kept) */
export type OutboxState = 'waiting' | 'sending' | 'sent' | 'refused';

export interface OutboxItem<B, M, R> {
  clientId: string;
  userId: number;
  /** what is POSTed; null once sent (the server has it: personal data leaves the device) */
  body: B | null;
  /** what the device shows of it without the body (kept after sending) */
  meta: M;
  state: OutboxState;
  reply: R | null;
  error: { status: number; code: string; message: string } | null;
  savedAt: string;
  sentAt: string | null;
  attempts: number;
}

export interface OutboxOptions<B> {
  /** IndexedDB database name */
  store: string;
  /** where each record is POSTed */
  url: string;
  /** the body's clientId goes with it: the server merges a resend */
  clientIdOf?: (body: B) => string;
  /** how long a sent record stays on the device (its reply shown), ms; default 12 h */
  keepSentMs?: number;
  /** request time limit, ms */
  timeoutMs?: number;
}

export interface Outbox<B, M, R> {
  add(userId: number, clientId: string, body: B, meta: M): Promise<OutboxItem<B, M, R>>;
  get(userId: number, clientId: string): Promise<OutboxItem<B, M, R> | undefined>;
  list(userId: number): Promise<OutboxItem<B, M, R>[]>;
  remove(userId: number, clientId: string): Promise<void>;
  /** sends one record (one send at a time per record); 'offline' when the network is away */
  send(userId: number, clientId: string): Promise<'sent' | 'offline' | 'refused' | 'unchanged'>;
  /** one pass over the user's waiting records: true when nothing was left for lack of a network */
  syncAll(userId: number): Promise<boolean>;
  /** a pass now, on every 'online' event, after every change, and on a backing-off timer; returns stop */
  start(userId: number, onError?: (e: unknown) => void): () => void;
  onChanged(f: () => void): () => void;
  /** tests: a fresh memory store */
  useMemoryForTests(): void;
}

export function createOutbox<B, M, R>(opts: OutboxOptions<B>): Outbox<B, M, R> {
  type Item = OutboxItem<B, M, R>;
  const store = kvStore(opts.store);
  const keyOf = (userId: number, clientId: string) => `out:${userId}:${clientId}`;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((f) => f());
  const inflight = new Map<string, Promise<'sent' | 'offline' | 'refused' | 'unchanged'>>();
  const timeout = opts.timeoutMs ?? 20_000;

  const getItem = (userId: number, clientId: string) => store.kv().get<Item>(keyOf(userId, clientId));
  const patch = async (userId: number, clientId: string, f: (x: Item) => Item) => {
    const x = await getItem(userId, clientId);
    if (!x) return undefined;
    const next = f(x);
    await store.kv().set(keyOf(userId, clientId), next);
    changed();
    return next;
  };
  const list = async (userId: number) => {
    const prefix = `out:${userId}:`;
    const ks = (await store.kv().keys()).filter((k) => k.startsWith(prefix));
    const all = await Promise.all(ks.map((k) => store.kv().get<Item>(k)));
    return all.filter((d): d is Item => !!d).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  };

  async function sendOnce(userId: number, clientId: string): Promise<'sent' | 'offline' | 'refused' | 'unchanged'> {
    const item = await getItem(userId, clientId);
    if (!item || item.body === null || item.state === 'sent' || item.state === 'refused') return 'unchanged';
    await patch(userId, clientId, (x) => ({ ...x, state: 'sending', attempts: x.attempts + 1 }));
    try {
      const reply = await postFresh<R>(opts.url, item.body, timeout);
      await patch(userId, clientId, (x) => ({ ...x, state: 'sent', body: null, reply, error: null, sentAt: new Date().toISOString() }));
      return 'sent';
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) {
        await patch(userId, clientId, (x) => ({ ...x, state: 'waiting' }));
        return 'offline';
      }
      const error =
        e instanceof ApiError
          ? { status: e.status, code: e.code, message: e.message }
          : { status: -1, code: 'CLIENT', message: e instanceof Error ? e.message : String(e) };
      // a session that ended (401), a token refused (CSRF: the page's went stale while it waited), a
      // server too busy (429) or a server error is tried again; the server's "no" to the visit is kept
      if (error.status === 401 || error.code === 'CSRF' || error.status === 429 || error.status >= 500) {
        await patch(userId, clientId, (x) => ({ ...x, state: 'waiting', error }));
        return 'offline';
      }
      await patch(userId, clientId, (x) => ({ ...x, state: 'refused', error }));
      return 'refused';
    }
  }

  const send: Outbox<B, M, R>['send'] = (userId, clientId) => {
    const prev = inflight.get(clientId) ?? Promise.resolve('unchanged' as const);
    const p = prev.catch(() => 'unchanged' as const).then(() => sendOnce(userId, clientId));
    inflight.set(clientId, p);
    void p.finally(() => {
      if (inflight.get(clientId) === p) inflight.delete(clientId);
    });
    return p;
  };

  const syncAll = async (userId: number) => {
    const pending = (await list(userId)).filter((x) => x.state === 'waiting' && x.body !== null).reverse(); // oldest first
    if (pending.length === 0) return true;
    try {
      await inTime(refreshSession(), timeout);
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) return false;
      throw e;
    }
    let ok = true;
    for (const x of pending) if ((await send(userId, x.clientId)) === 'offline') ok = false;
    return ok;
  };

  return {
    async add(userId, clientId, body, meta) {
      const item: Item = {
        clientId,
        userId,
        body,
        meta,
        state: 'waiting',
        reply: null,
        error: null,
        savedAt: new Date().toISOString(),
        sentAt: null,
        attempts: 0,
      };
      await store.kv().set(keyOf(userId, clientId), item);
      changed();
      return item;
    },
    get: getItem,
    list,
    async remove(userId, clientId) {
      await store.kv().del(keyOf(userId, clientId));
      changed();
    },
    send,
    syncAll,
    start(userId, onError) {
      let delay = 30_000;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let running = false;
      let stopped = false;
      let again = false;
      const pass = async () => {
        if (stopped) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        clearTimeout(timer);
        try {
          const done = await syncAll(userId);
          delay = done ? 30_000 : Math.min(delay * 2, 600_000);
        } catch (e) {
          delay = Math.min(delay * 2, 600_000);
          onError?.(e);
        } finally {
          running = false;
          if (!stopped) timer = setTimeout(() => void pass(), again ? 0 : delay);
          again = false;
        }
      };
      const online = () => {
        delay = 30_000;
        void pass();
      };
      window.addEventListener('online', online);
      // a send cut off by a reload left its record 'sending': nothing is in flight on a fresh page;
      // sent records leave the device after keepSentMs
      const before = new Date(Date.now() - (opts.keepSentMs ?? 12 * 3_600_000)).toISOString();
      void list(userId).then((xs) =>
        Promise.all([
          ...xs.filter((x) => x.state === 'sending' && !inflight.has(x.clientId)).map((x) => patch(userId, x.clientId, (y) => ({ ...y, state: 'waiting' }))),
          ...xs.filter((x) => x.state === 'sent' && (x.sentAt ?? '') < before).map((x) => store.kv().del(keyOf(userId, x.clientId))),
        ]).then(() => void pass()),
      );
      const off = (() => {
        const f = () => {
          if (navigator.onLine && !running) {
            clearTimeout(timer);
            timer = setTimeout(() => void pass(), 300);
          }
        };
        listeners.add(f);
        return () => listeners.delete(f);
      })();
      return () => {
        stopped = true;
        clearTimeout(timer);
        window.removeEventListener('online', online);
        off();
      };
    },
    onChanged(f) {
      listeners.add(f);
      return () => listeners.delete(f);
    },
    useMemoryForTests: () => store.useMemoryForTests(),
  };
}
