import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { periodBounds, previousPeriod, today } from '../../platform/time.js';
import { codeOf, createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { setParameter } from '../catalogue/catalogue.service.js';
import { catalogueSetting } from '../catalogue/catalogue.settings.js';
import { seedDemoEntitlements } from '../demo/entitlements.js';
import { writeDemoFiles } from '../demo/files.js';
import { DEMO_CITY, DEMO_COUNTY, DEMO_COUNTY2 } from '../demo/regions.js';
import { seedRegionsAndUsers } from '../demo/seed.js';
import { runImport } from '../register/imports/imports.service.js';
import { startRun } from './runs.service.js';
import { handleChange, publicSelfCheck } from './entitlements.service.js';
import { profileSchema } from '../catalogue/catalogue.schema.js';

/**
 * Issue 21: one platform, a city with two counties side by side, each on its own catalogue (青溪县
 * on Nanxun's, 石湖县 on Daye's), with its own runs, rolls and change lists; the city sees across
 * them; a person who moves between them keeps one record, and the move takes effect in both
 * counties' runs from the month after it.
 */
const THIS = today().slice(0, 7);
const LAST = previousPeriod(THIS);
/** the registers are as of before last month began: the move below, at its end, is newer */
const REGISTER_AS_OF = periodBounds(previousPeriod(LAST)).start;
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';

describe.each(dialects)('jurisdictions side by side (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Scope;
  let admin2: Scope;
  let city: Session;
  let admin1: Session;
  let mover: { id: number; idNumber: string; name: string; region: string };
  let dir: string;

  const countyScope = (code: string) => systemScope(code, ctx.regions.get(code)!.prefix, 'test');
  const run = async (scope: Scope, period: string, code: string) => {
    const { run: r, done } = await startRun(ctx, scope, period, code);
    await done;
    return (await ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow())!;
  };
  const decisions = (runId: number) => ctx.db.selectFrom('decisions').select(['person_id', 'region_code', 'outcome']).where('run_id', '=', runId).execute();
  const changesOf = (runId: number, personId: number) =>
    ctx.db.selectFrom('decision_changes').select(['kind', 'item_id', 'region_code']).where('run_id', '=', runId).where('person_id', '=', personId).execute();

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 90 });
    await seedRegionsAndUsers(ctx, { second: true });
    await ctx.settings.set(ctx, countyScope(DEMO_CITY), DEMO_COUNTY2, catalogueSetting.name, 'daye', '石湖县执行大冶市清单');
    dir = mkdtempSync(join(tmpdir(), 'yiyang-juris-'));
    for (const [county, seed] of [
      [DEMO_COUNTY, 1],
      [DEMO_COUNTY2, 2],
    ] as const) {
      const files = await writeDemoFiles(join(dir, county), { elders: 240, seed, asOf: REGISTER_AS_OF, county });
      for (const f of files) await runImport(ctx, countyScope(county), { source: f.source, path: f.path, fileName: `${f.source}.csv`, asOf: REGISTER_AS_OF });
      // each county's demo standards, and its runs of last month and this month
      await seedDemoEntitlements(ctx, countyScope(county));
    }
    admin = await userScope(ctx, 'admin');
    admin2 = await userScope(ctx, 'admin2');
    app = await buildApp(ctx, { serveWeb: false });
    city = await loginAs(app, 'city1');
    admin1 = await loginAs(app, 'admin');
    // someone of 青溪县 aged 80 or more with local hukou: both catalogues pay them a 高龄津贴
    const old = await ctx.db
      .selectFrom('persons')
      .select(['id', 'id_enc', 'name', 'region_code', 'birth_date'])
      .where('region_code', 'like', `${DEMO_COUNTY}%`)
      .where('status', '=', 'active')
      .where('hukou_local', '=', 1)
      .where('birth_date', '<', '1940-01-01')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    mover = { id: old.id, idNumber: ctx.cipher.decrypt(old.id_enc), name: old.name, region: old.region_code };
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs each county's people against its own catalogue, and no one else", async () => {
    for (const [code, catalogue] of [
      [DEMO_COUNTY, 'nanxun'],
      [DEMO_COUNTY2, 'daye'],
    ] as const) {
      const r = await ctx.db
        .selectFrom('entitlement_runs')
        .selectAll()
        .where('region_code', '=', code)
        .where('period', '=', THIS)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(r.jurisdiction).toBe(catalogue);
      const ds = await decisions(r.id);
      const people = await ctx.db.selectFrom('persons').select('id').where('region_code', 'like', `${code}%`).execute();
      expect(ds.length).toBe(people.length);
      expect(ds.every((d) => d.region_code.startsWith(code))).toBe(true);
      // every item granted is the county's own catalogue's
      const prefix = catalogue === 'nanxun' ? 'nx-' : 'dy-';
      expect(ds.flatMap((d) => Object.keys(JSON.parse(d.outcome) as object)).every((k) => k.startsWith(prefix))).toBe(true);
      // its rolls are open for its towns: the other county's run of the month did not supersede them
      const rolls = await ctx.db.selectFrom('payment_rolls').select(['status', 'town_code']).where('run_id', '=', r.id).execute();
      expect(rolls.length).toBeGreaterThan(0);
      expect(rolls.every((x) => x.status === 'draft' && x.town_code.startsWith(code))).toBe(true);
    }
  });

  it('a county officer sees and runs only their county; the city sees both; neither county sets the other catalogue', async () => {
    const own = await call(app, admin1, { method: 'GET', url: '/api/runs' });
    expect(own.json<{ region: { code: string }; jurisdiction: string }>()).toMatchObject({ region: { code: DEMO_COUNTY }, jurisdiction: 'nanxun' });
    expect((await call(app, admin1, { method: 'GET', url: `/api/runs?jurisdiction=${DEMO_COUNTY2}` })).statusCode).toBe(404);
    expect(await codeOf(startRun(ctx, admin, THIS, DEMO_COUNTY2))).toBe('NOT_FOUND');
    // the city watches its counties' runs; each county's bureau starts its own
    expect(await codeOf(startRun(ctx, await userScope(ctx, 'city1'), THIS, DEMO_COUNTY2))).toBe('RUN_NOT_YOURS');

    const list = await call(app, city, { method: 'GET', url: '/api/jurisdictions' });
    expect(list.json<{ items: { code: string; catalogue: string }[] }>().items.map((j) => [j.code, j.catalogue])).toEqual([
      [DEMO_COUNTY, 'nanxun'],
      [DEMO_COUNTY2, 'daye'],
    ]);
    const other = await call(app, city, { method: 'GET', url: `/api/runs?jurisdiction=${DEMO_COUNTY2}` });
    expect(other.statusCode).toBe(200);
    expect(other.json<{ mayStart: boolean }>().mayStart).toBe(false);
    expect(other.json<{ items: { jurisdiction: { code: string } }[] }>().items.every((r) => r.jurisdiction.code === DEMO_COUNTY2)).toBe(true);

    expect(await codeOf(setParameter(ctx, admin2, { jurisdiction: 'nanxun', name: 'nx_high_age', from: '2030-01-01', value: 1, note: 'x' }))).toBe(
      'CATALOGUE_NOT_YOURS',
    );
    expect(await codeOf(setParameter(ctx, admin, { jurisdiction: 'daye', name: 'dy_high_age_80', from: '2030-01-01', value: 1, note: 'x' }))).toBe(
      'CATALOGUE_NOT_YOURS',
    );
  });

  it("a county's change list is followed up by the county; the city reads it", async () => {
    const r = await ctx.db.selectFrom('entitlement_runs').select('id').where('region_code', '=', DEMO_COUNTY).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const change = await ctx.db.selectFrom('decision_changes').select('id').where('run_id', '=', r.id).where('kind', '!=', 'verify').executeTakeFirstOrThrow();
    const list = await call(app, city, { method: 'GET', url: `/api/runs/${r.id}/changes` });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ mayHandle: boolean }>().mayHandle).toBe(false);
    expect(await codeOf(handleChange(ctx, await userScope(ctx, 'city1'), change.id, true))).toBe('CHANGE_NOT_YOURS');
    expect((await call(app, admin1, { method: 'GET', url: `/api/runs/${r.id}/changes` })).json<{ mayHandle: boolean }>().mayHandle).toBe(true);
    expect(await handleChange(ctx, admin, change.id, true)).toEqual({ id: change.id, handled: true });
  });

  it("a county takes the city's setting until it sets its own", async () => {
    const put = (s: Session, code: string, value: number) =>
      call(app, s, { method: 'PUT', url: `/api/settings/backpay.months?jurisdiction=${code}`, payload: { value, note: '测试' } });
    expect((await put(city, DEMO_CITY, 3)).statusCode).toBe(200);
    const read = async (s: Session, code: string) =>
      (await call(app, s, { method: 'GET', url: `/api/settings?jurisdiction=${code}` }))
        .json<{ items: { name: string; value: unknown; inheritedFrom: { code: string } | null }[] }>()
        .items.find((i) => i.name === 'backpay.months')!;
    expect(await read(admin1, DEMO_COUNTY)).toMatchObject({ value: 3, inheritedFrom: { code: DEMO_CITY } });
    expect((await put(admin1, DEMO_COUNTY, 1)).statusCode).toBe(200);
    expect(await read(admin1, DEMO_COUNTY)).toMatchObject({ value: 1, inheritedFrom: null });
    expect(await read(city, DEMO_COUNTY2)).toMatchObject({ value: 3, inheritedFrom: { code: DEMO_CITY } });
    // a county's administrator manages neither the city's settings nor the other county's
    expect((await put(admin1, DEMO_CITY, 2)).statusCode).toBe(404);
    expect((await put(admin1, DEMO_COUNTY2, 2)).statusCode).toBe(404);
  });

  it('a person who moves from one county to the other keeps one record: paid by the first for the month they moved in, by the second from the next', async () => {
    const village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(DEMO_COUNTY2))!.code;
    const persons = Number(
      (
        await ctx.db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    // the city's household-registration file: the move, dated the last day of last month
    const path = join(dir, 'move.csv');
    writeFileSync(path, `${PS_HEADER}\n${mover.idNumber},${mover.name},,,${village2},本地,,,\n`);
    const moved = await runImport(ctx, countyScope(DEMO_CITY), { source: 'public_security', path, fileName: 'move.csv', asOf: periodBounds(LAST).end });
    expect(moved).toMatchObject({ status: 'applied', updated: 1, created: 0 });
    expect(
      Number(
        (
          await ctx.db
            .selectFrom('persons')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(persons);

    // this month: 青溪县 no longer pays them (ended), 石湖县 does (new); each change list says so
    const q = await run(admin, THIS, DEMO_COUNTY);
    const s = await run(admin2, THIS, DEMO_COUNTY2);
    expect((await decisions(q.id)).some((d) => d.person_id === mover.id)).toBe(false);
    expect((await decisions(s.id)).find((d) => d.person_id === mover.id)?.region_code).toBe(village2);
    const ended = await changesOf(q.id, mover.id);
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((c) => c.kind === 'ended' && c.item_id.startsWith('nx-') && c.region_code === mover.region)).toBe(true);
    const started = await changesOf(s.id, mover.id);
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((c) => c.kind === 'new' && c.item_id.startsWith('dy-') && c.region_code === village2)).toBe(true);

    // last month, run again after the move: still 青溪县's, decided where they lived then, not 石湖县's
    const q0 = await run(admin, LAST, DEMO_COUNTY);
    const s0 = await run(admin2, LAST, DEMO_COUNTY2);
    expect((await decisions(q0.id)).find((d) => d.person_id === mover.id)?.region_code).toBe(mover.region);
    expect((await decisions(s0.id)).some((d) => d.person_id === mover.id)).toBe(false);
  });

  it("a city that pays items of its own runs them over both counties' people, and leaves the counties' runs as they were", async () => {
    const city = countyScope(DEMO_CITY);
    await ctx.settings.set(ctx, city, DEMO_CITY, catalogueSetting.name, 'qidong', '市级另行发放尊老金（测试）');
    for (const [name, value] of Object.entries({ qd_zunlao_80: 30, qd_zunlao_90: 60, qd_zunlao_100: 200 }))
      await setParameter(ctx, city, { jurisdiction: 'qidong', name, from: '2024-12-01', value, note: '测试' });
    const served = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('service_entitlements')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('period', '=', THIS)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await served();
    expect(before).toBeGreaterThan(0);
    const r = await run(city, THIS, DEMO_CITY);
    expect(r).toMatchObject({ jurisdiction: 'qidong', status: 'finished' });
    const ds = await decisions(r.id);
    const all = Number(
      (
        await ctx.db
          .selectFrom('persons')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(ds.length).toBe(all);
    expect(new Set(ds.map((d) => d.region_code.slice(0, 6)))).toEqual(new Set([DEMO_COUNTY, DEMO_COUNTY2]));
    // the counties' home-service entitlements of the month are theirs: a city run does not end them
    expect(await served()).toBe(before);
  });

  it('the public self-check asks for the place first, then reads that county’s catalogue', async () => {
    const person = profileSchema.parse({ birthDate: '1940-03-01', hukouLocal: true });
    expect(await codeOf(publicSelfCheck(ctx, person))).toBe('SELF_CHECK_PLACE');
    const q = await publicSelfCheck(ctx, { ...person, place: DEMO_COUNTY });
    const s = await publicSelfCheck(ctx, { ...person, place: DEMO_COUNTY2 });
    expect(q.items.every((i) => i.id.startsWith('nx-'))).toBe(true);
    expect(s.items.every((i) => i.id.startsWith('dy-'))).toBe(true);
    const places = await call(app, null, { method: 'GET', url: '/api/public/places' });
    expect(places.json<{ items: { code: string }[] }>().items.map((p) => p.code)).toEqual([DEMO_COUNTY, DEMO_COUNTY2]);
    expect(errorCode(await call(app, null, { method: 'POST', url: '/api/public/self-check', payload: { birthDate: '1940-03-01' } }))).toBe('SELF_CHECK_PLACE');
  });
});
