import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { seedDemo } from './modules/demo/seed.js';
import { startRun } from './modules/entitlements/runs.service.js';
import { streamLifetime } from './platform/events.routes.js';
import { nextPeriod, today } from './platform/time.js';
import { cookieHeader, loginAs, type Session } from './testing/http.js';
import { countyScope, createTestContext, type TestContext } from './testing/harness.js';

interface RunEvent { id: number; period: string; status: string; progress: number; personsDone: number | null; personsTotal: number | null }

/**
 * The live channel over a real socket: a run's progress reaches each open stream as its batches
 * commit, with the counts only for viewers of the whole jurisdiction, and nothing for a role that
 * may not read runs.
 */
describe('GET /api/events carries run progress, filtered by the viewer', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ctx = await createTestContext('sqlite', { runBatchSize: 60 });
    await seedDemo(ctx, { elders: 400, seed: 5 });
    app = await buildApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  /** Opens the stream as `session` and collects its `run` events until `until` holds of one. */
  function listen(session: Session) {
    const events: RunEvent[] = [];
    let res: IncomingMessage | undefined;
    const opened = new Promise<IncomingMessage>((resolve, reject) => {
      get(`${base}/api/events`, { headers: { cookie: cookieHeader(session.cookies), accept: 'text/event-stream' } }, (r) => {
        res = r;
        let buf = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => {
          buf += chunk;
          let end;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, end);
            buf = buf.slice(end + 2);
            const name = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (name === 'run' && data) events.push(JSON.parse(data) as RunEvent);
          }
        });
        resolve(r);
      }).on('error', reject);
    });
    return { events, opened, close: () => res?.destroy() };
  }

  it('admin sees the counts, town1 the progress only, provider1 nothing; the last event says finished', async () => {
    const [admin, town1, provider1] = [await loginAs(app, 'admin'), await loginAs(app, 'town1'), await loginAs(app, 'provider1')];
    const streams = [listen(admin), listen(town1), listen(provider1)];
    const opened = await Promise.all(streams.map((s) => s.opened));
    for (const r of opened) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    }
    const { run, done } = await startRun(ctx, countyScope(ctx), nextPeriod(today().slice(0, 7)));
    await done;
    // the last event is published after the run's end has committed
    for (let i = 0; i < 100 && streams[0]!.events.at(-1)?.status !== 'finished'; i++) await new Promise((r) => setTimeout(r, 20));
    for (const s of streams) s.close();

    const [a, t, p] = streams.map((s) => s.events.filter((e) => e.id === run.id));
    expect(a!.length).toBeGreaterThan(3);
    expect(a!.at(-1)).toMatchObject({ status: 'finished', progress: 100, personsDone: run.persons_total, personsTotal: run.persons_total });
    expect(a!.slice(0, -1).every((e) => e.status === 'running')).toBe(true);
    // progress only grows
    expect(a!.map((e) => e.progress)).toEqual([...a!.map((e) => e.progress)].sort((x, y) => x - y));
    expect(t!.map((e) => e.progress)).toEqual(a!.map((e) => e.progress));
    expect(t!.every((e) => e.personsDone === null && e.personsTotal === null)).toBe(true);
    expect(p).toEqual([]);
  }, 60_000);

  it('a stream ends after its lifetime (the browser reconnects through the access check)', async () => {
    const admin = await loginAs(app, 'admin');
    const was = streamLifetime.ms;
    streamLifetime.ms = 150;
    try {
      const s = listen(admin);
      const res = await s.opened;
      const ended = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5000);
        res.once('end', () => { clearTimeout(timer); resolve(true); });
        res.resume();
      });
      expect(ended).toBe(true);
    } finally {
      streamLifetime.ms = was;
    }
  });

  it('anonymous callers are refused; ?snapshot=true answers the running runs and ends', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/events?snapshot=true' })).statusCode).toBe(401);
    const admin = await loginAs(app, 'admin');
    await ctx.db.updateTable('entitlement_runs').set({ status: 'running' }).where('id', '=', 1).execute();
    try {
      const res = await app.inject({ method: 'GET', url: '/api/events?snapshot=true', headers: { cookie: cookieHeader(admin.cookies) } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/^retry: 3000\n\nevent: run\ndata: \{"id":1,/);
    } finally {
      await ctx.db.updateTable('entitlement_runs').set({ status: 'finished' }).where('id', '=', 1).execute();
    }
  });
});
