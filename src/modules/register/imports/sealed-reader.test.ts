import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldCapper, MAX_CELL_CHARS, readRows, type FileInfo } from './reader.js';
import { openStream, readSealed, sealStream, writeSealed } from './sealed-file.js';

const key = randomBytes(32);
const dir = mkdtempSync(join(tmpdir(), 'yiyang-sealed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}
const seal = async (plain: Buffer) => collect(Readable.from([plain]).pipe(sealStream(key)));
const open = async (sealed: Buffer, k = key) => collect(Readable.from([sealed]).pipe(openStream(k)));

describe('sealed import files', () => {
  it('round-trips any size, in chunks of any size, and hides the content', async () => {
    for (const size of [0, 1, 65535, 65536, 65537, 3 * 65536 + 17]) {
      const plain = randomBytes(size);
      const path = join(dir, `f${size}`);
      // written from many small chunks
      const chunks = Array.from({ length: Math.ceil(size / 1000) }, (_, i) => plain.subarray(i * 1000, (i + 1) * 1000));
      await writeSealed(key, Readable.from(chunks), path);
      const sealed = readFileSync(path);
      if (size >= 64) expect(sealed.includes(plain.subarray(0, 64))).toBe(false);
      expect((await collect(readSealed(key, path))).equals(plain)).toBe(true);
    }
    // the same content sealed twice differs (a random salt per file)
    const p = Buffer.from('身份证号,姓名\n');
    expect((await seal(p)).equals(await seal(p))).toBe(false);
  });

  it('refuses a changed byte, a cut file, a dropped or swapped record, and the wrong key', async () => {
    const plain = randomBytes(3 * 65536 + 100);
    const sealed = await seal(plain);
    const flipped = Buffer.from(sealed);
    flipped[sealed.length - 40]! ^= 1;
    await expect(open(flipped)).rejects.toThrow(/unreadable/);
    await expect(open(sealed.subarray(0, sealed.length - 10))).rejects.toThrow(/unreadable/);
    const record = 4 + 65536 + 16;
    const header = 24;
    // cut at a record boundary: the last record kept is not marked last
    await expect(open(sealed.subarray(0, header + 2 * record))).rejects.toThrow(/unreadable/);
    const swapped = Buffer.concat([
      sealed.subarray(0, header),
      sealed.subarray(header + record, header + 2 * record),
      sealed.subarray(header, header + record),
      sealed.subarray(header + 2 * record),
    ]);
    await expect(open(swapped)).rejects.toThrow(/unreadable/);
    await expect(open(sealed, randomBytes(32))).rejects.toThrow(/unreadable/);
    await expect(open(Buffer.from('身份证号,姓名\n110101194001011234,王\n'))).rejects.toThrow(/not a sealed file/);
  });
});

describe('cell cap while reading', () => {
  const rowsOf = async (content: Buffer, format: FileInfo['format'], chunk = 1 << 20) => {
    const out: string[][] = [];
    const open = () => Readable.from(Array.from({ length: Math.ceil(content.length / chunk) }, (_, i) => content.subarray(i * chunk, (i + 1) * chunk)));
    for await (const batch of readRows(open, { format, encoding: 'utf-8', sha256: '', bytes: content.length })) out.push(...batch.map((r) => r.cells));
    return out;
  };

  it('CSV: over-long fields are cut to one character over the cap, wherever the chunks split, quoting intact', async () => {
    const long = '长'.repeat(1000);
    const csv = Buffer.from(`a,b,c\n"${long}""x""${long}",2,3\n${long},"q,""r""",6\n"ok ""quoted""",8,9\n`);
    const expected = [
      ['a', 'b', 'c'],
      [long.slice(0, MAX_CELL_CHARS + 1), '2', '3'],
      [long.slice(0, MAX_CELL_CHARS + 1), 'q,"r"', '6'],
      ['ok "quoted"', '8', '9'],
    ];
    for (const chunk of [1, 2, 3, 7, 64, 1 << 20]) {
      const rows = await rowsOf(csv, 'csv', chunk);
      expect(
        rows.map((r) => r.map((c) => (c.length > MAX_CELL_CHARS ? c.slice(0, MAX_CELL_CHARS + 1) : c))),
        `chunk ${chunk}`,
      ).toEqual(expected);
      expect(rows[1]![0]!.length, `chunk ${chunk}`).toBeGreaterThan(MAX_CELL_CHARS);
      expect(rows[1]![0]!.length, `chunk ${chunk}`).toBeLessThanOrEqual((MAX_CELL_CHARS + 1) * 4);
    }
  });

  it('CSV: a row of a million cells keeps a thousand and reads as ragged', async () => {
    const capper = new FieldCapper();
    const out = capper.cap(Buffer.from(`a,b\n${','.repeat(1_000_000)}\nc,d\n`));
    const lines = out.toString().split('\n');
    expect(lines[1]!.length).toBe(999);
    expect(lines[2]).toBe('c,d');
  });

  it('XLSX: reads a sheet stored before its shared strings, with long strings cut', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['身份证号', '姓名']);
    ws.addRow(['990101194005060029', '王'.repeat(100_000)]);
    ws.addRow(['990101194005060037', '李 & <芳>']);
    const zip = await JSZip.loadAsync(Buffer.from(await wb.xlsx.writeBuffer()));
    // Excel's order: worksheets first, the shared strings after them
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    const reordered = new JSZip();
    const order = [...names.filter((n) => !n.endsWith('sharedStrings.xml')), ...names.filter((n) => n.endsWith('sharedStrings.xml'))];
    expect(order.indexOf('xl/worksheets/sheet1.xml')).toBeLessThan(order.indexOf('xl/sharedStrings.xml'));
    for (const n of order) reordered.file(n, await zip.files[n]!.async('nodebuffer'));
    const xlsx = await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    const rows = await rowsOf(xlsx, 'xlsx', 4096);
    expect(rows[0]).toEqual(['身份证号', '姓名']);
    expect(rows[1]![1]!.length).toBe(MAX_CELL_CHARS + 1);
    expect(rows[2]).toEqual(['990101194005060037', '李 & <芳>']);
  });
});
