import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_COUNTY, DEMO_COUNTY2 } from '../src/modules/demo/regions.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

/** Screenshots for the lead to look at (the task asks for them under /tmp). */
const SHOTS = '/tmp/e2e-jurisdictions';

/**
 * Issue 21, the demo city in Chromium: the city's officer picks a county on 待遇测算 and reads its
 * runs, with no way to start one (the county's own bureau does); the second county's officer sees
 * only their county, with its own catalogue, and starts its run; the public self-check on a phone
 * asks for the county first and answers from that county's catalogue.
 */
describe.skipIf(!browserAvailable)('a city with two counties in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 21, second: true });
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function open(width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 } })).newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    return page;
  }
  async function logIn(username: string, width: number): Promise<Page> {
    const page = await open(width);
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    return page;
  }
  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  it('the city officer picks 石湖县 on 待遇测算 and reads its runs, and cannot start one', async () => {
    const page = await logIn('city1', 1440);
    await page.goto(base + '/runs');
    await expect.poll(() => page.getByTestId('runs-catalogue').textContent()).toContain('青溪县');
    expect(await page.getByTestId('run-start').count()).toBe(0);
    await page.getByTestId('jurisdiction-picker').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '石湖县' }).click();
    await expect.poll(() => page.getByTestId('runs-catalogue').textContent()).toContain('大冶市基本养老服务清单');
    expect(page.url()).toContain(`jurisdiction=${DEMO_COUNTY2}`);
    const shihu = await ctx.db.selectFrom('entitlement_runs').select('id').where('region_code', '=', DEMO_COUNTY2).execute();
    await expect.poll(() => page.getByTestId('runs-table').locator('tbody tr.ant-table-row').count()).toBe(shihu.length);
    expect(await page.getByTestId('run-start').count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/city1-runs-1440.png`, fullPage: true });
    expect(await pageWidth(page)).toBeLessThanOrEqual(1440);
  }, 120_000);

  it('the second county’s officer sees only their county on its own catalogue, and starts its run (1024 px)', async () => {
    const page = await logIn('admin2', 1024);
    await page.goto(base + '/runs');
    await expect.poll(() => page.getByTestId('runs-catalogue').textContent()).toContain('石湖县');
    expect(await page.getByTestId('jurisdiction-picker').count()).toBe(0);
    const before = (await ctx.db.selectFrom('entitlement_runs').select('id').where('region_code', '=', DEMO_COUNTY2).execute()).length;
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-confirm-ok').click();
    // starting a run answered after more than 30 s once in CI on a loaded machine (see issue 21's note: startRun latency)
    await page.getByTestId('run-confirm-ok').waitFor({ state: 'detached', timeout: 60_000 });
    await expect
      .poll(
        async () =>
          (await ctx.db.selectFrom('entitlement_runs').select('status').where('region_code', '=', DEMO_COUNTY2).execute()).filter(
            (r) => r.status === 'finished',
          ).length,
        {
          timeout: 60_000,
        },
      )
      .toBe(before + 1);
    // 青溪县's runs are untouched and its rolls still open
    const q = await ctx.db.selectFrom('entitlement_runs').select('id').where('region_code', '=', DEMO_COUNTY).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const rolls = await ctx.db.selectFrom('payment_rolls').select('status').where('run_id', '=', q.id).execute();
    expect(rolls.length).toBeGreaterThan(0);
    expect(rolls.every((r) => r.status === 'draft')).toBe(true);
    await page.screenshot({ path: `${SHOTS}/admin2-runs-1024.png`, fullPage: true });
  }, 120_000);

  it('the public self-check on a phone asks for the county first, then answers from its catalogue (390 px)', async () => {
    const page = await open(390);
    await page.goto(base + '/self-check');
    await page.getByTestId(`pub-place-${DEMO_COUNTY2}`).waitFor();
    expect(await page.getByTestId('self-check-form').count()).toBe(0);
    await page.getByTestId(`pub-place-${DEMO_COUNTY2}`).click();
    await page.getByTestId('self-check-form').waitFor();
    expect(page.url()).toContain(`place=${DEMO_COUNTY2}`);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/self-check-place-390.png`, fullPage: true });
    // the portal remembers the county chosen
    await page.getByTestId('sc-home').click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toContain('石湖县');
  });
});
