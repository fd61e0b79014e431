import ExcelJS from 'exceljs';
import { addSheet, HEADER_ROW, safeCell, type CellValue } from '../../platform/xlsx.js';
import { REASON_CODES } from './anomalies.schema.js';
import type { SettlementLineView } from './settlement.schema.js';

/**
 * A provider's monthly settlement statement (居家上门服务结算单), as the finance office takes it:
 *
 * - rows 1-2: the title (an open month says 【草稿，未关账，不作结算依据】) and a line naming the
 *   county, provider, period, status and 单位：元; row 3 the header, frozen and repeated on every
 *   printed page (platform/xlsx.ts lays these out);
 * - one row per line in the order frozen (by service date, then order), then the adjustments of
 *   earlier closed months; then the totals and a signature block left to sign by hand.
 *
 * A closed month's statement is rebuilt from its frozen lines and must come out byte for byte the
 * same (its SHA-256 is kept at close). Layout 2 (the current one) adds the elder's self-paid part
 * as a column (an accepted line paid nothing by the entitlement reads 全部自费), the held amount
 * (暂缓金额) among the totals and a row for the lines not yet due of an open month; layout 1 is
 * kept unchanged to rebuild the statements closed before layout 2 (their hash is of layout 1): the workbook's creator and dates are fixed (the close's
 * instant), and so are the zip entries' timestamps, which exceljs's zip writer (JSZip) would stamp
 * with the current time — `fixZipTimes` rewrites them after the fact. Names shown are read from
 * the register, items and caregivers when the statement is built: a later rename of one of them
 * would change the bytes (and the check against the hash says so).
 */

export const OUTCOME_ZH: Record<SettlementLineView['outcome'], string> = {
  accepted: '核定支付',
  rejected: '拒付',
  held: '暂缓支付',
  pending: '未完成，不计入',
  adjustment: '调整',
};

/** 1: the first statement (kept for months closed with it); 2: with the self-paid column and the held amount. */
export type StatementLayout = 1 | 2;

const EXTRA_REASONS: Record<string, { zh: string; en: string }> = {
  not_completed: { zh: '未完成签退', en: 'Never checked out' },
  event_voided: { zh: '服务记录已作废', en: 'Visit record voided' },
  feedback_not_given: { zh: '回访称未提供服务', en: 'Feedback call: care not given' },
  cancelled: { zh: '工单已取消', en: 'Order cancelled' },
  accepted: { zh: '现核定支付', en: 'Now accepted' },
  rejected: { zh: '现拒付', en: 'Now rejected' },
  held: { zh: '现暂缓支付', en: 'Now held' },
};

/** A reason code in words (anomaly codes from anomalies.schema.ts, the settlement's own here). */
export function reasonLabel(code: string, lang: 'zh' | 'en' = 'zh'): string {
  const r = (REASON_CODES as Record<string, { zh: string; en: string } | undefined>)[code] ?? EXTRA_REASONS[code];
  return r ? r[lang] : code;
}

/** A line's reasons in words; an accepted line the entitlement pays nothing of says 全部自费. */
function reasonsCell(l: SettlementLineView): string {
  const words = l.reasons.map((r) => reasonLabel(r));
  if (l.outcome === 'accepted' && l.amountFen === 0 && l.selfPaidFen > 0) words.push('全部自费');
  return words.join('；');
}

/**
 * A month's counts and sums (fen): accepted, rejected, held and pending (not yet due) lines;
 * adjustments of earlier closed months; payable = accepted + adjustments; heldFen = Σ entitled_fen
 * of the held lines (not payable now).
 */
export interface MonthTotals {
  accepted: number;
  rejected: number;
  held: number;
  pending: number;
  adjustments: number;
  acceptedFen: number;
  heldFen: number;
  adjustmentsFen: number;
  payableFen: number;
}

export interface StatementInput {
  county: string;
  providerName: string;
  period: string;
  closed: boolean;
  /** the close's instant (UTC ISO): the workbook's dates; null for a draft (now) */
  closedAt: string | null;
  lines: readonly SettlementLineView[];
  totals: MonthTotals;
}

const COLUMNS_V1 = [
  { header: '序号', width: 6 },
  { header: '工单号', width: 10 },
  { header: '服务日期', width: 12 },
  { header: '服务对象', width: 10 },
  { header: '服务项目', width: 12 },
  { header: '护理员', width: 10 },
  { header: '结算结果', width: 10 },
  { header: '原因', width: 32 },
  { header: '金额(元)', width: 11 },
  { header: '调整所属月份', width: 12 },
] as const;
const COLUMNS_V2 = [...COLUMNS_V1.slice(0, 9), { header: '老人自费(元)', width: 12 }, ...COLUMNS_V1.slice(9)];
const AMOUNT_COL = 9;
const GAP = '\u3000';

const yuan = (fen: number) => Math.round(fen) / 100;

export async function statementXlsx(input: StatementInput, layout: StatementLayout = 2): Promise<Buffer> {
  const v2 = layout === 2;
  const columns = v2 ? COLUMNS_V2 : COLUMNS_V1;
  const [y, m] = input.period.split('-');
  const title = `${input.county}${input.providerName}${y}年${Number(m)}月居家上门服务结算单${input.closed ? '' : '【草稿，未关账，不作结算依据】'}`;
  const note = [
    `县（市、区）：${input.county || '—'}`,
    `服务商：${input.providerName}`,
    `期间：${y}年${Number(m)}月`,
    `状态：${input.closed ? '已关账' : '草稿（未关账）'}`,
    '单位：元',
  ].join(GAP);
  const at = input.closedAt ? new Date(input.closedAt) : new Date();

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yiyang';
  wb.lastModifiedBy = 'Yiyang';
  wb.created = at;
  wb.modified = at;
  const ws = addSheet(wb, {
    title,
    note,
    sheetName: `${y}年${Number(m)}月结算`,
    columns: columns.map((c, i) => ({
      header: c.header,
      width: c.width,
      value: (l: SettlementLineView, n: number): CellValue =>
        (v2
          ? [
              n + 1,
              l.orderId,
              l.scheduledOn,
              l.personName,
              l.itemNameZh,
              l.caregiverName ?? '',
              OUTCOME_ZH[l.outcome],
              reasonsCell(l),
              yuan(l.amountFen),
              yuan(l.selfPaidFen),
              l.adjustsPeriod ?? '',
            ]
          : [
              n + 1,
              l.orderId,
              l.scheduledOn,
              l.personName,
              l.itemNameZh,
              l.caregiverName ?? '',
              OUTCOME_ZH[l.outcome],
              l.reasons.map((r) => reasonLabel(r)).join('；'),
              yuan(l.amountFen),
              l.adjustsPeriod ?? '',
            ])[i] as CellValue,
    })),
    rows: input.lines,
  });
  ws.getColumn(AMOUNT_COL).numFmt = '0.00';
  if (v2) ws.getColumn(AMOUNT_COL + 1).numFmt = '0.00';
  let r = HEADER_ROW + input.lines.length + 2;
  const t = input.totals;
  const put = (label: string, value: string | number) => {
    const row = ws.getRow(r++);
    row.getCell(2).value = safeCell(label);
    row.getCell(AMOUNT_COL).value = value;
    row.getCell(2).font = { bold: true };
  };
  put(`核定支付 ${t.accepted} 笔`, yuan(t.acceptedFen));
  put(`调整 ${t.adjustments} 笔`, yuan(t.adjustmentsFen));
  put('应付合计', yuan(t.payableFen));
  if (v2) {
    put(`暂缓支付 ${t.held} 笔，暂缓金额（不计入应付，核定后以调整支付）`, yuan(t.heldFen));
    put(`拒付 ${t.rejected} 笔（不计金额）`, '');
    if (t.pending) put(`未完成，不计入 ${t.pending} 笔（服务日期未到；月末仍未签退的转为拒付）`, '');
  } else put(`拒付 ${t.rejected} 笔、暂缓支付 ${t.held} 笔（不计金额）`, '');
  r++;
  ws.getRow(r).getCell(2).value = `制表人：________${GAP}审核人：________${GAP}负责人：________${GAP}（盖章）`;

  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimes(bytes, at);
}

/**
 * Sets every entry's modification time in a zip (local headers and the central directory) to `at`
 * as an MS-DOS date and time (Beijing wall clock, two-second steps), so the same content gives the
 * same bytes whenever it is written.
 */
export function fixZipTimes(zip: Buffer, at: Date): Buffer {
  const out = Buffer.from(zip);
  const b = new Date(at.getTime() + 8 * 3_600_000);
  const time = (b.getUTCHours() << 11) | (b.getUTCMinutes() << 5) | Math.floor(b.getUTCSeconds() / 2);
  const date = ((b.getUTCFullYear() - 1980) << 9) | ((b.getUTCMonth() + 1) << 5) | b.getUTCDate();
  // the end of central directory record: the last signature 0x06054b50 (a comment may follow it)
  let eocd = -1;
  for (let i = out.length - 22; i >= Math.max(0, out.length - 22 - 0xffff); i--) {
    if (out.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const entries = out.readUInt16LE(eocd + 10);
  let p = out.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (out.readUInt32LE(p) !== 0x02014b50) throw new Error('zip central directory entry expected');
    out.writeUInt16LE(time, p + 12);
    out.writeUInt16LE(date, p + 14);
    const local = out.readUInt32LE(p + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error('zip local header expected');
    out.writeUInt16LE(time, local + 10);
    out.writeUInt16LE(date, local + 12);
    p += 46 + out.readUInt16LE(p + 28) + out.readUInt16LE(p + 30) + out.readUInt16LE(p + 32);
  }
  return out;
}
