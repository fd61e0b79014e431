import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import { insertAccounts } from '../src/modules/users/accounts.js';
import { hashPassword } from '../src/platform/auth.js';
import { nowIso } from '../src/platform/time.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * A grid worker on a phone (390 px, issue 14): logs in, lands on the workbench with the changes of
 * their village to follow up, follows the to-do to 待办 / 变动跟进 and finds the people as cards,
 * not a squeezed table; ticks one as followed up and the workbench's count goes down.
 */
describe.skipIf(!browserAvailable)('the grid worker on a phone', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;
  let open: number;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 14 });
    // a grid worker for the village with the most open changes in the latest run
    const run = await ctx.db.selectFrom('entitlement_runs').select('id').where('status', '=', 'finished').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const village = await ctx.db
      .selectFrom('decision_changes')
      .select(['region_code', (eb) => eb.fn.countAll<number>().as('n')])
      .where('run_id', '=', run.id)
      .where('handled_at', 'is', null)
      .where('kind', '!=', 'verify')
      .groupBy('region_code')
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    open = Number(village.n);
    await insertAccounts(
      ctx.db,
      [{ username: 'grid9', displayName: '测试网格员', role: 'grid_worker', regionCode: village.region_code, passwordHash: await hashPassword(DEMO_PASSWORD) }],
      nowIso(),
    );
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  it('opens the workbench, follows the change to-do to the card list, and ticks one off', async () => {
    expect(open).toBeGreaterThan(1);
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill('grid9');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();

    const todo = page.getByTestId('todo-changes');
    await expect.poll(() => todo.isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => todo.innerText()).toContain(String(open));
    // the region's figures are drawn (the charts' chunk loads after the to-dos)
    await expect.poll(() => page.locator('[data-testid="chart-bands"] canvas').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'phone-1-workbench.png'), fullPage: true });

    await todo.click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/changes$/);
    const cards = page.getByTestId('changes-cards');
    await expect.poll(() => cards.isVisible(), { timeout: 20_000 }).toBe(true);
    // cards, not a table squeezed into 390 px; one per open change
    expect(await page.getByTestId('changes-table').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid^="change-card-"]').count(), { timeout: 10_000 }).toBe(Math.min(open, 20));
    // nothing is wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'phone-2-changes.png'), fullPage: true });

    // the menu names the work queue as what it is
    await page.locator('.ant-layout-sider-zero-width-trigger').click({ timeout: 10_000 });
    const menu = page.getByTestId('nav-menu');
    await expect.poll(() => menu.innerText()).toContain('待办 / 变动跟进');
    expect(await menu.innerText()).not.toContain('待遇测算');
    await page.getByRole('menuitem', { name: '待办 / 变动跟进' }).click({ timeout: 10_000 });

    // tick the first one as followed up: it leaves the open list, and the workbench counts one fewer
    const box = page.locator('[data-testid^="change-handled-"]').first();
    const id = (await box.getAttribute('data-testid'))!.replace('change-handled-', '');
    await box.click({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId(`change-card-${id}`).count(), { timeout: 10_000 }).toBe(0);
    await page.goto(base + '/');
    await expect.poll(() => page.getByTestId('todo-changes').innerText(), { timeout: 20_000 }).toContain(String(open - 1));
  }, 120_000);
});
