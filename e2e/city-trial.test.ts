import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_CITY, DEMO_COUNTY2 } from '../src/modules/demo/regions.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

/** Screenshots for the lead to look at. */
const SHOTS = '/tmp/e2e-city-trial';

/**
 * Issue 21, what a new user's trial of the demo city found, each checked in Chromium: the run's
 * header counts the 待核实 rows its change list holds; a run started by the demo is not shown as
 * "system:demo"; the settings page on a phone is a page of cards, not a table whose description
 * column had a few pixels (the page was 46,000 px tall); the public self-check is in the public
 * pages' large type; the city's indicator map has an outline for both counties.
 */
describe.skipIf(!browserAvailable)('the demo city as a new user tried it', () => {
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

  async function open(width: number, locale = 'zh-CN'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 } });
    await context.addInitScript((l) => localStorage.setItem('yy.locale', l), locale);
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    return page;
  }
  async function logIn(username: string, width: number, locale = 'zh-CN'): Promise<Page> {
    const page = await open(width, locale);
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    return page;
  }

  it('a run’s header counts its 待核实 rows beside its changes, and names the demo as who started it (1440 px)', async () => {
    const run = await ctx.db
      .selectFrom('entitlement_runs')
      .select(['id', 'changes'])
      .where('region_code', '=', DEMO_COUNTY2)
      .where('previous_run_id', 'is not', null)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const verify = await ctx.db
      .selectFrom('decision_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', run.id)
      .where('kind', '=', 'verify')
      .executeTakeFirstOrThrow();
    expect(Number(verify.n), 'the demo county on Daye’s catalogue has people to verify').toBeGreaterThan(0);
    for (const locale of ['zh-CN', 'en']) {
      const page = await logIn('admin2', 1440, locale);
      await page.goto(`${base}/runs/${run.id}`);
      await page.getByTestId('run-verify-count').waitFor();
      expect(await page.getByTestId('run-verify-count').textContent()).toBe(String(verify.n));
      const header = (await page.getByTestId('run-detail').locator('.ant-descriptions').first().textContent()) ?? '';
      expect(header).not.toContain('system:demo');
      expect(header).toContain(locale === 'en' ? 'Demo data' : '演示数据');
      await page.screenshot({ path: `${SHOTS}/run-header-${locale}.png` });
      await page.context().close();
    }
  }, 120_000);

  it('the settings page on a phone: a card a setting, no field names of the files, nothing wider than the screen (390 px)', async () => {
    for (const locale of ['zh-CN', 'en']) {
      const page = await logIn('city1', 390, locale);
      await page.goto(`${base}/settings?jurisdiction=${DEMO_COUNTY2}`);
      await page.getByTestId('setting-card-alarm_rules').waitFor();
      const text = (await page.getByTestId('settings-page').textContent()) ?? '';
      expect(text).not.toMatch(/signatureWindowSeconds|olderAge|hardshipRule|ackSeconds|planFrom|rules: \d/);
      expect(await page.getByTestId('setting-value-alarm_rules').textContent()).toBe(locale === 'en' ? '8 items' : '8 项');
      // the page was 46,765 px tall: every character of the descriptions on a line of its own
      const size = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
      expect(size.width).toBeLessThanOrEqual(390);
      expect(size.height).toBeLessThan(20_000);
      await page.screenshot({ path: `${SHOTS}/settings-390-${locale}.png` });
      await page.context().close();
    }
  }, 120_000);

  it('the public self-check is in the public pages’ large type, its form and its answer (390 px)', async () => {
    const page = await open(390);
    await page.goto(`${base}/self-check?place=${DEMO_COUNTY2}`);
    await page.getByTestId('self-check-form').waitFor();
    await page.getByTestId('sc-birthDate').click();
    await page.keyboard.type('1940-03-01');
    await page.keyboard.press('Enter');
    await page.getByTestId('sc-sex').getByText('女').click();
    await page.getByTestId('sc-submit').click();
    await page.getByTestId('sc-result').waitFor();
    // the smallest type anyone reads on the page: labels, choices, hints, the answer and the why list
    const smallest = await page.evaluate(() => {
      let min = Infinity;
      let what = '';
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!el || !n.textContent?.trim()) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || el.closest('[aria-hidden="true"], .ant-select-dropdown')) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < min) [min, what] = [size, n.textContent.trim().slice(0, 40)];
      }
      return { min, what };
    });
    expect(smallest.min, `"${smallest.what}"`).toBeGreaterThanOrEqual(16);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/self-check-390.png`, fullPage: true });
    await page.context().close();
  }, 120_000);

  it('the city’s indicator map outlines both counties, and none is listed without an outline (1440 px)', async () => {
    const page = await logIn('city1', 1440);
    const shapes = await page.evaluate(async (code) => (await fetch(`/api/regions/shapes?parent=${code}`)).json(), DEMO_CITY);
    expect((shapes as { missing: unknown[] }).missing).toEqual([]);
    expect((shapes as { features: unknown[] }).features).toHaveLength(2);
    await page.context().close();
  }, 120_000);
});
