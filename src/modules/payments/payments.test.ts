import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import type { Scope } from '../../platform/scope.js';
import { demoCard } from '../demo/files.js';
import { makeResidentId } from '../register/resident-id.js';
import { maskCard } from '../register/sources/payee.js';
import { failedPaymentsSource } from '../entitlements/payments.queries.js';
import { bankLayoutsSetting, type BankLayout } from './payments.settings.js';
import { exportDisbursement, failedUnreissued, importReturn, listPayments, markReissued, rollPayments } from './payments.service.js';

// Bank disbursement and reconciliation (issue 14): an approved roll goes to the bank as its file,
// the bank's return file marks lines paid or failed, failed lines wait for the next month's roll.
describe.each(dialects)('bank disbursement and reconciliation (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let inspector: Scope;
  let town2: Scope;
  let village: string;
  let village2: string;
  let town1Code: string;
  let town2Code: string;
  const ids = [1, 2, 3, 4].map((n) => makeResidentId('990101', '1940-05-06', n, n % 2 ? 'M' : 'F'));
  const names = ['赵一', '钱二', '孙三', '李四'];
  const personIds: number[] = [];
  let runId = 0;

  async function roll(
    period: string,
    townCode: string,
    lines: Array<{ person: number; fen: number; excluded?: boolean }>,
    status: 'approved' | 'draft' = 'approved',
    kind: 'regular' | 'backpay' = 'regular',
  ) {
    const r = await ctx.db
      .insertInto('payment_rolls')
      .values({
        run_id: ++runId,
        period,
        item_id: 'nx-1',
        item_name: '高龄津贴',
        town_code: townCode,
        kind,
        // lines go into a draft; an approved roll's lines are frozen by the database
        status: 'draft',
        lines: lines.length,
        total_fen: lines.reduce((a, l) => a + l.fen, 0),
        made_by: null,
        made_by_name: 'town1',
        made_at: null,
        checked_by: null,
        checked_by_name: 'checker1',
        checked_at: null,
        note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const l of lines)
      await ctx.db
        .insertInto('roll_lines')
        .values({
          roll_id: r.id,
          person_id: personIds[l.person]!,
          region_code: townCode === town1Code ? village : village2,
          amount_fen: l.fen,
          standard_fen: l.fen,
          excluded: l.excluded ? 1 : 0,
          remark: null,
        })
        .execute();
    if (status === 'approved') await ctx.db.updateTable('payment_rolls').set({ status }).where('id', '=', r.id).execute();
    return r.id;
  }

  const csvRows = (body: Buffer) =>
    body
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
  const returnFile = (rows: string[][]) => Buffer.from(['批次号,身份证号,账号,金额,状态码,失败原因', ...rows.map((r) => r.join(','))].join('\r\n'), 'utf8');
  const state = async () => ({
    batches: await ctx.db.selectFrom('payment_batches').selectAll().orderBy('id').execute(),
    lines: await ctx.db.selectFrom('payment_lines').selectAll().orderBy('id').execute(),
    returns: await ctx.db.selectFrom('payment_returns').selectAll().orderBy('id').execute(),
  });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    admin = await userScope(ctx, 'admin');
    inspector = await userScope(ctx, 'inspector1');
    town2 = await userScope(ctx, 'town2');
    const towns = ctx.regions.all().filter((r) => r.level === 'town');
    town2Code = town2.regionCode;
    town1Code = towns.find((t) => t.code !== town2Code)!.code;
    village = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === town1Code)!.code;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === town2Code)!.code;
    await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', ...ids.map((id, i) => `${id},${names[i]},${village}`)].join('\n'));
    // persons 0..2 have accounts; person 3 has none
    await importText(
      ctx,
      'civil_affairs',
      ['身份证号,姓名,银行卡号,开户银行,账户户名', ...ids.slice(0, 3).map((id, i) => `${id},${names[i]},${demoCard(id)},农村商业银行,${names[i]}`)].join('\n'),
    );
    for (const id of ids)
      personIds.push((await ctx.db.selectFrom('persons').select('id').where('id_hash', '=', ctx.cipher.lookupHash(id)).executeTakeFirstOrThrow()).id);
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  it('a bank return file marks two lines failed; they are listed with the reasons and handed to the next month', async () => {
    const rollId = await roll('2026-09', town1Code, [
      { person: 0, fen: 20000 },
      { person: 1, fen: 20000 },
      { person: 2, fen: 30000 },
      { person: 3, fen: 10000, excluded: true },
    ]);
    const file = await exportDisbursement(ctx, admin, rollId);
    expect(file.fileName).toMatch(/\.csv$/);
    const [header, ...rows] = csvRows(file.body);
    expect(header).toEqual(['序号', '批次号', '账号', '户名', '身份证号', '金额', '摘要']);
    // the held-back line is not sent; full card and ID numbers are
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(['1', `YY202609-${rollId}`, demoCard(ids[0]!), names[0], ids[0], '200.00', '高龄津贴']);
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'payments.export').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail ?? '{}')).toMatchObject({ lines: 3, totalFen: 70000 });

    const ref = `YY202609-${rollId}`;
    const applied = await importReturn(ctx, admin, rollId, {
      name: 'return.csv',
      body: returnFile([
        [ref, ids[0]!, '', '200.00', '0000', ''],
        [ref, '', demoCard(ids[1]!), '200', '3012', '账户已销户'],
        [ref, ids[2]!, '', '300.00', '3001', '户名不符'],
      ]),
    });
    expect(applied).toMatchObject({ rows: 3, paid: 1, failed: 2 });
    const detail = await rollPayments(ctx, admin, rollId);
    expect(detail.batch).toMatchObject({ reference: ref, paid: 1, failed: 2, pending: 0 });
    expect(detail.failed.map((f) => [f.name, f.reason, f.cardMasked])).toEqual([
      [names[1], '账户已销户', maskCard(demoCard(ids[1]!))],
      [names[2], '户名不符', maskCard(demoCard(ids[2]!))],
    ]);
    // the failed lines name people: an audited read naming them
    const read = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'payments.read').execute();
    expect(JSON.parse(read.at(-1)!.detail ?? '{}').persons).toEqual([personIds[1], personIds[2]]);
    expect((await listPayments(ctx, admin)).find((p) => p.rollId === rollId)?.batch).toMatchObject({ paid: 1, failed: 2 });

    // what the next month's roll sink reads, and marks once it has re-issued them
    const failed = await failedUnreissued(ctx.db, ctx.regions.counties()[0]!.prefix);
    expect(failed.map((f) => [f.personId, f.period, f.itemId, f.amountFen])).toEqual([
      [personIds[1], '2026-09', 'nx-1', 20000],
      [personIds[2], '2026-09', 'nx-1', 30000],
    ]);
    expect(await failedUnreissued(ctx.db, ctx.regions.get(town2Code)!.prefix)).toEqual([]);
    // the rolls' sink reaches them through the source payments hands in at start (it may not import payments)
    expect(await failedPaymentsSource()!.failedUnreissued(ctx.db, ctx.regions.get(town1Code)!.prefix)).toEqual(failed);
    const next = await roll('2026-10', town1Code, [{ person: 0, fen: 20000 }]);
    expect(
      await markReissued(
        ctx.db,
        failed.map((f) => f.lineId),
        next,
      ),
    ).toBe(2);
    expect(
      await markReissued(
        ctx.db,
        failed.map((f) => f.lineId),
        next,
      ),
    ).toBe(0);
    expect(await failedUnreissued(ctx.db, ctx.regions.counties()[0]!.prefix)).toEqual([]);
    // the roll carrying them is superseded by a re-run: they wait again, then go into the new roll
    expect(await failedPaymentsSource()!.releaseReissued(ctx.db, next)).toBe(2);
    expect((await failedUnreissued(ctx.db, ctx.regions.counties()[0]!.prefix)).map((f) => f.lineId)).toEqual(failed.map((f) => f.lineId));
    expect(
      await markReissued(
        ctx.db,
        failed.map((f) => f.lineId),
        next,
      ),
    ).toBe(2);
    // a re-issued line cannot be changed by a late return file
    const late = await codeOf(importReturn(ctx, admin, rollId, { name: 'r.csv', body: returnFile([[ref, ids[1]!, '', '200.00', '0000', '']]) }));
    expect(late).toBe('PAYMENT_RETURN_REISSUED');
  });

  it('refuses bad return files whole: another roll, a person not in the roll, a wrong amount; nothing changes', async () => {
    const rollA = await roll('2026-07', town1Code, [{ person: 0, fen: 20000 }]);
    const rollB = await roll('2026-07', town2Code, [{ person: 1, fen: 20000 }]);
    await exportDisbursement(ctx, admin, rollA);
    await exportDisbursement(ctx, admin, rollB);
    const before = await state();
    const refA = `YY202607-${rollA}`;
    const refB = `YY202607-${rollB}`;
    const tries = {
      otherRoll: returnFile([[refB, ids[1]!, '', '200.00', '0000', '']]),
      otherRollSecondRow: returnFile([
        [refA, ids[0]!, '', '200.00', '0000', ''],
        [refB, ids[1]!, '', '200.00', '0000', ''],
      ]),
      notInRoll: returnFile([
        [refA, ids[0]!, '', '200.00', '3012', '销户'],
        [refA, ids[2]!, '', '200.00', '0000', ''],
      ]),
      amount: returnFile([[refA, ids[0]!, '', '199.00', '0000', '']]),
      repeated: returnFile([
        [refA, ids[0]!, '', '200.00', '3012', '销户'],
        [refA, '', demoCard(ids[0]!), '200.00', '0000', ''],
      ]),
      columns: Buffer.from('批次号,金额\r\nx,1', 'utf8'),
    };
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.otherRoll }))).toBe('PAYMENT_RETURN_OTHER_ROLL');
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.otherRollSecondRow }))).toBe('PAYMENT_RETURN_OTHER_ROLL');
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.notInRoll }))).toBe('PAYMENT_RETURN_UNKNOWN_PERSON');
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.amount }))).toBe('PAYMENT_RETURN_AMOUNT');
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.repeated }))).toBe('PAYMENT_RETURN_REPEATED');
    expect(await codeOf(importReturn(ctx, admin, rollA, { name: 'x.csv', body: tries.columns }))).toBe('PAYMENT_RETURN_COLUMNS');
    // a town officer of another town does not see the roll at all
    expect(await codeOf(importReturn(ctx, town2, rollA, { name: 'x.csv', body: returnFile([[refA, ids[0]!, '', '200.00', '0000', '']]) }))).toBe('NOT_FOUND');
    expect(await state()).toEqual(before);
    // the same file for the right roll applies (XLSX as well as CSV)
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('回盘');
    ws.addRow(['批次号', '身份证号', '账号', '金额', '状态码', '失败原因']);
    ws.addRow([refA, ids[0], '', '200.00', '0000', '']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await importReturn(ctx, admin, rollA, { name: 'r.xlsx', body: xlsx })).toMatchObject({ paid: 1, failed: 0 });
  });

  it('flags DUPLICATE before export: the same person, month and item in another exported roll (roll_lines is keyed by roll and person)', async () => {
    const first = await roll('2026-05', town1Code, [{ person: 0, fen: 20000 }]);
    await exportDisbursement(ctx, admin, first);
    // moved to town 2 in the same month: the other town's roll pays them again
    const second = await roll('2026-05', town2Code, [
      { person: 0, fen: 20000 },
      { person: 1, fen: 20000 },
    ]);
    const before = await state();
    const err = (await exportDisbursement(ctx, admin, second).then(
      () => ({}),
      (e: unknown) => e,
    )) as { code: string; message: string; details: unknown };
    expect(err).toMatchObject({ code: 'PAYMENT_DUPLICATE', details: { personIds: [personIds[0]] } });
    expect(err.message).toContain(names[0]);
    expect(await state()).toEqual(before);
    // a back-pay roll of the same month pays earlier months' differences: not a duplicate
    const backpay = await roll('2026-05', town1Code, [{ person: 0, fen: 5000 }], 'approved', 'backpay');
    expect(csvRows((await exportDisbursement(ctx, admin, backpay)).body)).toHaveLength(2);
    // re-exporting the roll already sent is not a duplicate of itself
    expect((await exportDisbursement(ctx, admin, first)).body.length).toBeGreaterThan(0);
    // a payment that failed is not paid: its month may be paid again (in another town's roll)
    const failedOne = await roll('2026-06', town1Code, [{ person: 2, fen: 20000 }]);
    await exportDisbursement(ctx, admin, failedOne);
    const ref = `YY202606-${failedOne}`;
    await importReturn(ctx, admin, failedOne, { name: 'r.csv', body: returnFile([[ref, ids[2]!, '', '200.00', '3012', '账户冻结']]) });
    const again = await roll('2026-06', town2Code, [{ person: 2, fen: 20000 }]);
    expect(csvRows((await exportDisbursement(ctx, admin, again)).body)).toHaveLength(2);
  });

  it('refuses an export without an account, with a wrong check digit for a Luhn bank, by a role without reveal, or of a roll not approved', async () => {
    const noAccount = await roll('2026-03', town1Code, [{ person: 3, fen: 20000 }]);
    const before = await state();
    expect(await codeOf(exportDisbursement(ctx, admin, noAccount))).toBe('PAYMENT_ACCOUNT_MISSING');
    expect(await codeOf(exportDisbursement(ctx, inspector, noAccount))).toBe('FORBIDDEN');
    const draft = await roll('2026-02', town1Code, [{ person: 0, fen: 20000 }], 'draft');
    expect(await codeOf(exportDisbursement(ctx, admin, draft))).toBe('PAYMENT_ROLL_NOT_APPROVED');
    expect(await codeOf(exportDisbursement(ctx, admin, noAccount, '不存在的银行'))).toBe('PAYMENT_BANK_UNKNOWN');
    // an account number stored before the check (a passbook number read as a card by this bank)
    const passbook = '622202123456789';
    await ctx.db
      .updateTable('persons')
      .set({ payee_card_enc: ctx.cipher.encrypt(passbook), payee_card_hash: ctx.cipher.lookupHash(passbook), payee_card_masked: maskCard(passbook) })
      .where('id', '=', personIds[3]!)
      .execute();
    expect(await codeOf(exportDisbursement(ctx, admin, noAccount))).toBe('PAYMENT_ACCOUNT_INVALID');
    expect(await state()).toEqual(before);
    // a bank whose layout does not check Luhn takes it, in XLSX
    const layouts = ctx.settings.get(bankLayoutsSetting, ctx.regions.counties()[0]!.code);
    const passbookBank: BankLayout = { ...layouts[0]!, bank: '邮储银行', format: 'xlsx', luhn: false };
    await ctx.settings.set(ctx, admin, ctx.regions.counties()[0]!.code, 'bank_layouts', [...layouts, passbookBank], '增加邮储银行代发');
    const file = await exportDisbursement(ctx, admin, noAccount, '邮储银行');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.getRow(2).getCell(3).text).toBe(passbook);
  });
});
