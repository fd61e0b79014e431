import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { makeResidentId } from '../src/modules/register/resident-id.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * A bureau officer's first session, as a new user would do it: log in, upload a GBK CSV with a
 * bad row, read the error report, fix the file, re-import, open the person's profile, reveal
 * the ID and see the audit entries of that.
 */
describe.skipIf(!browserAvailable)('console in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let village: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 11 });
    village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  const newId = makeResidentId('990101', '1936-09-09', 401, 'F');
  const gbkFile = (rows: string[]) => ({
    name: '户籍变动.csv',
    mimeType: 'text/csv',
    buffer: iconv.encode(['身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期', ...rows].join('\r\n') + '\r\n', 'gbk'),
  });

  it('logs in, rejects a file with a bad row and explains it, then imports the fixed file', async () => {
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByRole('menuitem', { name: '数据导入' }).click();

    await page.getByTestId('import-source').click();
    await page.getByText('公安（户籍）', { exact: true }).last().click();
    const good = `${newId},欧阳秀英,女,1936-09-09,${village},本地,10055556666,正常,`;
    const bad = `${newId.slice(0, 17)}${newId[17] === '1' ? '2' : '1'},欧阳建国,男,,${village},本地,,正常,`;
    await page
      .getByTestId('import-upload')
      .locator('input[type=file]')
      .setInputFiles(gbkFile([good, bad]));
    const errors = page.getByTestId('import-errors');
    await expect.poll(() => errors.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => errors.innerText()).toContain('身份证号校验位错误');
    await page.screenshot({ path: join(SHOTS, '1-import-rejected.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-error-report').click()]);
    const report = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    expect(report.split('\r\n')[0]).toBe('行号,列,值,原因');
    expect(report).toMatch(/\r\n3,身份证号,990101\*{12},身份证号校验位错误/);
    expect(await ctx.db.selectFrom('persons').select('id').where('name', '=', '欧阳秀英').execute()).toHaveLength(0);

    await page
      .getByTestId('import-upload')
      .locator('input[type=file]')
      .setInputFiles(gbkFile([good]));
    const result = page.getByTestId('import-result');
    await expect.poll(() => result.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(async () => result.innerText()).toMatch(/新增\s*1/);
    await page.screenshot({ path: join(SHOTS, '2-import-applied.png'), fullPage: true });
  });

  it('finds the person, opens the profile, reveals the ID and shows the audit entries', async () => {
    await page.getByRole('menuitem', { name: '老年人名册' }).click();
    await page.getByTestId('register-search').fill('欧阳秀英');
    await page.getByTestId('register-search').press('Enter');
    const table = page.getByTestId('register-table');
    await expect.poll(async () => table.innerText(), { timeout: 10_000 }).toContain('欧阳秀英');
    expect(await table.innerText()).not.toContain(newId);
    await table.getByText('欧阳秀英').click();

    await page.getByTestId('profile-reveal-id').click();
    await expect.poll(async () => page.getByTestId('profile-id-value').innerText(), { timeout: 10_000 }).toContain(newId);
    await page.getByRole('tab', { name: '访问记录' }).click();
    const log = page.getByTestId('profile-access-log');
    await expect.poll(async () => log.innerText(), { timeout: 10_000 }).toMatch(/admin/);
    await page.screenshot({ path: join(SHOTS, '3-profile-access-log.png'), fullPage: true });

    const person = await ctx.db.selectFrom('persons').select('id').where('name', '=', '欧阳秀英').executeTakeFirstOrThrow();
    const entries = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'fields'])
      .where('entity_type', '=', 'person')
      .where('entity_id', '=', String(person.id))
      .execute();
    expect(entries).toContainEqual({ action: 'person.reveal', actor: 'admin', fields: '["idNumber"]' });
    expect(entries.some((e) => e.action === 'person.read')).toBe(true);
  });

  it('switches the console to English', async () => {
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(async () => page.getByRole('menuitem').first().innerText()).toMatch(/[A-Za-z]/);
    await page.screenshot({ path: join(SHOTS, '4-english.png') });
  });
});
