import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { NewPerson } from '../src/db/tables.js';
import { nowIso } from '../src/platform/time.js';
import { addBeds } from '../src/modules/facilities/beds.js';
import { freeBeds } from '../src/modules/facilities/directory.js';
import { createFacility } from '../src/modules/facilities/facilities.service.js';
import type { FacilityBody } from '../src/modules/facilities/facilities.schema.js';
import { admit } from '../src/modules/facilities/residents.js';
import { createAdHoc, signOffInspection, submitInspection } from '../src/modules/supervision/inspections.js';
import { computeRatings } from '../src/modules/supervision/ratings.js';
import { DEFAULT_SUPERVISION } from '../src/modules/supervision/supervision.settings.js';
import { DEFAULT_PUBLIC } from '../src/modules/public/public.settings.js';
import { countyScope, createSeededContext, userScope, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, choose, launch } from './browser.js';

const SHOTS = '.tmp/e2e';
const AXE = 'node_modules/axe-core/axe.min.js';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * Issue 20 (R12): the public pages an elder and her daughter use on a phone, no login. The map's
 * filter "has a free nursing bed" lists exactly the facilities the database has a free nursing bed
 * in; every public page passes axe-core's WCAG 2 A/AA rules with no serious or critical violation
 * at 390 px and on a desktop; the main action is reached with Tab and taken with Enter; the
 * complaint form keeps contact details only with the consent box ticked; and the portal's home
 * stays light on a slow line (no charts, a byte budget).
 */
describe.skipIf(!browserAvailable)('the public pages in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const ids: Record<string, number> = {};
  let n = 0;

  async function person() {
    n++;
    const now = nowIso();
    const town = ctx.regions.all().find((r) => r.level === 'town')!;
    const village = ctx.regions.all().find((r) => r.parent_code === town.code)!;
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `990101********${String(n).padStart(4, '0')}`,
      name: `住养老人${n}`,
      sex: 'F',
      birth_date: '1938-05-01',
      region_code: village.code,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    // axe's script is injected inline: the console's CSP (script-src 'self') would refuse it
    const c = await browser.newContext({ viewport, bypassCSP: true, locale: 'zh-CN' });
    contexts.push(c);
    return c.newPage();
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ctx = await createSeededContext('sqlite');
    const county = countyScope(ctx);
    const towns = ctx.regions.all().filter((r) => r.level === 'town');
    const home = async (
      key: string,
      name: string,
      over: Partial<FacilityBody>,
      beds: [type: 'ordinary' | 'nursing' | 'dementia', count: number, taken: number][],
    ) => {
      const f = await createFacility(ctx, county, {
        name,
        kind: 'institution',
        ownership: 'public',
        regionCode: towns[Object.keys(ids).length % towns.length]!.code,
        address: `${name}路 8 号`,
        lat: 30.8 + Object.keys(ids).length / 100,
        lng: 120.4,
        grade: '3',
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
        ...over,
      });
      ids[key] = f.id;
      for (const [type, count, taken] of beds) {
        await addBeds(ctx, county, f.id, { type, count, prefix: type.slice(0, 1).toUpperCase() });
        const free = (await freeBeds(ctx.db, f.id)).filter((b) => b.type === type);
        for (let i = 0; i < taken; i++) await admit(ctx, county, f.id, { personId: await person(), bedId: free[i]!.bedId, on: '2026-03-02' });
      }
    };
    await home('freeNursing', '东城护理院', { grade: '4' }, [
      ['nursing', 4, 2],
      ['ordinary', 2, 2],
    ]);
    await home('fullNursing', '西村敬老院', {}, [
      ['nursing', 2, 2],
      ['ordinary', 3, 0],
    ]);
    await home('dementiaOnly', '南湖认知照护中心', { ownership: 'private' }, [['dementia', 3, 1]]);
    await home('lastNursing', '北山颐养院', { ownership: 'public_private', grade: '2' }, [['nursing', 3, 2]]);
    await home('closed', '已停业养老院', { active: false }, [['nursing', 2, 0]]);
    await home('dayCare', '城东日间照料中心', { kind: 'day_care', grade: null }, []);
    // a signed-off inspection and a rating for the first home's page
    const inspector = await userScope(ctx, 'inspector1');
    const items = DEFAULT_SUPERVISION.checklists[0]!.items.map((i) => ({ itemKey: i.key, result: 'pass' as const }));
    const ins = await createAdHoc(ctx, county, { targetKey: `facility:${ids.freeNursing}`, checklistKey: 'comprehensive', inspectorIds: [inspector.userId!] });
    await submitInspection(ctx, inspector, ins.id, { inspectedOn: '2026-11-18', items, findings: '消防通道畅通，台账齐全。' });
    await signOffInspection(ctx, county, ins.id, {});
    await computeRatings(ctx, county, '2026-11-30');
    app = await buildApp(ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 240_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  it('the public map filters facilities with free nursing beds: exactly those the database has a free nursing bed in', async () => {
    // counted independently: active facilities with a nursing bed in service and no open stay in it
    const expected = (
      await ctx.db
        .selectFrom('facility_beds as b')
        .innerJoin('facilities as f', 'f.id', 'b.facility_id')
        .select('f.id')
        .distinct()
        .where('f.active', '=', 1)
        .where('b.type', '=', 'nursing')
        .where('b.retired_on', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('facility_stays as s').select('s.id').whereRef('s.bed_id', '=', 'b.id').where('s.until_date', 'is', null))),
        )
        .execute()
    )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(expected).toEqual([ids.freeNursing!, ids.lastNursing!].sort((a, b) => a - b));

    const page = await newPage(PHONE);
    await page.goto(`${base}/facility-map`);
    const list = page.getByTestId('fac-map-list');
    await expect.poll(async () => list.innerText(), { timeout: 60_000 }).toContain('西村敬老院');
    await choose(page, 'fac-map-free-bed', '有空余护理型床位');
    await expect.poll(async () => page.getByTestId('fac-map-count').innerText(), { timeout: 30_000 }).toBe(`共 ${expected.length} 处`);
    const shown = await list.locator('[data-testid^="fac-map-item-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.slice(13))));
    expect(shown.sort((a, b) => a - b)).toEqual(expected);
    expect(await list.innerText()).toContain('护理型床位空余 2 张');
    expect(await list.innerText()).not.toContain('住养老人');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/public-map-nursing-390.png`, fullPage: true });
    // the filter is in the address: a reload (or a shared link) shows the same search
    expect(new URL(page.url()).searchParams.get('freeBed')).toBe('nursing');
    await page.reload();
    await expect.poll(async () => page.getByTestId('fac-map-count').innerText(), { timeout: 30_000 }).toBe(`共 ${expected.length} 处`);

    // each facility links to its page: beds by type, the published inspection, the credit grade
    await list.getByRole('link', { name: '东城护理院' }).click();
    await page.waitForURL(`${base}/public/facilities/${ids.freeNursing}`);
    const beds = page.getByTestId('pub-fac-beds');
    await expect.poll(async () => beds.innerText(), { timeout: 30_000 }).toContain('护理型床位');
    expect((await beds.innerText()).replace(/\s+/g, ' ')).toContain('护理型床位 4 2');
    expect(await page.getByTestId('pub-fac-inspections').innerText()).toContain('消防通道畅通');
    expect(await page.getByTestId('pub-fac-rating').innerText()).toMatch(/^[ABCD] 级（2026-11-30 评定）$/);
    expect(await page.locator('body').innerText()).not.toContain('住养老人');
    await page.screenshot({ path: `${SHOTS}/public-facility-390.png`, fullPage: true });
    // the next step: how to apply, and the hotline to call
    expect(await page.getByTestId('pub-fac-apply').getAttribute('href')).toBe('/public/apply');
    expect(await page.getByTestId('pub-fac-call').getAttribute('href')).toBe(`tel:${DEFAULT_PUBLIC.hotline.replace(/[^0-9+]/g, '')}`);
    // Back returns to the map with its filter
    await page.goBack();
    await expect.poll(async () => page.getByTestId('fac-map-count').innerText(), { timeout: 30_000 }).toBe(`共 ${expected.length} 处`);
    expect(new URL(page.url()).searchParams.get('freeBed')).toBe('nursing');
  });

  const PAGES = (): { path: string; ready: string }[] => [
    { path: '/public', ready: 'pub-btn-call' },
    { path: '/public/catalogue', ready: 'pub-cat-list' },
    { path: '/public/apply', ready: 'pub-apply-steps' },
    { path: `/public/facilities/${ids.freeNursing}`, ready: 'pub-fac-rating' },
    { path: '/facility-map', ready: 'fac-map-list' },
    { path: '/self-check', ready: 'self-check' },
    { path: '/complaint', ready: 'cp-public-form' },
    { path: '/complaint/track', ready: 'cp-track' },
    { path: '/admission/track', ready: 'adm-track' },
    { path: '/public/supervision', ready: 'sv-public-rounds' },
  ];

  it.each([
    ['390 px', PHONE],
    ['desktop', DESKTOP],
  ])('every public page passes axe-core (WCAG 2 A and AA) with no serious or critical violation at %s', async (label, viewport) => {
    const page = await newPage(viewport);
    const found: string[] = [];
    for (const p of PAGES()) {
      await page.goto(base + p.path);
      await page.getByTestId(p.ready).first().waitFor({ timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((x) => ({ target: x.target, failureSummary: x.failureSummary })),
        }));
      });
      for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'))
        found.push(`${p.path} [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.map((x) => x.target.join(' ')).join(' | ')}`);
      if (label === '390 px') expect(await page.evaluate(() => document.documentElement.scrollWidth), p.path).toBeLessThanOrEqual(390);
    }
    expect(found).toEqual([]);
  });

  it('the portal’s main action is reached with Tab and taken with Enter; its buttons are 44 px and up, its body text 18 px and up', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${base}/public`);
    await page.getByTestId('pub-btn-call').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('pub-btn-call').getAttribute('href')).toBe(`tel:${DEFAULT_PUBLIC.hotline}`);
    for (const id of ['pub-btn-services', 'pub-btn-facilities', 'pub-btn-self-check', 'pub-btn-complaint', 'pub-btn-track', 'pub-btn-apply', 'pub-btn-call']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.height, id).toBeGreaterThanOrEqual(44);
    }
    expect(await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid="pub-hours"]')!).fontSize))).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: `${SHOTS}/public-home-390.png`, fullPage: true });
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'pub-btn-services');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/public/catalogue`);
    await page.getByTestId('pub-cat-list').waitFor({ timeout: 60_000 });
    // the high-age allowance is automatic, its amount in yuan; the assessment is applied for
    expect(await page.getByTestId('pub-item-nx-10').innerText()).toContain('60元/月');
    expect(await page.getByTestId('pub-item-nx-10').getByTestId('pub-auto').count()).toBe(1);
    expect(await page.getByTestId('pub-item-nx-4').getByTestId('pub-apply').count()).toBe(1);
    // and in English
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(async () => page.getByTestId('pub-cat-count').innerText()).toMatch(/^\d+ services$/);
  });

  it('the complaint form shows the consent text and asks for contact details only once the box is ticked', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${base}/complaint`);
    await page.getByTestId('cp-public-form').waitFor({ timeout: 60_000 });
    await expect.poll(async () => page.getByTestId('cp-consent-text').innerText(), { timeout: 30_000 }).toBe(DEFAULT_PUBLIC.consent.zh);
    expect(await page.getByTestId('cp-contact-phone').count()).toBe(0);
    await page.getByTestId('cp-consent').click();
    await page.getByTestId('cp-contact-phone').waitFor();
    await page.getByTestId('cp-consent').click();
    await page.getByTestId('cp-contact-phone').waitFor({ state: 'detached' });
    // a box of 24 px and more; its words tick it too, and so does Space on the focused box
    const box = (await page.getByTestId('cp-consent').boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(24);
    await page.getByTestId('cp-consent-text').click();
    await page.getByTestId('cp-contact-phone').waitFor();
    await page.getByTestId('cp-consent').focus();
    await page.keyboard.press('Space');
    await page.getByTestId('cp-contact-phone').waitFor({ state: 'detached' });
  });

  it('keeps the portal light on a slow line (no charts, its scripts and styles under the public budget on the wire), and the map fetches ECharts only when its chart is asked for', async () => {
    const page = await newPage(PHONE);
    const loaded: { url: string; bytes: number }[] = [];
    page.on('requestfinished', (req) => {
      void req.sizes().then((s) => loaded.push({ url: req.url(), bytes: s.responseBodySize + s.responseHeadersSize }));
    });
    await page.goto(`${base}/public`);
    await page.getByTestId('pub-btn-call').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const assets = loaded.filter((l) => /\/assets\/.+\.(js|css)$/.test(l.url));
    expect(assets.filter((a) => /echarts|charts/.test(a.url))).toEqual([]);
    const total = assets.reduce((s, a) => s + a.bytes, 0);
    const top = [...assets]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 4)
      .map((a) => `${a.url.split('/').pop()} ${Math.round(a.bytes / 1024)} KiB`);
    console.log(`public home: ${assets.length} scripts and styles, ${Math.round(total / 1024)} KiB on the wire (largest: ${top.join(', ')})`);
    expect(total).toBeLessThan(PUBLIC_BUDGET);

    // the map on a phone: the list first, ECharts only when the chart is asked for
    const before = loaded.length;
    await page.goto(`${base}/facility-map`);
    await page.getByTestId('fac-map-item-' + ids.freeNursing).waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    const charts = () => loaded.slice(before).filter((l) => /map-chart|echarts|charts/.test(l.url));
    expect(charts()).toEqual([]);
    await page.getByTestId('fac-map-show-chart').click();
    await page.locator('[data-testid="fac-map"] canvas').first().waitFor({ timeout: 60_000 });
    await expect.poll(() => charts().length).toBeGreaterThan(0);
  });
});

/**
 * The public home's scripts and styles on the wire (gzip: Chromium asks for brotli only over https,
 * where it would be ~15 % less). Measured 398 KiB (2026-12-01: React, antd's shared part, the frame and
 * every module's strings); the budget leaves ~15 % for growth and fails on a chart or the console's antd.
 */
const PUBLIC_BUDGET = 460 * 1024;
