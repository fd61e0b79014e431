import { useEffect, useState } from 'react';
import { ApiError, get } from '../../shared/api';
import { inTime, kvStore, postFresh, refreshSession, type OutboxItem } from '../../shared/outbox';
import { shanghaiToday } from '../../shared/format';
import type { CheckInBody, CheckOutBody, MyOrdersReply, OrderDetail, PhotoBody, RateBody, StepReply } from './types';

export { useOnline } from '../visits-phone/offline';

/**
 * The caregiver's day on the phone (issue 17), offline. Today's orders (with the tasks' names) are
 * kept in IndexedDB (per user; read again whenever the phone is online). Each step of an order —
 * check-in, photo, check-out, the elder's rating — is kept as one record with its clientId and POSTed
 * to /api/services/orders/:id/<step> when the network is there; a resend after a lost reply is merged
 * by the server.
 *
 * The records are the shared outbox's (web/src/shared/outbox.ts: OutboxItem, its states, postFresh,
 * the CSRF token asked again, the time limit) but not its createOutbox: that one POSTs every record
 * to one fixed URL and sends records independently, while an order's steps go to the order's own
 * URLs and depend on each other — a check-out waiting behind its check-in is not sent before it.
 * (With a `urlOf(body)` option in createOutbox this file would keep only the ordering rule.)
 */
export type StepKind = 'check-in' | 'photo' | 'check-out' | 'rate';
export type StepBody = CheckInBody | CheckOutBody | PhotoBody | RateBody;
export interface StepMeta {
  orderId: number;
  kind: StepKind;
  personName: string;
  /** when the caregiver did it (device clock) */
  at: string;
  /** a rating's stars, shown once its body has left the device */
  rating?: number;
}
export type StepItem = OutboxItem<StepBody, StepMeta, StepReply>;

export const stepUrl = (m: Pick<StepMeta, 'orderId' | 'kind'>) => `/api/services/orders/${m.orderId}/${m.kind}`;

const outboxStore = kvStore('yy-services-outbox');
const cache = kvStore('yy-services');
const keyOf = (userId: number, clientId: string) => `out:${userId}:${clientId}`;
const KEEP_SENT_MS = 12 * 3_600_000;

/** Tests: fresh memory stores. */
export function memoryStoresForTests(): void {
  outboxStore.useMemoryForTests();
  cache.useMemoryForTests();
}

const listeners = new Set<() => void>();
const changed = () => listeners.forEach((f) => f());
export function onStepsChanged(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** The user's steps on the device, oldest first. */
export async function listSteps(userId: number): Promise<StepItem[]> {
  const prefix = `out:${userId}:`;
  const ks = (await outboxStore.kv().keys()).filter((k) => k.startsWith(prefix));
  const all = await Promise.all(ks.map((k) => outboxStore.kv().get<StepItem>(k)));
  return all.filter((x): x is StepItem => !!x).sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

async function patch(userId: number, clientId: string, f: (x: StepItem) => StepItem): Promise<void> {
  const x = await outboxStore.kv().get<StepItem>(keyOf(userId, clientId));
  if (!x) return;
  await outboxStore.kv().set(keyOf(userId, clientId), f(x));
  changed();
}

export async function addStep(userId: number, clientId: string, body: StepBody, meta: StepMeta): Promise<StepItem> {
  const item: StepItem = {
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
  await outboxStore.kv().set(keyOf(userId, clientId), item);
  changed();
  return item;
}

export async function removeStep(userId: number, clientId: string): Promise<void> {
  await outboxStore.kv().del(keyOf(userId, clientId));
  changed();
}

async function sendStep(item: StepItem): Promise<'sent' | 'offline' | 'refused'> {
  await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'sending', attempts: x.attempts + 1 }));
  try {
    const reply = await postFresh<StepReply>(stepUrl(item.meta), item.body);
    await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'sent', body: null, reply, error: null, sentAt: new Date().toISOString() }));
    return 'sent';
  } catch (e) {
    if (e instanceof ApiError && e.status === 0) {
      await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'waiting' }));
      return 'offline';
    }
    const error =
      e instanceof ApiError
        ? { status: e.status, code: e.code, message: e.message }
        : { status: -1, code: 'CLIENT', message: e instanceof Error ? e.message : String(e) };
    // a session that ended (401) or a server error is tried again; the server's "no" is kept
    if (error.status === 401 || error.status >= 500) {
      await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'waiting', error }));
      return 'offline';
    }
    const landed = await rateLanded(item, error.code);
    if (landed) {
      await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'sent', body: null, reply: landed, error: null, sentAt: new Date().toISOString() }));
      return 'sent';
    }
    await patch(item.userId, item.clientId, (x) => ({ ...x, state: 'refused', error }));
    return 'refused';
  }
}

/**
 * The rating carries no clientId (the server rates an order once): sent again after a lost answer,
 * it is refused as not rateable. When the order stands rated with the same stars, the first send
 * arrived: the step is sent, not refused.
 */
async function rateLanded(item: StepItem, code: string): Promise<OrderDetail | null> {
  if (item.meta.kind !== 'rate' || code !== 'SERVICE_ORDER_NOT_RATEABLE' || item.attempts < 1) return null;
  try {
    const order = await inTime(get<OrderDetail>(`/api/services/my/orders/${item.meta.orderId}`));
    return order.status === 'rated' && order.rating === item.meta.rating ? order : null;
  } catch {
    return null;
  }
}

let passing: Promise<boolean> | null = null;
/**
 * One pass over the user's waiting steps, oldest first; an order whose step could not be sent (no
 * network) sends none of its later steps in this pass. True when nothing was left for lack of a network.
 */
export function syncSteps(userId: number): Promise<boolean> {
  // one pass at a time: a second caller waits for the running one and then passes again
  const run = async () => {
    const pending = (await listSteps(userId)).filter((x) => x.state === 'waiting' && x.body !== null);
    if (pending.length === 0) return true;
    try {
      await inTime(refreshSession());
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) return false;
      throw e;
    }
    const held = new Set<number>();
    for (const x of pending) {
      if (held.has(x.meta.orderId)) continue;
      if ((await sendStep(x)) === 'offline') held.add(x.meta.orderId);
    }
    return held.size === 0;
  };
  const p = (passing ?? Promise.resolve(true)).catch(() => true).then(run);
  passing = p;
  void p.finally(() => {
    if (passing === p) passing = null;
  });
  return p;
}

/** Passes now, on every 'online' event, after every change while online, and every 30 s (longer while the network stays away); returns stop. */
export function startSteps(userId: number, onError?: (e: unknown) => void): () => void {
  let delay = 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const pass = () => {
    clearTimeout(timer);
    if (stopped) return;
    syncSteps(userId)
      .then((done) => {
        delay = done ? 30_000 : Math.min(delay * 2, 600_000);
      })
      .catch((e: unknown) => {
        delay = Math.min(delay * 2, 600_000);
        onError?.(e);
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(pass, delay);
      });
  };
  const online = () => {
    delay = 30_000;
    pass();
  };
  window.addEventListener('online', online);
  const off = onStepsChanged(() => {
    if (navigator.onLine && !passing) {
      clearTimeout(timer);
      timer = setTimeout(pass, 300);
    }
  });
  // a send cut off by a reload left its record 'sending'; sent records leave the device after 12 hours
  const before = new Date(Date.now() - KEEP_SENT_MS).toISOString();
  void listSteps(userId)
    .then((xs) =>
      Promise.all([
        ...xs.filter((x) => x.state === 'sending').map((x) => patch(userId, x.clientId, (y) => ({ ...y, state: 'waiting' }))),
        ...xs.filter((x) => x.state === 'sent' && (x.sentAt ?? '') < before).map((x) => removeStep(userId, x.clientId)),
      ]),
    )
    .then(pass);
  return () => {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('online', online);
    off();
  };
}

// one sender per page load and user, however many pages ask for it
let running: { userId: number; stop: () => void } | null = null;
export function useStepSender(userId: number | undefined): void {
  useEffect(() => {
    if (!userId || running?.userId === userId) return;
    running?.stop();
    running = { userId, stop: startSteps(userId, (e) => console.warn('services outbox', e)) };
  }, [userId]);
}

/** The user's steps on the device, re-read on every change. */
export function useSteps(userId: number | undefined): StepItem[] | undefined {
  const [items, setItems] = useState<StepItem[] | undefined>(undefined);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    const read = () => void listSteps(userId).then((x) => live && setItems(x));
    read();
    const off = onStepsChanged(read);
    return () => {
      live = false;
      off();
    };
  }, [userId]);
  return items;
}

export interface KeptDay {
  at: string;
  reply: MyOrdersReply;
}
export async function keepDay(userId: number, reply: MyOrdersReply): Promise<KeptDay> {
  const kept = { at: new Date().toISOString(), reply };
  await cache.kv().set(`day:${userId}`, kept);
  return kept;
}
export const keptDay = (userId: number) => cache.kv().get<KeptDay>(`day:${userId}`);
/**
 * Today's orders: the kept list at once, then the server's when online (kept again), and again when
 * one of the user's steps has been answered. `error` is the server's refusal, not the network's absence.
 */
export function useMyDay(
  userId: number | undefined,
  online: boolean,
): { kept: KeptDay | undefined; loading: boolean; error: ApiError | null; refresh: () => void } {
  const [kept, setKept] = useState<KeptDay | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    void keptDay(userId).then((k) => live && k && setKept((now) => now ?? k));
    if (!online) {
      setLoading(false);
      return;
    }
    setLoading(true);
    get<MyOrdersReply>(`/api/services/my/orders?date=${shanghaiToday()}`)
      .then((reply) => keepDay(userId, reply))
      .then((k) => {
        if (!live) return;
        setKept(k);
        setError(null);
      })
      .catch((e: unknown) => {
        if (live && e instanceof ApiError && e.status !== 0) setError(e);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [userId, online, tick]);
  useEffect(() => {
    if (!userId) return;
    let sent = -1;
    const count = (xs: StepItem[]) => xs.filter((x) => x.state === 'sent').length;
    void listSteps(userId).then((xs) => (sent = count(xs)));
    return onStepsChanged(() => {
      void listSteps(userId).then((xs) => {
        const n = count(xs);
        if (sent >= 0 && n > sent) setTick((t) => t + 1);
        sent = n;
      });
    });
  }, [userId]);
  return { kept, loading, error, refresh: () => setTick((t) => t + 1) };
}
