import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { ALL_REASONS, redetect } from './anomalies.js';
import { seedFraudMonth, type FraudMonth } from './anomalies.fixture.js';
import type { ReasonCode } from './anomalies.schema.js';

/**
 * The seeded-fraud test (issue 17): a generated month of 100,000 orders with planted anomalies of
 * every kind (anomalies.fixture.ts). Every planted one must be flagged with its code, and fewer
 * than 3 % of the clean orders may carry any flag. Both figures are printed.
 */
describe.each(dialects)('seeded fraud, 100,000 orders on %s', (dialect) => {
  let ctx: TestContext;
  let month: FraudMonth;
  const period = '2026-10';

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    month = await seedFraudMonth(ctx, { orders: 100_000, period, seed: 17 });
  }, 600_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('flags every planted anomaly with its code, and fewer than 3 % of the clean orders', async () => {
    expect(month.orders).toBe(100_000);
    // every kind is planted, and more than a handful of each
    for (const code of ALL_REASONS) expect(month.plantedByCode[code], code).toBeGreaterThan(50);

    const result = await redetect(ctx, { period });
    expect(result.orders).toBeGreaterThan(99_000);
    const rows = await ctx.db
      .selectFrom('service_anomalies as a')
      .innerJoin('service_orders as o', 'o.id', 'a.order_id')
      .select(['a.order_id', 'a.code'])
      .where('o.period', '=', period)
      .execute();
    const flagged = new Map<number, Set<string>>();
    for (const r of rows) flagged.set(r.order_id, (flagged.get(r.order_id) ?? new Set()).add(r.code));

    let planted = 0;
    let caught = 0;
    const missed: Record<string, number> = {};
    for (const [orderId, codes] of month.planted) {
      for (const code of codes) {
        planted++;
        if (flagged.get(orderId)?.has(code)) caught++;
        else missed[code] = (missed[code] ?? 0) + 1;
      }
    }
    const clean = month.orders - month.planted.size;
    let falseFlags = 0;
    const falseByCode: Partial<Record<ReasonCode, number>> = {};
    for (const [orderId, codes] of flagged) {
      if (month.planted.has(orderId)) continue;
      falseFlags++;
      for (const c of codes) falseByCode[c as ReasonCode] = (falseByCode[c as ReasonCode] ?? 0) + 1;
    }
    const caughtPercent = (caught * 100) / planted;
    const falsePercent = (falseFlags * 100) / clean;
    console.log(
      `[fraud ${dialect}] planted anomalies flagged: ${caught} / ${planted} (${caughtPercent.toFixed(2)} %); by code ${JSON.stringify(month.plantedByCode)}; missed ${JSON.stringify(missed)}`,
    );
    console.log(`[fraud ${dialect}] false flags on clean orders: ${falseFlags} / ${clean} (${falsePercent.toFixed(3)} %) ${JSON.stringify(falseByCode)}`);
    expect(missed).toEqual({});
    expect(caught).toBe(planted);
    expect(falsePercent).toBeLessThan(3);

    // detecting the same month again writes nothing new and keeps every row
    const again = await redetect(ctx, { period });
    expect([again.raised, again.updated, again.cleared]).toEqual([0, 0, 0]);
  }, 600_000);
});
