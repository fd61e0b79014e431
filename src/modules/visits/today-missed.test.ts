import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, periodBounds, previousPeriod, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { workbench } from '../workbench/workbench.service.js';
import { assign } from './assignments.js';
import { visitRate } from './rate.js';
import type { TodayReply } from './record.schema.js';
import { addDue, addPlanMember } from './work.fixtures.js';

/**
 * The phone's overdue cards and the rate on the month's turn (issue 16, newcomer's run): an overdue
 * person's card carried only the current window ("每月 · 12-01 至 12-31") and said nothing of the
 * window that was missed; now each item names the last missed window and how many in a row. On the
 * 1st the month's rate has only what was done that day (100 % of 7) while people are overdue: the
 * phone's list and the workbench give last month's rate beside it, the same formula.
 */
describe.each(dialects)("the phone's overdue windows and last month's rate on %s", (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let head1: Scope;
  let grid1: Scope;
  const ids: Record<string, number> = {};
  let n = 0;
  const on = today();
  const month = on.slice(0, 7);
  const cur = periodBounds(month);
  const prevMonth = previousPeriod(month);
  const prev = periodBounds(prevMonth);
  const prev2 = periodBounds(previousPeriod(prevMonth));
  const window = (b: { start: string; end: string }) => ({ windowStart: b.start, windowEnd: b.end });

  async function person(key: string, region: string) {
    n++;
    const now = nowIso();
    const { id } = await ctx.db
      .insertInto('persons')
      .values({
        id_hash: `hash-${key}-${randomUUID()}`,
        id_enc: 'placeholder',
        id_masked: `330503********${String(n).padStart(4, '0')}`,
        name: `逾期${key}`,
        sex: 'M',
        birth_date: '1941-02-01',
        region_code: region,
        hukou_local: 1,
        phone_enc: null,
        phone_masked: null,
        status: 'active',
        closed_on: null,
        hardship: 'none',
        provenance: '{}',
        created_at: now,
        updated_at: now,
      } as NewPerson)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids[key] = id;
    return id;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    head1 = await userScope(ctx, 'head1');
    grid1 = await userScope(ctx, 'grid1');
    const village = head1.regionCode;
    for (const k of ['a', 'b', 'c', 'd', 'e']) await person(k, village);
    const m: Record<string, number> = {};
    for (const k of ['a', 'b', 'c', 'd', 'e']) m[k] = await addPlanMember(ctx.db, { personId: ids[k]!, regionCode: village, highRisk: false });
    // a: last month missed, this month open (the card showed only this month)
    await addDue(ctx.db, m.a!, { ...window(prev), status: 'missed' });
    await addDue(ctx.db, m.a!, { ...window(cur), status: 'open' });
    // b: the two months before missed in a row, this month open
    await addDue(ctx.db, m.b!, { ...window(prev2), status: 'missed' });
    await addDue(ctx.db, m.b!, { ...window(prev), status: 'missed' });
    await addDue(ctx.db, m.b!, { ...window(cur), status: 'open' });
    // c: last month visited, this month open: not overdue
    await addDue(ctx.db, m.c!, { ...window(prev), status: 'done' });
    await addDue(ctx.db, m.c!, { ...window(cur), status: 'open' });
    // d: last month visited, this month visited
    await addDue(ctx.db, m.d!, { ...window(prev), status: 'done' });
    await addDue(ctx.db, m.d!, { ...window(cur), status: 'done', doneOn: cur.start });
    // e: last month missed and the plans not refreshed since (no due this month)
    await addDue(ctx.db, m.e!, { ...window(prev), status: 'missed' });
    await assign(ctx, head1, { personIds: Object.values(ids), workerId: grid1.userId! });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('names on each overdue item the window that was missed and how many in a row, beside the current window', async () => {
    const grid = await loginAs(app, 'grid1');
    const res = await call(app, grid, { method: 'GET', url: '/api/visits/today' });
    expect(res.statusCode).toBe(200);
    const reply = res.json<TodayReply>();
    const item = (k: string) => reply.items.find((i) => i.personId === ids[k])!;
    expect(item('a')).toMatchObject({
      status: 'missed',
      windowStart: cur.start,
      windowEnd: cur.end,
      missedWindow: { start: prev.start, end: prev.end },
      missedInRow: 1,
    });
    expect(item('b')).toMatchObject({ status: 'missed', windowStart: cur.start, missedWindow: { start: prev.start, end: prev.end }, missedInRow: 2 });
    expect(item('c')).toMatchObject({ status: 'open', missedWindow: null, missedInRow: 0 });
    expect(item('d')).toMatchObject({ status: 'done', missedWindow: null, missedInRow: 0 });
    // no due for this month yet: the missed window is the one shown
    expect(item('e')).toMatchObject({ status: 'missed', windowStart: prev.start, missedWindow: { start: prev.start, end: prev.end }, missedInRow: 1 });
  });

  it("gives last month's rate beside this month's on the phone and the workbench, by the one formula", async () => {
    const grid = await loginAs(app, 'grid1');
    const reply = (await call(app, grid, { method: 'GET', url: '/api/visits/today' })).json<TodayReply>();
    // last month: a, b, e missed; c, d visited
    expect(reply.rateLastMonth).toEqual({ month: prevMonth, due: 5, done: 2, percent: 40 });
    expect(reply.rateLastMonth).toMatchObject(await visitRate(ctx.db, grid1, prevMonth, on, { workerId: grid1.userId! }));
    expect(reply.rate).toEqual(await visitRate(ctx.db, grid1, month, on, { workerId: grid1.userId! }));
    const wb = (await workbench(ctx, grid1)).visits!;
    expect(wb.rateLastMonth).toEqual({ month: prevMonth, due: 5, done: 2, percent: 40 });
    expect(wb.rate).toEqual(reply.rate);
    // the village head's workbench: the village's
    expect((await workbench(ctx, head1)).visits!.rateLastMonth).toEqual({ month: prevMonth, due: 5, done: 2, percent: 40 });
  });
});
