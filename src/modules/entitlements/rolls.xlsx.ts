import ExcelJS from 'exceljs';
import type { RollRow } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { revealer } from '../../platform/reveal.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { addSheet, HEADER_ROW, safeCell, type CellValue } from '../../platform/xlsx.js';
import { payeeAccounts, type PayeeAccount } from '../register/people.js';
import { differenceMonths, type DifferenceMonthView } from './differences.js';
import { withIdNumbers } from './people.js';
import { rollFor } from './rolls.service.js';
import { yuan } from './self-check.js';

/**
 * The roll as the county finance office takes it (issue 14): the payment instrument of a month's
 * roll (发放名册), a back-pay roll (补发名册) or a recovery list (追回清单).
 *
 * - rows 1-2: the title (an unapproved roll says 【…未审核，不作发放依据】) and a line naming the
 *   county, period, item, town, kind, status and 单位：元; row 3 the header, frozen on screen and
 *   repeated on every printed page, page numbers in the footer (platform/xlsx.ts lays these out);
 * - the lines paid first, numbered from 1, closed by their total (a SUM formula with its result
 *   cached); then, under a sub-header, the lines held back (by the maker, or paused automatically:
 *   their remark says why), numbered from 1 again, with their standard (应发) and amount 0 — so
 *   the paid count and sum are never mixed with the held ones; then one line with both counts;
 * - below, the signature block: 制表人 and 审核人 with the real names the roll was signed with and
 *   the dates, 负责人 left blank to sign by hand, and （盖章）.
 *
 * It carries full ID numbers because it is the payment instrument, so only roles that may reveal
 * IDs export it, and each export is audited with the number of lines it disclosed. The payee card
 * is shown masked with its bank: the full number goes to the bank only (payments module).
 */

const STATUS_ZH: Record<string, string> = { draft: '草稿', submitted: '待审核', returned: '已退回', approved: '已审核', superseded: '已被替换' };

const KIND_ZH: Record<RollRow['kind'], string> = { regular: '发放名册', backpay: '补发名册', recovery: '追回清单' };

/** The columns, A to K. */
const COLUMNS = [
  { header: '序号', width: 6 },
  { header: '姓名', width: 10 },
  { header: '身份证号', width: 21 },
  { header: '镇街', width: 12 },
  { header: '村社区', width: 14 },
  { header: '项目', width: 12 },
  { header: '发放账户', width: 32 },
  { header: '标准(元)', width: 11 },
  { header: '金额(元)', width: 11 },
  { header: '状态', width: 10 },
  { header: '备注', width: 40 },
] as const;
const COL = { no: 1, name: 2, id: 3, town: 4, village: 5, item: 6, account: 7, standard: 8, amount: 9, status: 10, remark: 11 } as const;
const LAST = COLUMNS.length;
const letter = (col: number) => String.fromCharCode(64 + col);

export const NO_ACCOUNT = '无发放账户';

/** The account cell: bank and masked card number; the holder when it is not the person. */
export function accountText(name: string, a: PayeeAccount | undefined): string {
  if (!a?.cardMasked) return NO_ACCOUNT;
  const holder = a.holder && a.holder !== name ? `（户名：${a.holder}）` : '';
  return `${a.bank ? `${a.bank} ` : ''}${a.cardMasked}${holder}`;
}

/** The civil date (Asia/Shanghai) of a stored instant, for the signature lines. */
const dateOf = (at: string | null) => (at ? today(new Date(at)) : null);

const BLANK = '________';
/** The ideographic space between the parts of a line. */
const GAP = '\u3000';

export async function exportRoll(ctx: AppContext, scope: Scope, id: number): Promise<{ fileName: string; body: Buffer }> {
  requireAction(scope, 'rolls.read');
  const reveal = revealer(ctx.cipher, scope);
  return ctx.db.transaction().execute(async (trx) => {
    const roll = await rollFor(trx, scope, id);
    const lines = await withIdNumbers(
      trx,
      await trx
        .selectFrom('roll_lines')
        .select([
          'roll_lines.person_id',
          'roll_lines.region_code',
          'roll_lines.amount_fen',
          'roll_lines.standard_fen',
          'roll_lines.remark',
          'roll_lines.excluded',
        ])
        .where('roll_lines.roll_id', '=', id)
        .orderBy('roll_lines.region_code')
        .orderBy('roll_lines.person_id')
        .execute(),
    );
    const personIds = lines.map((l) => l.person_id);
    const accounts = await payeeAccounts(trx, personIds);
    const months = roll.kind === 'regular' ? null : await differenceMonths(trx, id, personIds, 'zh-CN');

    // the jurisdiction that pays: the run's (a county, or the city for an item of its own)
    const payer = await trx.selectFrom('entitlement_runs').select('region_code').where('id', '=', roll.run_id).executeTakeFirst();
    const county = (payer && ctx.regions.get(payer.region_code)?.name) ?? ctx.regions.jurisdictionOf(roll.town_code)?.name ?? '';
    const town = ctx.regions.get(roll.town_code)?.name ?? roll.town_code;
    const [y, m] = roll.period.split('-');
    const kind = KIND_ZH[roll.kind] ?? KIND_ZH.regular;
    const approved = roll.status === 'approved';
    const statusZh = STATUS_ZH[roll.status] ?? roll.status;
    const title = `${county}${y}年${Number(m)}月${roll.item_name}${kind}（${town}）${approved ? '' : `【${statusZh}，未审核，不作发放依据】`}`;
    const note = [
      `县（市、区）：${county || '—'}`,
      `期间：${y}年${Number(m)}月`,
      `项目：${roll.item_name}`,
      `镇街：${town}`,
      `类别：${kind}`,
      `状态：${statusZh}`,
      '单位：元',
    ].join(GAP);
    // a recovery list takes money back: its lines are 追回, not 发放
    const verb = roll.kind === 'recovery' ? '追回' : '发放';
    const held = `暂停${verb}`;
    const due = roll.kind === 'recovery' ? '应追回' : '应发';

    type Line = (typeof lines)[number];
    const paid = lines.filter((l) => !l.excluded);
    const heldLines = lines.filter((l) => l.excluded);
    const remarkOf = (l: Line, monthsOf: DifferenceMonthView[]) =>
      [
        l.remark ?? '',
        // a difference line says which months and why: 2026-09 应发 0.00 已发 60.00（户籍状态：正常 → 死亡（公安，2026-08-31 起））
        ...monthsOf.map((d) => `${d.month} 应发 ${yuan(d.dueFen)} 已发 ${yuan(d.paidFen)}（${d.reasons.join('；')}）`),
      ]
        .filter(Boolean)
        .join('\n');
    const cells = (l: Line, i: number): CellValue[] => [
      i + 1,
      l.person.name,
      reveal(l.person.idEnc),
      town,
      ctx.regions.get(l.region_code)?.name ?? l.region_code,
      roll.item_name,
      accountText(l.person.name, accounts.get(l.person_id)),
      Number(yuan(l.standard_fen)),
      Number(yuan(l.amount_fen)),
      l.excluded ? held : verb,
      remarkOf(l, months?.get(l.person_id) ?? []) || null,
    ];

    const wb = new ExcelJS.Workbook();
    wb.creator = 'Yiyang';
    // title, note, the header (frozen, repeated on every printed page), page numbers, A4 landscape
    // fit to width, every text cell through safeCell: the platform's layout; then the paid lines
    const ws = addSheet(wb, {
      title,
      note,
      sheetName: `${roll.item_name}${kind}`,
      columns: COLUMNS.map((c, col) => ({ header: c.header, width: c.width, value: (l: Line, i: number) => cells(l, i)[col] })),
      rows: paid,
    });
    ws.pageSetup.margins = { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 };
    ws.pageSetup.horizontalCentered = true;

    const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
    let r = HEADER_ROW + 1 + paid.length;
    /** A row of the table: text through safeCell, a formula as it is; bordered like the platform's rows. */
    const put = (cellsOf: Array<CellValue | ExcelJS.CellFormulaValue>, bold = false) => {
      const row = ws.getRow(r++);
      row.values = cellsOf.map((v) => (typeof v === 'string' ? safeCell(v) : (v ?? null)));
      for (let c = 1; c <= LAST; c++) row.getCell(c).border = border;
      if (bold) row.font = { bold: true };
      return row;
    };
    /** A row across the table's width. */
    const banner = (text: string, bold = true, bordered = true) => {
      ws.mergeCells(r, 1, r, LAST);
      const row = ws.getRow(r++);
      row.getCell(1).value = safeCell(text);
      if (bordered) row.getCell(1).border = border;
      if (bold) row.font = { bold: true };
      return row;
    };
    const sum = (col: number, from: number, count: number, fen: number): CellValue | ExcelJS.CellFormulaValue =>
      count ? { formula: `SUM(${letter(col)}${from}:${letter(col)}${from + count - 1})`, result: Number(yuan(fen)) } : 0;
    const blankRow = (first: CellValue, second: CellValue) => {
      const v: Array<CellValue | ExcelJS.CellFormulaValue> = Array.from({ length: LAST }, () => null);
      v[0] = first;
      v[1] = second;
      return v;
    };

    const paidFen = paid.reduce((a, l) => a + l.amount_fen, 0);
    const paidTotal = blankRow(`${verb}合计`, `${paid.length} 人`);
    paidTotal[COL.amount - 1] = sum(COL.amount, HEADER_ROW + 1, paid.length, paidFen);
    put(paidTotal, true);

    const heldDueFen = heldLines.reduce((a, l) => a + l.standard_fen, 0);
    if (heldLines.length) {
      banner(`${held}（以下 ${heldLines.length} 人本期不${verb}，不计入${verb}合计）`);
      const first = r;
      heldLines.forEach((l, i) => put(cells(l, i)));
      const heldTotal = blankRow(`${held}合计`, `${heldLines.length} 人`);
      heldTotal[COL.standard - 1] = sum(COL.standard, first, heldLines.length, heldDueFen);
      heldTotal[COL.amount - 1] = sum(
        COL.amount,
        first,
        heldLines.length,
        heldLines.reduce((a, l) => a + l.amount_fen, 0),
      );
      heldTotal[COL.remark - 1] = `${due} ${yuan(heldDueFen)} 元，本期不${verb}`;
      put(heldTotal, true);
    }
    banner(
      `名册共 ${lines.length} 人：${verb} ${paid.length} 人，合计 ${yuan(paidFen)} 元；${held} ${heldLines.length} 人` +
        (heldLines.length ? `（${due} ${yuan(heldDueFen)} 元）` : ''),
    );
    const tableEnd = r - 1;
    for (let row = HEADER_ROW + 1; row <= tableEnd; row++) ws.getRow(row).alignment = { vertical: 'middle', wrapText: true };
    ws.getRow(HEADER_ROW).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    ws.getColumn(COL.id).numFmt = '@';
    for (const col of [COL.standard, COL.amount]) ws.getColumn(col).numFmt = '0.00';

    // the signature block: the names the roll was signed with (users' real names, set at submit and
    // approval); who has not signed yet, and the 负责人 always, leaves a line to sign by hand
    r++;
    const signed = roll.status === 'submitted' || approved;
    const maker = signed && roll.made_by_name ? roll.made_by_name : BLANK;
    const makerDate = (signed && dateOf(roll.made_at)) || BLANK;
    const checker = approved && roll.checked_by_name ? roll.checked_by_name : BLANK;
    const checkerDate = (approved && dateOf(roll.checked_at)) || BLANK;
    const block = (from: number, to: number, text: string) => {
      ws.mergeCells(r, from, r, to);
      ws.getRow(r).getCell(from).value = safeCell(text);
    };
    block(1, 4, `制表人：${maker}${GAP}日期：${makerDate}`);
    block(5, 7, `审核人：${checker}${GAP}日期：${checkerDate}`);
    block(8, LAST, `负责人：${BLANK}${GAP}日期：${BLANK}`);
    ws.getRow(r).height = 30;
    ws.getRow(r).alignment = { vertical: 'bottom' };
    r += 2;
    block(8, LAST, '（盖章）');
    ws.getRow(r).getCell(8).alignment = { horizontal: 'center' };

    await recordAudit(trx, scope, {
      action: 'rolls.export',
      entityType: 'roll',
      entityId: id,
      regionCode: roll.town_code,
      fields: ['idNumber'],
      detail: {
        period: roll.period,
        item: roll.item_id,
        lines: lines.length,
        paid: paid.length,
        held: heldLines.length,
        totalFen: paidFen,
        status: roll.status,
      },
    });
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    return { fileName: `${roll.period}-${roll.item_name}-${town}.xlsx`, body };
  });
}
