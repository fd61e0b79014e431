import { hostname } from 'node:os';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRow } from '../../db/tables.js';
import { AppError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nextPeriod, periodBounds, today } from '../../platform/time.js';
import { createSeededContext, createTestContext, countyScope, dialects, type TestContext, codeOf, userScope as scopeOf } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { setParameter } from '../catalogue/catalogue.service.js';
import { duties, personEntitlements, roster } from './entitlements.service.js';
import { approveRoll, editLine, listRolls, submitRoll } from './rolls.service.js';
import { exportRoll } from './rolls.xlsx.js';
import { RUNNER } from '../../platform/jobs.js';
import { executeRun, RUN_JOB, RUN_PART_JOB, startRun } from './runs.service.js';
import { partJobs, runSplitting } from './run-parts.js';
import { listedItems } from './listed-items.js';

const THIS_MONTH = today().slice(0, 7);
const NEXT = nextPeriod(THIS_MONTH);

describe.each(dialects)('entitlement runs (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let town1: Scope;

  const userScope = (username: string) => scopeOf(ctx, username);
  const getRunRow = (id: number) => ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const getJobRow = (runId: number) =>
    ctx.db.selectFrom('jobs').selectAll().where('kind', '=', RUN_JOB).where('key', '=', String(runId)).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const outcomes = async (runId: number) =>
    new Map((await ctx.db.selectFrom('decisions').select(['person_id', 'outcome']).where('run_id', '=', runId).execute()).map((d) => [d.person_id, d.outcome]));

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 97 });
    // The demo county: 900 elders, demo standards set, last month and this month run.
    await seedDemo(ctx, { elders: 900, seed: 11 });
    admin = await userScope('admin');
    town1 = await userScope('town1');
  }, 120_000);
  afterAll(async () => ctx?.cleanup());

  it('the demo runs finished with one decision per person and the second compared with the first', async () => {
    const runs = await ctx.db.selectFrom('entitlement_runs').selectAll().orderBy('id').execute();
    expect(runs.map((r) => [r.status, r.lock_key])).toEqual([
      ['finished', null],
      ['finished', null],
    ]);
    expect(runs[1]!.previous_run_id).toBe(runs[0]!.id);
    for (const r of runs) {
      const n = await ctx.db
        .selectFrom('decisions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', r.id)
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(r.persons_total);
      expect(r.persons_done).toBe(r.persons_total);
    }
    // Birthday and 重阳 items come and go with the calendar: never in a change list.
    const kinds = await ctx.db.selectFrom('decision_changes').select('item_id').where('run_id', '=', runs[1]!.id).distinct().execute();
    expect(kinds.map((k) => k.item_id)).not.toContain('nx-13');
  });

  it("a run stores its decisions per item with them; rosters and duties read those, by the viewer's region", async () => {
    const run = await ctx.db.selectFrom('entitlement_runs').selectAll().where('period', '=', THIS_MONTH).orderBy('id').executeTakeFirstOrThrow();
    // the listed items (calendar duties, insurers' rosters) are stored per item; monthly cash is on the rolls
    const perItem = listedItems(ctx.catalogues.latest('nanxun')!);
    const expected = new Map<string, string[]>();
    for (const d of await ctx.db.selectFrom('decisions').select(['person_id', 'region_code', 'outcome']).where('run_id', '=', run.id).execute()) {
      for (const [item, value] of Object.entries(JSON.parse(d.outcome) as Record<string, number>)) {
        if (!perItem.has(item)) continue;
        expected.set(item, [...(expected.get(item) ?? []), `${d.person_id}|${d.region_code}|${value}`]);
      }
    }
    expect(expected.size).toBeGreaterThan(0);
    const stored = new Map<string, string[]>();
    for (const r of await ctx.db.selectFrom('decision_items').selectAll().where('run_id', '=', run.id).orderBy('person_id').execute()) {
      stored.set(r.item_id, [...(stored.get(r.item_id) ?? []), `${r.person_id}|${r.region_code}|${r.value}`]);
    }
    expect(new Map([...stored].map(([k, v]) => [k, v.sort()]))).toEqual(new Map([...expected].map(([k, v]) => [k, v.sort()])));
    const count = (item: string, prefix = '') => (expected.get(item) ?? []).filter((e) => e.split('|')[1]!.startsWith(prefix)).length;
    // the item granted most often: the whole county for the bureau, 城关街道 only for town1
    const [most] = [...expected.keys()].sort((x, y) => count(y) - count(x));
    expect(count(most!, town1.regionPrefix)).toBeGreaterThan(0);
    expect(count(most!, town1.regionPrefix)).toBeLessThan(count(most!));
    expect((await roster(ctx, admin, run.id, most!, 1, 10)).total).toBe(count(most!));
    expect((await roster(ctx, town1, run.id, most!, 1, 10)).total).toBe(count(most!, town1.regionPrefix));
    // a monthly item has no list of persons: its payment rolls and the change list are its lists
    expect(await codeOf(roster(ctx, admin, run.id, 'nx-10', 1, 10))).toBe('ITEM_NOT_LISTED');
    const listed = (await duties(ctx, town1, run.id)).duties;
    expect(listed.length).toBeGreaterThan(0);
    for (const d of listed) expect(d.count, d.itemId).toBe(count(d.itemId, town1.regionPrefix));
  });

  it('a second run of the same month gives the same decisions and replaces the earlier drafts', async () => {
    const first = await ctx.db.selectFrom('entitlement_runs').selectAll().where('period', '=', THIS_MONTH).executeTakeFirstOrThrow();
    const { run, done } = await startRun(ctx, countyScope(ctx), THIS_MONTH);
    await done;
    const [a, b] = [await outcomes(first.id), await outcomes(run.id)];
    expect(b.size).toBe(a.size);
    for (const [person, out] of a) expect(b.get(person), `person ${person}`).toBe(out);
    const old = await ctx.db.selectFrom('payment_rolls').select('status').where('run_id', '=', first.id).distinct().execute();
    expect(old.map((r) => r.status)).toEqual(['superseded']);
    // compared with the month before, as the first run was (not with the run it replaces): the month's changes again
    const again = await ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', run.id).executeTakeFirstOrThrow();
    expect(again.previous_run_id).toBe(first.previous_run_id);
    expect(again.changes).toBe(first.changes);
  });

  it('two starts of the same month at once: one runs, the other is refused with RUN_BUSY', async () => {
    const results = await Promise.allSettled([startRun(ctx, admin, NEXT), startRun(ctx, admin, NEXT)]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused.map((r) => (r.reason as AppError).code)).toEqual(['RUN_BUSY']);
    await (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startRun>>>).value.done;
    const runs = await ctx.db.selectFrom('entitlement_runs').select(['status']).where('period', '=', NEXT).execute();
    expect(runs.map((r) => r.status)).toEqual(['finished']);
  });

  it('a run held by another live process is left to it; a run whose runner is gone is taken over', async () => {
    // split by town on SQLite too, so that its parts are taken over with it
    runSplitting.onSqlite = true;
    const { run, done } = await startRun(ctx, admin, '2025-01').finally(() => {
      runSplitting.onSqlite = false;
    });
    await done;
    const decisionsOf = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('decisions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('run_id', '=', run.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // as if interrupted before its first batch, while its job is held by `runner` with a heartbeat `ago` ms old
    const interrupted = async (runner: string, ago: number) => {
      await ctx.db.deleteFrom('decisions').where('run_id', '=', run.id).execute();
      await ctx.db.deleteFrom('decision_items').where('run_id', '=', run.id).execute();
      await ctx.db.deleteFrom('decision_changes').where('run_id', '=', run.id).execute();
      const rolls = (await ctx.db.selectFrom('payment_rolls').select('id').where('run_id', '=', run.id).execute()).map((r) => r.id);
      if (rolls.length) await ctx.db.deleteFrom('roll_lines').where('roll_id', 'in', rolls).execute();
      await ctx.db.deleteFrom('payment_rolls').where('run_id', '=', run.id).execute();
      await ctx.db
        .updateTable('entitlement_runs')
        .set({
          status: 'running',
          lock_key: `nanxun:2025-01`,
          persons_done: 0,
          granted: 0,
          changes: 0,
          finished_at: null,
        })
        .where('id', '=', run.id)
        .execute();
      const job = await getJobRow(run.id);
      await ctx.db
        .updateTable('jobs')
        .set({
          status: 'running',
          lock_key: `${RUN_JOB}:${run.id}`,
          done: 0,
          state: JSON.stringify({ cursor: 0 }),
          finished_at: null,
          runner,
          heartbeat_at: new Date(Date.now() - ago).toISOString(),
        })
        .where('id', '=', job.id)
        .execute();
      // and its town parts, each back at its start, held by the same runner
      for (const part of await partJobs(ctx.db, run.id)) {
        const { from, to } = JSON.parse(part.state) as { from?: string; to?: string };
        await ctx.db
          .updateTable('jobs')
          .set({
            status: 'running',
            lock_key: `${RUN_PART_JOB}:${part.key}`,
            done: 0,
            state: JSON.stringify({ cursor: 0, from, to }),
            finished_at: null,
            runner,
            heartbeat_at: new Date(Date.now() - ago).toISOString(),
          })
          .where('id', '=', part.id)
          .execute();
      }
    };
    expect((await partJobs(ctx.db, run.id)).length).toBeGreaterThan(1);
    await interrupted('another-server:4242', 5_000);
    await executeRun(ctx, run.id);
    expect(await getRunRow(run.id)).toMatchObject({ status: 'running', persons_done: 0 });
    expect(await getJobRow(run.id)).toMatchObject({ status: 'running', runner: 'another-server:4242', done: 0 });
    expect(await decisionsOf()).toBe(0);
    // that server stopped long ago: taken over and finished here
    await interrupted('another-server:4242', 10 * 60_000);
    await executeRun(ctx, run.id);
    expect(await getRunRow(run.id)).toMatchObject({ status: 'finished', persons_done: run.persons_total });
    expect(await getJobRow(run.id)).toMatchObject({ status: 'finished', runner: RUNNER, lock_key: null, done: run.persons_total });
    expect(await decisionsOf()).toBe(run.persons_total);
    // a process of this host that no longer exists: taken over at once
    await interrupted(`${hostname()}:4194303`, 1_000);
    await executeRun(ctx, run.id);
    expect(await getRunRow(run.id)).toMatchObject({ status: 'finished' });
    expect(await getJobRow(run.id)).toMatchObject({ status: 'finished', runner: RUNNER });
    expect(await decisionsOf()).toBe(run.persons_total);
  });

  /**
   * Next month, run once for the tests that read it (each test asks for it, so any one of them
   * also passes alone): p1 turns 80 on its last day, p2 died this month, and 高龄津贴 rises to
   * 70 元 from its first day.
   */
  let nextMonth: Promise<{ run: RunRow; p1: number; p2: number }> | undefined;
  function nextMonthRun() {
    nextMonth ??= (async () => {
      const persons = await ctx.db.selectFrom('persons').select(['id', 'birth_date']).where('status', '=', 'active').orderBy('id').limit(40).execute();
      const [p1, p2] = [persons[0]!, persons[1]!];
      const end = periodBounds(NEXT).end;
      const born80 = `${Number(end.slice(0, 4)) - 80}${end.slice(4)}`;
      await ctx.db.updateTable('persons').set({ birth_date: born80, hukou_local: 1 }).where('id', '=', p1.id).execute();
      await ctx.db
        .updateTable('persons')
        .set({ status: 'deceased', closed_on: `${THIS_MONTH}-01` })
        .where('id', '=', p2.id)
        .execute();
      await setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(NEXT).start, value: '70', note: '调标测试' });
      const { run, done } = await startRun(ctx, admin, NEXT);
      await done;
      return { run, p1: p1.id, p2: p2.id };
    })();
    return nextMonth;
  }

  it('records who became eligible, who is no longer, and whose amount changed', async () => {
    const { run, p1: p1Id, p2: p2Id } = await nextMonthRun();
    const [p1, p2] = [{ id: p1Id }, { id: p2Id }];
    const changes = await ctx.db.selectFrom('decision_changes').selectAll().where('run_id', '=', run.id).execute();
    expect(changes.find((c) => c.person_id === p1.id && c.item_id === 'nx-10')).toMatchObject({ kind: 'new', new_value: 7000 });
    const ended = changes.filter((c) => c.person_id === p2.id);
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((c) => c.kind === 'ended')).toBe(true);
    const raised = changes.filter((c) => c.item_id === 'nx-10' && c.kind === 'amount');
    expect(raised.length).toBeGreaterThan(0);
    expect(raised.every((c) => c.old_value === 6000 && c.new_value === 7000)).toBe(true);
  });

  it('the explanation of a decision agrees with it and cites the parameter versions', async () => {
    const { run } = await nextMonthRun();
    const d = await ctx.db
      .selectFrom('decisions')
      .selectAll()
      .where('run_id', '=', run.id)
      .where('outcome', 'like', '%"nx-10":%')
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await personEntitlements(ctx, admin, d.person_id);
    const explained = res.decision!.explanation!;
    const granted = Object.fromEntries(explained.items.filter((i) => i.granted).map((i) => [i.id, i.value]));
    expect(granted).toEqual(JSON.parse(d.outcome));
    const nx10 = explained.items.find((i) => i.id === 'nx-10')!;
    expect(nx10.rule.value).toBe(true);
    expect(
      Object.values(nx10.params)
        .map((p) => p.source)
        .join(),
    ).toContain('调标测试');
    // A town-2 officer cannot read a town-1 person's decisions.
    const town2 = await userScope('town2');
    const inTown1 = await ctx.db
      .selectFrom('decisions')
      .select('person_id')
      .where('run_id', '=', run.id)
      .where('region_code', 'like', `${town1.regionPrefix}%`)
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(await codeOf(personEntitlements(ctx, town2, inTown1.person_id))).toBe('NOT_FOUND');
  });

  it('payment rolls: the maker cannot approve, an approved roll is frozen, its XLSX reads back', async () => {
    const { run } = await nextMonthRun();
    const { items } = await listRolls(ctx, town1, { runId: run.id, itemId: 'nx-10' });
    expect(items).toHaveLength(1);
    const roll = items[0]!;
    expect(roll.status).toBe('draft');
    await submitRoll(ctx, admin, roll.id);
    expect(await codeOf(approveRoll(ctx, admin, roll.id))).toBe('MAKER_CHECKER');
    // returned to the town by a second checker, re-submitted by the town, approved by the bureau
    await ctx.db.updateTable('payment_rolls').set({ status: 'draft' }).where('id', '=', roll.id).execute();
    await submitRoll(ctx, town1, roll.id, '已核对');
    expect(await codeOf(approveRoll(ctx, town1, roll.id))).toBe('FORBIDDEN');
    const approved = await approveRoll(ctx, admin, roll.id);
    expect(approved.status).toBe('approved');
    const line = await ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', roll.id).limit(1).executeTakeFirstOrThrow();
    expect(await codeOf(editLine(ctx, town1, roll.id, line.person_id, { excluded: true, remark: '核实中' }))).toBe('ROLL_FROZEN');
    expect(await codeOf(submitRoll(ctx, town1, roll.id))).toBe('ROLL_FROZEN');
    // the database refuses too, whoever asks
    await expect(ctx.db.updateTable('roll_lines').set({ amount_fen: 1 }).where('roll_id', '=', roll.id).execute()).rejects.toThrow(/frozen/);
    await expect(ctx.db.deleteFrom('roll_lines').where('roll_id', '=', roll.id).execute()).rejects.toThrow(/frozen/);

    const file = await exportRoll(ctx, town1, roll.id);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toMatch(/年\d+月高龄津贴发放名册（城关街道）$/);
    expect(ws.getRow(3).values).toEqual([undefined, '序号', '姓名', '身份证号', '镇街', '村社区', '项目', '发放账户', '标准(元)', '金额(元)', '状态', '备注']);
    // the paid lines, then their total (held lines, if any, follow under their own sub-header: rolls.xlsx.test.ts)
    const paidLines = (await ctx.db.selectFrom('roll_lines').select('excluded').where('roll_id', '=', roll.id).execute()).filter((l) => !l.excluded).length;
    const totalRow = 4 + paidLines;
    const last = ws.getRow(totalRow);
    expect(last.getCell(1).value).toBe('发放合计');
    expect(last.getCell(2).value).toBe(`${paidLines} 人`);
    expect((last.getCell(9).value as { result: number }).result).toBe(roll.totalFen / 100);
    let sum = 0;
    for (let r = 4; r < totalRow; r++) sum += Math.round(Number(ws.getRow(r).getCell(9).value) * 100);
    expect(sum).toBe(roll.totalFen);
    const firstId = String(ws.getRow(4).getCell(3).value);
    expect(firstId).toMatch(/^\d{17}[\dX]$/);
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor']).where('action', 'in', ['rolls.export', 'rolls.approve']).execute();
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'rolls.approve', actor: 'admin' },
        { action: 'rolls.export', actor: 'town1' },
      ]),
    );
  });

  it('a parameter change cannot rewrite a paid month or an existing period', async () => {
    // next month has an approved roll (the test above approves one; alone, this one does)
    const { run } = await nextMonthRun();
    const paid = await ctx.db.selectFrom('payment_rolls').select('id').where('run_id', '=', run.id).where('status', '=', 'approved').executeTakeFirst();
    if (!paid) {
      const roll = (await listRolls(ctx, town1, { runId: run.id, itemId: 'nx-10' })).items[0]!;
      await submitRoll(ctx, town1, roll.id);
      await approveRoll(ctx, admin, roll.id);
    }
    // with back-pay off, a value from a date inside the paid month is refused (with it on, see differences.test.ts)
    const code = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, admin, code, 'backpay.months', 0, '本测试：不回溯');
    expect(await codeOf(setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(NEXT).end, value: 70, note: 'x' }))).toBe(
      'PARAM_MONTH_PAID',
    );
    // earlier than a value already set
    expect(await codeOf(setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_longevity_100', from: '2023-11-01', value: 70, note: 'x' }))).toBe(
      'PARAM_MONTH_PAID',
    );
    // with back-pay on (12 months, the default), a paid month before the look-back is still closed
    await ctx.settings.set(ctx, admin, code, 'backpay.months', 12, '恢复默认');
    expect(await codeOf(setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_longevity_100', from: '2023-11-01', value: 70, note: 'x' }))).toBe(
      'PARAM_BEFORE_LOOKBACK',
    );
    expect(await codeOf(setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_longevity_100', from: '2099-01-01', value: '1.234', note: 'x' }))).toBe(
      'PARAM_AMOUNT_FORMAT',
    );
    expect(await codeOf(setParameter(ctx, town1, { jurisdiction: 'nanxun', name: 'nx_longevity_100', from: '2099-01-01', value: 70, note: 'x' }))).toBe(
      'FORBIDDEN',
    );
    const before = await ctx.db
      .selectFrom('parameter_values')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_longevity_100', from: '2099-01-01', value: '120.50', note: '2099 年调标' });
    const after = await ctx.db
      .selectFrom('parameter_values')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    const row = await ctx.db.selectFrom('parameter_values').selectAll().where('valid_from', '=', '2099-01-01').executeTakeFirstOrThrow();
    expect(JSON.parse(row.value)).toBe(12050);
    // values are append-only in the database
    await expect(ctx.db.updateTable('parameter_values').set({ value: '1' }).where('id', '=', row.id).execute()).rejects.toThrow(/append-only/);
  });
});

describe.each(dialects)('entitlement runs without standards (%s)', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
  });
  afterAll(async () => ctx?.cleanup());

  it('refuses to start while a parameter it needs is unset, and writes nothing', async () => {
    const e = await startRun(ctx, countyScope(ctx), THIS_MONTH).then(
      () => null,
      (x: unknown) => x as AppError<'PARAMETERS_UNSET'>,
    );
    expect(e?.code).toBe('PARAMETERS_UNSET');
    expect(e?.params.names.zh).toContain('养老服务补贴');
    expect(e?.params.names.en).toContain('(nx_service_subsidy)');
    expect((e?.details as { parameters: string[] }).parameters).toContain('nx_service_subsidy');
    const n = await sql<{ n: number }>`select count(*) as n from entitlement_runs`.execute(ctx.db);
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it('refuses a malformed or far-future period', async () => {
    expect(await codeOf(startRun(ctx, countyScope(ctx), '2024-13'))).toBe('PERIOD_FORMAT');
    expect(await codeOf(startRun(ctx, countyScope(ctx), '2999-01'))).toBe('PERIOD_TOO_FAR');
  });
});
