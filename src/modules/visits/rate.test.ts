import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { rateOfRegion } from './plans.js';
import type { RateReply } from './plans.schema.js';
import { ratePercent, visitRate, visitRateByRegion } from './rate.js';

describe('rate percent (pure)', () => {
  it('is done / due in per cent with one decimal, null when nothing was due', () => {
    expect(ratePercent(0, 0)).toBeNull();
    expect(ratePercent(1, 3)).toBe(33.3);
    expect(ratePercent(2, 3)).toBe(66.7);
    expect(ratePercent(3, 3)).toBe(100);
  });
});

describe.each(dialects)('the monthly visit rate on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let county: Scope;
  let town1: Scope;
  let v1: string;
  let v1b: string;
  let v2: string;
  let person = 0;

  async function due(region: string, windowStart: string, windowEnd: string, status: string, doneOn: string | null = null) {
    await ctx.db
      .insertInto('visit_dues')
      .values({
        member_id: 1,
        person_id: ++person,
        region_code: region,
        plan_key: 'weekly_high_risk',
        window_start: windowStart,
        window_end: windowEnd,
        due_date: windowEnd,
        high_risk: 1,
        status,
        event_id: status === 'done' ? person : null,
        done_on: doneOn,
        created_at: nowIso(),
      })
      .execute();
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    county = countyScope(ctx);
    town1 = await userScope(ctx, 'town1');
    const villages = ctx.regions.all().filter((r) => r.level === 'village');
    const mine = villages.filter((v) => v.code.startsWith(town1.regionPrefix));
    v1 = mine[0]!.code;
    v1b = mine.at(-1)!.code;
    v2 = villages.find((v) => !v.code.startsWith(town1.regionPrefix))!.code;
    // March 2026, as of the 20th
    await due(v1, '2026-03-02', '2026-03-08', 'done', '2026-03-05'); // counted: due, done
    await due(v1, '2026-03-09', '2026-03-15', 'missed'); // due, not done
    await due(v1, '2026-03-09', '2026-03-15', 'open'); // window ended, not yet marked: due, not done
    await due(v1b, '2026-03-16', '2026-03-22', 'open'); // window not ended by the 20th: not yet due
    await due(v1b, '2026-03-16', '2026-03-22', 'done', '2026-03-18'); // done early in an open window: due and done
    await due(v1b, '2026-03-16', '2026-03-22', 'done', '2026-03-21'); // done after the day the rate is as of: not yet counted
    await due(v2, '2026-03-01', '2026-03-31', 'done', '2026-03-10'); // monthly, done: due and done
    await due(v2, '2026-03-02', '2026-03-08', 'done', '2026-02-27'); // a visit outside its window does not count
    await due(v2, '2026-03-02', '2026-03-08', 'cancelled'); // left the plan: never due
    await due(v2, '2026-02-23', '2026-03-01', 'missed'); // a week ending in March counts in March
    await due(v2, '2026-02-16', '2026-02-22', 'done', '2026-02-20'); // February's
    await due(v2, '2026-03-30', '2026-04-05', 'done', '2026-03-31'); // ends in April: April's
    app = await buildApp(ctx, { serveWeb: false });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('counts dues whose window ended in the month by the day, and those done already; done only inside the window', async () => {
    const r = await visitRate(ctx.db, county, '2026-03', '2026-03-20');
    // due: done 03-05, missed, open-ended, done 03-18, monthly done, outside-window done, Feb-Mar week missed
    expect(r).toEqual({ due: 7, done: 3, percent: 42.9 });
    // the month's end: every window ending in March is due
    const end = await visitRate(ctx.db, county, '2026-03', '2026-04-02');
    expect(end).toEqual({ due: 9, done: 4, percent: 44.4 });
    expect(await visitRate(ctx.db, county, '2026-04', '2026-03-20')).toEqual({ due: 0, done: 0, percent: null });
    expect(await visitRate(ctx.db, county, '2026-02', '2026-03-20')).toEqual({ due: 1, done: 1, percent: 100 });
  });

  it("is scoped: the viewer's region and a region of it", async () => {
    expect(await visitRate(ctx.db, town1, '2026-03', '2026-03-20')).toEqual({ due: 4, done: 2, percent: 50 });
    const v = ctx.regions.get(v1b)!;
    expect(await visitRate(ctx.db, county, '2026-03', '2026-03-20', { regionPrefix: v.prefix })).toEqual({ due: 1, done: 1, percent: 100 });
  });

  it('per-region rows add up to the total', async () => {
    const byRegion = await visitRateByRegion(ctx.db, county, '2026-03', '2026-03-20');
    const sum = [...byRegion.values()].reduce((a, c) => ({ due: a.due + c.due, done: a.done + c.done }), { due: 0, done: 0 });
    expect(sum).toEqual({ due: 7, done: 3 });
    // the route's rows (child regions of the viewer's) as of today
    const r = await rateOfRegion(ctx, county, { month: '2026-03' });
    const total = r.rows.reduce((a, c) => ({ due: a.due + c.due, done: a.done + c.done }), { due: 0, done: 0 });
    expect(total).toEqual({ due: r.total.due, done: r.total.done });
    expect(r.total.due).toBeGreaterThan(0);
    const t = await rateOfRegion(ctx, town1, { month: '2026-03' });
    expect(t.rows.every((row) => row.regionCode.startsWith(town1.regionPrefix))).toBe(true);
    const tt = t.rows.reduce((a, c) => a + c.due, 0);
    expect(tt).toBe(t.total.due);
  });

  it('GET /api/visits/rate answers the month for the viewer, with the target', async () => {
    const res = await call(app, await loginAs(app, 'admin'), { method: 'GET', url: '/api/visits/rate?month=2026-03' });
    expect(res.statusCode).toBe(200);
    const body = res.json<RateReply>();
    expect(body).toMatchObject({ month: '2026-03', targetPercent: 100, on: today() });
    // as of today (after March): every March window counts
    if (today() > '2026-03-31') expect(body.total).toEqual({ due: 9, done: 4, percent: 44.4 });
    const towns = ctx.regions.all().filter((r) => r.level === 'town');
    expect(body.rows.map((r) => r.regionCode).sort()).toEqual(towns.map((r) => r.code).sort());
    const bad = await call(app, await loginAs(app, 'admin'), { method: 'GET', url: '/api/visits/rate?month=2026-13' });
    expect(bad.statusCode).toBe(400);
  });
});
