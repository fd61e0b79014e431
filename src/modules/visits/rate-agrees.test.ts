import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { periodBounds, previousPeriod, today } from '../../platform/time.js';
import { demoAccounts, seedDemo } from '../demo/seed.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, loginAs, type Session } from '../../testing/http.js';

/**
 * Issue 16: "The monthly visit rate … one formula, used by the phone, the supervisor's page and the
 * workbench, with a test that they agree." On the demo county (plans, assignments and two weeks of
 * visits made through the phone's path), each viewer's three figures are the same, the regions'
 * rows add up to their total, and the total is what the formula's words give when counted by hand
 * from the dues.
 */
interface Rate {
  due: number;
  done: number;
  percent: number | null;
}

describe.each(dialects)('the monthly visit rate agrees everywhere (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const sessions: Record<string, Session> = {};
  const on = today();
  const month = on.slice(0, 7);
  // early in a month little has fallen due yet: the month before is checked on the page too
  const lastMonth = previousPeriod(month);
  const village1 = demoAccounts().find((a) => a.username === 'grid1')!.regionCode;
  const town1 = demoAccounts().find((a) => a.username === 'town1')!.regionCode;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 1500, seed: 16 });
    app = await buildApp(ctx);
    for (const u of ['admin', 'town1', 'head1', 'grid1']) sessions[u] = await loginAs(app, u);
  }, 300_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const get = async <T>(user: string, url: string): Promise<T> => {
    const res = await call(app, sessions[user]!, { method: 'GET', url });
    expect(res.statusCode, `${user} ${url}: ${res.body}`).toBe(200);
    return res.json<T>();
  };
  const workbenchRate = async (user: string) => (await get<{ visits: { rate: Rate; month: string } }>(user, '/api/workbench')).visits;
  const phoneRate = async (user: string) => (await get<{ rate: Rate | null }>(user, '/api/visits/today')).rate;
  const pageRate = async (user: string, region?: string, m = month) =>
    get<{ total: Rate; rows: (Rate & { regionCode: string })[] }>(user, `/api/visits/rate?month=${m}${region ? `&region=${region}` : ''}`);

  /** The formula in words, counted from the dues themselves. */
  async function byHand(prefix: string, personIds?: Set<number>, m = month): Promise<Rate> {
    const { start, end } = periodBounds(m);
    const upTo = on < end ? on : end;
    const rows = await ctx.db.selectFrom('visit_dues').select(['person_id', 'region_code', 'window_start', 'window_end', 'status', 'done_on']).execute();
    let due = 0;
    let done = 0;
    for (const d of rows) {
      if (!d.region_code.startsWith(prefix) || (personIds && !personIds.has(d.person_id))) continue;
      if (d.status === 'cancelled' || d.window_end < start || d.window_end > end) continue;
      const doneInWindow = d.status === 'done' && d.done_on !== null && d.done_on >= d.window_start && d.done_on <= d.window_end && d.done_on <= upTo;
      if (d.window_end > upTo && !(d.status === 'done' && d.done_on !== null && d.done_on <= upTo)) continue;
      due++;
      if (doneInWindow) done++;
    }
    return { due, done, percent: due ? Math.round((done * 1000) / due) / 10 : null };
  }

  it('the demo has visits due and done, and some not done (the rate can tell them apart); the page of either month is the count by hand', async () => {
    const both = [await byHand('', undefined, lastMonth), await byHand('')];
    const all = both[0]!.due > both[1]!.due ? both[0]! : both[1]!;
    expect(all.due).toBeGreaterThan(50);
    expect(all.done).toBeGreaterThan(0);
    expect(all.done).toBeLessThan(all.due);
    for (const m of [lastMonth, month]) {
      const page = await pageRate('admin', undefined, m);
      expect(page.total, m).toEqual(await byHand('', undefined, m));
      expect(
        page.rows.reduce((s, r) => s + r.done, 0),
        m,
      ).toBe(page.total.done);
    }
  });

  it("a grid worker's phone and workbench show the same rate: their own people's", async () => {
    const grid1 = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'grid1').executeTakeFirstOrThrow()).id;
    const mine = new Set(
      (await ctx.db.selectFrom('visit_assignments').select('person_id').where('worker_id', '=', grid1).where('ended_at', 'is', null).execute()).map(
        (r) => r.person_id,
      ),
    );
    const phone = await phoneRate('grid1');
    const bench = await workbenchRate('grid1');
    expect(bench.month).toBe(month);
    expect(phone).toEqual(bench.rate);
    expect(bench.rate).toEqual(await byHand(village1, mine));
  });

  it("a village head's phone list, workbench and the supervisor's page of the village agree", async () => {
    const bench = await workbenchRate('head1');
    expect(await phoneRate('head1')).toEqual(bench.rate);
    expect((await pageRate('head1')).total).toEqual(bench.rate);
    expect(bench.rate).toEqual(await byHand(village1));
  });

  it("a town's workbench and page agree, and its villages add up to it", async () => {
    const bench = await workbenchRate('town1');
    const page = await pageRate('town1');
    expect(page.total).toEqual(bench.rate);
    expect(page.total).toEqual(await byHand(ctx.regions.get(town1)!.prefix));
    expect(page.rows.reduce((s, r) => s + r.due, 0)).toBe(page.total.due);
    expect(page.rows.reduce((s, r) => s + r.done, 0)).toBe(page.total.done);
  });

  it("the county's page, its towns and the admin's workbench agree", async () => {
    const bench = await workbenchRate('admin');
    const page = await pageRate('admin');
    expect(page.total).toEqual(bench.rate);
    expect(page.total).toEqual(await byHand(ctx.regions.counties()[0]!.prefix));
    expect(page.rows.reduce((s, r) => s + r.due, 0)).toBe(page.total.due);
    // a town's row is that town's own page
    const row = page.rows.find((r) => r.regionCode === town1)!;
    const townPage = await pageRate('admin', town1);
    expect({ due: row.due, done: row.done }).toEqual({ due: townPage.total.due, done: townPage.total.done });
  });
});
