import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { CURRENT_VERSION, INSTRUMENTS } from '../src/modules/assessment/instrument/index.js';
import { score } from '../src/modules/assessment/instrument/score.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import { today } from '../src/platform/time.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
const WAIT = 30_000;
const FIRST = 'Assess@2026first';
const OWN = 'Assess@2026own';
const DATA = INSTRUMENTS[CURRENT_VERSION]!;
const ITEMS = DATA.indicators.flatMap((i) => i.items);
/** the answer tapped for each item: the second-lowest option where there is one (a total in the impaired bands) */
const ANSWERS: Record<string, number> = Object.fromEntries(
  ITEMS.map((it) => {
    const scores = it.options.map((o) => o.score).sort((a, b) => a - b);
    return [it.code, scores[Math.min(1, scores.length - 1)]!];
  }),
);
const EXPECTED = score(CURRENT_VERSION, { answers: ANSWERS, coma: false, mentalDisorder: false, riskEvents30d: 0 });
const LEVEL_ZH = DATA.levels.find((l) => l.code === EXPECTED.final)!.zh;

/**
 * A capability assessment on a tablet (issue 15), as a day of home visits goes: the demo's assessor
 * opens the form for a person of their town while online (the service worker keeps the console),
 * the network is cut, the page is reloaded and still opens the draft, every item is answered with
 * taps, both signatures are drawn and 提交 is pressed — kept on the device; the network comes back
 * and the outbox sends it ONCE and submits it (one row with that clientId). A second assessor,
 * created by the bureau's admin through the users API, co-signs; town1 approves; the report shows
 * the level and a verification code and prints; the public /verify page confirms the code; the
 * person's capability is the level, shown on the profile beside the LTC grade; the town's 80+
 * coverage counts one more; the next entitlement run grants the item the level unlocks.
 */
describe.skipIf(!browserAvailable)('a capability assessment offline on a tablet', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let townCode = '';
  let personId = 0;
  let personName = '';
  let coveredBefore = 0;
  let assessmentId = 0;
  let clientId = '';
  const headers = new Map<string, Record<string, string>>();

  async function apiLogin(username: string, password = DEMO_PASSWORD) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    headers.set(username, { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': res.json().csrfToken });
  }
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: headers.get(who)! });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 15 });
    townCode = (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'assessor1').executeTakeFirstOrThrow()).region_code;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await apiLogin('admin');
    await apiLogin('town1');

    // the second assessor: an account the bureau's admin creates (its password to be changed at first login)
    const created = await api('admin', 'POST', '/api/users', {
      username: 'pinggu2',
      displayName: '镇评估员王芳',
      role: 'assessor',
      regionCode: townCode,
      password: FIRST,
    });
    expect(created.statusCode, created.body).toBe(200);

    // the oldest local elder of the assessor's town who was never assessed and has no long-term-care
    // grade: 失能程度 none today, so the level the assessment gives unlocks Nanxun's 80+ 养老服务 (nx-11)
    const prefix = ctx.regions.get(townCode)!.prefix;
    const chosen = await ctx.db
      .selectFrom('persons')
      .select(['id', 'name'])
      .where('status', '=', 'active')
      .where('hukou_local', '=', 1)
      .where('ltc_grade', 'is', null)
      .where('capability_level', 'is', null)
      .where('region_code', 'like', `${prefix}%`)
      .orderBy('birth_date')
      .executeTakeFirstOrThrow();
    personId = chosen.id;
    personName = chosen.name;
    coveredBefore = (await api('town1', 'GET', `/api/assessments/coverage?regionCode=${townCode}`)).json().region.covered;

    // an assessor sees the persons assigned to them: town1 assigns the person to both
    const assessorIds = (await ctx.db.selectFrom('users').select('id').where('username', 'in', ['assessor1', 'pinggu2']).execute()).map((u) => u.id);
    for (const assessorId of assessorIds) {
      const res = await api('town1', 'POST', '/api/assessments/assignments', { personIds: [personId], assessorId, note: 'e2e' });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }

    browser = await launch();
    context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function login(username: string, password = DEMO_PASSWORD) {
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }
  async function logout() {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
  }
  /** A signature drawn with the finger's path: a few strokes across the pad's canvas, then kept. */
  async function sign(testid: string) {
    const canvas = page.getByTestId(testid).locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    for (const [y0, y1] of [
      [0.3, 0.7],
      [0.7, 0.3],
    ]) {
      await page.mouse.move(box.x + box.width * 0.15, box.y + box.height * y0!);
      await page.mouse.down();
      for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.15 + i * 0.08), box.y + box.height * (y0! + ((y1! - y0!) * i) / 8));
      await page.mouse.up();
    }
    await page.getByTestId(`${testid}-keep`).click();
    await page.getByTestId(testid).locator('img').waitFor();
  }
  const rowsWithClientId = async () =>
    (await ctx.db.selectFrom('assessments').select(['id', 'status', 'version']).where('client_id', '=', clientId).execute()) as {
      id: number;
      status: string;
      version: number;
    }[];

  it('fills an assessment offline with taps and signatures; it syncs once when the network is back and is submitted', async () => {
    await login('assessor1');
    await page.getByTestId('logout').waitFor();
    await page.goto(`${base}/assessments/new?personId=${personId}`);
    await page.getByTestId('assessment-form').waitFor();
    await expect.poll(() => page.getByTestId('af-person').innerText()).toContain(personName);
    await expect.poll(() => new URL(page.url()).searchParams.get('clientId') ?? '').toMatch(/^[0-9a-f-]{36}$/);
    clientId = new URL(page.url()).searchParams.get('clientId')!;
    // the service worker holds the console before the network goes
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.state)), { timeout: WAIT }).toBe('activated');
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: WAIT }).toBe(true);
    // the session the worker keeps for a reload without network (primed once it controls the page)
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            caches
              .open('yy-session')
              .then((c) => c.keys())
              .then((k) => k.length),
          ),
        { timeout: WAIT },
      )
      .toBe(1);

    // the second assessor is chosen while online (the list is kept for offline)
    await page.getByTestId('af-assessor2').click();
    await page.getByTitle('镇评估员王芳', { exact: true }).click();
    await page.getByTestId('af-place-home').tap();
    await page.screenshot({ path: join(SHOTS, 'assessment-1-start.png') });

    // online, the outbox has sent the draft at once: one row, nothing answered yet
    await expect.poll(() => page.getByTestId('af-sync').getAttribute('data-state'), { timeout: WAIT }).toBe('synced');
    expect((await rowsWithClientId()).map((r) => [r.status, r.version])).toEqual([['draft', 1]]);

    // the network is cut; the page reloads from the service worker and opens the draft kept on the device
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('assessment-form').waitFor();
    await page.getByTestId('af-offline').waitFor();
    expect(await page.getByTestId('af-sync').getAttribute('data-state')).toBe('synced');

    for (const ind of DATA.indicators) {
      await page.getByTestId(`af-step-${ind.code}`).tap();
      for (const item of ind.items) await page.getByTestId(`opt-${item.code}-${ANSWERS[item.code]}`).tap();
      await expect.poll(() => page.getByTestId(`af-subtotal-${ind.code}`).innerText()).toContain(`${EXPECTED.subtotals[ind.code]} / ${ind.max}`);
      if (ind.code === 'B.1') await page.screenshot({ path: join(SHOTS, 'assessment-2-items-offline.png') });
    }
    await expect.poll(() => page.getByTestId('af-total').innerText()).toContain(`${EXPECTED.total} / 90`);
    expect(await page.getByTestId('af-level').innerText()).toContain(LEVEL_ZH);

    await page.getByTestId('af-step-sign').tap();
    await sign('af-sign-assessor1');
    await page.getByTestId('af-signer-elder').tap();
    await page.getByTestId('af-signer-name').fill(personName);
    await sign('af-sign-elder');
    await page.screenshot({ path: join(SHOTS, 'assessment-3-signed-offline.png') });

    await page.getByTestId('af-step-summary').tap();
    expect(await page.getByTestId('af-summary-final').innerText()).toBe(LEVEL_ZH);
    await page.getByTestId('af-submit').tap();
    await page.getByTestId('af-queued').waitFor();
    expect(await page.getByTestId('af-sync').getAttribute('data-state')).toBe('local');
    await page.screenshot({ path: join(SHOTS, 'assessment-4-queued-offline.png') });
    // nothing of it reached the server while offline
    expect((await rowsWithClientId()).map((r) => [r.status, r.version])).toEqual([['draft', 1]]);

    // the network comes back: the outbox sends the draft and submits it, once
    await context.setOffline(false);
    // the outbox goes at once on the 'online' event; on a loaded machine the first answer may take a while
    await expect.poll(() => page.getByTestId('af-sync').getAttribute('data-state'), { timeout: 3 * WAIT }).toBe('synced');
    await expect.poll(async () => (await rowsWithClientId()).map((r) => r.status), { timeout: 3 * WAIT }).toEqual(['submitted']);
    const rows = await rowsWithClientId();
    expect(rows).toHaveLength(1);
    assessmentId = rows[0]!.id;
    // a resend of the same draft (a reply lost on the way back) is merged, not duplicated
    await page.goto(`${base}/assessments/new`);
    await page.getByTestId(`af-draft-${clientId}`).waitFor();
    // the server's answer to the submission may have been cut off by this navigation (the draft still
    // says 正在同步 here): the outbox sends it again once the page starts, which the server merges
    await expect.poll(() => page.getByTestId(`af-draft-${clientId}`).innerText(), { timeout: 3 * WAIT }).toContain('已提交');
    expect(await rowsWithClientId()).toHaveLength(1);
    await page.screenshot({ path: join(SHOTS, 'assessment-5-drafts-synced.png') });

    // usable on a phone too: the landing and the record are no wider than 390 px
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, testid] of [
      ['/assessments/new', 'af-drafts'],
      [`/assessments/${assessmentId}`, 'af-view'],
    ] as const) {
      await page.goto(base + path);
      await page.getByTestId(testid).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await page.screenshot({ path: join(SHOTS, 'assessment-5b-view-phone.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
  }, 240_000);

  it('a second assessor co-signs and town1 approves; the report prints the level and a code the public page confirms', async () => {
    await context.setOffline(false);
    await logout();
    await login('pinggu2', FIRST);
    await page.getByTestId('forced-password-change').waitFor();
    await page.getByTestId('password-current').fill(FIRST);
    await page.getByTestId('password-new').fill(OWN);
    await page.getByTestId('password-confirm').fill(OWN);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('login-submit').waitFor();
    await login('pinggu2', OWN);
    await page.getByTestId('logout').waitFor();
    await page.goto(`${base}/assessments/${assessmentId}`);
    await page.getByTestId('af-cosign').waitFor();
    await sign('af-cosign-pad');
    await page.getByTestId('af-cosign-submit').tap();
    await expect.poll(() => page.getByTestId('af-view-status').innerText()).toBe('已复核签名');
    await page.screenshot({ path: join(SHOTS, 'assessment-6-cosigned.png') });

    await logout();
    await login('town1');
    await page.getByTestId('logout').waitFor();
    await page.goto(`${base}/assessments/${assessmentId}`);
    await page.getByTestId('af-approve').click();
    await expect.poll(() => page.getByTestId('af-view-status').innerText()).toBe('已审核');
    expect(await page.getByTestId('af-view-level').innerText()).toBe(LEVEL_ZH);
    await page.screenshot({ path: join(SHOTS, 'assessment-7-reviewed.png'), fullPage: true });

    await page.getByTestId('af-report-link').click();
    await page.getByTestId('af-report').waitFor();
    expect(await page.getByTestId('af-report-level').innerText()).toBe(LEVEL_ZH);
    expect(await page.getByTestId('af-report-total').innerText()).toContain(`${EXPECTED.total} / 90`);
    const code = (await page.getByTestId('af-verify-code').innerText()).trim();
    expect(code.length).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('af-report-verify').innerText()).toContain(`/verify?code=${code}`);
    await page.emulateMedia({ media: 'print' });
    // printed: no menu, no header
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('af-print').isVisible()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'assessment-8-report-print.png'), fullPage: true });
    const pdf = await page.pdf({ path: join(SHOTS, 'assessment-report.pdf'), format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });

    // the public page, without a session, on a phone
    const visitor = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const phone = await visitor.newPage();
    await phone.goto(`${base}/verify?code=${code}`);
    await expect.poll(() => phone.getByTestId('af-verify-level').innerText(), { timeout: WAIT }).toBe(LEVEL_ZH);
    expect(await phone.getByTestId('af-verify-result').innerText()).toContain('这是本平台出具的评估报告');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(SHOTS, 'assessment-9-verify-phone.png'), fullPage: true });
    await phone.getByTestId('af-verify-input').fill('NOSUCHCODE');
    await phone.getByTestId('af-verify-submit').tap();
    await expect.poll(() => phone.getByTestId('af-verify-result').innerText(), { timeout: WAIT }).toContain('未找到');
    await visitor.close();

    // the person's capability is the level the rules read
    const cap = await api('town1', 'GET', `/api/persons/${personId}/capability`);
    expect(cap.statusCode, cap.body).toBe(200);
    expect(cap.json().current).toMatchObject({ assessmentId, level: EXPECTED.final });
  }, 240_000);

  it('the profile shows the level beside the LTC grade, the town’s 80+ coverage moves, and the next run grants what the level unlocks', async () => {
    // town1 is still logged in: the profile's 能力评估 tab
    await page.goto(`${base}/register/${personId}`);
    await page.getByRole('tab', { name: '能力评估' }).click();
    await expect.poll(() => page.getByTestId('cap-level').innerText(), { timeout: WAIT }).toContain(LEVEL_ZH);
    await page.getByTestId('cap-ltc').waitFor();
    await page.screenshot({ path: join(SHOTS, 'assessment-10-profile.png'), fullPage: true });

    // 评估覆盖率: one more 80+ elder of the town with a valid assessment
    const after = (await api('town1', 'GET', `/api/assessments/coverage?regionCode=${townCode}`)).json().region.covered;
    expect(after).toBe(coveredBefore + 1);
    await page.goto(`${base}/assessments/coverage`);
    await page.getByTestId('cov-covered').waitFor();
    await page.screenshot({ path: join(SHOTS, 'assessment-11-coverage.png'), fullPage: true });

    // the bureau runs this month: nx-11 (80周岁以上失能户籍老年人养老服务) is new for the person
    await apiLogin('admin');
    const started = await api('admin', 'POST', '/api/runs', { period: today().slice(0, 7) });
    expect(started.statusCode, started.body).toBe(202);
    const runId = started.json().id as number;
    await expect.poll(async () => (await api('admin', 'GET', `/api/runs/${runId}`)).json().run.status, { timeout: 120_000 }).toBe('finished');
    const changes = await api('admin', 'GET', `/api/runs/${runId}/changes?itemId=nx-11&kind=new&pageSize=200`);
    expect(changes.statusCode, changes.body).toBe(200);
    expect((changes.json().items as { personId: number }[]).map((c) => c.personId)).toContain(personId);
  }, 240_000);
});
