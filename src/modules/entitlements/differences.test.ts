import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowhere, type Scope } from '../../platform/scope.js';
import { nextPeriod, periodBounds, previousPeriod, today } from '../../platform/time.js';
import { codeOf, createTestContext, dialects, importText, userScope as scopeOf, type TestContext } from '../../testing/harness.js';
import { setParameter } from '../catalogue/catalogue.service.js';
import { seedDemo } from '../demo/seed.js';
import type { DifferenceReason } from './differences.js';
import { approveRoll, getRoll, submitRoll } from './rolls.service.js';
import { startRun } from './runs.service.js';
import { paymentHistory } from './payment-history.js';
import { exportDisbursement, listPayments } from '../payments/payments.service.js';

/**
 * Back-pay and recovery (issue 14): facts that arrive late and standards raised from a date already
 * paid make difference lines in the next run, against what the approved rolls paid. Each test
 * failed before entitlements/differences.ts.
 */
const THIS_MONTH = today().slice(0, 7);
const LAST_MONTH = previousPeriod(THIS_MONTH);
const NEXT_MONTH = nextPeriod(THIS_MONTH);
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';

describe.each(dialects)('back-pay and recovery (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let checker: Scope;
  let town1: Scope;

  const run = async (period: string) => {
    const { run: r, done } = await startRun(ctx, admin, period);
    await done;
    return r;
  };
  /** town1's roll of an item and kind in the latest run of a month. */
  async function townRoll(period: string, itemId: string, kind: 'regular' | 'backpay' | 'recovery' = 'regular') {
    const latest = await ctx.db
      .selectFrom('entitlement_runs')
      .select('id')
      .where('period', '=', period)
      .where('status', '=', 'finished')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const rolls = await ctx.db
      .selectFrom('payment_rolls')
      .selectAll()
      .where('run_id', '=', latest.id)
      .where('item_id', '=', itemId)
      .where('kind', '=', kind)
      .execute();
    const mine = rolls.filter((r) => r.town_code === town1.regionCode);
    return mine[0];
  }
  const monthsOf = (rollId: number) => ctx.db.selectFrom('difference_months').selectAll().where('roll_id', '=', rollId).orderBy('person_id').execute();

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 150 });
    await seedDemo(ctx, { elders: 500, seed: 14 });
    admin = await scopeOf(ctx, 'admin');
    checker = await scopeOf(ctx, 'checker1');
    town1 = await scopeOf(ctx, 'town1');
    // last month is closed in town1: its 高龄津贴 roll submitted by the town and approved by the bureau
    const roll = (await townRoll(LAST_MONTH, 'nx-10'))!;
    await submitRoll(ctx, town1, roll.id, '本月名册');
    await approveRoll(ctx, admin, roll.id);
  }, 240_000);
  afterAll(async () => ctx?.cleanup());

  it('a death reported late makes a recovery (追回) line for the month paid after it, with the fact, its source and date', async () => {
    const paidRoll = (await townRoll(LAST_MONTH, 'nx-10'))!;
    const line = await ctx.db
      .selectFrom('roll_lines')
      .selectAll()
      .where('roll_id', '=', paidRoll.id)
      .where('excluded', '=', 0)
      .orderBy('person_id')
      .executeTakeFirstOrThrow();
    const p = await ctx.db.selectFrom('persons').selectAll().where('id', '=', line.person_id).executeTakeFirstOrThrow();
    const died = periodBounds(previousPeriod(LAST_MONTH)).end; // the day before the paid month began
    const row = [
      ctx.cipher.decrypt(p.id_enc),
      p.name,
      p.sex === 'F' ? '女' : '男',
      p.birth_date,
      p.region_code,
      p.hukou_local ? '本地' : '外地',
      '',
      '死亡',
      died,
    ];
    const imported = await importText(ctx, 'public_security', [PS_HEADER, row.join(',')].join('\n'), { asOf: today() });
    expect(imported.status).toBe('applied');

    await run(THIS_MONTH);
    const recovery = await townRoll(THIS_MONTH, 'nx-10', 'recovery');
    expect(recovery, 'a recovery roll of town1 for 高龄津贴').toBeDefined();
    expect(recovery!.status).toBe('draft');
    const lines = await ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', recovery!.id).execute();
    expect(lines.map((l) => [l.person_id, l.amount_fen])).toContainEqual([p.id, line.amount_fen]);
    const months = (await monthsOf(recovery!.id)).filter((m) => m.person_id === p.id);
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ month: LAST_MONTH, due_fen: 0, paid_fen: line.amount_fen, item_id: 'nx-10' });
    const reasons = JSON.parse(months[0]!.reasons) as DifferenceReason[];
    expect(reasons).toContainEqual(
      expect.objectContaining({ kind: 'fact', field: 'status', from: 'active', to: 'deceased', source: 'public_security', effectiveOn: died }),
    );
    // the roll page shows the kind, and each line's months with the reason in words, in the viewer's language
    const page = await getRoll(ctx, town1, recovery!.id, 1, 500, 'zh-CN');
    expect(page.roll.kind).toBe('recovery');
    const shown = page.lines.find((l) => l.personId === p.id)!;
    expect(shown.months).toEqual([{ month: LAST_MONTH, dueFen: 0, paidFen: line.amount_fen, reasons: [`户籍状态：正常 → 死亡（公安（户籍），${died} 起）`] }]);
    const en = await getRoll(ctx, town1, recovery!.id, 1, 500, 'en');
    expect(en.lines.find((l) => l.personId === p.id)!.months![0]!.reasons[0]).toMatch(
      /^household registration status: .* → .* \(Public security \(household registration\), from /,
    );
    // this month's own roll does not net it away: the person is simply not on it
    const regular = (await townRoll(THIS_MONTH, 'nx-10'))!;
    expect(
      await ctx.db.selectFrom('roll_lines').select('person_id').where('roll_id', '=', regular.id).where('person_id', '=', p.id).executeTakeFirst(),
    ).toBeUndefined();
    // approved, a recovery list is a list of amounts to recover from people, never a bank payment
    await submitRoll(ctx, town1, recovery!.id, '追回');
    await approveRoll(ctx, admin, recovery!.id);
    expect(await codeOf(exportDisbursement(ctx, admin, recovery!.id))).toBe('PAYMENT_RECOVERY_ROLL');
    expect((await listPayments(ctx, admin)).map((p) => p.rollId)).not.toContain(recovery!.id);
  });

  it('a standard raised from a date already paid makes back-pay (补发) lines for the difference, once', async () => {
    const paidRoll = (await townRoll(LAST_MONTH, 'nx-10'))!;
    const paidLines = await ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', paidRoll.id).where('excluded', '=', 0).execute();
    const before = paidLines[0]!.amount_fen;
    // raised from the first day of the paid month: allowed within the look-back (12 months by default)
    await setParameter(ctx, admin, {
      jurisdiction: 'nanxun',
      name: 'nx_high_age',
      from: periodBounds(LAST_MONTH).start,
      value: before / 100 + 10,
      note: '追溯提标',
    });
    await run(THIS_MONTH);
    const backpay = (await townRoll(THIS_MONTH, 'nx-10', 'backpay'))!;
    expect(backpay).toBeDefined();
    const lines = await ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', backpay.id).execute();
    // those who died before the paid month (the death above) are owed nothing for it
    const dead = (await ctx.db.selectFrom('persons').select('id').where('closed_on', '<', periodBounds(LAST_MONTH).start).execute()).map((d) => d.id);
    const alive = paidLines.filter((l) => !dead.includes(l.person_id));
    expect(lines.length).toBe(alive.length);
    for (const l of lines) expect(l.amount_fen).toBe(1000);
    expect(backpay.total_fen).toBe(1000 * alive.length);
    const m = (await monthsOf(backpay.id))[0]!;
    expect(m).toMatchObject({ month: LAST_MONTH, due_fen: before + 1000, paid_fen: before });
    expect(JSON.parse(m.reasons)).toContainEqual(expect.objectContaining({ kind: 'parameter', name: 'nx_high_age', before, after: before + 1000 }));

    // the month's own roll is approved first: a back-pay roll of the same month, item and town is not a second payment of it
    const regular = (await townRoll(THIS_MONTH, 'nx-10'))!;
    await submitRoll(ctx, town1, regular.id, '本月名册');
    await approveRoll(ctx, admin, regular.id);
    // approved by a second bureau user, the difference is settled: the next run makes no line for it again
    await submitRoll(ctx, town1, backpay.id, '补发');
    await approveRoll(ctx, checker, backpay.id);
    await run(THIS_MONTH);
    const again = await ctx.db
      .selectFrom('payment_rolls')
      .selectAll()
      .where('period', '=', THIS_MONTH)
      .where('kind', '=', 'backpay')
      .where('town_code', '=', town1.regionCode)
      .where('status', '!=', 'superseded')
      .execute();
    expect(again.map((r) => r.id)).toEqual([backpay.id]);
  });

  it('a value before the look-back, in a paid month, is refused; a month beyond it makes no line', async () => {
    const code = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, admin, code, 'backpay.months', 0, '本测试：不回溯');
    try {
      expect(
        await codeOf(setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(LAST_MONTH).end, value: 99, note: 'x' })),
      ).toBe('PARAM_MONTH_PAID');
    } finally {
      await ctx.settings.set(ctx, admin, code, 'backpay.months', 12, '恢复默认');
    }
  });

  it("a person's payment history lists each month's line with its roll, status and whether it was paid, audited, in the viewer's scope only", async () => {
    const paidRoll = (await townRoll(LAST_MONTH, 'nx-10'))!;
    const line = await ctx.db
      .selectFrom('roll_lines')
      .selectAll()
      .where('roll_id', '=', paidRoll.id)
      .where('excluded', '=', 0)
      .orderBy('person_id', 'desc')
      .executeTakeFirstOrThrow();
    const { items } = await paymentHistory(ctx, town1, line.person_id, 'zh-CN');
    expect(items).toContainEqual(
      expect.objectContaining({
        rollId: paidRoll.id,
        period: LAST_MONTH,
        itemId: 'nx-10',
        kind: 'regular',
        status: 'approved',
        amountFen: line.amount_fen,
        settled: true,
        months: null,
      }),
    );
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', '=', 'entitlements.payments_read')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.entity_id).toBe(String(line.person_id));
    // a viewer whose region does not hold the person does not see them at all
    expect(await codeOf(paymentHistory(ctx, nowhere(town1), line.person_id))).toBe('NOT_FOUND');
  });

  it("a payment the bank returned as failed is paid again in the next run's back-pay roll, with the bank's reason, and marked re-issued", async () => {
    const paidRoll = (await townRoll(LAST_MONTH, 'nx-10'))!;
    const two = await ctx.db
      .selectFrom('roll_lines')
      .selectAll()
      .where('roll_id', '=', paidRoll.id)
      .where('excluded', '=', 0)
      .orderBy('person_id')
      .offset(1)
      .limit(2)
      .execute();
    // the bank's return file as the payments module records it: the batch exported, two lines failed
    const batch = await ctx.db
      .insertInto('payment_batches')
      .values({
        roll_id: paidRoll.id,
        reference: `YY-${paidRoll.id}`,
        period: LAST_MONTH,
        item_id: 'nx-10',
        item_name: '高龄津贴',
        town_code: paidRoll.town_code,
        bank: '示例银行',
        lines: 2,
        total_fen: 0,
        exported_by: null,
        exported_by_name: 'test',
        exported_at: new Date().toISOString(),
        exports: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const l of two)
      await ctx.db
        .insertInto('payment_lines')
        .values({
          batch_id: batch.id,
          roll_id: paidRoll.id,
          person_id: l.person_id,
          region_code: l.region_code,
          period: LAST_MONTH,
          item_id: 'nx-10',
          kind: 'regular',
          amount_fen: l.amount_fen,
          id_hash: `h${l.person_id}`,
          card_hash: `c${l.person_id}`,
          card_masked: '6222 **** **** 0000',
          bank: '示例银行',
          holder: 'x',
          status: 'failed',
          bank_code: '3012',
          reason: '账户已销户',
          return_id: null,
          reissued_roll_id: null,
          reissued_at: null,
        })
        .execute();
    // this month's back-pay roll is approved already (above): they go into next month's
    await run(NEXT_MONTH);
    const backpay = (await townRoll(NEXT_MONTH, 'nx-10', 'backpay'))!;
    const months = await monthsOf(backpay.id);
    for (const l of two) {
      const m = months.find((x) => x.person_id === l.person_id && x.month === LAST_MONTH)!;
      expect(m, `person ${l.person_id}`).toBeDefined();
      // the month was settled (paid and the raise back-paid) but this payment never arrived: it is paid again
      expect(m.due_fen - m.paid_fen).toBe(l.amount_fen);
      expect(JSON.parse(m.reasons)).toContainEqual({ kind: 'payment_failed', rollId: paidRoll.id, bankCode: '3012', reason: '账户已销户' });
    }
    const marked = await ctx.db.selectFrom('payment_lines').select(['person_id', 'reissued_roll_id']).where('batch_id', '=', batch.id).execute();
    expect(marked.map((m) => m.reissued_roll_id)).toEqual([backpay.id, backpay.id]);
    // run again before approval: the new back-pay roll carries them, the superseded one no longer does
    await run(NEXT_MONTH);
    const again = (await townRoll(NEXT_MONTH, 'nx-10', 'backpay'))!;
    expect(again.id).not.toBe(backpay.id);
    const remarked = await ctx.db.selectFrom('payment_lines').select('reissued_roll_id').where('batch_id', '=', batch.id).execute();
    expect(remarked.map((m) => m.reissued_roll_id)).toEqual([again.id, again.id]);
  });

  it("低保 granted from an earlier start (the civil-affairs file's 生效日期) makes back-pay for the months missed", async () => {
    // 养老服务补贴 (nx-15, 低保 and 60+) of last month is paid and closed in town1
    const paidRoll = (await townRoll(LAST_MONTH, 'nx-15'))!;
    if (paidRoll.status !== 'approved') {
      await submitRoll(ctx, town1, paidRoll.id, '本月名册');
      await approveRoll(ctx, admin, paidRoll.id);
    }
    const onRoll = (await ctx.db.selectFrom('roll_lines').select('person_id').where('roll_id', '=', paidRoll.id).execute()).map((l) => l.person_id);
    const p = await ctx.db
      .selectFrom('persons')
      .selectAll()
      .where('status', '=', 'active')
      .where('hardship', '=', 'none')
      .where('birth_date', '<=', '1950-01-01')
      .where('region_code', 'like', `${town1.regionPrefix}%`)
      .where('id', 'not in', onRoll.length ? onRoll : [0])
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const from = periodBounds(LAST_MONTH).start;
    const applied = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别,生效日期\n${ctx.cipher.decrypt(p.id_enc)},${p.name},低保,${from}\n`);
    expect(applied.status).toBe('applied');
    await run(THIS_MONTH);
    const backpay = (await townRoll(THIS_MONTH, 'nx-15', 'backpay'))!;
    expect(backpay, 'a back-pay roll of town1 for 养老服务补贴').toBeDefined();
    const months = (await monthsOf(backpay.id)).filter((m) => m.person_id === p.id);
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ month: LAST_MONTH, paid_fen: 0 });
    expect(months[0]!.due_fen).toBeGreaterThan(0);
    expect(JSON.parse(months[0]!.reasons)).toContainEqual(
      expect.objectContaining({ kind: 'fact', field: 'hardship', from: 'none', to: 'dibao', source: 'civil_affairs', effectiveOn: from }),
    );
  });
});
