import { useEffect, useState } from 'react';
import { ApiError, get, qs, type Page } from '../../shared/api';
import type { DueReply } from '../../../../src/modules/assessment/schedule.schema';
import { listDrafts, loadPeople, onDraftsChanged, savePeople, startOutbox, type CachedPerson, type LocalDraft, type PeopleCache } from './offline';
import type { AssessmentSummary } from './types';

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
let outbox: { userId: number; stop: () => void } | null = null;
/** Keeps the user's outbox running (their drafts are sent whenever the network is there). */
export function useOutbox(userId: number | undefined): void {
  useEffect(() => {
    if (!userId) return;
    if (outbox?.userId === userId) return;
    outbox?.stop();
    outbox = { userId, stop: startOutbox(userId, (e) => console.warn('outbox', e)) };
  }, [userId]);
}

/** The user's drafts on this device, re-read on every change. */
export function useLocalDrafts(userId: number | undefined): LocalDraft[] | undefined {
  const [drafts, setDrafts] = useState<LocalDraft[] | undefined>(undefined);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    const read = () => void listDrafts(userId).then((d) => live && setDrafts(d));
    read();
    const off = onDraftsChanged(read);
    return () => {
      live = false;
      off();
    };
  }, [userId]);
  return drafts;
}

/**
 * The people the assessor may start a form for, kept on the device: the people of their own
 * assessments (GET /api/assessments?filter=mine) and their due list (GET /api/assessments/due with
 * their id as assessor). Read again when online; the kept list otherwise.
 */
export async function refreshPeople(userId: number): Promise<PeopleCache> {
  const byId = new Map<number, CachedPerson>();
  const mine = await get<Page<AssessmentSummary>>(`/api/assessments${qs({ filter: 'mine', pageSize: 200 })}`);
  for (const a of mine.items)
    byId.set(a.personId, { id: a.personId, name: a.personName, idMasked: a.idMasked, age: null, regionName: a.regionName, source: 'mine', due: null });
  let dueMissing = false;
  try {
    const due = await get<DueReply>(`/api/assessments/due${qs({ assessorId: userId, pageSize: 200 })}`);
    for (const r of due.items)
      byId.set(r.personId, { id: r.personId, name: r.name, idMasked: r.idMasked, age: r.age, regionName: r.regionName, source: 'due', due: r.dueDate });
  } catch (e) {
    if (!(e instanceof ApiError) || e.status === 0) throw e;
    dueMissing = true; // the due list is not there (yet) or not for this role
  }
  const cache: PeopleCache = { at: new Date().toISOString(), items: [...byId.values()], dueMissing };
  await savePeople(userId, cache);
  return cache;
}

/** The kept list at once, then a fresh one when online. */
export function usePeople(userId: number | undefined, online: boolean): { people: PeopleCache | undefined; refresh: () => void } {
  const [people, setPeople] = useState<PeopleCache | undefined>(undefined);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!userId) return;
    let live = true;
    void loadPeople(userId).then((p) => live && p && setPeople((now) => now ?? p));
    if (online)
      refreshPeople(userId)
        .then((p) => live && setPeople(p))
        .catch((e: unknown) => console.warn('people not refreshed', e));
    return () => {
      live = false;
    };
  }, [userId, online, tick]);
  return { people, refresh: () => setTick((n) => n + 1) };
}
