import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { defineSetting, settingForRegion, SettingsStore } from '../../platform/settings.js';
import { systemScope } from '../../platform/scope.js';
import { z } from 'zod';
import { seedRegionsAndUsers } from '../demo/seed.js';
import { DEMO_CITY, DEMO_COUNTY, DEMO_COUNTY2 } from '../demo/regions.js';
import { countyScope, createSeededContext, createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { AppError } from '../../platform/errors.js';
import { today } from '../../platform/time.js';
import { startRun } from '../entitlements/runs.service.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { catalogueOf, catalogueSetting } from '../catalogue/catalogue.settings.js';

/** Issue 13 seam 9: jurisdiction settings, typed, audited, kept, keyed by the jurisdiction. */
describe.each(dialects)('jurisdiction settings (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let town1: Session;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    town1 = await loginAs(app, 'town1');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const list = async () =>
    (await call(app, admin, { method: 'GET', url: '/api/settings' })).json<{
      jurisdiction: { code: string };
      items: {
        name: string;
        value: unknown;
        isInitial: boolean;
        setBy: string | null;
        note: string | null;
        choices: { value: unknown; label: { zh: string; en: string } }[] | null;
      }[];
    }>();

  it("lists the declared settings with the deployment's values until someone sets them", async () => {
    const body = await list();
    expect(body.jurisdiction.code).toBe(ctx.regions.counties()[0]!.code);
    expect(body.items.find((i) => i.name === 'catalogue')).toMatchObject({ value: 'nanxun', isInitial: true, setBy: null });
    expect(catalogueOf(ctx, ctx.regions.counties()[0]!.code)).toBe('nanxun');
  });

  it('offers the catalogue setting as a choice among the catalogues on disk, each named by its title and version date', async () => {
    const item = (await list()).items.find((i) => i.name === 'catalogue')!;
    expect(item.choices?.map((c) => c.value)).toEqual(['', 'changzhou', 'daye', 'nanxun', 'qidong', 'rugao']);
    // a catalogue of only the items its document defines says so
    expect(item.choices?.find((c) => c.value === 'qidong')?.label.zh).toMatch(/，部分）$/);
    expect(item.choices?.find((c) => c.value === 'nanxun')?.label).toEqual({
      zh: '南浔区基本养老服务清单（nanxun，2023-10-31 版）',
      en: '南浔区基本养老服务清单 (nanxun, version of 2023-10-31)',
    });
  });

  it('refuses a value that is not one, a catalogue that does not exist, a change without a reason, and other roles', async () => {
    const put = (value: unknown, note = '调整', who = admin, lang?: string) =>
      call(app, who, { method: 'PUT', url: '/api/settings/catalogue', payload: { value, note }, headers: lang ? { 'accept-language': lang } : {} });
    expect(errorCode(await put('Bad Name'))).toBe('SETTING_INVALID');
    const missing = await put('atlantis', '调整', admin, 'en');
    // a value outside the list is refused, naming the values it may take
    expect(errorCode(missing)).toBe('SETTING_NOT_A_CHOICE');
    expect(missing.statusCode).toBe(409);
    expect(missing.json<{ error: { message: string } }>().error.message).toMatch(
      /cannot be "atlantis": choose one of "": No catalogue of its own; "changzhou": .*; "daye": .*; "nanxun": 南浔区基本养老服务清单 \(nanxun/,
    );
    const missingZh = await put('atlantis');
    expect(missingZh.json<{ error: { message: string } }>().error.message).toMatch(
      /不能取 "atlantis"：只能从以下选择：""：不执行本级清单；"changzhou"：常州市.*；"daye"：大冶市.*；"nanxun"：南浔区/,
    );
    expect(errorCode(await put('daye', '  '))).toBe('SETTING_NOTE_REQUIRED');
    expect(errorCode(await call(app, admin, { method: 'PUT', url: '/api/settings/no_such', payload: { value: 1, note: 'x' } }))).toBe('SETTING_UNKNOWN');
    expect((await put('daye', '调整', town1)).statusCode).toBe(403);
    expect((await call(app, town1, { method: 'GET', url: '/api/settings' })).statusCode).toBe(403);
    expect(catalogueOf(ctx, ctx.regions.counties()[0]!.code)).toBe('nanxun');
  });

  it('a change is audited, kept beside the earlier ones, in force at once, and seen by another server', async () => {
    const res = await call(app, admin, {
      method: 'PUT',
      url: '/api/settings/catalogue',
      payload: { value: 'daye', note: '县政府 2026 年第 3 号文：改用大冶清单（测试）' },
    });
    expect(res.statusCode).toBe(200);
    expect(catalogueOf(ctx, ctx.regions.counties()[0]!.code)).toBe('daye');
    // the catalogue in force is the jurisdiction's: a run now evaluates Daye's items (whose open standards are not set here)
    const refused = await startRun(ctx, countyScope(ctx), today().slice(0, 7)).then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(refused?.code).toBe('PARAMETERS_UNSET');
    expect((refused?.details as { parameters: string[] }).parameters.every((p) => p.startsWith('dy_'))).toBe(true);
    expect((await call(app, admin, { method: 'GET', url: '/api/catalogue' })).json<{ jurisdiction: string }>().jurisdiction).toBe('daye');
    expect((await list()).items.find((i) => i.name === 'catalogue')).toMatchObject({ value: 'daye', isInitial: false, setBy: 'admin' });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'settings.set').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ value: 'daye', before: 'nanxun' });
    // back again: both changes are kept, the latest is in force
    await call(app, admin, { method: 'PUT', url: '/api/settings/catalogue', payload: { value: 'nanxun', note: '恢复' } });
    const rows = await ctx.db.selectFrom('jurisdiction_settings').selectAll().orderBy('id').execute();
    expect(rows.map((r) => JSON.parse(r.value))).toEqual(['daye', 'nanxun']);
    await expect(ctx.db.updateTable('jurisdiction_settings').set({ value: '"x"' }).execute()).rejects.toThrow(/append-only/);
    const elsewhere = await SettingsStore.load(ctx.db, ctx.config, ctx.regions);
    expect(elsewhere.get(catalogueSetting, ctx.regions.counties()[0]!.code)).toBe('nanxun');
    // another jurisdiction's value is its own
    expect(elsewhere.get(catalogueSetting, '990202')).toBe(ctx.config.catalogue);
  });
});

/** Issue 21: the database-read value (a module's transaction with no context) inherits as the store does. */
const def = defineSetting<number>({
  name: 'test.inherited_days',
  label: { zh: '测试天数', en: 'Test days' },
  description: { zh: '测试', en: 'Test' },
  schema: z.number().int(),
  initial: () => 7,
});
describe.each(dialects)('a setting read from the database for a region (%s)', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedRegionsAndUsers(ctx, { second: true });
  });
  afterAll(async () => ctx?.cleanup());

  it("takes the city's value for a county that set none, the county's own once it sets one", async () => {
    const village = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(DEMO_COUNTY2))!.code;
    const system = systemScope(DEMO_CITY, ctx.regions.get(DEMO_CITY)!.prefix, 'test');
    expect(await settingForRegion(ctx.db, def, village, 7)).toBe(7);
    await ctx.settings.set(ctx, system, DEMO_CITY, def.name, 30, '市级统一');
    expect(await settingForRegion(ctx.db, def, village, 7)).toBe(30);
    expect(ctx.settings.get(def, village)).toBe(30);
    await ctx.settings.set(ctx, system, DEMO_COUNTY2, def.name, 10, '县自定');
    expect(await settingForRegion(ctx.db, def, village, 7)).toBe(10);
    expect(ctx.settings.get(def, village)).toBe(10);
    // the other county still takes the city's
    expect(await settingForRegion(ctx.db, def, `${DEMO_COUNTY}001001`, 7)).toBe(30);
  });
});
