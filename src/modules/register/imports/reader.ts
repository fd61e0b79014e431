import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import chardet from 'chardet';
import { parse as csvParse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { AppError } from '../../../platform/errors.js';

/**
 * Reading department files: CSV in UTF-8 or GBK/GB18030 (detected) and XLSX, streamed row by
 * row so that a million-row file never sits in memory. Rows are numbered as a spreadsheet shows
 * them: the header is row 1, the first data row is row 2.
 */
export interface FileInfo {
  format: 'csv' | 'xlsx';
  encoding: string;
  sha256: string;
  bytes: number;
}

export interface RawRow {
  row: number;
  cells: string[];
}

const SAMPLE = 64 * 1024;

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Detects the format from the content (an XLSX is a zip) and, for CSV, the text encoding. */
export async function inspectFile(path: string): Promise<FileInfo> {
  const fh = await open(path, 'r');
  let sample: Buffer;
  let bytes: number;
  try {
    bytes = (await fh.stat()).size;
    const buf = Buffer.alloc(Math.min(SAMPLE, bytes));
    await fh.read(buf, 0, buf.length, 0);
    sample = buf;
  } finally {
    await fh.close();
  }
  if (bytes === 0) throw new AppError('IMPORT_EMPTY');
  const sha256 = await sha256File(path);
  if (sample[0] === 0x50 && sample[1] === 0x4b) return { format: 'xlsx', encoding: 'xlsx', sha256, bytes };
  return { format: 'csv', encoding: detectEncoding(sample), sha256, bytes };
}

export function detectEncoding(sample: Buffer): 'utf-8' | 'gb18030' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new AppError('IMPORT_ENCODING', { detail: 'UTF-16' });
  }
  if (sample.includes(0)) throw new AppError('IMPORT_ENCODING', { detail: '二进制文件 / binary file' });
  try {
    // stream: true tolerates a multi-byte character cut at the end of the sample
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    // not UTF-8: accept it only if it reads as a Chinese national encoding
  }
  const candidates = chardet.analyse(sample);
  const gb = candidates.find((c) => /^(GB18030|GBK|GB2312)$/i.test(c.name));
  if (gb && gb.confidence >= 10) return 'gb18030';
  throw new AppError('IMPORT_ENCODING', { detail: candidates[0]?.name ?? 'unknown' });
}

/** Rows in batches (one per chunk of the file): per-row async iteration costs more than parsing. */
export async function* readRows(path: string, info: FileInfo): AsyncGenerator<RawRow[]> {
  if (info.format === 'xlsx') yield* batched(readXlsx(path));
  else yield* readCsv(path, info.encoding);
}

async function* batched(rows: AsyncGenerator<RawRow>, size = 1000): AsyncGenerator<RawRow[]> {
  let batch: RawRow[] = [];
  for await (const r of rows) {
    batch.push(r);
    if (batch.length >= size) { yield batch; batch = []; }
  }
  if (batch.length) yield batch;
}

function formatError(e: unknown, row: number): unknown {
  if (!(e instanceof CsvError)) return e;
  const line = (e as CsvError & { lines?: number }).lines;
  const detail = e.code === 'CSV_QUOTE_NOT_CLOSED'
    ? `第 ${line ?? row + 1} 行开始的引号没有闭合 / unclosed quote starting near line ${line ?? row + 1}`
    : `第 ${line ?? row + 1} 行：${e.message}`;
  return new AppError('IMPORT_FORMAT', { detail }, { line, csvCode: e.code });
}

async function* readCsv(path: string, encoding: string): AsyncGenerator<RawRow[]> {
  const parser = csvParse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  let row = 0;
  let batch: RawRow[] = [];
  let failure: unknown;
  // The parser turns each chunk written to it into records synchronously.
  parser.on('data', (cells: string[]) => { row++; batch.push({ row, cells }); });
  parser.on('error', (e) => { failure ??= e; });
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const decoder = encoding === 'utf-8' ? undefined : iconv.getDecoder('gb18030');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      parser.write(decoder ? decoder.write(chunk) : chunk);
      if (failure) throw formatError(failure, row);
      if (batch.length) { const out = batch; batch = []; yield out; }
    }
    const rest = decoder?.end();
    if (rest) parser.write(rest);
    await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw formatError(failure, row);
    if (batch.length) yield batch;
  } finally {
    source.destroy();
  }
}

/** Excel cell → text. Long digit strings stored as numbers have already lost digits: refuse them. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Math.abs(v) >= 1e15) return `#NUMBER:${v}`;
    return String(v);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    if ('error' in v) return '';
  }
  return String(v);
}

async function* readXlsx(path: string): AsyncGenerator<RawRow> {
  let reader: ExcelJS.stream.xlsx.WorkbookReader;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore', entries: 'ignore' });
  } catch (e) {
    throw new AppError('IMPORT_FORMAT', { detail: `不是有效的 XLSX 文件 / not a valid XLSX file (${(e as Error).message})` });
  }
  try {
    for await (const sheet of reader) {
      let width = 0;
      for await (const r of sheet) {
        const values = (r.values as ExcelJS.CellValue[]).slice(1);
        const cells = values.map(cellText);
        if (r.number === 1) width = cells.length;
        while (cells.length < width) cells.push('');
        if (cells.every((c) => c.trim() === '')) continue;
        yield { row: r.number, cells };
      }
      break; // only the first worksheet holds the data
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IMPORT_FORMAT', { detail: `不是有效的 XLSX 文件 / not a valid XLSX file (${(e as Error).message})` });
  }
}
