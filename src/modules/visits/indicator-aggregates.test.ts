import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageOfMembers } from '../indicators/contract.js';
import { everywhere, systemScope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { spanOf } from '../indicators/engine.js';
import { refreshIndicators } from '../indicators/refresh.js';
import { visitRateSource } from './indicator-aggregates.js';
import { visitRate } from './rate.js';

/**
 * Issue 20: the indicator 月探访率 is the workbench's and the visits page's figure (rate.ts: dues met
 * over dues counted), not a share of persons — for the county and each town, last month and this.
 */
describe.each(dialects)('the visit rate indicator is the visits module’s rate (%s)', (dialect) => {
  let ctx: TestContext;
  const on = today();
  const months = [previousPeriod(on.slice(0, 7)), on.slice(0, 7)];

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 1500, seed: 16 });
  }, 300_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  const regions = () => [
    { code: '', prefix: '' },
    ...ctx.regions
      .all()
      .filter((r) => r.level === 'town')
      .map((r) => ({ code: r.code, prefix: r.prefix })),
  ];

  it('the computed values equal visitRate for the county and every town, last month and this month', async () => {
    let weekly = 0;
    let storedSeen = 0;
    for (const month of months) {
      await refreshIndicators(ctx, { period: month, full: true });
      const values = await ctx.db.selectFrom('indicator_values').selectAll().where('month', '=', month).where('indicator_key', '=', 'visitRate').execute();
      const span = spanOf(month, '2021-01-01', on)!;
      const cells = await visitRateSource.cells(ctx, ctx.db, span);
      for (const r of regions()) {
        const rate = await visitRate(ctx.db, r.code ? systemScope(r.code, r.prefix) : everywhere(), month, on);
        const mine = cells.filter((c) => c.region.startsWith(r.prefix));
        expect({ done: mine.reduce((s, c) => s + c.num, 0), due: mine.reduce((s, c) => s + c.den, 0) }, `${month} ${r.code}`).toEqual({
          done: rate.done,
          due: rate.due,
        });
        const stored = values.filter((v) => v.region_code === (r.code || ctx.regions.all().find((x) => x.level === 'county')?.code));
        if (stored.length) storedSeen++;
        if (stored.length)
          expect({ done: Number(stored[0]!.num), due: Number(stored[0]!.den) }, `stored ${month} ${r.code}`).toEqual({ done: rate.done, due: rate.due });
      }
      // the members: every person with counted dues, their own dues adding up to the figure
      const all = pageOfMembers(await visitRateSource.members(ctx, ctx.db, span, ['']), { offset: 0, limit: 100_000 });
      const rate = await visitRate(ctx.db, everywhere(), month, on);
      const counts = all.items.map((m) => /应探访 (\d+) 次，已探访 (\d+) 次/.exec(m.detail.zh)!);
      expect(counts.reduce((s, m) => s + Number(m[1]), 0)).toBe(rate.due);
      expect(counts.reduce((s, m) => s + Number(m[2]), 0)).toBe(rate.done);
      weekly += counts.filter((m) => Number(m[1]) > 1).length;
      expect(all.items.every((m) => m.kind === 'person' && m.name.length > 0)).toBe(true);
      // numerator first: everyone met all their dues, then the others
      const firstOut = all.items.findIndex((m) => !m.inNumerator);
      if (firstOut >= 0) expect(all.items.slice(firstOut).every((m) => !m.inNumerator)).toBe(true);
      expect(all.items.filter((m) => m.inNumerator).every((m, i) => Number(counts[i]![1]) === Number(counts[i]![2]))).toBe(true);
    }
    // a weekly plan counts its weeks, which a share of persons could not
    expect(weekly).toBeGreaterThan(0);
    // the engine stored the same figures (the county's and the towns' rows)
    expect(storedSeen).toBeGreaterThan(0);
  }, 300_000);
});
