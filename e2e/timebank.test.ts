import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { recordEvent } from '../src/modules/care-events/care-events.service.js';
import { makeResidentId } from '../src/modules/register/resident-id.js';
import { createSeededContext, importText, type TestContext } from '../src/testing/harness.js';
import { call, loginAs } from '../src/testing/http.js';
import { browserAvailable, choose, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * Issue 16, the time bank at a desk: vol1 (a volunteer of village1) visited an elder for 2 h 30 min;
 * the village head confirmed it, and the hours went into vol1's account. The town officer redeems
 * two hours of home cleaning for them at the account's page and the balance goes down; a redemption
 * beyond what is left is refused with the server's words and the balance stays. The volunteer then
 * sees what is left on their own page, on a phone, and gives a quarter hour to the elder named by her
 * resident ID number and name. Also at a desk: an officer confirms a waiting visit at
 * 待存入时长 (its hours go in with the confirmation) and opens an account for the elder as a relative.
 */
describe.skipIf(!browserAvailable)('time bank in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let accountId = 0;
  let eventId = 0;
  let vol1Id = 0;
  let vol1Region = '';
  let elderPersonId = 0;
  let elderAccountId = 0;
  // the elder's resident ID, as her son or daughter knows it
  const elderIdNumber = makeResidentId('990101', '1938-03-04', 7, 'F');

  const balance = async () =>
    (await ctx.db.selectFrom('timebank_accounts').select('balance_minutes').where('id', '=', accountId).executeTakeFirstOrThrow()).balance_minutes;
  const entries = async () => (await ctx.db.selectFrom('timebank_entries').select('id').execute()).length;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createSeededContext('sqlite');
    const vol1 = await ctx.db.selectFrom('users').select(['id', 'region_code']).where('username', '=', 'vol1').executeTakeFirstOrThrow();
    await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', `${elderIdNumber},孙桂兰,${vol1.region_code}`].join('\n'));
    const elder = await ctx.db.selectFrom('persons').select('id').executeTakeFirstOrThrow();
    vol1Id = vol1.id;
    vol1Region = vol1.region_code;
    elderPersonId = elder.id;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });

    // the town officer opens vol1's account
    const town1 = await loginAs(app, 'town1');
    const opened = await call(app, town1, { method: 'POST', url: '/api/timebank/accounts', payload: { holder: { userId: vol1.id } } });
    expect(opened.statusCode, opened.body).toBe(201);
    accountId = opened.json<{ id: number }>().id;
    // vol1's visit of 2 h 30 min, recorded on their phone yesterday afternoon
    const end = new Date(Date.now() - 20 * 3600_000);
    const start = new Date(end.getTime() - 150 * 60_000);
    eventId = (
      await ctx.db.transaction().execute((trx) =>
        recordEvent(ctx, trx, {
          clientId: randomUUID(),
          kind: 'visit',
          source: 'visits',
          sourceId: null,
          performer: { id: vol1.id, role: 'volunteer' },
          personId: elder.id,
          regionCode: vol1.region_code,
          mode: 'home',
          startedAt: start.toISOString(),
          endedAt: end.toISOString(),
          findings: [],
        }),
      )
    ).id;
    // the village head confirms it as an officer: the hours are deposited with the confirmation
    const head1 = await loginAs(app, 'head1');
    const confirmed = await call(app, head1, {
      method: 'POST',
      url: `/api/care-events/${eventId}/confirm`,
      payload: { kind: 'officer', note: '电话回访核实' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(await balance()).toBe(150);
    browser = await launch();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function logIn(username: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    // logged in: the form is gone (on a phone the menu is folded away, so no menu item is waited for)
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    return page;
  }

  it('an officer redeems a volunteer’s deposited hours for a reward and the balance goes down; beyond the balance the server’s error shows and nothing changes', async () => {
    const page = await logIn('town1', { width: 1440, height: 900 });
    await expect.poll(async () => page.locator('body').innerText(), { timeout: 30_000 }).toContain('时间银行');
    await page.goto(base + '/timebank');
    // the account's balance in the list, in hours and minutes
    await expect.poll(async () => page.getByTestId(`tb-balance-${accountId}`).innerText(), { timeout: 30_000 }).toBe('2 小时 30 分');
    await page.getByTestId(`tb-account-${accountId}`).click();
    await page.waitForURL(`**/timebank/accounts/${accountId}`);
    const balanceShown = page.getByTestId('tb-account-balance');
    await expect.poll(async () => balanceShown.innerText(), { timeout: 30_000 }).toBe('2 小时 30 分');
    // the deposit is on the ledger with the event it came from
    const ledger = page.getByTestId('tb-ledger');
    await expect.poll(async () => ledger.innerText(), { timeout: 30_000 }).toContain(`服务记录 #${eventId}`);
    expect(await ledger.innerText()).toContain('+2 小时 30 分');

    // 上门助洁（1小时）× 2: asked first, then done
    await page.getByTestId('tb-redeem-open').click();
    await choose(page, 'tb-redeem-reward', '上门助洁（1小时）');
    await page.getByTestId('tb-redeem-quantity').fill('2');
    await expect.poll(async () => page.getByTestId('tb-redeem-total').innerText(), { timeout: 30_000 }).toBe('共需 2 小时，当前余额 2 小时 30 分');
    await page.getByTestId('tb-redeem-ok').click();
    await expect.poll(async () => page.getByTestId('tb-redeem-question').innerText(), { timeout: 30_000 }).toContain('扣除 2 小时');
    expect(await entries()).toBe(1);
    await page.getByTestId('tb-redeem-confirm').click();
    await expect.poll(async () => balanceShown.innerText(), { timeout: 30_000 }).toBe('30 分');
    expect(await balance()).toBe(30);
    await expect.poll(async () => ledger.innerText(), { timeout: 30_000 }).toContain('−2 小时');
    expect(await ledger.innerText()).toContain('上门助洁（1小时）');
    await page.screenshot({ path: `${SHOTS}/timebank-redeemed.png`, fullPage: true });

    // 大米 5 公斤 (1 h 30 min) with 30 min left: the server refuses, saying why; nothing changes
    const before = await entries();
    await page.getByTestId('tb-redeem-open').click();
    await choose(page, 'tb-redeem-reward', '大米 5 公斤');
    await page.getByTestId('tb-redeem-ok').click();
    await page.getByTestId('tb-redeem-confirm').click();
    const error = page.getByTestId('tb-redeem-error');
    await error.waitFor({ timeout: 30_000 });
    const said = await error.innerText();
    expect(said).toContain(`账户（编号 ${accountId}）余额`);
    expect(said).toContain('余额不能为负');
    // the server writes durations as the console does
    expect(said).toContain('余额 30 分，不足 1 小时 30 分');
    await page.screenshot({ path: `${SHOTS}/timebank-refused.png`, fullPage: true });
    await page.getByTestId('tb-redeem-cancel').click();
    expect(await balance()).toBe(30);
    expect(await entries()).toBe(before);
    await page.reload();
    await expect.poll(async () => page.getByTestId('tb-account-balance').innerText(), { timeout: 30_000 }).toBe('30 分');

    // at a tablet's width (1024, the menu a strip of icons) the ledger fits: 备注 and 冲正 on screen, no sideways scroll
    for (const width of [1024, 1440]) {
      await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
      const reverse = page.locator('[data-testid^="tb-reverse-"]').first();
      await reverse.waitFor({ timeout: 30_000 });
      const fit = await page.getByTestId('tb-ledger').evaluate((el) => {
        const outside = [...el.querySelectorAll('thead th')]
          .map((th) => ({ text: (th as HTMLElement).innerText.trim(), r: th.getBoundingClientRect() }))
          .filter(({ r }) => r.width > 0 && (r.left < 0 || r.right > window.innerWidth + 0.5))
          .map(({ text, r }) => `${text || '(actions)'} @ ${Math.round(r.left)}–${Math.round(r.right)}`);
        const scrolls = [...el.querySelectorAll('.ant-table-content, .ant-table-body')].some((c) => c.scrollWidth > c.clientWidth + 1);
        return { outside, scrolls };
      });
      expect(fit, `the ledger at ${width}`).toEqual({ outside: [], scrolls: false });
      expect(await ledger.locator('thead').innerText()).toContain('备注');
      const box = (await reverse.boundingBox())!;
      expect(box.x + box.width, `冲正 at ${width}`).toBeLessThanOrEqual(width);
      await page.screenshot({ path: `${SHOTS}/timebank-ledger-${width}.png`, fullPage: true });
    }
  }, 240_000);

  it('an officer confirms a volunteer’s waiting visit at 待存入时长 and its hours go in; opens an account for the elder as a relative', async () => {
    // vol1's 50-minute visit this morning, not confirmed by the elder on the phone
    const end = new Date(Date.now() - 2 * 3600_000);
    const waiting = (
      await ctx.db.transaction().execute((trx) =>
        recordEvent(ctx, trx, {
          clientId: randomUUID(),
          kind: 'visit',
          source: 'visits',
          sourceId: null,
          performer: { id: vol1Id, role: 'volunteer' },
          personId: elderPersonId,
          regionCode: vol1Region,
          mode: 'home',
          startedAt: new Date(end.getTime() - 50 * 60_000).toISOString(),
          endedAt: end.toISOString(),
          findings: [],
        }),
      )
    ).id;
    const page = await logIn('town1', { width: 1440, height: 900 });
    await page.goto(base + '/timebank/pending');
    const unconfirmed = page.getByTestId('tb-unconfirmed');
    await expect.poll(async () => unconfirmed.innerText(), { timeout: 30_000 }).toContain('孙桂兰');
    expect(await unconfirmed.innerText()).toContain('50 分');
    await page.getByTestId(`tb-confirm-event-${waiting}`).click();
    await page.getByTestId('tb-confirm-event-note').fill('电话回访孙桂兰，确认上门');
    await page.getByTestId('tb-confirm-event-ok').click();
    // confirmed: deposited at once (45 min: 50 rounded down to the quarter hour), off both lists
    await expect.poll(async () => unconfirmed.innerText(), { timeout: 30_000 }).not.toContain('孙桂兰');
    expect(await page.getByTestId('tb-to-deposit').innerText()).not.toContain('孙桂兰');
    expect(await balance()).toBe(30 + 45);

    await page.goto(base + '/timebank');
    await expect.poll(async () => page.getByTestId(`tb-balance-${accountId}`).innerText(), { timeout: 30_000 }).toBe('1 小时 15 分');
    // an account for the elder, a relative who receives transfers
    await page.getByTestId('tb-open-account').click();
    await page.getByTestId('tb-open-form').getByText('亲属（名册人员）').click();
    await page.getByTestId('tb-open-person').locator('input').fill('孙');
    await page.locator('.ant-select-item-option[title="孙桂兰"]').last().click();
    // the list closes once chosen; on a loaded machine it may still lie over the OK button (CI of
    // 2026-12-02 saw it intercept the click): it is closed first
    const list = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await list.waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => page.keyboard.press('Escape'));
    await list.waitFor({ state: 'hidden' });
    await page.getByTestId('tb-open-ok').click();
    await page.waitForURL(/\/timebank\/accounts\/\d+$/, { timeout: 30_000 });
    await expect.poll(async () => page.getByTestId('tb-account-balance').innerText(), { timeout: 30_000 }).toBe('0 分');
    expect(await page.locator('h4').first().innerText()).toContain('孙桂兰');
    elderAccountId = Number(new URL(page.url()).pathname.split('/').at(-1));
  }, 240_000);

  it('the volunteer sees their balance on the workbench and what is left on their own page, within a phone’s width, and gives a quarter hour to the elder by her ID number and name', async () => {
    const page = await logIn('vol1', { width: 390, height: 844 });
    // the workbench's time-bank card: their balance, leading to their page
    const card = page.getByTestId('wb-tb-balance');
    await expect.poll(async () => card.innerText(), { timeout: 30_000 }).toContain('1 小时 15 分');
    await card.click();
    await page.waitForURL('**/timebank/me');
    await expect.poll(async () => page.getByTestId('tb-me-balance').innerText(), { timeout: 30_000 }).toBe('1 小时 15 分');
    const ledger = page.getByTestId('tb-ledger-cards');
    await expect.poll(async () => ledger.innerText(), { timeout: 30_000 }).toContain('+2 小时 30 分');
    expect(await ledger.innerText()).toContain('−2 小时');
    expect(await page.getByTestId('tb-me-transfer').isVisible()).toBe(true);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/timebank-me-390.png`, fullPage: true });

    // a quarter of an hour to the elder, named as her family knows her: name and ID number
    await page.getByTestId('tb-me-transfer').click();
    await page.getByTestId('tb-transfer-name').fill('孙桂兰');
    // one digit wrong: the phone says so before anything is sent
    const wrong = elderIdNumber.slice(0, 17) + (elderIdNumber[17] === '1' ? '2' : '1');
    await page.getByTestId('tb-transfer-id').fill(wrong);
    await page.getByTestId('tb-transfer-minutes').fill('15');
    await page.getByTestId('tb-transfer-ok').click();
    await expect.poll(async () => page.getByTestId('tb-transfer').innerText(), { timeout: 30_000 }).toContain('身份证号校验位不符');
    expect(await entries()).toBe(3);
    await page.getByTestId('tb-transfer-id').fill(elderIdNumber);
    await expect.poll(async () => page.getByTestId('tb-transfer').innerText(), { timeout: 30_000 }).not.toContain('身份证号校验位不符');
    await page.getByTestId('tb-transfer-note').fill('给孙奶奶');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/timebank-transfer-by-id-390.png`, fullPage: true });
    await page.getByTestId('tb-transfer-ok').click();
    await expect
      .poll(async () => page.getByTestId('tb-transfer-question').innerText(), { timeout: 30_000 })
      .toContain('转赠 15 分 给 孙桂兰（身份证 990101************）');
    await page.getByTestId('tb-transfer-confirm').click();
    await expect.poll(async () => page.getByTestId('tb-me-balance').innerText(), { timeout: 30_000 }).toBe('1 小时');
    expect(await page.getByTestId('tb-me-transferred').innerText()).toContain('已转赠 15 分 给 孙桂兰（身份证 990101************）');
    await expect.poll(async () => ledger.innerText(), { timeout: 30_000 }).toContain('孙桂兰');
    expect(await ledger.innerText()).toContain('−15 分');
    // into the account the officer opened for her
    expect(
      (await ctx.db.selectFrom('timebank_accounts').select('balance_minutes').where('id', '=', elderAccountId).executeTakeFirstOrThrow()).balance_minutes,
    ).toBe(15);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/timebank-transferred-390.png`, fullPage: true });
  }, 240_000);
});
