import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * Next month's allowances, as the bureau and a town do them: the bureau starts the run and
 * watches it finish; the town checks its 高龄津贴 roll and submits it; the bureau, as checker,
 * approves it and downloads the XLSX, which reads back with its title, columns and totals.
 */
describe.skipIf(!browserAvailable)('entitlement run and payment roll in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // small batches so the run takes long enough to show its progress
    ctx = await createTestContext('sqlite', { runBatchSize: 2 });
    await seedDemo(ctx, { elders: 600, seed: 12 });
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function login(username: string) {
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();
  }
  async function logout() {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
  }

  let runId = 0;

  it('the bureau starts a run and sees it finish', async () => {
    await login('admin');
    await page.getByRole('menuitem', { name: '待遇测算' }).click();
    const before = await ctx.db.selectFrom('entitlement_runs').select('id').execute();
    // Enter in the month field starts nothing (issue 12)
    await page.getByTestId('run-period').click();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    expect(await ctx.db.selectFrom('entitlement_runs').select('id').execute()).toHaveLength(before.length);
    // the button asks first, naming this month's rolls the re-run touches
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-impact-drafts').waitFor();
    expect(await page.getByTestId('run-impact-drafts').textContent()).toMatch(/\d+ 册未经处理的名册草稿/);
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, '09-run-confirm.png') });
    // the progress follows the live stream (GET /api/events), opened once the run is shown
    const stream = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/events', { timeout: 15_000 });
    await page.getByTestId('run-confirm-ok').click();
    await page.getByTestId('run-progress').waitFor({ timeout: 15_000 });
    const events = await stream;
    expect(events.status()).toBe(200);
    expect(events.headers()['content-type']).toBe('text/event-stream; charset=utf-8');
    await page.getByTestId('run-done').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, '10-run-finished.png'), fullPage: true });
    const runs = await ctx.db.selectFrom('entitlement_runs').selectAll().orderBy('id', 'desc').execute();
    expect(runs).toHaveLength(before.length + 1);
    expect(runs[0]).toMatchObject({ status: 'finished' });
    expect(runs[0]!.persons_done).toBe(runs[0]!.persons_total);
    runId = runs[0]!.id;
    await logout();
  });

  it('the town submits its 高龄津贴 roll; the bureau approves it as checker and downloads it', async () => {
    await login('town1');
    await page.goto(`${base}/rolls?runId=${runId}`);
    await page.getByTestId('rolls-table').getByRole('link', { name: '高龄津贴', exact: true }).click();
    await page.getByTestId('roll-detail').waitFor();
    const rollId = Number(new URL(page.url()).pathname.split('/').pop());
    await page.getByTestId('roll-submit').click();
    await page.getByTestId('roll-submit-dialog-ok').click();
    await expect
      .poll(async () => (await ctx.db.selectFrom('payment_rolls').select('status').where('id', '=', rollId).executeTakeFirstOrThrow()).status)
      .toBe('submitted');
    await expect.poll(() => page.getByTestId('roll-approve').count()).toBe(0);
    await logout();

    await login('admin');
    await page.goto(`${base}/rolls/${rollId}`);
    await page.getByTestId('roll-approve').click();
    // the dialog stands still from the start (the contexts ask for reduced motion, browser.ts):
    // no zoom under way that a click on OK could miss on a loaded machine
    await page.getByTestId('roll-approve-dialog-ok').waitFor();
    expect(await page.locator('.ant-modal').evaluate((el) => el.className)).not.toMatch(/zoom/);
    await page.getByTestId('roll-approve-dialog-ok').click();
    await page.getByTestId('roll-frozen').waitFor({ timeout: 120_000 });
    await page.screenshot({ path: join(SHOTS, '11-roll-approved.png'), fullPage: true });
    const roll = await ctx.db.selectFrom('payment_rolls').selectAll().where('id', '=', rollId).executeTakeFirstOrThrow();
    const nameOf = async (username: string) =>
      (await ctx.db.selectFrom('users').select('display_name').where('username', '=', username).executeTakeFirstOrThrow()).display_name;
    // signed with the officers' names, as the printed roll shows them, not their logins
    expect(roll).toMatchObject({ status: 'approved', made_by_name: await nameOf('town1'), checked_by_name: await nameOf('admin') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roll-export').click()]);
    expect(download.suggestedFilename()).toMatch(/高龄津贴-城关街道\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await download.path());
    const ws = wb.worksheets[0]!;
    expect(String(ws.getCell('A1').value)).toMatch(/^青溪县\d{4}年\d{1,2}月高龄津贴发放名册（城关街道）$/);
    // the signature block under the table: the officers' real names (rolls.xlsx.ts; the layout in full: rolls.xlsx.test.ts)
    let sign = 0;
    for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getRow(r).getCell(1).value ?? '').startsWith('制表人：')) sign = r;
    expect(String(ws.getRow(sign).getCell(1).value)).toMatch(new RegExp(`^制表人：${await nameOf('town1')}\u3000日期：\\d{4}-\\d{2}-\\d{2}$`));
    expect(String(ws.getRow(sign).getCell(5).value)).toMatch(new RegExp(`^审核人：${await nameOf('admin')}\u3000日期：\\d{4}-\\d{2}-\\d{2}$`));
    expect((ws.getRow(3).values as unknown[]).slice(1)).toEqual([
      '序号',
      '姓名',
      '身份证号',
      '镇街',
      '村社区',
      '项目',
      '发放账户',
      '标准(元)',
      '金额(元)',
      '状态',
      '备注',
    ]);
    expect(ws.pageSetup.printTitlesRow).toBe('3:3');
    const paid = (await ctx.db.selectFrom('roll_lines').select('excluded').where('roll_id', '=', rollId).execute()).filter((l) => !l.excluded).length;
    const total = ws.getRow(4 + paid);
    expect(total.getCell(1).value).toBe('发放合计');
    expect(total.getCell(2).value).toBe(`${paid} 人`);
    expect((total.getCell(9).value as { result: number }).result).toBe(roll.total_fen / 100);
    expect(String(ws.getRow(4).getCell(3).value)).toMatch(/^990101\d{11}[\dX]$/);
    expect(ws.getRow(4).getCell(6).value).toBe('高龄津贴');
    // the approval may wait up to 120 s on a loaded machine: the test has room for it (60 s by default)
  }, 180_000);
});
