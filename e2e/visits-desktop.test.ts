import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import { nowIso, today } from '../src/platform/time.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
const WAIT = 30_000;

/**
 * The visits supervisor's desk (issue 16) at 1440 × 900: the town officer moves a village's plan
 * from its grid worker (grid1) to a second grid worker the bureau's admin creates through the users
 * API, and the people's assignment history shows the move; the village head (head1) finds the
 * escalation of a high-risk elder missed two windows in a row on the workbench, follows the card to
 * the escalations and acknowledges it. At 1024 (a tablet: the menu a strip of icons) the pages fit.
 */
describe.skipIf(!browserAvailable)('visits on the desktop console', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let village = '';
  let gridId = 0;
  let gridName = '';
  let newId = 0;
  let escalationId = 0;
  const headers = new Map<string, Record<string, string>>();
  const NEW_WORKER = '村网格员李明';

  async function apiLogin(username: string) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    headers.set(username, { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': res.json().csrfToken });
  }
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: headers.get(who)! });
  const openOf = (workerId: number) =>
    ctx.db
      .selectFrom('visit_assignments')
      .select('person_id')
      .where('worker_id', '=', workerId)
      .where('region_code', '=', village)
      .where('ended_at', 'is', null)
      .execute();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 16 });
    const grid = await ctx.db.selectFrom('users').select(['id', 'region_code', 'display_name']).where('username', '=', 'grid1').executeTakeFirstOrThrow();
    gridId = grid.id;
    gridName = grid.display_name;
    village = grid.region_code;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await apiLogin('admin');

    // village1's plan members visited by grid1 (the demo's visits data does this; set up through the
    // officer's API where it has not)
    if ((await openOf(gridId)).length === 0) {
      const refresh = await api('admin', 'POST', '/api/visits/plans/refresh', {});
      expect(refresh.statusCode, refresh.body).toBeLessThan(300);
      const jobId = refresh.json().jobId as number;
      for (let i = 0; i < 600; i++) {
        const job = await ctx.db.selectFrom('jobs').select(['status']).where('id', '=', jobId).executeTakeFirstOrThrow();
        if (job.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const members = await ctx.db
        .selectFrom('visit_plan_members')
        .select('person_id')
        .where('region_code', '=', village)
        .where('left_on', 'is', null)
        .execute();
      expect(members.length, `plan members in ${village}`).toBeGreaterThan(0);
      const res = await api('admin', 'POST', '/api/visits/assignments', { personIds: members.map((m) => m.person_id), workerId: gridId, note: 'e2e' });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    expect((await openOf(gridId)).length, 'grid1 visits people of the village').toBeGreaterThan(0);

    // the second grid worker of the village: an account the bureau's admin creates
    const created = await api('admin', 'POST', '/api/users', {
      username: 'wangge2',
      displayName: NEW_WORKER,
      role: 'grid_worker',
      regionCode: village,
      password: 'Grid@2026second',
    });
    expect(created.statusCode, created.body).toBe(200);
    newId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'wangge2').executeTakeFirstOrThrow()).id;

    // an open escalation in head1's village (the demo leaves one high-risk elder unvisited for two
    // windows; where it has not, one is raised here as the daily refresh would)
    const head = await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'head1').executeTakeFirstOrThrow();
    const open = await ctx.db
      .selectFrom('visit_escalations')
      .select('id')
      .where('region_code', 'like', `${head.region_code}%`)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) escalationId = open.id;
    else {
      const member = await ctx.db
        .selectFrom('visit_plan_members')
        .select(['person_id', 'region_code'])
        .where('region_code', 'like', `${head.region_code}%`)
        .where('left_on', 'is', null)
        .orderBy('high_risk', 'desc')
        .orderBy('person_id')
        .executeTakeFirstOrThrow();
      const dues = await ctx.db
        .selectFrom('visit_dues')
        .select('id')
        .where('person_id', '=', member.person_id)
        .orderBy('window_end', 'desc')
        .limit(2)
        .execute();
      const at = nowIso();
      const row = await ctx.db
        .insertInto('visit_escalations')
        .values({
          person_id: member.person_id,
          region_code: member.region_code,
          due_ids: JSON.stringify(dues.map((d) => d.id)),
          last_window_end: today(),
          raised_at: at,
          status: 'open',
          acknowledged_by: null,
          acknowledged_at: null,
          closed_by: null,
          closed_at: null,
          resolution: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      escalationId = row.id;
    }

    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
  }, 1_200_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function login(username: string) {
    await context.clearCookies(); // whoever was logged in before (a failed test's session)
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();
  }
  async function logout() {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
  }
  /**
   * What of a table reaches past the window's right edge (or hides inside a scroll area): the titles
   * of header cells not wholly on screen, and whether its content scrolls sideways. [] and false: it fits.
   */
  async function overflowOf(testId: string) {
    return page.getByTestId(testId).evaluate((el) => {
      const width = window.innerWidth;
      const outside = [...el.querySelectorAll('thead th')]
        .map((th) => ({ text: (th as HTMLElement).innerText.trim(), r: th.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.left < 0 || r.right > width + 0.5))
        .map(({ text, r }) => `${text || '(actions)'} @ ${Math.round(r.left)}–${Math.round(r.right)}`);
      const scrolls = [...el.querySelectorAll('.ant-table-content, .ant-table-body')].some((c) => c.scrollWidth > c.clientWidth + 1);
      return { outside, scrolls };
    });
  }
  /** Whether an element lies wholly within the window's width. */
  async function onScreen(locator: ReturnType<Page['getByTestId']>) {
    const box = (await locator.boundingBox())!;
    return box.x >= 0 && box.x + box.width <= page.viewportSize()!.width + 0.5;
  }

  /**
   * Opens an Ant Design select and picks the option whose text contains `text`, in that select's own
   * dropdown, until the select shows it: under load in CI a click once landed while the list was still
   * animating, and the dropdown stayed open with nothing chosen. The list is closed before returning.
   */
  async function pick(testId: string, text: string) {
    const select = page.getByTestId(testId).locator('xpath=ancestor-or-self::*[contains(@class,"ant-select")][1]');
    await select.click();
    const list = await select.locator('input[aria-controls]').getAttribute('aria-controls');
    const dropdown = page.locator('.ant-select-dropdown', { has: page.locator(`[id="${list}"]`) });
    const chosen = async () => (await select.locator('.ant-select-selection-item').allInnerTexts()).some((t) => t.includes(text));
    for (let attempt = 0; attempt < 5 && !(await chosen()); attempt++) {
      if (attempt > 0 && !(await dropdown.isVisible())) await select.click();
      const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
      await option.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
      await option.click({ timeout: 5_000 }).catch(() => undefined);
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && !(await chosen())) await page.waitForTimeout(100);
    }
    if (!(await chosen())) throw new Error(`${text} could not be chosen in ${testId}: ${(await select.innerText()).trim()}`);
    // chosen: the list closes by itself; if it stayed open, a click on the select closes it (not Escape, which closes the dialog)
    if (
      !(await dropdown.waitFor({ state: 'hidden', timeout: 5_000 }).then(
        () => true,
        () => false,
      ))
    )
      await select.click();
    await dropdown.waitFor({ state: 'hidden' });
  }

  it("town1 moves a village's plan from grid1 to another grid worker; the assignment history shows it", async () => {
    const moved = (await openOf(gridId)).map((r) => r.person_id);
    await login('town1');
    await page.getByTestId('nav-menu').getByText('探访分派').click();
    await page.getByTestId('visits-assign-page').waitFor();
    await page.goto(`${base}/visits/assign?region=${village}`);
    await page.getByTestId(`visits-row-worker-${moved[0]}`).filter({ hasText: gridName }).waitFor();
    await page.getByTestId('visits-workers').getByText(NEW_WORKER).waitFor();
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-1-assign.png'), fullPage: true });

    await page.getByTestId('visits-village').click();
    // the dialog starts on the village shown; from grid1 to the new worker
    await pick('visits-village-from', gridName);
    await pick('visits-village-to', NEW_WORKER);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-2-village.png') });
    await page.getByTestId('visits-village-ok').click();
    await page.getByText('已转派').first().waitFor();

    // on the server: every one of grid1's people in the village is the new worker's now, the old rows ended
    expect(await openOf(gridId)).toEqual([]);
    expect((await openOf(newId)).map((r) => r.person_id).sort((a, b) => a - b)).toEqual([...moved].sort((a, b) => a - b));
    await page.getByTestId(`visits-row-worker-${moved[0]}`).filter({ hasText: NEW_WORKER }).waitFor();

    // the person's history: the new worker current, grid1's assignment ended by town1
    await page.getByTestId(`visits-history-open-${moved[0]}`).click();
    const history = page.getByTestId('visits-assignment-history');
    await history.waitFor();
    await expect.poll(() => history.innerText()).toContain(NEW_WORKER);
    const text = await history.innerText();
    expect(text).toContain('当前');
    expect(text).toContain(gridName);
    expect(text).toContain('结束时间');
    // newest first: the new worker above grid1
    expect(text.indexOf(NEW_WORKER)).toBeLessThan(text.indexOf(gridName));
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-3-history.png') });
    await page.keyboard.press('Escape');

    // the same history on the person's profile, in the 探访 tab
    await page.goto(`${base}/register/${moved[0]}`);
    await page.getByRole('tab', { name: '探访' }).click();
    await page.getByTestId('profile-visits').waitFor();
    await expect.poll(() => page.getByTestId('profile-visits').getByTestId('visits-assignment-history').innerText()).toContain(NEW_WORKER);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-4-profile.png'), fullPage: true });

    // the plans page and the rate by region read at a tablet's width: the menu a strip of icons, nothing wider than the screen
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`${base}/visits/plans?tab=rate`);
    await page.getByTestId('rate-table').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-5-rate-1024.png'), fullPage: true });
    await page.goto(`${base}/visits/assign?region=${village}`);
    await page.getByTestId('visits-assign-table').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    // a profile's visits at 1024: every column on screen, 计入 (counted) included
    const town = (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'town1').executeTakeFirstOrThrow()).region_code;
    const visited = await ctx.db
      .selectFrom('care_events')
      .select('person_id')
      .where('kind', '=', 'visit')
      .where('region_code', 'like', `${town}%`)
      .orderBy('started_at', 'desc')
      .executeTakeFirst();
    expect(visited, "the demo has visits in town1's town").toBeDefined();
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
      await page.goto(`${base}/register/${visited!.person_id}`);
      await page.getByRole('tab', { name: '探访' }).click();
      const events = page.getByTestId('profile-visit-events');
      await events.waitFor();
      expect(await events.locator('thead').innerText()).toContain('计入');
      expect(await overflowOf('profile-visit-events')).toEqual({ outside: [], scrolls: false });
      expect(await onScreen(events.locator('[data-testid^="profile-visit-counted-"]').first())).toBe(true);
      await page.screenshot({ path: join(SHOTS, `visits-desktop-4b-profile-visits-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await logout();
  }, 240_000);

  it('head1 sees the escalation on the workbench and acknowledges it', async () => {
    await login('head1');
    await page.goto(base + '/');
    const card = page.getByTestId('workbench-visits');
    await card.waitFor();
    const tile = page.getByTestId('todo-visits-escalations');
    await expect.poll(async () => Number((await tile.innerText()).replace(/\D+/g, ' ').trim().split(' ').pop())).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-6-head-workbench.png'), fullPage: true });
    await tile.click();
    await page.getByTestId('esc-table').waitFor();
    expect(new URL(page.url()).search).toBe('?tab=escalations');
    // at a tablet's width (1024, the menu a strip of icons) the escalations fit: the elder's name whole and on
    // screen, the actions too; the follow-ups alike
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.getByTestId(`esc-ack-${escalationId}`).waitFor();
    expect(await overflowOf('esc-table')).toEqual({ outside: [], scrolls: false });
    const name = page.getByTestId(`esc-person-${escalationId}`);
    expect(await onScreen(name)).toBe(true);
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width > 20)).toBe(true);
    expect(await onScreen(page.getByTestId(`esc-ack-${escalationId}`))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-6b-escalations-1024.png'), fullPage: true });
    await page.getByRole('tab', { name: '跟进事项' }).click();
    await page.getByTestId('fu-table').waitFor();
    expect(await overflowOf('fu-table')).toEqual({ outside: [], scrolls: false });
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-6c-followups-1024.png'), fullPage: true });
    await page.getByRole('tab', { name: /升级/ }).click();
    await page.getByTestId('esc-table').waitFor();
    await page.setViewportSize({ width: 1440, height: 900 });
    const ack = page.getByTestId(`esc-ack-${escalationId}`);
    await ack.click();
    await page.getByText('已确认').first().waitFor();
    await expect.poll(() => page.getByTestId(`esc-ack-${escalationId}`).count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'visits-desktop-7-acknowledged.png'), fullPage: true });
    const row = await ctx.db.selectFrom('visit_escalations').select(['status', 'acknowledged_by']).where('id', '=', escalationId).executeTakeFirstOrThrow();
    const headId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'head1').executeTakeFirstOrThrow()).id;
    expect(row).toEqual({ status: 'acknowledged', acknowledged_by: headId });
  }, 240_000);
});
