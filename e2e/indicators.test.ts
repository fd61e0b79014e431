import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { ageOn, today } from '../src/platform/time.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

/** Screenshots for the lead to look at (the task asks for them under /tmp). */
const SHOTS = '/tmp/e2e-indicators';

/**
 * Issue 20, the indicators console in Chromium over the demo county: the 80+ assessment coverage
 * the dashboard shows equals a count this test makes from the register's rows itself (and the
 * assessment module's own coverage page agrees), and the drill-down's numerator tab lists exactly
 * those people across its pages; a town officer's dashboard starts at their town, its children
 * are the town's villages, and another town's code answers not found; the quarterly report shows
 * seed 001's 19 rows. Screenshots at 1024 and 390 px.
 */
describe.skipIf(!browserAvailable)('indicators in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const asOf = today();
  let town1 = { code: '', name: '' };
  let town2Code = '';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 20 });
    const users = await ctx.db.selectFrom('users').select(['username', 'region_code']).where('username', 'in', ['town1', 'town2']).execute();
    const t1 = users.find((u) => u.username === 'town1')!.region_code;
    town1 = { code: t1, name: ctx.regions.get(t1)!.name };
    town2Code = users.find((u) => u.username === 'town2')!.region_code;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function logIn(username: string, width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 } })).newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    return page;
  }
  /** Nothing wider than the screen: wide tables scroll inside their card. */
  const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
  /**
   * The sub-regions' table shows every column, its flags included, without a sideways scroll: how far
   * its content reaches past its box (0 when it fits), and whether a header or a flag ends past the card.
   */
  const childrenFit = (page: Page) =>
    page.getByTestId('ind-children').evaluate((table) => {
      const box = table.getBoundingClientRect();
      const content = table.querySelector('.ant-table-content') as HTMLElement;
      const cut = [...table.querySelectorAll('th, [data-flag]')].filter((el) => el.getBoundingClientRect().right > box.right + 1);
      return { overflow: content.scrollWidth - content.clientWidth, cut: cut.map((el) => el.textContent) };
    });

  /** The county's active elders of 80 or more and those with a valid assessment today, from the rows. */
  async function count80(prefix: string) {
    const rows = await ctx.db
      .selectFrom('persons')
      .select(['id', 'name', 'id_masked', 'birth_date', 'status', 'region_code', 'capability_on', 'capability_until'])
      .execute();
    const den = rows.filter((p) => p.status === 'active' && p.region_code.startsWith(prefix) && ageOn(p.birth_date, asOf) >= 80);
    const num = den.filter((p) => p.capability_on !== null && p.capability_on <= asOf && p.capability_until !== null && p.capability_until >= asOf);
    return { den, num };
  }

  it('shows the 80+ assessment coverage the register’s rows give, and its numerator lists exactly those people', async () => {
    const expected = await count80('990101');
    expect(expected.den.length).toBeGreaterThan(10);
    expect(expected.num.length).toBeGreaterThan(0);
    expect(expected.num.length).toBeLessThan(expected.den.length);
    const rate = Math.round((1000 * expected.num.length) / expected.den.length) / 10;

    const desk = await logIn('admin', 1024);
    // the workbench's card names the key indicators and links to them all
    await desk.getByTestId('wb-indicators').waitFor();
    await desk.screenshot({ path: `${SHOTS}/workbench-1024.png`, fullPage: true });
    await desk.getByTestId('wb-indicators-all').click();
    const cell = desk.getByTestId('ind-value-assessed80');
    await cell.waitFor();
    const shown = await cell.innerText();
    expect(shown).toContain(`${rate}%`);
    expect(shown).toContain(`${expected.num.length} / ${expected.den.length}`);
    expect(await desk.getByTestId('ind-breadcrumb').innerText()).toBe('青溪县');
    // the assessment module's own coverage page, another way to the same figure
    const cov = await desk.evaluate(async () => (await fetch('/api/assessments/coverage')).json());
    expect(cov.region).toMatchObject({ older: expected.den.length, covered: expected.num.length });
    // select it: the bars, the months and the map are drawn
    await desk.getByTestId('ind-status-assessed80').click();
    await desk.getByTestId('ind-chart-children').locator('canvas').waitFor();
    await desk.getByTestId('ind-chart-series').locator('canvas').waitFor();
    await desk.getByTestId('ind-chart-map').locator('canvas').waitFor();
    expect(await pageWidth(desk)).toBeLessThanOrEqual(1024);
    await desk.getByTestId('ind-children').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await childrenFit(desk)).toEqual({ overflow: 0, cut: [] });
    await desk.screenshot({ path: `${SHOTS}/dashboard-1024.png`, fullPage: true });
    // in English: the same page, its words switched
    await desk.getByTestId('lang-switch').getByText('English').click();
    await desk
      .getByTestId('ind-status-assessed80')
      .getByText(/^(Met|Not met)$/)
      .waitFor();
    expect(await desk.getByTestId('ind-link-assessed80').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
    await desk.screenshot({ path: `${SHOTS}/dashboard-en-1024.png`, fullPage: true });
    await desk.getByTestId('lang-switch').getByText('中文').click();
    await desk
      .getByTestId('ind-status-assessed80')
      .getByText(/^(达标|未达标)$/)
      .waitFor();
    // the export is a workbook of the page's region and month
    const [file] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('ind-export').click()]);
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);

    // the drill-down: the numerator's people, all pages
    await desk.getByTestId('ind-link-assessed80').click();
    await desk.getByTestId('ind-definition').waitFor();
    expect(await desk.getByTestId('ind-detail-value').innerText()).toBe(`${rate}%`);
    const table = desk.getByTestId('ind-members-table');
    await table.locator('tr[data-row-key]').first().waitFor();
    const seen: string[] = [];
    for (let pageNo = 1; pageNo < 50; pageNo++) {
      await desk.waitForFunction(() => !document.querySelector('[data-testid="ind-members-table"] .ant-spin-spinning'));
      const rows = table.locator('tr[data-row-key]');
      const n = await rows.count();
      for (let i = 0; i < n; i++) {
        const row = rows.nth(i);
        seen.push(`${await row.getByTestId('ind-member-name').innerText()}|${await row.getByTestId('ind-member-id').innerText()}`);
      }
      const next = desk.locator('[data-testid="ind-members-table"] .ant-pagination-next');
      if ((await next.getAttribute('aria-disabled')) === 'true') break;
      const first = await rows.first().getAttribute('data-row-key');
      await next.click();
      await desk.waitForFunction(
        (key) => document.querySelector('[data-testid="ind-members-table"] tr[data-row-key]')?.getAttribute('data-row-key') !== key,
        first,
      );
    }
    expect(seen.sort()).toEqual(expected.num.map((p) => `${p.name}|${p.id_masked}`).sort());
    const [list] = await Promise.all([desk.waitForEvent('download'), desk.getByTestId('ind-members-export').click()]);
    expect(list.suggestedFilename()).toMatch(/\.xlsx$/);
    await desk.screenshot({ path: `${SHOTS}/drilldown-1024.png`, fullPage: true });
    // the gap tab: those 80+ without a valid assessment
    await desk.getByTestId('ind-part-gap').click();
    await desk
      .locator('[data-testid="ind-members-table"] .ant-pagination-total-text', { hasText: String(expected.den.length - expected.num.length) })
      .waitFor();
  });

  it('starts a town officer’s dashboard at their town, lists its villages, and answers not found for another town', async () => {
    const villages = ctx.regions
      .all()
      .filter((r) => r.parent_code === town1.code)
      .map((r) => r.name);
    const phone = await logIn('town1', 390);
    await phone.getByTestId('wb-indicators').waitFor();
    await phone.screenshot({ path: `${SHOTS}/workbench-390.png`, fullPage: true });
    await phone.goto(base + '/indicators');
    await phone.getByTestId('ind-value-assessed80').waitFor();
    expect(await phone.getByTestId('ind-breadcrumb').innerText()).toBe(town1.name);
    const children = (await phone.getByTestId('ind-children-links').locator('.ant-tag').allInnerTexts()).map((s) => s.trim());
    expect(children.sort()).toEqual([...villages].sort());
    // the 80+ figure of the town is the town's own count
    const expected = await count80(town1.code);
    expect(await phone.getByTestId('ind-value-assessed80').innerText()).toContain(`${expected.num.length} / ${expected.den.length}`);
    // the figures sit beside the names on a phone: the table does not scroll sideways inside its card
    expect(
      await phone
        .getByTestId('ind-table')
        .locator('.ant-table-content')
        .evaluate((el) => el.scrollWidth - el.clientWidth),
    ).toBeLessThanOrEqual(0);
    expect(await phone.getByTestId('ind-value-assessed80').isVisible()).toBe(true);
    await phone.getByTestId('ind-status-assessed80').click();
    await phone.getByTestId('ind-chart-map').locator('canvas').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
    await phone.getByTestId('ind-children').locator('tbody tr.ant-table-row').first().waitFor();
    expect(await childrenFit(phone)).toEqual({ overflow: 0, cut: [] });
    await phone.screenshot({ path: `${SHOTS}/dashboard-390.png`, fullPage: true });
    // a village from the map's table drills down; the breadcrumb keeps the town first
    const village = (await phone.getByTestId('ind-children').locator('a').first().innerText()).trim();
    await phone.getByTestId('ind-children').locator('a').first().click();
    await phone.waitForFunction((name) => document.querySelector('[data-testid="ind-breadcrumb"]')?.textContent?.endsWith(name), village);
    expect(await phone.getByTestId('ind-breadcrumb').evaluate((el) => el.textContent)).toBe(`${town1.name}/${village}`);
    // another town's code in the address: not found, nothing of it shown
    await phone.goto(`${base}/indicators?region=${town2Code}`);
    await phone.getByTestId('ind-error').waitFor();
    expect(await phone.getByTestId('ind-error').innerText()).toContain('未找到该地区或指标');
    expect(await phone.getByTestId('ind-table').count()).toBe(0);
    // the county, above the town: not found either
    await phone.goto(`${base}/indicators?region=990101`);
    await phone.getByTestId('ind-error').waitFor();
    // the drill-down page of a member list at 390 px: the table scrolls inside its card
    await phone.goto(`${base}/indicators/assessed80`);
    await phone.getByTestId('ind-definition').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: `${SHOTS}/drilldown-390.png`, fullPage: true });
  });

  it('prints the quarterly report with seed 001’s 19 rows, the title naming the region and quarter, the menu left out', async () => {
    const desk = await logIn('admin', 1024);
    const m = Number(asOf.slice(5, 7));
    const quarter = `${asOf.slice(0, 4)}Q${Math.ceil(m / 3)}`;
    // the dashboard opens at the running month and says so; 上月 is the month before, not marked
    await desk.goto(`${base}/indicators`);
    expect(await desk.getByTestId('ind-running').innerText()).toBe(`本月截至 ${m}月${Number(asOf.slice(8, 10))}日`);
    await desk.getByTestId('ind-prev-month').click();
    const prev = m === 1 ? `${Number(asOf.slice(0, 4)) - 1}-12` : `${asOf.slice(0, 4)}-${String(m - 1).padStart(2, '0')}`;
    await desk.waitForURL((u) => u.searchParams.get('period') === prev);
    await desk.getByTestId('ind-running').waitFor({ state: 'detached' });
    expect(await desk.getByTestId('ind-period').evaluate((el) => (el instanceof HTMLInputElement ? el : el.querySelector('input'))?.value)).toBe(prev);
    // the report opens at the last completed quarter
    const q = Math.ceil(m / 3);
    const last = q === 1 ? { y: Number(asOf.slice(0, 4)) - 1, q: 4 } : { y: Number(asOf.slice(0, 4)), q: q - 1 };
    await desk.goto(`${base}/indicators/report`);
    await desk.getByTestId('ind-report').waitFor();
    expect(await desk.getByTestId('ind-report-title').innerText()).toBe(`青溪县养老服务主要发展指标（${last.y}年第${last.q}季度）`);
    expect(await desk.getByTestId('ind-report-running').count()).toBe(0);
    // the running quarter, chosen in the address: marked as running
    await desk.goto(`${base}/indicators/report?quarter=${quarter}`);
    await desk.getByTestId('ind-report').waitFor();
    expect(await desk.getByTestId('ind-report-title').innerText()).toBe(`青溪县养老服务主要发展指标（${asOf.slice(0, 4)}年第${Math.ceil(m / 3)}季度）`);
    expect(await desk.getByTestId('ind-report-running').innerText()).toContain('本季度尚未结束');
    const seedRows = desk.getByTestId('ind-report-seed').locator('tbody tr');
    expect(await seedRows.count()).toBe(19);
    const numbers = await desk
      .getByTestId('ind-report-seed')
      .locator('tbody tr td.c:not([rowspan])')
      .evaluateAll((tds) => tds.map((td) => td.textContent));
    for (let i = 1; i <= 19; i++) expect(numbers).toContain(String(i));
    expect(await desk.getByTestId('ind-report-seed').locator('tr[data-key="assessed80"]').innerText()).toContain('%');
    await desk.screenshot({ path: `${SHOTS}/report-1024.png`, fullPage: true });
    await desk.emulateMedia({ media: 'print' });
    expect(await desk.locator('.ant-layout-sider').first().isVisible()).toBe(false);
    expect(await desk.getByTestId('ind-print').isVisible()).toBe(false);
    await desk.screenshot({ path: `${SHOTS}/report-print.png`, fullPage: true });
    await desk.emulateMedia({ media: 'screen' });
    const phone = await logIn('admin', 390);
    await phone.goto(`${base}/indicators/report?quarter=${quarter}`);
    await phone.getByTestId('ind-report').waitFor();
    expect(await pageWidth(phone)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: `${SHOTS}/report-390.png`, fullPage: true });
  });
});
