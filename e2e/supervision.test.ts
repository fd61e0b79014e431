import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createFacility } from '../src/modules/facilities/facilities.service.js';
import { createAdHoc, submitInspection } from '../src/modules/supervision/inspections.js';
import { DEFAULT_SUPERVISION } from '../src/modules/supervision/supervision.settings.js';
import { addConflict } from '../src/modules/supervision/pools.js';
import { announceRound, drandRoundAfter, drawRound } from '../src/modules/supervision/rounds.js';
import { createSeededContext, userScope, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

const SHOTS = '.tmp/e2e';

/**
 * Issue 19, 双随机一公开: the bureau announced a round (pools frozen, digest, commitment to a secret,
 * a future drand round) and drew it after revealing the secret and entering drand's value. Anyone,
 * without logging in, opens the round's public page on a tablet or a phone and presses 重新计算:
 * the browser re-runs the draw from the published pools, secret and value (WebCrypto, the shared
 * src/lib/draw.ts) and says it matches. A copy with one pool entry changed does not.
 */
describe.skipIf(!browserAvailable)('supervision in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  let roundId = 0;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createSeededContext('sqlite');
    const admin = await userScope(ctx, 'admin');
    const town = ctx.regions.all().find((r) => r.level === 'town')!.code;
    const keys: string[] = [];
    for (const [i, name] of ['城东敬老院', '城西颐养院', '南门日间照料中心', '北街社区服务站', '河口老年食堂', '新港护理院'].entries()) {
      const f = await createFacility(ctx, admin, {
        name,
        kind: i === 2 ? 'day_care' : i === 3 ? 'community_station' : i === 4 ? 'canteen' : 'institution',
        ownership: 'public',
        regionCode: town,
        address: `演示路 ${i + 1} 号`,
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
      });
      keys.push(`facility:${f.id}`);
    }
    const inspector1 = await userScope(ctx, 'inspector1');
    await addConflict(ctx, admin, { inspectorId: inspector1.userId!, targetKey: keys[0]!, relation: 'worked_there' });
    // two more inspectors, so that every target has two without a link (the seed has inspector1 only)
    for (const [username, name] of [
      ['inspector8', '监管人员八'],
      ['inspector9', '监管人员九'],
    ] as const)
      await ctx.db
        .insertInto('users')
        .values({
          username,
          display_name: name,
          password_hash: 'x',
          role: 'inspector',
          region_code: admin.regionCode,
          failed_logins: 0,
          locked_until: null,
          active: 1,
          created_at: new Date().toISOString(),
        })
        .execute();
    const announcedAt = new Date(Date.now() - 3 * 86_400_000);
    const { round, secret } = await announceRound(
      ctx,
      admin,
      { name: '2026 年第四季度双随机抽查', checklistKey: 'comprehensive', drandRound: drandRoundAfter(new Date(announcedAt.getTime() + 3600_000)) },
      announcedAt,
    );
    await drawRound(ctx, admin, round.id, { secret, externalValue: 'a7'.repeat(32) }, new Date(Date.parse(round.externalAt) + 60_000));
    roundId = round.id;
    // and two ad-hoc ones for inspector1 (after complaints): the drawn ones depend on the round's random secret
    for (const key of [keys[4]!, keys[5]!])
      await createAdHoc(ctx, admin, { targetKey: key, checklistKey: 'comprehensive', inspectorIds: [inspector1.userId!] });
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  async function open(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport })).newPage();
    await page.goto(`${base}/public/supervision/rounds/${roundId}`);
    await page.getByTestId('sv-verify-run').waitFor({ timeout: 60_000 });
    return page;
  }

  for (const [label, viewport] of [
    ['1024', { width: 1024, height: 768 }],
    ['390', { width: 390, height: 844 }],
  ] as const) {
    it(`a draw is re-run from its published seed and pools with the same result (${label} px)`, async () => {
      const page = await open(viewport);
      await expect.poll(async () => page.getByTestId('sv-digest').innerText(), { timeout: 30_000 }).toMatch(/^[0-9a-f]{64}$/);
      // the pools and the links read in words: no internal keys (facility:1) or ids (#18)
      const shown = await page.getByTestId('sv-round').innerText();
      expect(shown).not.toMatch(/(facility|provider):\d|#\d/);
      expect(shown).toContain('养老服务设施');
      await page.getByTestId('sv-verify-run').click();
      const answer = page.getByTestId('sv-verify-answer');
      await expect.poll(async () => answer.getAttribute('data-ok'), { timeout: 30_000 }).toBe('yes');
      expect(await answer.innerText()).toContain('一致');
      await page.screenshot({ path: `${SHOTS}/supervision-rerun-${label}.png`, fullPage: true });

      // a copy with one pool entry changed (a target's grade): the re-run says it does not match
      await page.getByTestId('sv-verify-copy-open').click();
      const copy = page.getByTestId('sv-verify-copy');
      const text = await copy.inputValue();
      const doc = JSON.parse(text) as { pools: { targets: { stratum: string }[] } };
      doc.pools.targets[0]!.stratum = 'D';
      await copy.fill(JSON.stringify(doc));
      await page.getByTestId('sv-verify-copy-run').click();
      const copyAnswer = page.getByTestId('sv-verify-copy-answer').getByTestId('sv-verify-answer');
      await expect.poll(async () => copyAnswer.getAttribute('data-ok'), { timeout: 30_000 }).toBe('no');
      expect(await copyAnswer.innerText()).toContain('不一致');
      await copyAnswer.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/supervision-tampered-${label}.png`, fullPage: true });
      // the page fits the width: nothing wider than the screen
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);
      await page.context().close();
    });
  }
  it('an inspector fills an inspection’s checklist on a phone (390 px) and on a tablet (1024 px); a failed item needs its note', async () => {
    const inspector1 = await ctx.db.selectFrom('users').select('id').where('username', '=', 'inspector1').executeTakeFirstOrThrow();
    const mine = await ctx.db
      .selectFrom('supervision_inspectors as i')
      .innerJoin('supervision_inspections as s', 's.id', 'i.inspection_id')
      .select(['s.id', 's.target_name'])
      .where('i.user_id', '=', inspector1.id)
      .orderBy('s.id')
      .execute();
    // a different inspection on each screen
    expect(mine.length).toBeGreaterThan(1);
    for (const [label, viewport, ins] of [
      ['390', { width: 390, height: 844 }, mine[0]!],
      ['1024', { width: 1024, height: 768 }, mine[mine.length - 1]!],
    ] as const) {
      const page = await (await browser.newContext({ viewport })).newPage();
      await page.goto(base + '/');
      await page.getByTestId('login-username').fill('inspector1');
      await page.getByTestId('login-password').fill('Yiyang@2026');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
      await page.goto(base + '/supervision/inspections');
      await page.getByTestId(`sv-fill-${ins.id}`).click();
      const form = page.getByTestId('sv-checklist');
      await form.waitFor({ timeout: 30_000 });
      const items = form.locator('[data-testid^="sv-item-"]');
      const n = await items.count();
      expect(n).toBeGreaterThan(5);
      for (let k = 0; k < n; k++) await items.nth(k).getByText('合格', { exact: true }).click();
      // one failure without its note: the server says which item needs one, nothing is saved
      await form.getByTestId('sv-item-fire_equipment').getByText('不合格', { exact: true }).click();
      await page.getByTestId('sv-submit').click();
      await expect.poll(async () => page.locator('.ant-message').innerText(), { timeout: 30_000 }).toContain('须填写说明');
      expect((await ctx.db.selectFrom('supervision_inspections').select('status').where('id', '=', ins.id).executeTakeFirstOrThrow()).status).toBe('assigned');
      await form.getByTestId('sv-item-fire_equipment').locator('textarea').fill('两具灭火器压力不足');
      await page.screenshot({ path: `${SHOTS}/supervision-checklist-${label}.png`, fullPage: true });
      await page.getByTestId('sv-submit').click();
      await expect
        .poll(async () => (await ctx.db.selectFrom('supervision_inspections').select('status').where('id', '=', ins.id).executeTakeFirstOrThrow()).status, {
          timeout: 30_000,
        })
        .toBe('submitted');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width + 1);
      await page.context().close();
    }
  });
  it('the bureau signs off a submitted inspection at a desk (1440 px), they appear on the public page, and a rating is explained term by term', async () => {
    // its own inspection, submitted by inspector8: 北街社区服务站 with one major failure
    const admin = await userScope(ctx, 'admin');
    const inspector8 = await userScope(ctx, 'inspector8');
    const target = (await ctx.db.selectFrom('facilities').select('id').where('name', '=', '北街社区服务站').executeTakeFirstOrThrow()).id;
    const ins = await createAdHoc(ctx, admin, { targetKey: `facility:${target}`, checklistKey: 'comprehensive', inspectorIds: [inspector8.userId!] });
    await submitInspection(ctx, inspector8, ins.id, {
      inspectedOn: '2026-11-25',
      items: DEFAULT_SUPERVISION.checklists[0]!.items.map((i) => ({
        itemKey: i.key,
        result: i.key === 'fire_equipment' ? ('fail' as const) : ('pass' as const),
        note: i.key === 'fire_equipment' ? '灭火器过期' : null,
      })),
    });
    const submitted = [{ id: ins.id, target_name: '北街社区服务站' }];
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(base + '/');
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('Yiyang@2026');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-submit').waitFor({ state: 'detached', timeout: 60_000 });
    await page.goto(base + '/supervision/inspections');
    for (const s of submitted) {
      await page.getByTestId(`sv-insp-${s.id}`).getByRole('button', { name: '签发并公开' }).click();
      await expect
        .poll(async () => (await ctx.db.selectFrom('supervision_inspections').select('status').where('id', '=', s.id).executeTakeFirstOrThrow()).status, {
          timeout: 30_000,
        })
        .toBe('signed_off');
    }
    // published without logging in, with the failed item and its severity
    const pub = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await pub.goto(base + '/public/supervision');
    await pub.getByRole('tab', { name: '检查结果' }).click();
    await expect
      .poll(async () => pub.getByTestId('sv-public-results').innerText(), { timeout: 30_000 })
      .toContain('灭火器、消防栓完好有效，定期检查有记录（较重）');
    await pub.context().close();
    // ratings: computed, the facility with the major finding loses 4 points, explained in the drawer
    await page.goto(base + '/supervision/ratings');
    await page.getByRole('button', { name: '重新计算' }).click();
    const table = page.getByTestId('sv-ratings');
    await expect.poll(async () => table.innerText(), { timeout: 30_000 }).toContain(submitted[0]!.target_name);
    await table.locator('tr', { hasText: submitted[0]!.target_name }).getByRole('button', { name: '评分说明' }).click();
    const explanation = page.getByTestId('sv-explanation');
    await expect.poll(async () => explanation.innerText(), { timeout: 30_000 }).toContain('检查较重问题（项）');
    expect(await explanation.innerText()).toContain('最终得分 96，等级 A');
    await page.screenshot({ path: `${SHOTS}/supervision-rating-1440.png`, fullPage: true });
    await page.context().close();
  });
});
