import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import chardet from 'chardet';
import { parse as csvParse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { SaxesParser as SaxesParserType } from 'saxes';
import iconv from 'iconv-lite';
import { AppError } from '../../../platform/errors.js';
import { SealedFileError } from './sealed-file.js';

/**
 * Reading department files: CSV in UTF-8 or GBK/GB18030 (detected) and XLSX, streamed row by
 * row so that a million-row file never sits in memory. Rows are numbered as a spreadsheet shows
 * them: the header is row 1, the first data row is row 2.
 *
 * The file is read from a stream (the decrypted stored copy), opened again for each pass, and
 * never written anywhere in plain text. No cell is held longer than MAX_CELL_CHARS + 1
 * characters: a longer one is cut while reading, so a file with one huge cell costs no memory,
 * and the row parser reports it (`too_long`) naming the row and column.
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

/** Opens the file's plaintext from the start, once per pass. */
export type OpenFile = () => Readable;

/**
 * The longest value a department cell may hold. The longest legitimate fields (a list of chronic
 * diseases, a living situation, a name of up to 40 characters) are far shorter.
 */
export const MAX_CELL_CHARS = 200;
/** Marks a cell the reader cut short (a noncharacter, never in real data). */
export const CUT_MARK = '\uFDD0';
/** Cells per row kept; a wider row is reported as ragged. */
const MAX_CELLS = 1000;

const SAMPLE = 64 * 1024;

/** What one pass over the plaintext learns: its hash, its size and its first bytes. */
export class FileProbe {
  private hash = createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  bytes = 0;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.headBytes < SAMPLE) {
      const part = chunk.subarray(0, SAMPLE - this.headBytes);
      this.head.push(Buffer.from(part));
      this.headBytes += part.length;
    }
  }

  /** Detects the format from the content (an XLSX is a zip) and, for CSV, the text encoding. */
  info(): FileInfo {
    if (this.bytes === 0) throw new AppError('IMPORT_EMPTY');
    const sample = Buffer.concat(this.head, this.headBytes);
    const sha256 = this.hash.digest('hex');
    if (sample[0] === 0x50 && sample[1] === 0x4b) return { format: 'xlsx', encoding: 'xlsx', sha256, bytes: this.bytes };
    return { format: 'csv', encoding: detectEncoding(sample), sha256, bytes: this.bytes };
  }
}

export function detectEncoding(sample: Buffer): 'utf-8' | 'gb18030' {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8';
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    throw new AppError('IMPORT_ENCODING', { encoding: 'UTF-16' });
  }
  if (sample.includes(0)) throw new AppError('IMPORT_BINARY');
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
  throw new AppError('IMPORT_ENCODING', { encoding: candidates[0]?.name ?? 'unknown' });
}

/** Rows in batches (one per chunk of the file): per-row async iteration costs more than parsing. */
export async function* readRows(open: OpenFile, info: FileInfo): AsyncGenerator<RawRow[]> {
  if (info.format === 'xlsx') yield* batched(readXlsx(open));
  else yield* readCsv(open, info.encoding);
}

async function* batched(rows: AsyncGenerator<RawRow>, size = 1000): AsyncGenerator<RawRow[]> {
  let batch: RawRow[] = [];
  for await (const r of rows) {
    batch.push(r);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function formatError(e: unknown, row: number): unknown {
  if (!(e instanceof CsvError)) return e;
  const line = (e as CsvError & { lines?: number }).lines;
  const at = line ?? row + 1;
  return e.code === 'CSV_QUOTE_NOT_CLOSED'
    ? new AppError('IMPORT_CSV_QUOTE', { line: at }, { line, csvCode: e.code })
    : new AppError('IMPORT_CSV_FORMAT', { line: at, csvCode: e.code }, { line, csvCode: e.code, reason: e.message });
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
/**
 * Bytes kept of one CSV field: enough for MAX_CELL_CHARS + 1 characters of up to 4 bytes each,
 * so a cut field still reads as longer than allowed.
 */
const MAX_FIELD_BYTES = (MAX_CELL_CHARS + 1) * 4;

/**
 * Cuts over-long CSV fields before they reach the parser, which would otherwise hold a whole
 * field (hundreds of MB, in a crafted file) in memory. Works on bytes, before decoding: in UTF-8
 * and GB18030 the quote, comma and line-break bytes never occur inside a multi-byte character.
 * It follows the quoting as RFC 4180 (and csv-parse) does, keeps every byte that structures the
 * file, drops the content bytes of a field past MAX_FIELD_BYTES (a quoted "" pair as a whole)
 * and every field of a record past MAX_CELLS (the record then reads as ragged).
 */
export class FieldCapper {
  private quoted = false;
  /** a quote seen inside a quoted field: an escaped "" or the closing quote, decided by the next byte */
  private quotePending = false;
  /** whether that pending quote was dropped (then it is emitted late if it closes the field) */
  private quoteDropped = false;
  private atFieldStart = true;
  private fieldBytes = 0;
  private fields = 0;
  private dropRecord = false;

  cap(chunk: Buffer): Buffer {
    const out: Buffer[] = [];
    let from = 0; // start of the current run of kept bytes
    let cut = false;
    const drop = (i: number) => {
      if (i > from) out.push(chunk.subarray(from, i));
      from = i + 1;
      cut = true;
    };
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (b === QUOTE) {
            // escaped quote: content
            this.fieldBytes += 2;
            if (this.quoteDropped) drop(i);
            continue;
          }
          this.quoted = false; // the pending quote closed the field
          if (this.quoteDropped) {
            drop(i);
            out.push(Buffer.from([QUOTE]));
            from = i;
          }
          // fall through: b follows the closing quote
        } else if (b === QUOTE) {
          this.quotePending = true;
          this.quoteDropped = this.dropRecord || this.fieldBytes >= MAX_FIELD_BYTES;
          if (this.quoteDropped) drop(i);
          continue;
        } else {
          this.fieldBytes++;
          if (this.dropRecord || this.fieldBytes > MAX_FIELD_BYTES) drop(i);
          continue;
        }
      }
      if (b === LF || b === CR) {
        this.atFieldStart = true;
        this.fieldBytes = 0;
        this.fields = 0;
        this.dropRecord = false;
        continue;
      }
      if (b === COMMA) {
        this.atFieldStart = true;
        this.fieldBytes = 0;
        if (++this.fields >= MAX_CELLS) this.dropRecord = true;
        if (this.dropRecord) drop(i);
        continue;
      }
      if (b === QUOTE && this.atFieldStart) {
        this.quoted = true;
        this.atFieldStart = false;
        if (this.dropRecord) drop(i);
        continue;
      }
      this.atFieldStart = false;
      this.fieldBytes++;
      if (this.dropRecord || this.fieldBytes > MAX_FIELD_BYTES) drop(i);
    }
    if (!cut) return chunk;
    if (from < chunk.length) out.push(chunk.subarray(from));
    return Buffer.concat(out);
  }

  /** At the end of the file: a dropped quote still pending was the closing one. */
  end(): Buffer {
    return this.quotePending && this.quoteDropped ? Buffer.from([QUOTE]) : Buffer.alloc(0);
  }
}

async function* readCsv(open: OpenFile, encoding: string): AsyncGenerator<RawRow[]> {
  const parser = csvParse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  let row = 0;
  let batch: RawRow[] = [];
  let failure: unknown;
  // The parser turns each chunk written to it into records synchronously.
  parser.on('data', (cells: string[]) => {
    row++;
    batch.push({ row, cells });
  });
  parser.on('error', (e) => {
    failure ??= e;
  });
  const source = open();
  const capper = new FieldCapper();
  const decoder = encoding === 'utf-8' ? undefined : iconv.getDecoder('gb18030');
  const write = (bytes: Buffer) => {
    if (bytes.length) parser.write(decoder ? decoder.write(bytes) : bytes);
  };
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      write(capper.cap(chunk));
      if (failure) throw formatError(failure, row);
      if (batch.length) {
        const out = batch;
        batch = [];
        yield out;
      }
    }
    write(capper.end());
    const rest = decoder?.end();
    if (rest) parser.write(rest);
    await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw formatError(failure, row);
    if (batch.length) yield batch;
  } finally {
    source.destroy();
  }
}

/** A cell's text, cut to one character more than allowed so the row parser still sees it is too long. */
function capped(text: string): string {
  return text.length > MAX_CELL_CHARS ? text.slice(0, MAX_CELL_CHARS + 1) : text;
}

/** Excel cell → text. Long digit strings stored as numbers have already lost digits: refuse them. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return capped(v);
  if (typeof v === 'number') {
    if (Math.abs(v) >= 1e15) return `#NUMBER:${v}`;
    return String(v);
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return capped(v.richText.map((t) => t.text).join(''));
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return capped(String(v.text));
    if ('error' in v) return '';
  }
  return capped(String(v));
}

/**
 * Caps the text between XML tags while a zip entry streams: a run of text longer than the cap
 * is cut (never inside an entity or a character) and ends in CUT_MARK, so a cell of 200 MB
 * reaches the sheet parser as a couple of hundred characters. Also decodes UTF-8 across chunk
 * boundaries (the sheet parser decodes each chunk on its own). A tag longer than MAX_TAG_CHARS
 * (a huge attribute) is refused: Excel writes short tags.
 */
const MAX_TEXT_CHARS = (MAX_CELL_CHARS + 1) * 10; // an entity such as &#x4E00; is up to 10 characters
const MAX_TAG_CHARS = 64 * 1024;

async function* cappedXml(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let inTag = false;
  let tagChars = 0;
  let run = ''; // the current text run as kept (it is emitted when its tag or a cut ends it)
  let cutting = false;
  for await (const chunk of chunks) {
    const s = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    let out = '';
    let i = 0;
    while (i < s.length) {
      if (inTag) {
        const close = s.indexOf('>', i);
        const end = close === -1 ? s.length : close + 1;
        tagChars += end - i;
        if (tagChars > MAX_TAG_CHARS) throw new AppError('IMPORT_XLSX_TAG');
        out += s.slice(i, end);
        i = end;
        if (close !== -1) inTag = false;
        continue;
      }
      const open = s.indexOf('<', i);
      const end = open === -1 ? s.length : open;
      if (!cutting) {
        const piece = s.slice(i, end);
        if (run.length + piece.length <= MAX_TEXT_CHARS) run += piece;
        else {
          let kept = run + piece.slice(0, MAX_TEXT_CHARS - run.length);
          const amp = kept.lastIndexOf('&');
          if (amp !== -1 && kept.indexOf(';', amp) === -1) kept = kept.slice(0, amp);
          if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
          run = kept + CUT_MARK;
          cutting = true;
        }
      }
      i = end;
      if (open !== -1) {
        out += run;
        run = '';
        cutting = false;
        inTag = true;
        tagChars = 0;
      }
    }
    if (out) yield out;
  }
  const rest = run + decoder.decode();
  if (rest) yield rest;
}

interface ZipEntry extends Readable {
  path: string;
  autodrain(): void;
}
interface WorkbookInternals {
  sharedStrings?: unknown[];
  _parseRels(entry: ZipEntry): Promise<void>;
  _parseWorkbook(entry: ZipEntry): Promise<void>;
  _parseStyles(entry: ZipEntry): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: ExcelJS.stream.xlsx.WorksheetReader }>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string }> };
}
// exceljs's own zip reader and stream helper (the versions it is tested with)
const fromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const unzipper = fromExceljs('unzipper') as { Parse(opts: { forceStream: boolean }): NodeJS.ReadWriteStream };
const { SaxesParser } = fromExceljs('saxes') as { SaxesParser: typeof SaxesParserType };
const iterateStream = fromExceljs('./lib/utils/iterate-stream') as <T>(s: NodeJS.ReadableStream) => AsyncGenerator<T>;

async function* zipEntries(open: OpenFile): AsyncGenerator<ZipEntry> {
  const source = open();
  const zip = unzipper.Parse({ forceStream: true });
  source.on('error', (e) => zip.emit('error', e));
  source.pipe(zip as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of iterateStream<ZipEntry>(zip)) {
      yield entry;
      entry.autodrain();
    }
  } finally {
    source.unpipe();
    source.destroy();
  }
}

/** The shared-strings table, each string cut as cells are (rich text joined, phonetic runs left out). */
async function readSharedStrings(entry: ZipEntry): Promise<string[]> {
  const out: string[] = [];
  const parser = new SaxesParser();
  let text: string | null = null;
  let inT = false;
  let phonetic = 0;
  parser.on('opentag', (n) => {
    if (n.name === 'si') text = '';
    else if (n.name === 'rPh') phonetic++;
    else if (n.name === 't' && phonetic === 0) inT = true;
  });
  parser.on('text', (t) => {
    if (inT && text !== null && text.length <= MAX_CELL_CHARS) text = capped(text + t);
  });
  parser.on('closetag', (n) => {
    if (n.name === 't') inT = false;
    else if (n.name === 'rPh') phonetic--;
    else if (n.name === 'si') {
      out.push(text ?? '');
      text = null;
    }
  });
  for await (const s of cappedXml(iterateStream<Buffer>(entry))) parser.write(s);
  parser.close();
  return out;
}

/**
 * The first worksheet's rows, in two passes over the zip: the shared strings, styles and sheet
 * list first, then the sheet. exceljs's streaming reader, given a sheet stored before the shared
 * strings (as Excel writes them), parks the sheet's XML in a temporary file in plain text; two
 * passes over the decrypted stream leave nothing on disk. Text runs are capped on the way in.
 */
async function* readXlsx(open: OpenFile): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(undefined as unknown as string, {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const wb = reader as unknown as WorkbookInternals;
  const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/;
  try {
    let firstSheet: string | undefined;
    for await (const entry of zipEntries(open)) {
      if (entry.path === 'xl/_rels/workbook.xml.rels') await wb._parseRels(entry);
      else if (entry.path === 'xl/workbook.xml') await wb._parseWorkbook(entry);
      else if (entry.path === 'xl/styles.xml') await wb._parseStyles(entry);
      else if (entry.path === 'xl/sharedStrings.xml') wb.sharedStrings = await readSharedStrings(entry);
      else if (!firstSheet && SHEET.test(entry.path)) firstSheet = entry.path;
    }
    wb.sharedStrings ??= [];
    // the sheet listed first in the workbook, else the first sheet in the zip
    const rId = wb.model?.sheets?.[0]?.rId;
    const target = wb.workbookRels?.find((r) => r.Id === rId)?.Target.replace(/^\/?(xl\/)?/, 'xl/');
    const wanted = target && SHEET.test(target) ? target : firstSheet;
    if (!wanted) return;
    for await (const entry of zipEntries(open)) {
      if (entry.path !== wanted) continue;
      const sheet = wb._parseWorksheet(cappedXml(iterateStream<Buffer>(entry)), SHEET.exec(wanted)![1]!).next().value?.value;
      if (!sheet) return;
      let width = 0;
      for await (const r of sheet) {
        const values = (r.values as ExcelJS.CellValue[]).slice(1, MAX_CELLS + 1);
        const cells = Array.from(values, cellText);
        if (r.number === 1) width = cells.length;
        while (cells.length < width) cells.push('');
        if (cells.every((c) => c.trim() === '')) continue;
        yield { row: r.number, cells };
      }
      return;
    }
  } catch (e) {
    if (e instanceof AppError || e instanceof SealedFileError) throw e;
    throw new AppError('IMPORT_XLSX_INVALID', {}, { reason: (e as Error).message });
  }
}
