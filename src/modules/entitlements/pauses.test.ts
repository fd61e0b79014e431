import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { nextPeriod, previousPeriod, today } from '../../platform/time.js';
import { codeOf, createTestContext, dialects, importText, userScope as scopeOf, type TestContext } from '../../testing/harness.js';
import { demoCard } from '../demo/files.js';
import { seedDemo } from '../demo/seed.js';
import { exportDisbursement } from '../payments/payments.service.js';
import type { DifferenceReason } from './differences.js';
import { runImpact } from './impact.js';
import { liftPause, pausedQueue, personPauses, setPause } from './pauses.js';
import { approveRoll, editLine, getRoll, submitRoll } from './rolls.service.js';
import { startRun } from './runs.service.js';

/**
 * Paused entitlements (issue 14): someone eligible but not payable — no account to pay into, or
 * paused by an officer (abroad, cannot be reached, under verification) — is on the roll as a paused
 * line with the reason and the amount due, listed in the officer's queue, and paid back once the
 * cause is gone where the officer says so. Each test failed before entitlements/pauses.ts.
 */
const THIS_MONTH = today().slice(0, 7);
const LAST_MONTH = previousPeriod(THIS_MONTH);
const NEXT_MONTH = nextPeriod(THIS_MONTH);
const ITEM = 'nx-10';

describe.each(dialects)('paused entitlements (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let town1: Scope;
  let town2: Scope;
  let grid1: Scope;
  /** A: no account; B: paused (abroad), lifted without pay-back; C: paused (verification), lifted with pay-back */
  let a: number, b: number, c: number;
  let pauseB: number, pauseC: number;
  let paidRollId: number;

  const run = async (period: string) => {
    const { done } = await startRun(ctx, admin, period);
    await done;
  };
  async function townRoll(period: string, kind: 'regular' | 'backpay' | 'recovery' = 'regular') {
    const latest = await ctx.db
      .selectFrom('entitlement_runs')
      .select('id')
      .where('period', '=', period)
      .where('status', '=', 'finished')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return ctx.db
      .selectFrom('payment_rolls')
      .selectAll()
      .where('run_id', '=', latest.id)
      .where('item_id', '=', ITEM)
      .where('kind', '=', kind)
      .where('town_code', '=', town1.regionCode)
      .executeTakeFirst();
  }
  const lineOf = (rollId: number, person: number) =>
    ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', rollId).where('person_id', '=', person).executeTakeFirst();

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 150 });
    await seedDemo(ctx, { elders: 500, seed: 14 });
    admin = await scopeOf(ctx, 'admin');
    town1 = await scopeOf(ctx, 'town1');
    town2 = await scopeOf(ctx, 'town2');
    grid1 = await scopeOf(ctx, 'grid1');
    const draft = (await townRoll(LAST_MONTH))!;
    const lines = await ctx.db
      .selectFrom('roll_lines')
      .selectAll()
      .where('roll_id', '=', draft.id)
      .where('excluded', '=', 0)
      // people the demo left at home: no pause already (a resident of an institution is paused for it)
      .where('person_id', 'not in', ctx.db.selectFrom('payment_pauses').select('person_id').where('lifted_at', 'is', null))
      .orderBy('person_id')
      .limit(3)
      .execute();
    [a, b, c] = lines.map((l) => l.person_id) as [number, number, number];
    // A's account is not on the register (as if the civil-affairs file had none)
    await ctx.db
      .updateTable('persons')
      .set({ payee_card_enc: null, payee_card_hash: null, payee_card_masked: null, payee_bank: null, payee_holder: null })
      .where('id', '=', a)
      .execute();
    pauseB = (await setPause(ctx, town1, b, { reason: 'abroad', items: null, since: LAST_MONTH, note: '赴新加坡探亲，居住超过半年' })).id;
    pauseC = (await setPause(ctx, town1, c, { reason: 'verification', items: [ITEM], since: LAST_MONTH, note: '户籍信息待公安核实' })).id;
    await run(LAST_MONTH);
    paidRollId = (await townRoll(LAST_MONTH))!.id;
  }, 240_000);
  afterAll(async () => ctx?.cleanup());

  it('puts the person without an account and the persons paused by an officer on the roll as paused lines, with the reason and the amount due', async () => {
    const la = (await lineOf(paidRollId, a))!;
    expect(la).toMatchObject({ excluded: 1, amount_fen: 0, pause: 'no_account', pause_id: null, remark: '无发放账户' });
    expect(la.standard_fen).toBeGreaterThan(0);
    expect(await lineOf(paidRollId, b)).toMatchObject({
      excluded: 1,
      amount_fen: 0,
      pause: 'abroad',
      pause_id: pauseB,
      remark: '出境居住：赴新加坡探亲，居住超过半年',
    });
    expect(await lineOf(paidRollId, c)).toMatchObject({ excluded: 1, amount_fen: 0, pause: 'verification', pause_id: pauseC });
    // the roll's total is what it pays
    const roll = (await townRoll(LAST_MONTH))!;
    const lines = await ctx.db.selectFrom('roll_lines').selectAll().where('roll_id', '=', roll.id).execute();
    expect(roll.total_fen).toBe(lines.reduce((s, l) => s + l.amount_fen, 0));
    // the roll page says why, in the viewer's language
    const page = await getRoll(ctx, town1, roll.id, 1, 500, 'en');
    expect(page.lines.find((l) => l.personId === a)).toMatchObject({ excluded: true, pause: 'no_account', pauseText: 'no account to pay into' });
  });

  it('lists them in the paused queue of the town, by reason, and nowhere else', async () => {
    const q = await pausedQueue(ctx, town1, { period: LAST_MONTH, page: 1, pageSize: 200 });
    const byId = new Map(q.items.map((e) => [e.personId, e]));
    expect(byId.get(a)).toMatchObject({ reasons: ['no_account'], reasonText: '无发放账户', since: LAST_MONTH });
    expect(byId.get(a)!.dueFen).toBeGreaterThan(0);
    expect(byId.get(a)!.name).not.toBe('');
    expect(byId.get(b)).toMatchObject({ reasons: ['abroad'], pauseId: pauseB });
    expect(byId.get(c)).toMatchObject({ reasons: ['verification'], pauseId: pauseC });
    expect(q.counts.no_account).toBeGreaterThanOrEqual(1);
    const onlyAbroad = await pausedQueue(ctx, town1, { period: LAST_MONTH, reason: 'abroad', page: 1, pageSize: 200 });
    expect(onlyAbroad.items.map((e) => e.personId)).toEqual([b]);
    // another town sees none of them
    const other = await pausedQueue(ctx, town2, { period: LAST_MONTH, page: 1, pageSize: 200 });
    expect(other.items.map((e) => e.personId)).not.toEqual(expect.arrayContaining([a]));
    expect(other.items.some((e) => [a, b, c].includes(e.personId))).toBe(false);
    // the person's pauses, active first, and whether an account is on file
    expect(await personPauses(ctx, town1, a)).toMatchObject({ items: [], noAccount: true });
    expect((await personPauses(ctx, town1, b)).items[0]).toMatchObject({ reason: 'abroad', liftedAt: null, setByName: expect.stringContaining('工作人员') });
  });

  it('refuses to restore a paused line by hand, and leaves it paused', async () => {
    expect(await codeOf(editLine(ctx, town1, paidRollId, a, { excluded: false, remark: '' }))).toBe('PAUSE_AUTOMATIC');
    expect(await codeOf(editLine(ctx, town1, paidRollId, b, { excluded: false, remark: '' }))).toBe('PAUSE_AUTOMATIC');
    expect(await lineOf(paidRollId, a)).toMatchObject({ excluded: 1, amount_fen: 0, pause: 'no_account' });
    // nobody worked on the roll: re-running the month says it is simply replaced (a newcomer saw 已有人处理过)
    const impact = (await runImpact(ctx, admin, LAST_MONTH)).rolls.find((r) => r.id === paidRollId)!;
    expect(impact).toMatchObject({ heldLines: 0, effect: 'replaced' });
  });

  it('refuses bad pauses with clear errors and changes nothing', async () => {
    const before = await ctx.db.selectFrom('payment_pauses').selectAll().execute();
    expect(await codeOf(setPause(ctx, town1, a, { reason: 'missing', items: null, since: THIS_MONTH, note: '  ' }))).toBe('PAUSE_NOTE_REQUIRED');
    expect(await codeOf(setPause(ctx, town1, b, { reason: 'abroad', items: null, since: THIS_MONTH, note: '再次' }))).toBe('PAUSE_ACTIVE');
    // a grid worker may not pause; another town neither sees the person nor lifts the pause
    expect(await codeOf(setPause(ctx, grid1, a, { reason: 'missing', items: null, since: THIS_MONTH, note: '联系不上' }))).toBe('FORBIDDEN');
    expect(await codeOf(setPause(ctx, town2, a, { reason: 'missing', items: null, since: THIS_MONTH, note: '联系不上' }))).toBe('NOT_FOUND');
    expect(await codeOf(liftPause(ctx, town2, pauseB, { backpay: true, note: '已回国' }))).toBe('NOT_FOUND');
    expect(await codeOf(liftPause(ctx, town1, pauseB, { backpay: true, note: '' }))).toBe('PAUSE_NOTE_REQUIRED');
    expect(await ctx.db.selectFrom('payment_pauses').selectAll().execute()).toEqual(before);
  });

  it('lets the bank file go out without the paused lines (one missing account does not hold up the town)', async () => {
    await submitRoll(ctx, town1, paidRollId, '本月名册');
    await approveRoll(ctx, admin, paidRollId);
    const file = await exportDisbursement(ctx, admin, paidRollId);
    const text = file.body.toString('utf8');
    const paid = await ctx.db.selectFrom('roll_lines').select('person_id').where('roll_id', '=', paidRollId).where('excluded', '=', 0).execute();
    expect(paid.length).toBeGreaterThan(0);
    const batch = await ctx.db.selectFrom('payment_lines').select('person_id').where('roll_id', '=', paidRollId).execute();
    expect(batch.map((l) => l.person_id).sort()).toEqual(paid.map((l) => l.person_id).sort());
    expect(batch.map((l) => l.person_id)).not.toContain(a);
    expect(text.length).toBeGreaterThan(0);
  });

  it('pays the paused month back once the account arrives or the pause is lifted with pay-back, and not when lifted without', async () => {
    const idA = ctx.cipher.decrypt((await ctx.db.selectFrom('persons').select('id_enc').where('id', '=', a).executeTakeFirstOrThrow()).id_enc);
    const nameA = (await ctx.db.selectFrom('persons').select('name').where('id', '=', a).executeTakeFirstOrThrow()).name;
    const res = await importText(
      ctx,
      'civil_affairs',
      ['身份证号,姓名,银行卡号,开户银行,账户户名', `${idA},${nameA},${demoCard(idA)},农村商业银行,${nameA}`].join('\n'),
    );
    expect(res.status).toBe('applied');
    expect(await codeOf(liftPause(ctx, town1, pauseB, { backpay: false, note: '长期居住境外，暂停期间不予补发' }))).toBe('resolved');
    expect(await codeOf(liftPause(ctx, town1, pauseC, { backpay: true, note: '经公安核实户籍无误' }))).toBe('resolved');
    expect(await codeOf(liftPause(ctx, town1, pauseC, { backpay: true, note: '重复' }))).toBe('PAUSE_LIFTED');

    await run(THIS_MONTH);
    const backpay = (await townRoll(THIS_MONTH, 'backpay'))!;
    expect(backpay, 'a back-pay roll of town1').toBeDefined();
    const months = await ctx.db.selectFrom('difference_months').selectAll().where('roll_id', '=', backpay.id).execute();
    const standardA = (await lineOf(paidRollId, a))!.standard_fen;
    const ma = months.find((m) => m.person_id === a)!;
    expect(ma).toMatchObject({ month: LAST_MONTH, due_fen: standardA, paid_fen: 0 });
    expect(JSON.parse(ma.reasons) as DifferenceReason[]).toContainEqual({ kind: 'resumed', pause: 'no_account' });
    const mc = months.find((m) => m.person_id === c)!;
    expect(JSON.parse(mc.reasons) as DifferenceReason[]).toContainEqual({ kind: 'resumed', pause: 'verification' });
    expect(months.some((m) => m.person_id === b)).toBe(false);
    // in words on the roll page
    const page = await getRoll(ctx, town1, backpay.id, 1, 500, 'zh-CN');
    expect(page.lines.find((l) => l.personId === a)!.months![0]!.reasons).toContain('暂停发放（无发放账户）已解除，补发');
    // this month all three are paid on the regular roll
    const regular = (await townRoll(THIS_MONTH))!;
    for (const p of [a, b, c]) expect(await lineOf(regular.id, p)).toMatchObject({ excluded: 0, pause: null });
  });

  it('keeps a back-pay line held back by the maker owed: the next run lists it again (a held line settled nothing)', async () => {
    const backpay = (await townRoll(THIS_MONTH, 'backpay'))!;
    await editLine(ctx, town1, backpay.id, c, { excluded: true, remark: '待补齐核实材料' });
    await submitRoll(ctx, town1, backpay.id, '补发');
    await approveRoll(ctx, admin, backpay.id);
    await run(NEXT_MONTH);
    const next = (await townRoll(NEXT_MONTH, 'backpay'))!;
    expect(next, 'a back-pay roll next month').toBeDefined();
    const people = (await ctx.db.selectFrom('difference_months').select(['person_id', 'month']).where('roll_id', '=', next.id).execute()).filter(
      (m) => m.month === LAST_MONTH,
    );
    expect(people.map((m) => m.person_id)).toContain(c);
    // A's back-pay was approved and paid: not owed again
    expect(people.map((m) => m.person_id)).not.toContain(a);
  });
});
