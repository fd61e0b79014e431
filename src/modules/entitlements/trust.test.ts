import { hostname } from 'node:os';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { periodBounds, previousPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, type TestContext, codeOf, userScope as scopeOf } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { setParameter } from '../catalogue/catalogue.service.js';
import { exportRoster, runs as listRuns, runDetail } from './entitlements.service.js';
import { approveRoll, editLine, getRoll, listRolls, returnRoll, submitRoll } from './rolls.service.js';
import { parameterImpact, runImpact } from './impact.js';
import { RUN_JOB, runLockKey, startRun } from './runs.service.js';

/**
 * Issue 12 (trust): what the outside probe found in runs and payment rolls. Each test failed on
 * the code before the fix.
 */
/** Resolves with the promise's value, or rejects when it has not settled within `ms` (a hang). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const THIS_MONTH = today().slice(0, 7);
const LAST_MONTH = previousPeriod(THIS_MONTH);

describe.each(dialects)('trust: runs and payment rolls (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let checker: Scope;
  let town1: Scope;

  const userScope = (username: string) => scopeOf(ctx, username);
  const latestRun = (period: string) =>
    ctx.db
      .selectFrom('entitlement_runs')
      .selectAll()
      .where('period', '=', period)
      .where('status', '=', 'finished')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
  async function townRoll(period: string, itemId: string) {
    const run = await latestRun(period);
    const { items } = await listRolls(ctx, town1, { runId: run.id, itemId });
    expect(items, `${period} ${itemId} roll of town1`).toHaveLength(1);
    return items[0]!;
  }
  const rerun = async (period: string) => {
    const { run, done } = await startRun(ctx, admin, period);
    await done;
    return run;
  };

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 60 });
    await seedDemo(ctx, { elders: 700, seed: 12 });
    admin = await userScope('admin');
    checker = await userScope('checker1');
    town1 = await userScope('town1');
  }, 180_000);
  afterAll(async () => ctx?.cleanup());

  it('item 1: a roster download answers, and the database still answers after it', async () => {
    const run = await latestRun(THIS_MONTH);
    const file = await within(exportRoster(ctx, admin, run.id, 'nx-8'), 10_000, 'roster export');
    expect(file.body.length).toBeGreaterThan(1000);
    await within(ctx.db.selectFrom('users').select('id').limit(1).execute(), 2_000, 'a query after the export');
  });

  it('item 1: a query on the root handle inside an open transaction fails loudly instead of hanging', async () => {
    const outcome = await within(
      ctx.db
        .transaction()
        .execute(async () => ctx.db.selectFrom('users').select('id').limit(1).execute())
        .then(
          () => 'answered',
          (e: Error) => e.message,
        ),
      5_000,
      'root query inside a transaction',
    );
    expect(outcome).toMatch(/inside an open transaction/);
    // and the connection is free afterwards
    await within(ctx.db.selectFrom('users').select('id').limit(1).execute(), 2_000, 'a query after the refusal');
  });

  it('item 7: whoever edits the lines is a maker; allowed actions come from the server', async () => {
    const roll = await townRoll(THIS_MONTH, 'nx-10');
    const line = (await getRoll(ctx, admin, roll.id, 1, 5)).lines[0]!;
    // the bureau holds a line back on the town's draft, the town submits, the same bureau user may not approve
    await editLine(ctx, admin, roll.id, line.personId, { excluded: true, remark: '待核实' });
    await submitRoll(ctx, town1, roll.id, '已核对');
    expect(await codeOf(approveRoll(ctx, admin, roll.id))).toBe('MAKER_CHECKER');
    expect(await codeOf(returnRoll(ctx, admin, roll.id, '退回'))).toBe('MAKER_CHECKER');
    expect((await getRoll(ctx, admin, roll.id, 1, 5)).roll).toMatchObject({ checkBlocked: 'maker' });
    expect((await getRoll(ctx, admin, roll.id, 1, 5)).roll.actions).not.toContain('approve');
    expect((await getRoll(ctx, town1, roll.id, 1, 5)).roll).toMatchObject({ actions: ['export'], checkBlocked: null });
    expect((await getRoll(ctx, checker, roll.id, 1, 5)).roll.actions).toEqual(expect.arrayContaining(['approve', 'return']));
    // the roll is still the town's to resubmit after a return by a second bureau user
    await returnRoll(ctx, checker, roll.id, '请核实第一行');
    expect((await getRoll(ctx, town1, roll.id, 1, 5)).roll.actions).toEqual(expect.arrayContaining(['edit', 'submit']));
  });

  it('item 3: a re-run keeps held-back lines and their remarks, and a changed submitted roll goes back to the town with the differences', async () => {
    const held = await townRoll(THIS_MONTH, 'nx-10');
    const heldLine = (await getRoll(ctx, town1, held.id, 1, 500)).lines.find((l) => l.excluded)!;
    expect(heldLine.remark).toBe('待核实');
    // another item: submitted by the town; one of its people dies before the re-run
    const sub = await townRoll(THIS_MONTH, 'nx-15');
    await submitRoll(ctx, town1, sub.id, '本月名册');
    const gone = (await getRoll(ctx, town1, sub.id, 1, 500)).lines[0]!;
    await ctx.db
      .updateTable('persons')
      .set({ status: 'deceased', closed_on: `${LAST_MONTH}-15` })
      .where('id', '=', gone.personId)
      .execute();

    const impact = await runImpact(ctx, admin, THIS_MONTH);
    expect(impact.rolls.map((r) => r.id)).toEqual(expect.arrayContaining([held.id, sub.id]));
    expect(impact.rolls.find((r) => r.id === held.id)).toMatchObject({ status: 'returned', heldLines: 1 });

    await rerun(THIS_MONTH);
    const newHeld = await townRoll(THIS_MONTH, 'nx-10');
    expect(newHeld.id).not.toBe(held.id);
    const line = (await getRoll(ctx, town1, newHeld.id, 1, 500)).lines.find((l) => l.personId === heldLine.personId)!;
    expect(line).toMatchObject({ excluded: true, remark: '待核实', amountFen: 0 });
    // the old roll is still there, pointing at its replacement, not "not found"
    const old = await getRoll(ctx, town1, held.id, 1, 5);
    expect(old.roll).toMatchObject({ status: 'superseded', replacedBy: newHeld.id });

    const newSub = await townRoll(THIS_MONTH, 'nx-15');
    const detail = await getRoll(ctx, town1, newSub.id, 1, 500);
    expect(detail.roll.status).toBe('draft');
    expect(detail.roll.rerun).toMatchObject({ fromRollId: sub.id, fromStatus: 'submitted', removed: 1 });
    expect(detail.rerunChanges).toEqual(expect.arrayContaining([expect.objectContaining({ personId: gone.personId, kind: 'removed' })]));
  });

  it('item 3: an unchanged submitted roll stays submitted after a re-run', async () => {
    const sub = await townRoll(THIS_MONTH, 'nx-15');
    await submitRoll(ctx, town1, sub.id, '再次提交');
    await rerun(THIS_MONTH);
    const again = await townRoll(THIS_MONTH, 'nx-15');
    expect(again.id).not.toBe(sub.id);
    // signed with the officer's name, not the login (issue 14: the printed roll's 制表人)
    const town1Name = (await ctx.db.selectFrom('users').select('display_name').where('username', '=', 'town1').executeTakeFirstOrThrow()).display_name;
    expect(again).toMatchObject({ status: 'submitted', madeBy: town1Name });
  });

  it('item 12: a parameter change that reaches a month already run makes its run and rolls stale; a stale roll cannot be approved until re-run', async () => {
    // last month's rolls are drafts: set a new 高龄津贴 from the first day of last month
    const before = await townRoll(LAST_MONTH, 'nx-10');
    const impact = await parameterImpact(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(LAST_MONTH).start, value: '66' });
    expect(impact.staleRuns.map((r) => r.period)).toEqual(expect.arrayContaining([LAST_MONTH]));
    await setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(LAST_MONTH).start, value: '66', note: '调标' });
    const runsNow = await listRuns(ctx, admin, 1, 20);
    const last = runsNow.items.find((r) => r.id === before.runId)!;
    expect(last.stale).toMatch(/高龄津贴/);
    const roll = await getRoll(ctx, town1, before.id, 1, 5);
    expect(roll.roll.stale).toMatch(/60\.00.*66\.00/);
    // a roll of the same month whose item does not read the standard stays approvable
    const other = await townRoll(LAST_MONTH, 'nx-15');
    expect(other.stale).toBeNull();
    expect(impact.staleRuns.find((r) => r.period === LAST_MONTH)!.openRolls).toBeLessThan((await listRolls(ctx, admin, { runId: before.runId })).items.length);
    const heldLine = (await getRoll(ctx, town1, before.id, 1, 5)).lines[0]!;
    await editLine(ctx, town1, before.id, heldLine.personId, { excluded: true, remark: '户籍核实中' });
    await submitRoll(ctx, town1, before.id);
    expect(await codeOf(approveRoll(ctx, checker, before.id))).toBe('ROLL_STALE');
    expect((await getRoll(ctx, checker, before.id, 1, 5)).roll.checkBlocked).toBe('stale');
    expect((await getRoll(ctx, checker, before.id, 1, 5)).roll.actions).not.toContain('approve');
    await rerun(LAST_MONTH);
    const fresh = await townRoll(LAST_MONTH, 'nx-10');
    expect(fresh.stale).toBeNull();
    const detail = await getRoll(ctx, town1, fresh.id, 1, 500);
    const lines = detail.lines;
    expect(lines.filter((l) => !l.excluded).every((l) => l.amountFen === 6600)).toBe(true);
    // the held line stays held, with a note that its amount changed; the submitted roll came back
    expect(lines.find((l) => l.personId === heldLine.personId)).toMatchObject({
      excluded: true,
      remark: '户籍核实中',
      amountFen: 0,
      note: { kind: 'amount_changed', fromFen: 6000, toFen: 6600 },
    });
    expect(detail.roll).toMatchObject({ status: 'draft', rerun: { fromRollId: before.id, fromStatus: 'submitted' } });
    expect(detail.roll.rerun!.amount).toBeGreaterThan(0);
    await rerun(THIS_MONTH);
  });

  it('item 2: approving while a re-run is in flight never leaves two approved rolls for a month, item and town', async () => {
    const roll = await townRoll(THIS_MONTH, 'nx-15');
    const { run: rerunning, done } = await startRun(ctx, admin, THIS_MONTH);
    // the checker approves the submitted roll while the re-run is working through its batches:
    // after its first batch (made with the roll not yet approved), before its last
    for (let i = 0; i < 10_000; i++) {
      const r = await ctx.db.selectFrom('entitlement_runs').select(['persons_done', 'status']).where('id', '=', rerunning.id).executeTakeFirstOrThrow();
      if (r.persons_done > 0 || r.status !== 'running') break;
      await new Promise((res) => setImmediate(res));
    }
    const midway = await ctx.db.selectFrom('entitlement_runs').select(['persons_done', 'status']).where('id', '=', rerunning.id).executeTakeFirstOrThrow();
    expect(midway.status).toBe('running');
    expect(midway.persons_done).toBeLessThan(rerunning.persons_total);
    await approveRoll(ctx, checker, roll.id);
    await done;
    const approved = await ctx.db
      .selectFrom('payment_rolls')
      .select(['period', 'item_id', 'town_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', '=', 'approved')
      .groupBy(['period', 'item_id', 'town_code'])
      .execute();
    expect(approved.every((r) => Number(r.n) === 1)).toBe(true);
    // the re-run made no roll for the approved month, item and town
    const run = await latestRun(THIS_MONTH);
    const made = await ctx.db
      .selectFrom('payment_rolls')
      .select(['id', 'status'])
      .where('run_id', '=', run.id)
      .where('item_id', '=', 'nx-15')
      .where('town_code', '=', town1.regionCode)
      .where('status', '!=', 'superseded')
      .execute();
    expect(made).toEqual([]);
    // the database refuses a second approved roll whoever asks
    const other = await ctx.db
      .selectFrom('payment_rolls')
      .select('id')
      .where('period', '=', THIS_MONTH)
      .where('item_id', '=', 'nx-15')
      .where('town_code', '=', town1.regionCode)
      .where('status', '=', 'superseded')
      .limit(1)
      .executeTakeFirstOrThrow();
    await expect(ctx.db.updateTable('payment_rolls').set({ status: 'approved' }).where('id', '=', other.id).execute()).rejects.toThrow();
  });

  it('item 8: an approved roll is frozen whole: no new line, no change to the roll, no delete', async () => {
    const roll = await ctx.db.selectFrom('payment_rolls').selectAll().where('status', '=', 'approved').limit(1).executeTakeFirstOrThrow();
    const someone = await ctx.db.selectFrom('persons').select(['id', 'region_code']).limit(1).executeTakeFirstOrThrow();
    await expect(
      ctx.db
        .insertInto('roll_lines')
        .values({
          roll_id: roll.id,
          person_id: someone.id + 100_000,
          region_code: someone.region_code,
          amount_fen: 99,
          standard_fen: 99,
          excluded: 0,
          remark: null,
        })
        .execute(),
    ).rejects.toThrow(/frozen/);
    await expect(ctx.db.updateTable('payment_rolls').set({ status: 'draft' }).where('id', '=', roll.id).execute()).rejects.toThrow(/frozen/);
    await expect(ctx.db.updateTable('payment_rolls').set({ total_fen: 1 }).where('id', '=', roll.id).execute()).rejects.toThrow(/frozen/);
    await expect(ctx.db.deleteFrom('payment_rolls').where('id', '=', roll.id).execute()).rejects.toThrow(/frozen/);
    const still = await ctx.db.selectFrom('payment_rolls').selectAll().where('id', '=', roll.id).executeTakeFirstOrThrow();
    expect(still).toEqual(roll);
  });

  it('item 12: the impact check refuses a change into an approved month as the save does (the console never offers it)', async () => {
    // THIS_MONTH has an approved roll (item 2 above); with back-pay off, a paid month is closed to changes
    const code = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, admin, code, 'backpay.months', 0, '本测试：不回溯');
    try {
      const change = { jurisdiction: 'nanxun', name: 'nx_service_subsidy', from: periodBounds(THIS_MONTH).start, value: '250' };
      expect(await codeOf(parameterImpact(ctx, admin, change))).toBe('PARAM_MONTH_PAID');
      expect(await codeOf(setParameter(ctx, admin, { ...change, note: 'x' }))).toBe('PARAM_MONTH_PAID');
      expect(await codeOf(parameterImpact(ctx, admin, { ...change, value: 'abc' }))).toBe('PARAM_AMOUNT_FORMAT');
    } finally {
      await ctx.settings.set(ctx, admin, code, 'backpay.months', 12, '恢复默认');
    }
  });

  it('low: a run whose runner is gone does not block its month: starting it again resumes it', async () => {
    const run = await latestRun(LAST_MONTH);
    await ctx.db
      .updateTable('entitlement_runs')
      .set({ status: 'running', lock_key: runLockKey(run.region_code, LAST_MONTH), finished_at: null })
      .where('id', '=', run.id)
      .execute();
    // its job held by a process of this host that no longer exists
    await ctx.db
      .updateTable('jobs')
      .set({ status: 'running', lock_key: `${RUN_JOB}:${run.id}`, finished_at: null, runner: `${hostname()}:4194303`, heartbeat_at: new Date().toISOString() })
      .where('kind', '=', RUN_JOB)
      .where('key', '=', String(run.id))
      .execute();
    const again = await startRun(ctx, admin, LAST_MONTH);
    expect(again.run.id).toBe(run.id);
    await again.done;
    expect((await ctx.db.selectFrom('entitlement_runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('finished');
  });

  it('low: a town officer sees no county-wide run totals', async () => {
    const run = await latestRun(THIS_MONTH);
    const list = await listRuns(ctx, town1, 1, 20);
    const mine = list.items.find((r) => r.id === run.id)!;
    expect(mine).toMatchObject({ personsTotal: null, personsDone: null, granted: null, changes: null, progress: 100 });
    const detail = await runDetail(ctx, town1, run.id);
    expect(detail.run.personsTotal).toBeNull();
    expect((await listRuns(ctx, admin, 1, 20)).items.find((r) => r.id === run.id)!.personsTotal).toBe(run.persons_total);
  });

  it('the demo has a second bureau account to check what the first made', async () => {
    const n = await sql<{ n: number }>`select count(*) as n from users where role = 'bureau_admin'`.execute(ctx.db);
    expect(Number(n.rows[0]!.n)).toBe(2);
  });
});
