import { ApiError, get, post, type Page } from '../../shared/api';
import { inTime, kvStore, newClientId, refreshSession } from '../../shared/outbox';
import type { AssessmentDraftInput, AssessmentSummary, AssessmentView, SyncReply } from './types';

/**
 * The assessor's own work on the device (issue 15: a whole day of home visits offline). Every change
 * of a form is written to IndexedDB at once; an outbox sends the drafts when the network is there
 * (on 'online', on load, on a timer with backoff). Each assessment has its own clientId, so a send
 * repeated after a lost reply is merged once by the server; an edit names the version it replaces
 * (baseVersion) and a stale one comes back as a conflict that is shown, never overwritten.
 *
 * Kept here: the assessor's drafts (answers, health, signatures: their own work until it reaches the
 * server) and the people they may assess today (name, masked ID, age), per user. Nothing of this is
 * in the service worker's cache. Where IndexedDB is missing (tests, private modes) a memory map.
 */

/** 仅保存在本机 / 正在同步 / 已同步 / 冲突 / 同步失败 (refused by the server for a reason it gave) */
export type SyncState = 'local' | 'syncing' | 'synced' | 'conflict' | 'refused';

export interface LocalDraft {
  clientId: string;
  userId: number;
  draft: AssessmentDraftInput;
  /** the person as the form showed them, for the drafts list offline */
  person: { name: string; idMasked: string; age: number | null };
  state: SyncState;
  /** bumped by every change; `syncedRev` is the one the server holds */
  rev: number;
  syncedRev: number;
  serverId: number | null;
  /** the server's version of the record (what the next edit names as baseVersion) */
  serverVersion: number | null;
  /** submit once synced (the assessor pressed 提交 while offline) */
  submitQueued: boolean;
  submitted: boolean;
  error: string | null;
  savedAt: string;
  syncedAt: string | null;
}

/** A person the assessor may start a form for, kept for offline use. */
export interface CachedPerson {
  id: number;
  name: string;
  idMasked: string;
  age: number | null;
  regionName: string;
  /** why they are on the list: mine (an assessment of theirs), due */
  source: 'mine' | 'due';
  due: string | null;
}

export interface PeopleCache {
  at: string;
  items: CachedPerson[];
  /** the due list could not be read (the route missing or refused) */
  dueMissing: boolean;
}

const kept = kvStore('yy-assessment');
const store = kept.kv;
/** Tests: a fresh memory store. */
export function memoryStoreForTests(): void {
  kept.useMemoryForTests();
}

const draftKey = (userId: number, clientId: string) => `draft:${userId}:${clientId}`;

/** Listeners of any change to the drafts (the drafts list, the form's sync badge). */
const listeners = new Set<() => void>();
export function onDraftsChanged(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
const changed = () => listeners.forEach((f) => f());

export async function loadDraft(userId: number, clientId: string): Promise<LocalDraft | undefined> {
  return store().get<LocalDraft>(draftKey(userId, clientId));
}

export async function listDrafts(userId: number): Promise<LocalDraft[]> {
  const prefix = `draft:${userId}:`;
  const ks = (await store().keys()).filter((k) => k.startsWith(prefix));
  const all = await Promise.all(ks.map((k) => store().get<LocalDraft>(k)));
  return all.filter((d): d is LocalDraft => !!d).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Writes the form's state at once: a new revision, to be sent. */
export async function saveDraft(d: Omit<LocalDraft, 'rev' | 'syncedRev' | 'state' | 'savedAt' | 'syncedAt' | 'error' | 'submitted'>): Promise<LocalDraft> {
  const old = await loadDraft(d.userId, d.clientId);
  const next: LocalDraft = {
    ...d,
    rev: (old?.rev ?? 0) + 1,
    syncedRev: old?.syncedRev ?? 0,
    state: old?.state === 'conflict' ? 'conflict' : 'local',
    serverId: old?.serverId ?? d.serverId,
    serverVersion: old?.serverVersion ?? d.serverVersion,
    submitQueued: d.submitQueued || (old?.submitQueued ?? false),
    submitted: old?.submitted ?? false,
    error: null,
    savedAt: new Date().toISOString(),
    syncedAt: old?.syncedAt ?? null,
  };
  await store().set(draftKey(d.userId, d.clientId), next);
  changed();
  return next;
}

async function patchDraft(userId: number, clientId: string, patch: (d: LocalDraft) => LocalDraft): Promise<LocalDraft | undefined> {
  const d = await loadDraft(userId, clientId);
  if (!d) return undefined;
  const next = patch(d);
  await store().set(draftKey(userId, clientId), next);
  changed();
  return next;
}

/** A draft the assessor no longer needs on the device (synced and submitted, or discarded). */
export async function removeDraft(userId: number, clientId: string): Promise<void> {
  await store().del(draftKey(userId, clientId));
  changed();
}

/** Marks a draft to be submitted once it has reached the server. */
export async function queueSubmit(userId: number, clientId: string): Promise<void> {
  await patchDraft(userId, clientId, (d) => ({ ...d, submitQueued: true }));
}

export async function savePeople(userId: number, people: PeopleCache): Promise<void> {
  await store().set(`people:${userId}`, people);
}
export async function loadPeople(userId: number): Promise<PeopleCache | undefined> {
  return store().get<PeopleCache>(`people:${userId}`);
}

/** The second assessors the form offers, kept for offline use (staff names only). */
export async function saveAssessors(userId: number, rows: { id: number; name: string }[]): Promise<void> {
  await store().set(`assessors:${userId}`, rows);
}
export async function loadAssessors(userId: number): Promise<{ id: number; name: string }[] | undefined> {
  return store().get<{ id: number; name: string }[]>(`assessors:${userId}`);
}

// the helpers every offline send needs are shared with the visits phone (shared/outbox.ts)
export { newClientId, refreshSession };

/** What one pass of the outbox did with one draft. */
export type SendOutcome = 'sent' | 'offline' | 'conflict' | 'refused' | 'unchanged';

// one send at a time per draft: a second caller (the outbox and the 提交 button together) waits and
// then finds nothing left to send
const inflight = new Map<string, Promise<SendOutcome>>();

/** Sends one draft, whole (the server merges the same clientId once), then its queued submit. */
export function sendDraft(userId: number, clientId: string): Promise<SendOutcome> {
  const prev = inflight.get(clientId) ?? Promise.resolve<SendOutcome>('unchanged');
  const p = prev.catch(() => 'unchanged' as const).then(() => sendOnce(userId, clientId));
  inflight.set(clientId, p);
  void p.finally(() => {
    if (inflight.get(clientId) === p) inflight.delete(clientId);
  });
  return p;
}

async function sendOnce(userId: number, clientId: string): Promise<SendOutcome> {
  const d = await loadDraft(userId, clientId);
  if (!d) return 'unchanged';
  if (d.state === 'conflict') return 'conflict';
  const needsSend = d.rev !== d.syncedRev;
  const needsSubmit = d.submitQueued && !d.submitted;
  if (!needsSend && !needsSubmit) return 'unchanged';
  const rev = d.rev;
  await patchDraft(userId, clientId, (x) => ({ ...x, state: 'syncing' }));
  try {
    let view: AssessmentView | null = null;
    if (needsSend) {
      const body = { ...d.draft, baseVersion: d.serverVersion };
      // a page loaded offline has no CSRF token, or a stale one: asked again once, then sent again
      const reply = await inTime(post<SyncReply>('/api/assessments/sync', body)).catch(async (e: unknown) => {
        if (!(e instanceof ApiError && e.code === 'CSRF')) throw e;
        await inTime(refreshSession());
        return inTime(post<SyncReply>('/api/assessments/sync', body));
      });
      view = reply.assessment;
      await patchDraft(userId, clientId, (x) => ({
        ...x,
        serverId: reply.assessment.id,
        serverVersion: reply.assessment.version,
        syncedRev: rev,
        state: x.rev === rev ? 'synced' : 'local',
        syncedAt: new Date().toISOString(),
        error: null,
      }));
    }
    const now = await loadDraft(userId, clientId);
    if (now && now.submitQueued && !now.submitted && now.rev === now.syncedRev && now.serverId !== null) {
      const submitted = await inTime(post<AssessmentView>(`/api/assessments/${now.serverId}/submit`, { version: view?.version ?? now.serverVersion }));
      await patchDraft(userId, clientId, (x) => ({ ...x, submitted: true, serverVersion: submitted?.version ?? x.serverVersion, state: 'synced' }));
    }
    return 'sent';
  } catch (e) {
    if (e instanceof ApiError && e.status === 0) {
      await patchDraft(userId, clientId, (x) => ({ ...x, state: 'local' }));
      return 'offline';
    }
    if (e instanceof ApiError && (e.code === 'ASSESSMENT_STALE' || e.code === 'ASSESSMENT_DUPLICATE_CLIENT')) {
      // a stale edit: the server kept it as a conflict beside the record; shown, never overwritten.
      // The record's id is looked up by clientId when the reply that named it was lost.
      let serverId = d.serverId;
      if (serverId === null) {
        try {
          const mine = await get<Page<AssessmentSummary>>(`/api/assessments?filter=mine&pageSize=200`);
          serverId = mine.items.find((a) => a.clientId === clientId)?.id ?? null;
        } catch {
          /* shown without the link */
        }
      }
      await patchDraft(userId, clientId, (x) => ({ ...x, state: 'conflict', serverId, error: e.message }));
      return 'conflict';
    }
    const message = e instanceof Error ? e.message : String(e);
    await patchDraft(userId, clientId, (x) => ({ ...x, state: 'refused', error: message }));
    return 'refused';
  }
}

/** One pass over the user's drafts: true when nothing was left for lack of a network. */
export async function syncAll(userId: number): Promise<boolean> {
  const drafts = await listDrafts(userId);
  const pending = drafts.filter((d) => d.state !== 'conflict' && (d.rev !== d.syncedRev || (d.submitQueued && !d.submitted)));
  if (pending.length === 0) return true;
  try {
    await inTime(refreshSession());
  } catch (e) {
    if (e instanceof ApiError && e.status === 0) return false;
    throw e;
  }
  let ok = true;
  for (const d of pending) if ((await sendDraft(userId, d.clientId)) === 'offline') ok = false;
  return ok;
}

/**
 * The outbox for a user: a pass now, on every 'online' event, and on a timer that backs off while
 * the network is away (30 s doubling to 10 min). Returns the stop function.
 */
export function startOutbox(userId: number, onError?: (e: unknown) => void): () => void {
  let delay = 30_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let stopped = false;
  let again = false;
  const pass = async () => {
    if (stopped) return;
    // the network came back (or a change was saved) while a pass was running: one more pass after it
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
  // a send cut off by a reload left its draft 'syncing': nothing is in flight on a fresh page; a
  // draft submitted and on the server is the server's now: its answers, health and signatures leave
  // the device when the day's round is over (12 hours after it was sent), not a week later — on the
  // device they are unencrypted, kept only for the assessor's list of the day
  const dayAgo = new Date(Date.now() - 12 * 3_600_000).toISOString();
  void listDrafts(userId).then((ds) =>
    Promise.all([
      ...ds.filter((d) => d.state === 'syncing' && !inflight.has(d.clientId)).map((d) => patchDraft(userId, d.clientId, (x) => ({ ...x, state: 'local' }))),
      ...ds.filter((d) => d.submitted && d.state === 'synced' && (d.syncedAt ?? '') < dayAgo).map((d) => removeDraft(userId, d.clientId)),
    ]),
  );
  const unlisten = onDraftsChanged(() => {
    // a change saved while online goes out at once (debounced by the pass in flight)
    if (navigator.onLine && !running) {
      clearTimeout(timer);
      timer = setTimeout(() => void pass(), 1500);
    }
  });
  void pass();
  return () => {
    stopped = true;
    clearTimeout(timer);
    window.removeEventListener('online', online);
    unlisten();
  };
}

/** Marks a conflicted draft as settled (after the assessor looked at the server's version). */
export async function dismissConflict(userId: number, clientId: string): Promise<void> {
  await removeDraft(userId, clientId);
}
