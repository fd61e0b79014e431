import ExcelJS from 'exceljs';
import { csvLine, CSV_BOM } from '../../platform/csv.js';
import type { BankLayout, DisbursementField } from './payments.settings.js';

/**
 * The bank's files: the disbursement file written in the bank's layout, and the bank's return
 * file read into rows of text cells.
 */

export type DisbursementRow = Record<DisbursementField, string>;

export const yuan = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

/** Amount text as a bank writes it ("120", "120.5", "120.50", "1,200.00") in fen, or null. */
export function fenOf(text: string): number | null {
  const t = text.replace(/[,\s¥￥元]/g, '');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export async function writeDisbursement(layout: BankLayout, rows: DisbursementRow[]): Promise<Buffer> {
  const headers = layout.columns.map((c) => c.header);
  const cells = (r: DisbursementRow) => layout.columns.map((c) => r[c.field]);
  if (layout.format === 'csv') return Buffer.from(CSV_BOM + csvLine(headers) + rows.map((r) => csvLine(cells(r), true)).join(''), 'utf8');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yiyang';
  const ws = wb.addWorksheet('代发');
  ws.addRow(headers).font = { bold: true };
  // every cell as text: card and ID numbers must not become numbers (Excel keeps 15 digits)
  layout.columns.forEach((_, i) => (ws.getColumn(i + 1).numFmt = '@'));
  for (const r of rows) ws.addRow(cells(r));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF or LF) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

/** A bank's text file: UTF-8 (with or without BOM) or, failing that, GB18030 as Chinese banks write. */
function decode(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

/** The return file's rows (header first) as trimmed text cells, from CSV or XLSX by its content. */
export async function readReturnFile(body: Buffer): Promise<string[][]> {
  // an XLSX is a zip: PK\x03\x04
  if (body.length > 4 && body[0] === 0x50 && body[1] === 0x4b && body[2] === 0x03 && body[3] === 0x04) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (r) => {
      const cells: string[] = [];
      for (let c = 1; c <= r.cellCount; c++) cells.push(r.getCell(c).text.trim());
      rows.push(cells);
    });
    return rows;
  }
  return parseCsv(decode(body)).map((r) => r.map((c) => c.trim()));
}
