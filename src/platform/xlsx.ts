import { PassThrough } from 'node:stream';
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

type Sheet = ExcelJS.Worksheet;

function sheetOptions(spec: XlsxSpec<unknown>): Partial<ExcelJS.AddWorksheetOptions> {
  return {
    pageSetup: {
      orientation: spec.landscape === false ? 'portrait' : 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      paperSize: 9,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    headerFooter: { oddFooter: '第 &P 页，共 &N 页', firstFooter: '第 &P 页，共 &N 页' },
  };
}

const sheetName = (spec: XlsxSpec<unknown>) => (spec.sheetName ?? spec.title).replace(/[\\/?*[\]:]/g, ' ').slice(0, 31) || 'Sheet1';

/** Title, note, header and rows, top to bottom; `commit` hands each finished row to a streaming writer. */
function fill<R>(ws: Sheet, spec: XlsxSpec<R>, commit: boolean): void {
  const done = (row: ExcelJS.Row) => {
    if (commit) row.commit();
  };
  ws.columns = spec.columns.map((c) => ({ width: c.width ?? 14 }));
  const lastCol = Math.max(1, spec.columns.length);
  ws.mergeCells(1, 1, 1, lastCol);
  ws.mergeCells(2, 1, 2, lastCol);
  const title = ws.getRow(1);
  title.getCell(1).value = safeCell(spec.title);
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { horizontal: 'center' };
  done(title);
  const note = ws.getRow(2);
  if (spec.note) note.getCell(1).value = safeCell(spec.note);
  done(note);
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const put = (n: number, cells: CellValue[], bold = false) => {
    const row = ws.getRow(n);
    row.values = cells.map((v) => (typeof v === 'string' ? safeCell(v) : (v ?? null)));
    for (let c = 1; c <= lastCol; c++) row.getCell(c).border = border;
    if (bold) row.font = { bold: true };
    done(row);
  };
  put(
    HEADER_ROW,
    spec.columns.map((c) => c.header),
    true,
  );
  let i = 0;
  for (const row of spec.rows) {
    put(
      HEADER_ROW + 1 + i,
      spec.columns.map((c) => c.value(row, i)),
    );
    i++;
  }
}

/**
 * Adds the list as a worksheet of an in-memory workbook, for a file with more than the list (a
 * signature block below the rows, a second sheet). A plain list uses `xlsxSheet`, which streams.
 */
export function addSheet<R>(wb: ExcelJS.Workbook, spec: XlsxSpec<R>): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(sheetName(spec as XlsxSpec<unknown>), sheetOptions(spec as XlsxSpec<unknown>));
  fill(ws, spec, false);
  return ws;
}

/**
 * One list as an XLSX file, written row by row through exceljs's streaming writer: rows are
 * serialised as they are added instead of kept as objects, so a list at the cap
 * (EXPORT_MAX_ROWS) takes tens of megabytes, not the better part of a gigabyte.
 */
export async function xlsxSheet<R>(spec: XlsxSpec<R>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Yiyang';
  const ws = wb.addWorksheet(sheetName(spec as XlsxSpec<unknown>), sheetOptions(spec as XlsxSpec<unknown>));
  fill(ws, spec, true);
  ws.commit();
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}
