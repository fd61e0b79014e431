import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPeriod, nowIso, periodBounds, previousPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { partJobs, runSplitting } from './run-parts.js';
import { startRun } from './runs.service.js';

const THIS_MONTH = today().slice(0, 7);
const NEXT = nextPeriod(THIS_MONTH);

/**
 * Issue 21: a run split by town decides exactly as a run that is not split. The same month is run
 * whole (one part, the run's own cursor) and by town (nine parts, small batches), with a person
 * who moved between two towns within the month (decided in the town they lived in on its first
 * day, once) and one who left the population since the last run (their items end, found at the
 * run's end); decisions, items, changes and roll lines are the same sets.
 */
describe.each(dialects)('a run split by town (%s)', (dialect) => {
  let ctx: TestContext;
  let mover: { id: number; from: string; to: string };
  let gone: number;

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 5000 });
    await seedDemo(ctx, { elders: 900, seed: 13 });
    // a person of the first town moves to the last one on the 15th of the month run
    const towns = ctx.regions.children(ctx.regions.counties()[0]!.code);
    const [first, last] = [towns[0]!, towns[towns.length - 1]!];
    const p = await ctx.db
      .selectFrom('persons')
      .select(['id', 'region_code'])
      .where('status', '=', 'active')
      .where('region_code', 'like', `${first.prefix}%`)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const to = ctx.regions.all().find((r) => r.parent_code === last.code)!.code;
    const movedOn = `${NEXT}-15`;
    await ctx.db.updateTable('persons').set({ region_code: to }).where('id', '=', p.id).execute();
    await ctx.db
      .insertInto('person_history')
      .values({
        person_id: p.id,
        field: 'regionCode',
        old_value: p.region_code,
        new_value: to,
        source: 'public_security',
        as_of: movedOn,
        effective_on: movedOn,
        import_id: null,
        at: nowIso(),
      })
      .execute();
    mover = { id: p.id, from: p.region_code, to };
    // one granted a monthly item last run died before this run's floor: no longer in its population
    const lastRun = await ctx.db.selectFrom('entitlement_runs').select('id').where('period', '=', THIS_MONTH).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const granted = await ctx.db
      .selectFrom('decisions')
      .select('person_id')
      .where('run_id', '=', lastRun.id)
      .where('outcome', 'like', '%"nx-10":%')
      .where('person_id', '!=', p.id)
      .orderBy('person_id', 'desc')
      .executeTakeFirstOrThrow();
    gone = granted.person_id;
    const before = periodBounds(previousPeriod(THIS_MONTH)).start;
    await ctx.db.updateTable('persons').set({ status: 'deceased', closed_on: before }).where('id', '=', gone).execute();
  }, 180_000);
  afterAll(async () => ctx?.cleanup());

  /** A run's rows as sorted text: what must not depend on how the run was split. */
  const fingerprint = async (runId: number) => {
    const rows = <T extends object>(list: T[]) => list.map((r) => Object.values(r).join('|')).sort();
    const lines = await ctx.db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select([
        'payment_rolls.kind',
        'payment_rolls.item_id',
        'payment_rolls.town_code',
        'roll_lines.person_id',
        'roll_lines.region_code',
        'roll_lines.amount_fen',
        'roll_lines.standard_fen',
        'roll_lines.excluded',
        'roll_lines.pause',
      ])
      .where('payment_rolls.run_id', '=', runId)
      .execute();
    return {
      decisions: rows(await ctx.db.selectFrom('decisions').select(['person_id', 'region_code', 'facts', 'outcome']).where('run_id', '=', runId).execute()),
      items: rows(await ctx.db.selectFrom('decision_items').select(['item_id', 'person_id', 'region_code', 'value']).where('run_id', '=', runId).execute()),
      changes: rows(
        await ctx.db
          .selectFrom('decision_changes')
          .select(['person_id', 'region_code', 'item_id', 'kind', 'old_value', 'new_value', 'missing'])
          .where('run_id', '=', runId)
          .execute(),
      ),
      lines: rows(lines),
      rolls: rows(
        await ctx.db.selectFrom('payment_rolls').select(['kind', 'item_id', 'town_code', 'lines', 'total_fen']).where('run_id', '=', runId).execute(),
      ),
    };
  };

  it('decides the same as a run not split, each person once, a mover in the town of the first day', async () => {
    const admin = await userScope(ctx, 'admin');
    // whole: one batch holds everyone, so the run is not split
    ctx.config.runBatchSize = 100_000;
    const whole = await startRun(ctx, admin, NEXT);
    await whole.done;
    expect(await partJobs(ctx.db, whole.run.id)).toEqual([]);
    // by town, in small batches (on SQLite only when asked: one process works a SQLite file)
    ctx.config.runBatchSize = 23;
    runSplitting.onSqlite = true;
    const split = await startRun(ctx, admin, NEXT).finally(() => {
      runSplitting.onSqlite = false;
    });
    await split.done;
    const parts = await partJobs(ctx.db, split.run.id);
    expect(parts.length).toBe(ctx.regions.children(ctx.regions.counties()[0]!.code).length);
    expect(parts.every((p) => p.status === 'finished' && p.done === p.total)).toBe(true);

    const runRow = (id: number) => ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const [a, b] = [await runRow(whole.run.id), await runRow(split.run.id)];
    expect(b).toMatchObject({ status: 'finished', persons_total: a.persons_total, persons_done: a.persons_done, granted: a.granted, changes: a.changes });
    expect(parts.reduce((s, p) => s + p.total, 0)).toBe(b.persons_total);
    const [fa, fb] = [await fingerprint(a.id), await fingerprint(b.id)];
    expect(fb.decisions).toEqual(fa.decisions);
    expect(fb.items).toEqual(fa.items);
    expect(fb.changes).toEqual(fa.changes);
    expect(fb.lines).toEqual(fa.lines);
    expect(fb.rolls).toEqual(fa.rolls);
    expect(fb.decisions.length).toBe(b.persons_total);

    // the mover: once, in the first town (where they lived on the 1st), by its part
    const moverRows = await ctx.db.selectFrom('decisions').select('region_code').where('run_id', '=', b.id).where('person_id', '=', mover.id).execute();
    expect(moverRows).toEqual([{ region_code: mover.from }]);
    // the one who left: their items ended, in both runs alike
    const ended = await ctx.db.selectFrom('decision_changes').select(['kind', 'item_id']).where('run_id', '=', b.id).where('person_id', '=', gone).execute();
    expect(ended).toContainEqual({ kind: 'ended', item_id: 'nx-10' });
    expect(ended.every((c) => c.kind === 'ended')).toBe(true);
  });
});
