import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRow } from '../../db/tables.js';
import type { DecidedPerson } from '../entitlements/decision-sinks.js';
import { systemScope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { withId } from '../../db/dialect.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { DEMO_CITY, DEMO_COUNTY } from '../demo/regions.js';
import { seedRegionsAndUsers } from '../demo/seed.js';
import { balanceOf } from './entitlements.js';
import { entitledPersons } from './entitled.js';
import { serviceEntitlementsSink } from './entitlement.sink.js';
import * as m004 from './migrations/004-entitlement-jurisdiction.js';
import { DEFAULT_SERVICE_SETTINGS, serviceSettingsSetting } from './services.settings.js';

/**
 * Issue 21: a city pays items of its own on top of its counties' (a city-level allowance). A person
 * granted a home-service item in the county's catalogue and one in the city's, for the same month,
 * holds both entitlements: each jurisdiction's run writes and ends its own row only, and the
 * person's month draws on the two together.
 */
const THIS = today().slice(0, 7);

describe.each(dialects)('service entitlements of a city and its county (%s)', (dialect) => {
  let ctx: TestContext;
  const scopeOf = (code: string) => systemScope(code, ctx.regions.get(code)!.prefix, 'test');

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedRegionsAndUsers(ctx, { second: true });
    // the city buys home services with an item of its own catalogue, 30 yuan a month
    await ctx.settings.set(
      ctx,
      scopeOf(DEMO_CITY),
      DEMO_CITY,
      serviceSettingsSetting.name,
      { ...DEFAULT_SERVICE_SETTINGS, purchased: [...DEFAULT_SERVICE_SETTINGS.purchased, { item: 'city-1', amountFen: 3_000, visitsPerMonth: 0 }] },
      '市级居家服务补贴（测试）',
    );
  });
  afterAll(async () => ctx?.cleanup());

  async function newRun(code: string, jurisdiction: string): Promise<RunRow> {
    const version = await ctx.db
      .insertInto('catalogue_versions')
      .values({ jurisdiction, effective: `${THIS}-01`, sha256: `test-${code}-${Math.random()}`, file: 'test', text: '', recorded_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await ctx.db
      .insertInto('entitlement_runs')
      .values({
        jurisdiction,
        region_code: code,
        period: THIS,
        catalogue_version_id: version.id,
        params: '{}',
        fact_names: '[]',
        status: 'running',
        lock_key: null,
        previous_run_id: null,
        persons_total: 0,
        persons_done: 0,
        granted: 0,
        changes: 0,
        started_by: null,
        started_by_name: 'test',
        started_at: nowIso(),
        finished_at: null,
        message: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return row as RunRow;
  }

  async function runSink(run: RunRow, decided: DecidedPerson[]) {
    const sink = await serviceEntitlementsSink(ctx, run, undefined as never);
    await ctx.db.transaction().execute((trx) => sink.batch(trx, decided));
    return ctx.db.transaction().execute((trx) => sink.finish!(trx));
  }

  const rows = (personId: number) =>
    ctx.db
      .selectFrom('service_entitlements')
      .select(['amount_fen', 'items', 'run_id'])
      .where('period', '=', THIS)
      .where('person_id', '=', personId)
      .orderBy('amount_fen')
      .execute();

  it("keeps the county's and the city's entitlement of one person side by side, and a re-run ends only its own", async () => {
    const village = [...ctx.regions.all()].find((r) => r.code.startsWith(DEMO_COUNTY) && r.level === 'village')!.code;
    const person = 9_001;
    const other = 9_002;
    const county1 = await newRun(DEMO_COUNTY, 'nanxun');
    await runSink(county1, [
      { personId: person, regionCode: village, outcome: { 'nx-15': {} } as never },
      { personId: other, regionCode: village, outcome: { 'nx-15': {} } as never },
    ]);
    const city1 = await newRun(DEMO_CITY, 'qidong');
    await runSink(city1, [{ personId: person, regionCode: village, outcome: { 'city-1': {} } as never }]);
    // both: the county's 50 yuan and the city's 30
    expect((await rows(person)).map((r) => [r.amount_fen, r.run_id])).toEqual([
      [3_000, city1.id],
      [5_000, county1.id],
    ]);
    // the person draws on both together: 80 yuan, the items of both
    const b = await balanceOf(ctx.db, person, THIS);
    expect(b).toMatchObject({ amountFen: 8_000, balanceFen: 8_000 });
    expect(new Set(b.items)).toEqual(new Set(['nx-15', 'city-1']));
    // listed once, with the sum
    const listed = (await entitledPersons(ctx.db, THIS, ctx.regions.get(DEMO_CITY)!.prefix)).filter((p) => p.personId === person);
    expect(listed).toEqual([{ personId: person, regionCode: village, amountFen: 8_000 }]);

    // the county runs the month again, and `other` no longer qualifies: the county ends its own row
    // of `other`, keeps the person's, and leaves the city's alone
    const county2 = await newRun(DEMO_COUNTY, 'nanxun');
    const ended = await runSink(county2, [{ personId: person, regionCode: village, outcome: { 'nx-15': {} } as never }]);
    expect(ended).toMatchObject({ serviceEntitlements: 1, serviceEntitlementsEnded: 1 });
    expect((await rows(person)).map((r) => [r.amount_fen, r.run_id])).toEqual([
      [3_000, city1.id],
      [5_000, county2.id],
    ]);
    expect(await rows(other)).toEqual([]);

    // the city runs again, and the person no longer qualifies for the city's item: the county's stays
    const city2 = await newRun(DEMO_CITY, 'qidong');
    const cityEnded = await runSink(city2, []);
    expect(cityEnded).toMatchObject({ serviceEntitlements: 0, serviceEntitlementsEnded: 1 });
    expect((await rows(person)).map((r) => [r.amount_fen, r.run_id])).toEqual([[5_000, county2.id]]);
    expect(await balanceOf(ctx.db, person, THIS)).toMatchObject({ amountFen: 5_000, items: ['nx-15'] });
  });

  it('keeps the rows recorded before, each given its run’s jurisdiction (services/004)', async () => {
    // the table as services/001 made it, keyed by (period, person), with two rows
    await ctx.db.schema.dropTable('service_entitlements').execute();
    await withId(ctx.db, ctx.db.schema.createTable('service_entitlements'))
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('person_id', 'integer', (c) => c.notNull())
      .addColumn('region_code', 'text', (c) => c.notNull())
      .addColumn('amount_fen', 'integer', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('run_id', 'integer', (c) => c.notNull())
      .addUniqueConstraint('service_entitlements_person', ['period', 'person_id'])
      .execute();
    await ctx.db.schema.createIndex('service_entitlements_run').on('service_entitlements').columns(['run_id']).execute();
    const county = await newRun(DEMO_COUNTY, 'nanxun');
    const old = ctx.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
    await old
      .insertInto('service_entitlements')
      .values([
        { period: THIS, person_id: 1, region_code: DEMO_COUNTY, amount_fen: 5_000, items: '["nx-15"]', run_id: county.id },
        { period: THIS, person_id: 2, region_code: DEMO_COUNTY, amount_fen: 12_000, items: '["nx-11"]', run_id: 99_999 },
      ])
      .execute();
    const ids = (await old.selectFrom('service_entitlements').select('id').orderBy('person_id').execute()).map((r) => Number(r.id));
    await m004.up(ctx.db);
    expect(
      await ctx.db.selectFrom('service_entitlements').select(['id', 'person_id', 'amount_fen', 'run_id', 'jurisdiction_code']).orderBy('id').execute(),
    ).toEqual([
      { id: ids[0], person_id: 1, amount_fen: 5_000, run_id: county.id, jurisdiction_code: DEMO_COUNTY },
      { id: ids[1], person_id: 2, amount_fen: 12_000, run_id: 99_999, jurisdiction_code: '' },
    ]);
    // the city's row beside the county's, and new rows numbered after the kept ones
    const city = await newRun(DEMO_CITY, 'qidong');
    await runSink(city, [{ personId: 1, regionCode: DEMO_COUNTY, outcome: { 'city-1': {} } as never }]);
    expect((await rows(1)).map((r) => [r.amount_fen, r.run_id])).toEqual([
      [3_000, city.id],
      [5_000, county.id],
    ]);
    expect((await ctx.db.selectFrom('service_entitlements').select('id').where('run_id', '=', city.id).executeTakeFirstOrThrow()).id).toBeGreaterThan(ids[1]!);
  });
});
