import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { seedFraudMonth, type FraudMonth } from './anomalies.fixture.js';
import { servicesDaily } from './daily.js';
import { listSettlements } from './settlement.js';

/**
 * The exceptions' daily pass: what was written without passing check-in/out (here: a month of
 * orders written directly, as a re-run lowering entitlements or a lapsed certificate would leave
 * them) is found by the day's pass, and the settlements' list, which no longer detects on every
 * view, shows it held.
 */
describe.each(dialects)('the services daily pass (%s)', (dialect) => {
  let ctx: TestContext;
  let month: FraudMonth;
  const on = today();
  const period = on.slice(0, 7);

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    month = await seedFraudMonth(ctx, { orders: 2_000, period, seed: 5, rate: 0.03 });
  }, 300_000);
  afterAll(async () => ctx?.cleanup());

  it('raises the month’s exceptions once a day, and the list reads them without detecting', async () => {
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('service_anomalies')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(0);
    // the list alone detects nothing: nothing is held yet
    const before = await listSettlements(ctx, countyScope(ctx), period);
    expect(before.items.reduce((s, i) => s + i.held, 0)).toBe(0);
    expect(await count()).toBe(0);

    await servicesDaily.run(ctx, on);
    const planted = [...month.planted.keys()];
    expect(planted.length).toBeGreaterThan(0);
    const flagged = new Set((await ctx.db.selectFrom('service_anomalies').select('order_id').execute()).map((r) => r.order_id));
    for (const id of planted) expect(flagged.has(id), `order ${id}`).toBe(true);
    const after = await listSettlements(ctx, countyScope(ctx), period);
    expect(after.items.reduce((s, i) => s + i.held, 0)).toBeGreaterThan(0);
    // a second pass the same day adds nothing
    const n = await count();
    await servicesDaily.run(ctx, on);
    expect(await count()).toBe(n);
  });
});
