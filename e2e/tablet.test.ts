import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
const WIDTH = 1024;

/**
 * A bureau officer on a tablet (1024 × 768, issue 14): the menu is a strip of icons that still
 * leads everywhere (each entry's name on hover), and no page is wider than the screen: wide
 * tables scroll inside their card, toolbars wrap.
 */
describe.skipIf(!browserAvailable)('the console on a tablet', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 15 });
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: WIDTH, height: 768 }, hasTouch: true })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  const menu = () => page.getByTestId('nav-menu');
  const entry = (path: string) => menu().locator('li.ant-menu-item', { has: page.locator(`a[href="${path}"]`) });
  /** Opens a menu entry by its icon, waits for the page to show `testid`, and measures it. */
  const visit = async (path: string, testid: string, shot: string) => {
    // where a finger lands on the strip: the middle of the entry, its icon
    await entry(path).click();
    await expect.poll(() => new URL(page.url()).pathname, { timeout: 10_000 }).toBe(path);
    await fits(testid, shot);
  };
  const fits = async (testid: string, shot: string) => {
    await page.getByTestId(testid).first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(SHOTS, `tablet-${shot}.png`) });
    // nothing is wider than the screen: the page does not scroll sideways
    expect(await page.evaluate(() => document.documentElement.scrollWidth), shot).toBeLessThanOrEqual(WIDTH);
  };

  it('logs in as a bureau officer; every main page fits 1024 px and the icon menu leads to it', async () => {
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await fits('home', 'workbench');

    // the menu is a strip of icons, one per entry, so the pages keep the width
    const sider = await page.locator('.ant-layout-sider').boundingBox();
    expect(sider!.width).toBeLessThanOrEqual(80);
    const items = menu().locator('li.ant-menu-item');
    expect(await items.count()).toBeGreaterThanOrEqual(10);
    for (const item of await items.all()) expect(await item.locator('.anticon svg').count()).toBe(1);
    // an icon names its entry on hover
    await entry('/rolls').hover();
    await expect.poll(() => page.locator('.ant-tooltip:visible').innerText(), { timeout: 5_000 }).toBe('发放名册');

    await visit('/register', 'register-table', 'register');
    await page.getByTestId('register-table').locator('tr.ant-table-row').first().click();
    await fits('profile', 'profile');
    await visit('/runs', 'runs-table', 'runs');
    await visit('/rolls', 'rolls-table', 'rolls');
    await page.getByTestId('rolls-table').locator('a[href^="/rolls/"]').first().click();
    await fits('roll-detail', 'roll-detail');
    await visit('/payments', 'payments-page', 'payments');
    await visit('/users', 'users-table', 'users');
    await visit('/audit', 'audit-filter-submit', 'audit');
    await visit('/imports', 'import-source', 'imports');
    await visit('/', 'home', 'workbench-again');

    // the menu opens to its names when asked, and closes again
    await page.locator('.ant-layout-sider-trigger').click();
    await expect.poll(async () => (await page.locator('.ant-layout-sider').boundingBox())!.width).toBeGreaterThan(150);
    await expect.poll(() => menu().innerText()).toContain('老年人名册');
    await page.locator('.ant-layout-sider-trigger').click();
    await expect.poll(async () => (await page.locator('.ant-layout-sider').boundingBox())!.width).toBeLessThanOrEqual(80);
  }, 180_000);
});
