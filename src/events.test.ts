import { writeFileSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { openContext } from './bootstrap.js';
import { openPostgres } from './db/database.js';
import { seedDemo } from './modules/demo/seed.js';
import { startRun } from './modules/entitlements/runs.service.js';
import { makeResidentId } from './modules/register/resident-id.js';
import { applyTuning, runImport } from './modules/register/imports/imports.service.js';
import type { AppContext } from './platform/context.js';
import {
  EventBus,
  flushEvents,
  fromWire,
  processBus,
  publish,
  subscribe,
  toWire,
  withEventContext,
  type LiveEvent,
  type WireEvent,
} from './platform/events.js';
import { channelOf } from './platform/events-pg.js';
import { streamLifetime } from './platform/events.routes.js';
import { nextPeriod, today } from './platform/time.js';
import { cookieHeader, loginAs, type Session } from './testing/http.js';
import { countyScope, createSeededContext, createTestContext, dialects, PG_URL, userScope, type TestContext } from './testing/harness.js';

interface RunEvent {
  id: number;
  period: string;
  status: string;
  progress: number;
  personsDone: number | null;
  personsTotal: number | null;
}
interface ImportEvent {
  id: number;
  source: string;
  status: string;
  progress: number;
  rowsDone: number;
  rowsTotal: number;
}

/** Opens GET /api/events on `base` as `session` and collects its events by name. */
function listen(base: string, session: Session) {
  const events: Array<{ name: string; data: unknown }> = [];
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
          if (name && data) events.push({ name, data: JSON.parse(data) as unknown });
        }
      });
      resolve(r);
    }).on('error', reject);
  });
  return {
    opened,
    close: () => res?.destroy(),
    runs: () => events.filter((e) => e.name === 'run').map((e) => e.data as RunEvent),
    imports: () => events.filter((e) => e.name === 'import').map((e) => e.data as ImportEvent),
    all: events,
  };
}

const until = async (cond: () => boolean, ms = 5000) => {
  for (let t = 0; t < ms && !cond(); t += 20) await new Promise((r) => setTimeout(r, 20));
};

/** A public-security file of `n` new elders in `village`, written to `dir`. */
function elderFile(dir: string, village: string, n: number, from = 1): string {
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `${makeResidentId('990101', '1938-03-04', from + i, 'F')},赵${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(i / 10) % 10]},女,1938-03-04,${village},本地,,正常,`,
  );
  const path = join(dir, `ps-${from}.csv`);
  writeFileSync(path, ['身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期', ...rows].join('\r\n'));
  return path;
}

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

  const listenAs = (session: Session) => listen(base, session);

  it('admin sees the counts, town1 the progress only, provider1 nothing; the last event says finished', async () => {
    const [admin, town1, provider1] = [await loginAs(app, 'admin'), await loginAs(app, 'town1'), await loginAs(app, 'provider1')];
    const streams = [listenAs(admin), listenAs(town1), listenAs(provider1)];
    const opened = await Promise.all(streams.map((s) => s.opened));
    for (const r of opened) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    }
    const { run, done } = await startRun(ctx, countyScope(ctx), nextPeriod(today().slice(0, 7)));
    await done;
    // the last event is published after the run's end has committed
    for (let i = 0; i < 100 && streams[0]!.runs().at(-1)?.status !== 'finished'; i++) await new Promise((r) => setTimeout(r, 20));
    for (const s of streams) s.close();

    const [a, t, p] = streams.map((s) => s.runs().filter((e) => e.id === run.id));
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
      const s = listenAs(admin);
      const res = await s.opened;
      const ended = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5000);
        res.once('end', () => {
          clearTimeout(timer);
          resolve(true);
        });
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

describe('the wire form of an event (what crosses to other processes)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext('sqlite');
  });
  afterAll(async () => ctx?.cleanup());

  it('gives every viewer what the event gives them, and is small', async () => {
    const town = ctx.regions.all().find((r) => r.level === 'town')!;
    const event: LiveEvent = {
      name: 'probe',
      for: (scope) =>
        scope.role === 'provider'
          ? null
          : town.code.startsWith(scope.regionPrefix)
            ? { whole: scope.regionPrefix === ctx.regions.counties()[0]!.prefix, role: scope.role === 'bureau_admin' }
            : scope.regionPrefix.startsWith(town.prefix)
              ? { inTown: true }
              : null,
    };
    const wire = toWire(ctx, event)!;
    // one entry per kind of viewer (role × region level): small, and within one notification (8,000 bytes);
    // a twelfth role (issue 17's caregiver) took it past 2,000
    expect(JSON.stringify(wire).length).toBeLessThan(4000);
    const back = fromWire(JSON.parse(JSON.stringify(wire)) as WireEvent);
    const users = await ctx.db.selectFrom('users').select('username').execute();
    expect(users.length).toBeGreaterThan(3);
    for (const u of users) {
      const scope = await userScope(ctx, u.username);
      expect(back.for(scope), u.username).toEqual(event.for(scope));
    }
    expect(toWire(ctx, { name: 'nobody', for: () => null })).toBeNull();
  });
});

/** The import's progress as live events, in-process on every database. */
describe.each(dialects)('an import publishes its progress on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
  });
  afterAll(async () => ctx?.cleanup());

  it("as 'import' events to viewers who may import in its region: growing progress, then applied", async () => {
    const village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const [admin, town] = [await userScope(ctx, 'admin'), await userScope(ctx, 'town1')];
    const seen: LiveEvent[] = [];
    const off = subscribe((e) => {
      if (e.name === 'import') seen.push(e);
    });
    Object.assign(applyTuning, { batchRows: 5, commitEveryMs: 0 });
    try {
      const imp = await runImport(ctx, countyScope(ctx), { source: 'public_security', path: elderFile(ctx.dir, village, 23), fileName: 'ps.csv' });
      expect(imp.status).toBe('applied');
      const mine = seen.map((e) => e.for(admin) as ImportEvent).filter((d) => d?.id === imp.id);
      // at the start, after each of the 5 commits, at the end
      expect(mine.length).toBeGreaterThanOrEqual(6);
      expect(mine.at(-1)).toEqual({ id: imp.id, source: 'public_security', status: 'applied', progress: 100, rowsDone: 23, rowsTotal: 23 });
      expect(mine.slice(0, -1).every((d) => d.status === 'applying')).toBe(true);
      expect(mine.map((d) => d.rowsDone)).toEqual([...mine.map((d) => d.rowsDone)].sort((x, y) => x - y));
      // a county import is not a town officer's to follow (they may not import)
      expect(seen.every((e) => e.for(town) === null)).toBe(true);
    } finally {
      off();
      Object.assign(applyTuning, { batchRows: 10_000, commitEveryMs: 1500 });
    }
  });
});

/**
 * Two processes on one PostgreSQL database: the server (its app, streams and LISTEN connection)
 * and "the command line", simulated by a second context on its own connection pool with its own
 * bus (its own origin, no streams of the server's). What the second publishes reaches the
 * server's streams through NOTIFY, once.
 */
describe.skipIf(!dialects.includes('postgres'))('live events across processes on PostgreSQL', () => {
  let ctx: TestContext;
  let cli: AppContext;
  const cliBus = new EventBus();
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    // the server names its database in its configuration (DATABASE_URL): that is where it listens
    ctx = await createTestContext('postgres', { runBatchSize: 60, databaseUrl: PG_URL });
    await seedDemo(ctx, { elders: 200, seed: 7 });
    cli = await openContext(ctx.config, openPostgres(PG_URL, ctx.handle.schema));
    app = await buildApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await cli?.handle.close();
    await ctx?.cleanup();
  });

  it("a run started by another process reaches the server's streams, filtered by viewer, each event once", async () => {
    const [admin, town1, provider1] = [await loginAs(app, 'admin'), await loginAs(app, 'town1'), await loginAs(app, 'provider1')];
    const streams = [listen(base, admin), listen(base, town1), listen(base, provider1)];
    await Promise.all(streams.map((s) => s.opened));
    const sent: unknown[] = [];
    const offCli = cliBus.subscribe((e) => {
      if (e.name === 'run') sent.push(e.for(countyScope(cli)));
    });
    const heardHere: LiveEvent[] = [];
    const offHere = subscribe((e) => {
      if (e.name === 'run') heardHere.push(e);
    });
    try {
      const { run, done } = await withEventContext(cli, () => startRun(cli, countyScope(cli), nextPeriod(today().slice(0, 7))), cliBus);
      await done;
      await until(() => streams[0]!.runs().at(-1)?.status === 'finished');
      await new Promise((r) => setTimeout(r, 200));
      for (const s of streams) s.close();

      const [a, t, p] = streams.map((s) => s.runs().filter((e) => e.id === run.id));
      expect(a!.length).toBeGreaterThan(3);
      // every event the other process published, once, in order
      expect(a!.length).toBe(sent.length);
      expect(heardHere.length).toBe(sent.length);
      expect(a!.at(-1)).toMatchObject({ status: 'finished', progress: 100, personsDone: run.persons_total, personsTotal: run.persons_total });
      expect(a!.map((e) => e.progress)).toEqual([...a!.map((e) => e.progress)].sort((x, y) => x - y));
      expect(t!.map((e) => e.progress)).toEqual(a!.map((e) => e.progress));
      expect(t!.every((e) => e.personsDone === null && e.personsTotal === null)).toBe(true);
      expect(p).toEqual([]);
    } finally {
      offCli();
      offHere();
    }
  }, 60_000);

  it('a process ignores its own notifications: an event published in the server reaches a stream once', async () => {
    const raw = new pg.Client({ connectionString: PG_URL });
    await raw.connect();
    const notified: string[] = [];
    raw.on('notification', (m) => {
      if (m.payload) notified.push(m.payload);
    });
    await raw.query(`LISTEN "${channelOf(ctx.handle.schema)}"`);
    const s = listen(base, await loginAs(app, 'admin'));
    try {
      await s.opened;
      const event: LiveEvent = { name: 'run', for: (scope) => (scope.role === 'bureau_admin' ? { id: 9999, status: 'running', progress: 1 } : null) };
      await withEventContext(ctx, async () => {
        publish(event);
        await flushEvents(ctx);
      });
      // it did go out on the database, tagged with this process's origin...
      await until(() => notified.length > 0);
      expect(notified).toHaveLength(1);
      expect(notified[0]!.startsWith(`${processBus.origin}|`)).toBe(true);
      // ...and came back to this process's listener, which left it alone
      await new Promise((r) => setTimeout(r, 300));
      expect(s.runs().filter((e) => e.id === 9999)).toHaveLength(1);
    } finally {
      s.close();
      await raw.end();
    }
  });

  it("an import in another process reaches the server's streams as import events", async () => {
    const village = cli.regions.all().find((r) => r.level === 'village')!.code;
    const s = listen(base, await loginAs(app, 'admin'));
    await s.opened;
    Object.assign(applyTuning, { batchRows: 4, commitEveryMs: 0 });
    try {
      const imp = await withEventContext(
        cli,
        () => runImport(cli, countyScope(cli), { source: 'public_security', path: elderFile(ctx.dir, village, 10, 400), fileName: 'ps.csv' }),
        cliBus,
      );
      await until(() => s.imports().at(-1)?.status === 'applied');
      const mine = s.imports().filter((e) => e.id === imp.id);
      expect(mine.length).toBeGreaterThanOrEqual(4);
      expect(mine.at(-1)).toMatchObject({ status: 'applied', progress: 100, rowsDone: 10, rowsTotal: 10 });
    } finally {
      s.close();
      Object.assign(applyTuning, { batchRows: 10_000, commitEveryMs: 1500 });
    }
  });

  it('an event larger than one notification crosses in parts', async () => {
    const s = listen(base, await loginAs(app, 'admin'));
    try {
      await s.opened;
      const big = '长'.repeat(6000); // 36,000 bytes once escaped: five notifications
      withEventContext(cli, () => publish({ name: 'run', for: () => ({ id: 8888, note: big }) }), cliBus);
      await withEventContext(cli, () => flushEvents(cli), cliBus);
      await until(() => s.all.some((e) => (e.data as { id?: number }).id === 8888));
      expect(s.all.filter((e) => (e.data as { id?: number }).id === 8888)).toEqual([{ name: 'run', data: { id: 8888, note: big } }]);
    } finally {
      s.close();
    }
  });

  it('the listener reconnects after its connection is killed', async () => {
    const s = listen(base, await loginAs(app, 'admin'));
    try {
      await s.opened;
      // end the server's LISTEN session from the database side
      const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity
        where query = ${`LISTEN "${channelOf(ctx.handle.schema)}"`} and pid <> pg_backend_pid()`.execute(ctx.db);
      expect(killed.rows).toEqual([{ ok: true }]);
      let got = false;
      for (let i = 0; i < 100 && !got; i++) {
        withEventContext(cli, () => publish({ name: 'run', for: () => ({ id: 7777 }) }), cliBus);
        await withEventContext(cli, () => flushEvents(cli), cliBus);
        await new Promise((r) => setTimeout(r, 100));
        got = s.runs().some((e) => e.id === 7777);
      }
      expect(got).toBe(true);
    } finally {
      s.close();
    }
  }, 20_000);
});
