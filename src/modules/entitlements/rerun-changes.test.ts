import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, userScope as scopeOf, type TestContext } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { handleChange } from './entitlements.service.js';
import { startRun } from './runs.service.js';

/**
 * A newcomer's finding (issue 14): re-running a month compared it with the month's own earlier
 * run, so the new run listed almost no changes and the month's work queue (who became eligible,
 * who stopped) stayed on the run just replaced. A re-run compares with the month before, like the
 * first run of the month, and keeps what officers already ticked off.
 */
const THIS_MONTH = today().slice(0, 7);

describe.each(dialects)('re-running a month (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 150 });
    await seedDemo(ctx, { elders: 300, seed: 21 });
    admin = await scopeOf(ctx, 'admin');
  }, 240_000);
  afterAll(async () => ctx?.cleanup());

  const runsOf = (period: string) => ctx.db.selectFrom('entitlement_runs').selectAll().where('period', '=', period).orderBy('id').execute();
  const changesOf = async (runId: number) =>
    (await ctx.db.selectFrom('decision_changes').selectAll().where('run_id', '=', runId).execute())
      .map((c) => ({ key: `${c.person_id}|${c.item_id}|${c.kind}|${c.old_value}|${c.new_value}`, handled: c.handled_by !== null, id: c.id }))
      .sort((a, b) => a.key.localeCompare(b.key));

  it('lists the same changes as the first run of the month, against the month before, with the follow-ups already ticked', async () => {
    const [first] = await runsOf(THIS_MONTH);
    const lastMonth = (await runsOf(previousPeriod(THIS_MONTH))).at(-1)!;
    expect(first!.previous_run_id).toBe(lastMonth.id);
    const before = await changesOf(first!.id);
    expect(before.length).toBeGreaterThan(0);
    // an officer follows one change up
    const mine = before[0]!;
    await handleChange(ctx, admin, mine.id, true);

    const { run, done } = await startRun(ctx, admin, THIS_MONTH);
    await done;
    const again = (await ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow())!;
    expect(again.previous_run_id, 'compared with the month before, not the replaced run').toBe(lastMonth.id);
    const after = await changesOf(run.id);
    expect(after.map((c) => c.key)).toEqual(before.map((c) => c.key));
    expect(after.find((c) => c.key === mine.key)!.handled).toBe(true);
    expect(after.filter((c) => c.handled)).toHaveLength(1);
  });
});
