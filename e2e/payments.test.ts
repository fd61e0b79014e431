import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { demoCard } from '../src/modules/demo/files.js';
import { failedUnreissued } from '../src/modules/payments/payments.service.js';
import { makeResidentId } from '../src/modules/register/resident-id.js';
import { createSeededContext, importText, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * Issue 14, as a town officer closing the month would do it: open the approved roll under 代发与回盘,
 * download the bank's disbursement file, upload the bank's return file with two payments failed,
 * and see them listed with the bank's reasons, waiting for next month's roll.
 */
describe.skipIf(!browserAvailable)('bank disbursement and return in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let rollId = 0;
  const ids = [1, 2, 3].map((n) => makeResidentId('990101', '1939-07-08', n, 'M'));
  const names = ['郑一', '王二', '冯三'];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createSeededContext('sqlite');
    const townCode = (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'town1').executeTakeFirstOrThrow()).region_code;
    const village = ctx.regions.all().find((r) => r.level === 'village' && r.parent_code === townCode)!.code;
    await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', ...ids.map((id, i) => `${id},${names[i]},${village}`)].join('\n'));
    await importText(
      ctx,
      'civil_affairs',
      ['身份证号,姓名,银行卡号,开户银行,账户户名', ...ids.map((id, i) => `${id},${names[i]},${demoCard(id)},农村商业银行,${names[i]}`)].join('\n'),
    );
    const persons = await ctx.db.selectFrom('persons').select('id').orderBy('id').execute();
    // an approved roll of the month (made and checked through the rolls' maker-checker elsewhere)
    const r = await ctx.db
      .insertInto('payment_rolls')
      .values({
        run_id: 1,
        period: '2026-10',
        item_id: 'nx-1',
        item_name: '高龄津贴',
        town_code: townCode,
        status: 'draft',
        lines: 3,
        total_fen: 60000,
        made_by: null,
        made_by_name: null,
        made_at: null,
        checked_by: null,
        checked_by_name: null,
        checked_at: null,
        note: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    rollId = r.id;
    for (const p of persons)
      await ctx.db
        .insertInto('roll_lines')
        .values({ roll_id: rollId, person_id: p.id, region_code: village, amount_fen: 20000, standard_fen: 20000, excluded: 0, remark: null })
        .execute();
    await ctx.db.updateTable('payment_rolls').set({ status: 'approved' }).where('id', '=', rollId).execute();
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

  it('a bank return file marks two lines failed; they are listed with the reasons and wait for next month', async () => {
    const page = await logIn('town1');
    // the menu names the page; open it by its address (the workbench re-renders the menu as its figures arrive)
    await expect.poll(async () => page.locator('body').innerText(), { timeout: 10_000 }).toContain('代发与回盘');
    await page.goto(base + '/payments');
    await page.getByTestId('payments-page').getByRole('link', { name: '高龄津贴' }).click();
    await page.getByTestId('roll-payments').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('payment-export').click()]);
    const file = readFileSync((await download.path())!, 'utf8');
    expect(file).toContain(demoCard(ids[0]!));
    const ref = `YY202610-${rollId}`;
    await expect.poll(async () => page.getByTestId('payment-counts').innerText(), { timeout: 10_000 }).toContain(ref);

    const ret = [
      '批次号,身份证号,账号,金额,状态码,失败原因',
      `${ref},${ids[0]},,200.00,0000,`,
      `${ref},${ids[1]},,200.00,3012,账户已销户`,
      `${ref},,${demoCard(ids[2]!)},200.00,3001,户名不符`,
    ].join('\r\n');
    await page
      .getByTestId('payment-return-upload')
      .locator('input[type=file]')
      .setInputFiles({ name: '回盘.csv', mimeType: 'text/csv', buffer: Buffer.from(ret, 'utf8') });
    const failed = page.getByTestId('payment-failed');
    await expect.poll(async () => failed.innerText(), { timeout: 10_000 }).toContain('账户已销户');
    const text = await failed.innerText();
    expect(text).toContain('户名不符');
    expect(text).toContain(names[1]);
    expect(text).toContain(names[2]);
    expect(text).toContain('待下月补发');
    expect(text).not.toContain(demoCard(ids[1]!));
    expect(await page.getByTestId('payment-counts').innerText()).toMatch(/成功 1[\s\S]*失败 2/);
    await page.screenshot({ path: join(SHOTS, 'payments-return.png'), fullPage: true });
    // what next month's roll takes (the rolls' sink calls this)
    expect((await failedUnreissued(ctx.db, ctx.regions.counties()[0]!.prefix)).map((f) => f.period)).toEqual(['2026-10', '2026-10']);

    // a return file for another roll: refused whole, nothing changed
    await page
      .getByTestId('payment-return-upload')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'other.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`批次号,身份证号,账号,金额,状态码,失败原因\r\nYY202609-1,${ids[0]},,200.00,3012,x`, 'utf8'),
      });
    await expect.poll(async () => page.getByTestId('payment-return-error').innerText(), { timeout: 10_000 }).toContain('整个文件未导入');
    expect(await page.getByTestId('payment-counts').innerText()).toMatch(/成功 1[\s\S]*失败 2/);
  });
});
