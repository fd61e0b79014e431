import type { AppContext } from './context.js';
import type { Scope } from './scope.js';

/**
 * Live events (server push, GET /api/events): a module publishes an event with what each viewer
 * may see of it (`for`: the payload for that scope, or null when the viewer may not see it at
 * all); every open stream in this process asks it for its viewer. Run progress now, alarms later.
 * Events reach the streams of the process that publishes them (the process executing the job).
 */
export interface LiveEvent {
  name: string;
  /** the payload this viewer may see, or null */
  for(scope: Scope): unknown;
}

export type LiveSubscriber = (e: LiveEvent) => void;

const subscribers = new Set<LiveSubscriber>();

export function publish(e: LiveEvent): void {
  for (const s of subscribers) {
    try { s(e); } catch { /* one stream's failure never reaches the publisher */ }
  }
}

export function subscribe(s: LiveSubscriber): () => void {
  subscribers.add(s);
  return () => { subscribers.delete(s); };
}

/** Snapshots: the current state a new stream starts from (the running runs), by event name. */
export type SnapshotSource = (ctx: AppContext, scope: Scope) => Promise<LiveEvent[]>;
const snapshots = new Set<SnapshotSource>();

export function addSnapshotSource(s: SnapshotSource): void {
  snapshots.add(s);
}

export async function snapshot(ctx: AppContext, scope: Scope): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  for (const s of snapshots) out.push(...await s(ctx, scope));
  return out;
}

/** One event in the text/event-stream format. */
export function sseFrame(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
