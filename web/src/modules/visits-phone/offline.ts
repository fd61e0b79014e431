import { useEffect, useState } from 'react';
import { ApiError, get } from '../../shared/api';
import { createOutbox, kvStore, type OutboxItem } from '../../shared/outbox';
import type { Checklist, RecordBody, RecordReply, TodayReply, VisitMeta } from './types';

/**
 * The grid worker's day on the phone (issue 16), offline: today's list with each person's
 * essentials and the checklist are kept in IndexedDB (per user; the list is read again whenever the
 * phone is online), and each recorded visit goes into an outbox with its clientId and is POSTed to
 * /api/visits/record when the network is there — once: a resend after a lost reply is merged by
 * the server. A visit's notes and photo leave the device when the server has answered; its
 * answer (counted or not, and why) is kept 12 hours for the worker's list.
 */
export const visitOutbox = createOutbox<RecordBody, VisitMeta, RecordReply>({ store: 'yy-visits-outbox', url: '/api/visits/record' });
export type VisitItem = OutboxItem<RecordBody, VisitMeta, RecordReply>;

const cache = kvStore('yy-visits');
/** Tests: fresh memory stores for the cache and the outbox. */
export function memoryStoresForTests(): void {
  cache.useMemoryForTests();
  visitOutbox.useMemoryForTests();
}

export interface KeptToday {
  at: string;
  reply: TodayReply;
}

export async function keepToday(userId: number, reply: TodayReply): Promise<KeptToday> {
  const kept = { at: new Date().toISOString(), reply };
  await cache.kv().set(`today:${userId}`, kept);
  return kept;
}
export const keptToday = (userId: number) => cache.kv().get<KeptToday>(`today:${userId}`);

export async function keepFindings(f: Checklist): Promise<void> {
  await cache.kv().set('findings', f);
}
export const keptFindings = () => cache.kv().get<Checklist>('findings');

/** navigator.onLine, following the browser's online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

// one outbox per page load and user, however many pages ask for it
let running: { userId: number; stop: () => void } | null = null;
export function useVisitOutbox(userId: number | undefined): void {
  useEffect(() => {
    if (!userId || running?.userId === userId) return;
    running?.stop();
    running = { userId, stop: visitOutbox.start(userId, (e) => console.warn('visits outbox', e)) };
  }, [userId]);
}

/** The user's visits on the device, re-read on every change. */
export function useVisitItems(userId: number | undefined): VisitItem[] | undefined {
  const [items, setItems] = useState<VisitItem[] | undefined>(undefined);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    const read = () => void visitOutbox.list(userId).then((x) => live && setItems(x));
    read();
    const off = visitOutbox.onChanged(read);
    return () => {
      live = false;
      off();
    };
  }, [userId]);
  return items;
}

/**
 * Today's list: the kept one at once, then the server's when online (kept again). `error` is the
 * server's refusal (not the network's absence: then the kept list is what there is).
 */
export function useToday(
  userId: number | undefined,
  online: boolean,
): { kept: KeptToday | undefined; loading: boolean; error: ApiError | null; refresh: () => void } {
  const [kept, setKept] = useState<KeptToday | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    void keptToday(userId).then((k) => live && k && setKept((now) => now ?? k));
    if (!online) {
      setLoading(false);
      return;
    }
    setLoading(true);
    get<TodayReply>('/api/visits/today')
      .then((reply) => keepToday(userId, reply))
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
  // a visit the server has answered changes the list (the due done, the rate): read again
  useEffect(() => {
    if (!userId) return;
    let sent = -1;
    const off = visitOutbox.onChanged(() => {
      void visitOutbox.list(userId).then((xs) => {
        const n = xs.filter((x) => x.state === 'sent').length;
        if (sent >= 0 && n > sent) setTick((t) => t + 1);
        sent = n;
      });
    });
    void visitOutbox.list(userId).then((xs) => {
      sent = xs.filter((x) => x.state === 'sent').length;
    });
    return off;
  }, [userId]);
  return { kept, loading, error, refresh: () => setTick((t) => t + 1) };
}

/** The checklist: kept at once, read again when online. */
export function useFindings(online: boolean): Checklist | undefined {
  const [f, setF] = useState<Checklist | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void keptFindings().then((k) => live && k && setF((now) => now ?? k));
    if (online)
      get<Checklist>('/api/visits/findings')
        .then(async (n) => {
          await keepFindings(n);
          if (live) setF(n);
        })
        .catch((e: unknown) => console.warn('checklist not read', e));
    return () => {
      live = false;
    };
  }, [online]);
  return f;
}
