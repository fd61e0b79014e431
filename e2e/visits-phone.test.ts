import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { DEMO_PASSWORD, seedDemo } from '../src/modules/demo/seed.js';
import { DEFAULT_VISIT_SETTINGS } from '../src/modules/visits/visits.settings.js';
import { today } from '../src/platform/time.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
/** a small picture (8 × 8 PNG) as the camera's file */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGM4kWKEFTEMLQkAVkZXgTy9n4kAAAAASUVORK5CYII=';
const WAIT = 30_000;

/** The phone's clock as the datetime-local input takes it: 'YYYY-MM-DDTHH:mm' in Asia/Shanghai. */
function shanghaiInput(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);
}

/**
 * A grid worker's day on a phone (issue 16), 390 × 844 with touch: grid1 logs in and opens today's
 * visits (the service worker keeps the console, the phone keeps the list), the network goes, the
 * page is reloaded and still lists their people; a phone visit is recorded and waits on the phone
 * (nothing reaches the server); the network comes back, the outbox sends it once (one care event
 * for its clientId), the phone says it counted, and the monthly rate at the top moves.
 */
describe.skipIf(!browserAvailable)('visits on the grid worker’s phone, offline', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let gridId = 0;
  let village = '';
  const assigned: number[] = [];
  const headers = new Map<string, Record<string, string>>();

  async function apiLogin(username: string) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    headers.set(username, { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': res.json().csrfToken });
  }
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: headers.get(who)! });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // a visit counts in the window of its start date (Asia/Shanghai): the plans are refreshed and the
    // call made on the same civil day, so a run that would straddle midnight waits until just after it
    const minute = Math.floor(((Date.now() + 8 * 3_600_000) % 86_400_000) / 60_000);
    if (minute >= 23 * 60 + 57 || minute < 10) await new Promise((r) => setTimeout(r, ((10 - minute + 1440) % 1440) * 60_000));
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 16 });
    const grid = await ctx.db.selectFrom('users').select(['id', 'region_code']).where('username', '=', 'grid1').executeTakeFirstOrThrow();
    gridId = grid.id;
    village = grid.region_code;
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    await apiLogin('admin');

    // the plans by rule, and village1's members assigned to grid1 (what the demo's visits data will
    // do; set up here through the officer's API as long as the demo has none)
    const existing = await ctx.db.selectFrom('visit_assignments').select('person_id').where('worker_id', '=', gridId).where('ended_at', 'is', null).execute();
    if (existing.length === 0) {
      const refresh = await api('admin', 'POST', '/api/visits/plans/refresh', {});
      expect(refresh.statusCode, refresh.body).toBeLessThan(300);
      const jobId = refresh.json().jobId as number;
      for (let i = 0; i < 600; i++) {
        const job = await ctx.db.selectFrom('jobs').select(['status', 'error']).where('id', '=', jobId).executeTakeFirstOrThrow();
        if (job.status !== 'running') {
          expect(job, 'the plans refresh').toMatchObject({ status: 'finished' });
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const members = await ctx.db
        .selectFrom('visit_plan_members')
        .select('person_id')
        .where('region_code', '=', village)
        .where('left_on', 'is', null)
        .orderBy('person_id')
        .limit(4)
        .execute();
      expect(members.length, `plan members in ${village}`).toBeGreaterThan(0);
      const res = await api('admin', 'POST', '/api/visits/assignments', { personIds: members.map((m) => m.person_id), workerId: gridId, note: 'e2e' });
      expect(res.statusCode, res.body).toBeLessThan(300);
    }
    const rows = await ctx.db.selectFrom('visit_assignments').select('person_id').where('worker_id', '=', gridId).where('ended_at', 'is', null).execute();
    assigned.push(...rows.map((r) => r.person_id));
    expect(assigned.length, 'grid1 has people to visit').toBeGreaterThan(0);
    const on = today();
    const current = () =>
      ctx.db
        .selectFrom('visit_dues')
        .select(['id', 'person_id', 'status'])
        .where('person_id', 'in', assigned)
        .where('window_start', '<=', on)
        .where('window_end', '>=', on)
        .orderBy('person_id')
        .execute();
    if (!(await current()).some((d) => d.status === 'open')) {
      // the demo's visits closed every one of grid1's dues this period (late in a month): one is left
      // open as it stood before its visit, so that the phone's visit has a due to close
      const done = (await current()).find((d) => d.status === 'done');
      expect(done, 'a due of grid1 in the current window').toBeDefined();
      await ctx.db.updateTable('visit_dues').set({ status: 'open', event_id: null, done_on: null }).where('id', '=', done!.id).execute();
    }

    browser = await launch();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT);
  }, 1_200_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  const events = (clientId: string) => ctx.db.selectFrom('care_events').select(['id', 'person_id', 'mode']).where('client_id', '=', clientId).execute();

  it('records a visit offline; it is sent once when the network is back, counts, and the monthly rate moves', async () => {
    await page.goto(base + '/login');
    await page.getByTestId('login-username').fill('grid1');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('logout').waitFor();

    await page.goto(base + '/m/visits');
    await page.getByTestId('vp-today').waitFor();
    await page.getByTestId('vp-kept-at').filter({ hasText: /\d/ }).waitFor();
    // an open due of grid1's people, on the list
    const open = await ctx.db
      .selectFrom('visit_dues')
      .select(['id', 'person_id'])
      .where('person_id', 'in', assigned)
      .where('status', '=', 'open')
      .where('window_start', '<=', today())
      .where('window_end', '>=', today())
      .orderBy('person_id')
      .executeTakeFirstOrThrow();
    const card = page.getByTestId(`vp-person-${open.person_id}`);
    await card.waitFor();
    const rateBefore = await page.getByTestId('vp-rate-detail').innerText();
    // large targets on a phone, nothing wider than it
    expect((await card.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'visits-phone-1-today.png'), fullPage: true });

    // the service worker holds the console and the session before the network goes; the checklist is kept
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: WAIT }).toBe(true);
    await expect
      .poll(() =>
        page.evaluate(() =>
          caches
            .open('yy-session')
            .then((c) => c.keys())
            .then((k) => k.length),
        ),
      )
      .toBe(1);
    await card.tap();
    await page.getByTestId('vp-finding-health.ok').waitFor();
    await page.getByTestId('vp-back').tap();
    await page.getByTestId('vp-today').waitFor();

    // the network goes; the reloaded page lists the people from the phone
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('vp-offline').waitFor();
    await card.tap();
    await page.getByTestId('vp-record').waitFor();
    expect(await page.getByTestId('vp-person').innerText()).toContain(
      (await ctx.db.selectFrom('persons').select('name').where('id', '=', open.person_id).executeTakeFirstOrThrow()).name,
    );
    await page.getByTestId('vp-mode-phone').tap();
    // a 7-minute call that ended a minute ago (the phone plan's minimum is 5)
    const now = Date.now();
    await page.getByTestId('vp-start').fill(shanghaiInput(now - 8 * 60_000));
    // first an end before the start: refused on the phone, saying so
    await page.getByTestId('vp-end').fill(shanghaiInput(now - 20 * 60_000));
    await page.getByTestId('vp-submit').tap();
    expect(await page.getByTestId('vp-errors').innerText()).toContain('结束时间早于开始时间');
    await page.getByTestId('vp-end').fill(shanghaiInput(now - 60_000));
    await page.getByTestId('vp-duration').filter({ hasText: '7' }).waitFor();
    await page.getByTestId('vp-finding-health.ok').tap();
    await page.getByTestId('vp-finding-needs.meal').tap();
    await page.getByTestId('vp-followup-home_service|needs.meal').tap();
    await page.getByTestId('vp-notes').fill('电话回访，身体尚可，希望助餐');
    // a photo: drawn again on the phone as a JPEG (no metadata kept), its size shown
    await page.getByTestId('vp-photo-input').setInputFiles({ name: 'door.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
    await page.getByTestId('vp-photo-size').waitFor();
    // the limit the settings give, shown before sending
    expect(await page.getByTestId('vp-photo').innerText()).toContain(`照片不超过 ${DEFAULT_VISIT_SETTINGS.photoMaxBytes / 1_000_000} MB`);
    await page.getByTestId('vp-confirm-person').tap();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'visits-phone-2-record-offline.png'), fullPage: true });
    await page.getByTestId('vp-submit').tap();
    const state = page.locator('[data-testid^="vp-state-"]');
    await state.waitFor();
    const clientId = (await state.getAttribute('data-testid'))!.replace('vp-state-', '');
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await state.getAttribute('data-state')).toBe('waiting');

    // back on the list: waiting to send; nothing of it is on the server
    await page.getByTestId('vp-back').tap();
    await expect.poll(() => page.getByTestId('vp-offline').innerText()).toContain('离线 — 1 条探访等待发送');
    expect(await events(clientId)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'visits-phone-3-waiting.png'), fullPage: true });

    // the network comes back: the outbox sends it once, the phone shows it counted, the rate moves
    await context.setOffline(false);
    const item = page.getByTestId(`vp-state-${clientId}`).first();
    // its state, and the server's words if it refused it (a failure says why)
    await expect
      .poll(
        async () => {
          const state = await item.getAttribute('data-state');
          return state === 'refused' ? `refused: ${await page.getByTestId('vp-refused').allInnerTexts()}` : state;
        },
        { timeout: 3 * WAIT },
      )
      .toBe('sent');
    expect(await item.getAttribute('data-counted')).toBe('true');
    expect(await item.innerText()).toContain('已计入探访率');
    const stored = await events(clientId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ person_id: open.person_id, mode: 'phone' });
    const photos = await ctx.db.selectFrom('care_event_evidence').select(['mime', 'location_kept']).where('event_id', '=', stored[0]!.id).execute();
    expect(photos).toEqual([{ mime: 'image/jpeg', location_kept: 0 }]);
    expect((await ctx.db.selectFrom('visit_dues').select('status').where('id', '=', open.id).executeTakeFirstOrThrow()).status).toBe('done');
    await expect.poll(() => page.getByTestId('vp-rate-detail').innerText(), { timeout: WAIT }).not.toBe(rateBefore);
    expect(await page.getByTestId('vp-waiting').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'visits-phone-4-synced.png'), fullPage: true });

    // a reload sends nothing again: still one event for the clientId
    await page.reload();
    await page.getByTestId(`vp-state-${clientId}`).first().waitFor();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await events(clientId)).toHaveLength(1);

    // 375 px too (the smaller phones), in English as well: nothing wider than the screen
    await page.setViewportSize({ width: 375, height: 812 });
    for (const lang of ['中文', 'English']) {
      await page.getByText(lang, { exact: true }).first().tap();
      for (const [path, testid] of [
        ['/m/visits', 'vp-today'],
        [`/m/visits/${open.person_id}`, 'vp-record'],
      ] as const) {
        await page.goto(base + path);
        await page.getByTestId(testid).waitFor();
        await page.getByTestId(path === '/m/visits' ? `vp-person-${open.person_id}` : 'vp-modes').waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} ${lang}`).toBeLessThanOrEqual(375);
      }
    }
    await page.screenshot({ path: join(SHOTS, 'visits-phone-5-record-375-en.png'), fullPage: true });
  }, 240_000);
});
