import { get, type IncomingMessage } from 'node:http';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed.js';

/**
 * A connected console as the browser holds it: logged in over HTTP and reading GET /api/events
 * (Server-Sent Events, as src/events.test.ts reads it), noting when each `alarms.alarm` event
 * arrives. Only the first arrival of each alarm id is kept: that is when the console learns of it
 * (later ones are its escalations and changes).
 */
export interface AlarmEvent {
  id: number;
  state: string;
  kind: string;
  priority: number;
  escalation: number;
  regionCode: string;
  at: string;
}

export async function login(base: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}

export interface ConsoleStream {
  /** first arrival (epoch ms, fractional) of each alarm id */
  firstSeen: Map<number, { ms: number; event: AlarmEvent }>;
  /** every `alarms.alarm` event, in arrival order */
  count(): number;
  close(): void;
}

/** Epoch milliseconds with sub-millisecond resolution, comparable across worker threads. */
export const nowMs = () => performance.timeOrigin + performance.now();

export async function openConsole(base: string, cookie: string): Promise<ConsoleStream> {
  const firstSeen = new Map<number, { ms: number; event: AlarmEvent }>();
  let total = 0;
  let res: IncomingMessage | undefined;
  await new Promise<void>((resolve, reject) => {
    get(`${base}/api/events`, { headers: { cookie, accept: 'text/event-stream' } }, (r) => {
      res = r;
      if (r.statusCode !== 200) {
        reject(new Error(`GET /api/events answered ${r.statusCode}`));
        return;
      }
      let buf = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => {
        const ms = nowMs();
        buf += chunk;
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const name = /^event: (.*)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (name !== 'alarms.alarm' || !data) continue;
          total++;
          const event = JSON.parse(data) as AlarmEvent;
          if (!firstSeen.has(event.id)) firstSeen.set(event.id, { ms, event });
        }
      });
      resolve();
    }).on('error', reject);
  });
  return { firstSeen, count: () => total, close: () => res?.destroy() };
}
