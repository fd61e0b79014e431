import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { makeResidentId } from '../src/modules/register/resident-id.js';
import { ageOn, nowIso, today } from '../src/platform/time.js';
import { createSeededContext, importText, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, choose, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * Issue 19, the admission queue (轮候): the town officer takes two applications to the county's
 * public institution at the console and hands the first family its receipt; on the public tracking
 * page (no login) the family's code shows place 1. Then a 特困 elder's application arrives: the
 * tracking page now shows place 2 and says why (一位更高优先级的申请人加入，您后移1位). Screenshots of the
 * queue at 1440, 1024 and 390, and of the tracking page at 1024 and 390.
 */
describe.skipIf(!browserAvailable)('admission queue in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let villageName = '';
  const elders = [
    { name: '周桂香', birth: '1941-04-02', seq: 11, sex: 'F' as const },
    { name: '吴德明', birth: '1943-08-19', seq: 13, sex: 'M' as const },
    { name: '郑秀兰', birth: '1950-02-11', seq: 15, sex: 'F' as const },
  ];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createSeededContext('sqlite');
    const village = await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'head1').executeTakeFirstOrThrow();
    villageName = ctx.regions.get(village.region_code)!.name;
    await importText(
      ctx,
      'public_security',
      ['身份证号,姓名,村（社区）代码', ...elders.map((e) => `${makeResidentId('990101', e.birth, e.seq, e.sex)},${e.name},${village.region_code}`)].join('\n'),
    );
    // the third elder is in extreme poverty (特困, from civil affairs)
    await ctx.db.updateTable('persons').set({ hardship: 'tekun_dispersed' }).where('name', '=', '郑秀兰').execute();
    const now = nowIso();
    await ctx.db
      .insertInto('facilities')
      .values({
        name: '县社会福利中心',
        kind: 'institution',
        ownership: 'public',
        region_code: ctx.regions.counties()[0]!.code,
        address: '福利路 8 号',
        lat: null,
        lng: null,
        grade: null,
        government_work: 1,
        provider_id: null,
        hardship_home: 0,
        active: 1,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function loggedIn(username: string, width: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage();
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    return page;
  }

  /** Takes an application at the queue page; returns the receipt's tracking code. */
  async function apply(page: Page, name: string): Promise<string> {
    await page.getByTestId('adm-add').click();
    // each person found shows sex, age and village, so namesakes can be told apart
    const e = elders.find((x) => x.name === name)!;
    const shown = [name, e.sex === 'F' ? '女' : '男', `${ageOn(e.birth, today())} 岁`, villageName].join(' · ');
    await choose(page, 'adm-apply-person', shown, name);
    await page.getByTestId('adm-apply-ok').click();
    const code = page.getByTestId('adm-receipt-code');
    await code.waitFor({ timeout: 30_000 });
    const text = (await code.innerText()).trim();
    await page.getByTestId('adm-receipt-done').click();
    await page.getByTestId('adm-receipt').waitFor({ state: 'detached', timeout: 30_000 });
    return text;
  }

  async function track(page: Page, code: string): Promise<void> {
    await page.getByTestId('trk-code').fill(code);
    await page.getByTestId('trk-search').click();
  }

  it('an application enters the queue at the right position and moves, with a reason, when a higher-priority application arrives', async () => {
    const officer = await loggedIn('town1', 1024);
    await officer.goto(base + '/admission');
    await officer.getByTestId('adm-add').waitFor({ timeout: 60_000 });
    const code = await apply(officer, '周桂香');
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await apply(officer, '吴德明');
    await expect.poll(async () => officer.getByTestId('adm-row').count(), { timeout: 30_000 }).toBe(2);

    const family = await (await browser.newContext({ viewport: { width: 1024, height: 900 } })).newPage();
    await family.goto(base + '/admission/track');
    await track(family, code);
    await expect.poll(async () => family.getByTestId('trk-position').innerText(), { timeout: 30_000 }).toBe('第 1 位');
    const shown = await family.getByTestId('trk-result').innerText();
    expect(shown).toContain('周**');
    expect(shown).not.toContain('周桂香');
    // why the applicant is placed there is said once: a heading, not again as a row
    expect(shown.split('排在此处的依据').length - 1).toBe(1);
    await family.screenshot({ path: `${SHOTS}/admission-track-1-1024.png`, fullPage: true });

    // the 特困 elder's application arrives
    await apply(officer, '郑秀兰');
    await expect.poll(async () => officer.getByTestId('adm-row').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(async () => officer.getByTestId('adm-row').first().innerText(), { timeout: 30_000 }).toContain('郑秀兰');
    for (const width of [1440, 1024, 390]) {
      await officer.setViewportSize({ width, height: 900 });
      await expect.poll(async () => officer.getByTestId('adm-row').count(), { timeout: 30_000 }).toBe(3);
      await officer.screenshot({ path: `${SHOTS}/admission-queue-${width}.png`, fullPage: true });
      const fits = await officer.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
      expect(fits, `the queue page fits ${width} px`).toBe(true);
    }

    await track(family, code);
    await expect.poll(async () => family.getByTestId('trk-position').innerText(), { timeout: 30_000 }).toBe('第 2 位');
    await expect.poll(async () => family.getByTestId('adm-history').innerText(), { timeout: 30_000 }).toContain('一位更高优先级的申请人加入，您后移1位');
    await family.screenshot({ path: `${SHOTS}/admission-track-2-1024.png`, fullPage: true });
    await family.setViewportSize({ width: 390, height: 844 });
    const fits = await family.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
    expect(fits, 'the tracking page fits a phone').toBe(true);
    await family.screenshot({ path: `${SHOTS}/admission-track-2-390.png`, fullPage: true });

    // a guessed code: the same plain not-found
    await track(family, 'AAAA-BBBB-CCCC-DDDD-EEEE');
    await expect.poll(async () => family.getByTestId('trk-error').innerText(), { timeout: 30_000 }).toContain('未找到该查询码');
  });
});
