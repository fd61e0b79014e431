import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { demoAccounts, seedDemo } from '../src/modules/demo/seed.js';
import { HEADER_ROW } from '../src/platform/xlsx.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
const MASKED_ID = /^\d{6}\*{12}$/;
const FULL_ID = /^\d{17}[\dX]$/;

/** The rows of a downloaded export below its header, keyed by header. */
async function rowsOf(path: string): Promise<Record<string, unknown>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  for (let r = HEADER_ROW + 1; r <= ws.rowCount; r++) out.push(Object.fromEntries(headers.map((h, i) => [h, ws.getRow(r).getCell(i + 1).value])));
  return out;
}

/**
 * Issue 14, as a town officer and an inspector would do it: export the register search (masked, then
 * with full IDs after confirming), and read who exported what in the audit log as the inspector.
 */
describe.skipIf(!browserAvailable)('exports and the audit log in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const town1 = demoAccounts().find((a) => a.username === 'town1')!;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 5 });
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function logIn(username: string): Promise<Page> {
    const page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } })).newPage();
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByRole('menuitem').first().waitFor();
    return page;
  }

  it('a town officer exports the register search: their town only, masked, then full IDs after confirming', async () => {
    const page = await logIn('town1');
    await page.getByRole('menuitem', { name: '老年人名册' }).click();
    await expect.poll(async () => page.getByTestId('register-table').innerText(), { timeout: 10_000 }).toMatch(/\d{6}\*{12}/);
    const inTown = await ctx.db
      .selectFrom('persons')
      .select('id')
      .where('region_code', 'like', `${ctx.regions.get(town1.regionCode)!.prefix}%`)
      .where('status', '=', 'active')
      .execute();

    const [masked] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-export').getByRole('button').first().click()]);
    const rows = await rowsOf(await masked.path());
    expect(rows).toHaveLength(inTown.length);
    expect(rows.every((r) => MASKED_ID.test(String(r['身份证号'])))).toBe(true);
    const townName = ctx.regions.get(town1.regionCode)!.name;
    expect(rows.every((r) => r['镇街'] === townName)).toBe(true);

    await page.getByTestId('register-export').getByRole('button').last().hover();
    await page.getByTestId('register-export-full').click();
    const [full] = await Promise.all([page.waitForEvent('download'), page.getByTestId('register-export-confirm').click()]);
    const fullRows = await rowsOf(await full.path());
    expect(fullRows).toHaveLength(inTown.length);
    expect(fullRows.every((r) => FULL_ID.test(String(r['身份证号'])))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'exports-1-register.png'), fullPage: true });

    const entries = await ctx.db.selectFrom('audit_log').select(['actor', 'fields', 'detail']).where('action', '=', 'register.export').orderBy('seq').execute();
    expect(
      entries.map((e) => [e.actor, (JSON.parse(e.detail!) as { full: boolean; count: number }).full, (JSON.parse(e.detail!) as { count: number }).count]),
    ).toEqual([
      ['town1', false, inTown.length],
      ['town1', true, inTown.length],
    ]);
  });

  it("the bureau exports the change list it follows up: the list's rows for its filter, masked, audited", async () => {
    const page = await logIn('admin');
    await page.goto(base + '/changes');
    await page.getByTestId('changes-table').waitFor();
    const latest = await ctx.db
      .selectFrom('entitlement_runs')
      .select('id')
      .where('status', '=', 'finished')
      .orderBy('period', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    // the page opens on the changes not yet followed up
    const open = await ctx.db.selectFrom('decision_changes').select('id').where('run_id', '=', latest.id).where('handled_at', 'is', null).execute();
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('changes-export').getByRole('button').first().click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const rows = await rowsOf(await file.path());
    expect(rows).toHaveLength(open.length);
    expect(rows.every((r) => MASKED_ID.test(String(r['身份证号'])) && r['已跟进'] === '否')).toBe(true);
    const entries = await ctx.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'entitlements.changes_export').execute();
    expect(entries.map((e) => [e.actor, (JSON.parse(e.detail!) as { count: number; full: boolean }).count])).toEqual([['admin', open.length]]);
  });

  it('the inspector finds the exports in the audit log by operator and action, in words, and exports that list; a grid worker has no audit log', async () => {
    const page = await logIn('inspector1');
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByTestId('audit-filter-actor').fill('town1');
    await page.getByTestId('audit-filter-action').click();
    await page.keyboard.type('导出名册');
    await page.getByText('导出名册查询结果', { exact: true }).last().click();
    await page.getByTestId('audit-filter-submit').click();
    const table = page.getByTestId('audit-table');
    await expect.poll(async () => (await table.innerText()).match(/导出名册查询结果/g)?.length ?? 0, { timeout: 10_000 }).toBe(2);
    await page.screenshot({ path: join(SHOTS, 'exports-2-audit-inspector.png'), fullPage: true });

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const rows = await rowsOf(await file.path());
    expect(rows.map((r) => [r['操作人'], r['操作']])).toEqual([
      ['town1', '导出名册查询结果'],
      ['town1', '导出名册查询结果'],
    ]);

    const grid = await logIn('grid1');
    expect(await grid.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
  });
});
