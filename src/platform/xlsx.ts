import ExcelJS from 'exceljs';

/**
 * Every list a user exports (register search, conflicts, audit log; change lists, rosters, payment
 * history) is written here, so the rules hold in one place:
 * - a text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 *   carriage return: OWASP's CSV/formula injection list) is written behind an apostrophe, so a
 *   name like `=HYPERLINK(...)` from a department file stays text, also after a save as CSV;
 * - row 1 is the title, row 2 a note (what was exported, by whom, masked or not), row 3 the
 *   header, frozen on screen and repeated on every printed page, with page numbers in the footer;
 * - values are what the caller gives: masking and the audit entry are the caller's (it knows what
 *   the list is and whom it shows), and it calls this inside the transaction of its read.
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Exports are built in memory: above this many rows the caller refuses (EXPORT_TOO_LARGE) and asks for a narrower filter. */
export const EXPORT_MAX_ROWS = 50_000;

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text value as it is safe to put in a cell: one a spreadsheet would evaluate gets a leading apostrophe. */
export function safeCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export type CellValue = string | number | null | undefined;

export interface XlsxColumn<R> {
  header: string;
  /** width in characters (default 14) */
  width?: number;
  value: (row: R, index: number) => CellValue;
}

export interface XlsxSpec<R> {
  title: string;
  /** the line under the title: filter, exporter, masked or full */
  note?: string;
  /** the worksheet's tab name (default: the title), cut to Excel's 31 characters */
  sheetName?: string;
  columns: XlsxColumn<R>[];
  rows: Iterable<R>;
  landscape?: boolean;
}

/** The header row's number: rows above it are the title and the note. */
export const HEADER_ROW = 3;

const thin = { style: 'thin' } as const;

/** Adds the list as a worksheet of `wb` (for a workbook with more sheets, or a block added below the rows). */
export function addSheet<R>(wb: ExcelJS.Workbook, spec: XlsxSpec<R>): ExcelJS.Worksheet {
  const name = (spec.sheetName ?? spec.title).replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';
  const ws = wb.addWorksheet(name, {
    pageSetup: { orientation: spec.landscape === false ? 'portrait' : 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  ws.columns = spec.columns.map((c) => ({ width: c.width ?? 14 }));
  const lastCol = Math.max(1, spec.columns.length);
  ws.mergeCells(1, 1, 1, lastCol);
  ws.getCell(1, 1).value = safeCell(spec.title);
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  ws.getCell(1, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(2, 1, 2, lastCol);
  if (spec.note) ws.getCell(2, 1).value = safeCell(spec.note);
  const header = ws.getRow(HEADER_ROW);
  header.values = spec.columns.map((c) => safeCell(c.header));
  header.font = { bold: true };
  let i = 0;
  for (const row of spec.rows) {
    const cells = spec.columns.map((c) => {
      const v = c.value(row, i);
      return typeof v === 'string' ? safeCell(v) : (v ?? null);
    });
    ws.getRow(HEADER_ROW + 1 + i).values = cells;
    i++;
  }
  for (let r = HEADER_ROW; r <= HEADER_ROW + i; r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= lastCol; c++) row.getCell(c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  ws.pageSetup.printTitlesRow = `${HEADER_ROW}:${HEADER_ROW}`;
  return ws;
}

/** One list as an XLSX file. */
export async function xlsxSheet<R>(spec: XlsxSpec<R>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yiyang';
  addSheet(wb, spec);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
