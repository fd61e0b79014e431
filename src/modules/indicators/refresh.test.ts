import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionRow } from '../../db/tables.js';
import { ageOn } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import type { AggregateSource } from './contract.js';
import type { Registry } from './engine.js';
import { FakeModel, fakeRegistry } from './fake-registry.js';
import { nightlyRefresh } from './daily.js';
import { readFacts } from './facts.js';
import { indicatorSeries } from './reads.js';
import { refreshIndicators } from './refresh.js';

/** A small seeded generator, so a failing round can be replayed. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const at = (day: string) => new Date(`${day}T04:00:00Z`);

async function snapshot(ctx: TestContext, month: string) {
  const values = await ctx.db
    .selectFrom('indicator_values')
    .select(['indicator_key', 'region_code', 'num', 'den'])
    .where('month', '=', month)
    .orderBy('indicator_key')
    .orderBy('region_code')
    .execute();
  const facts = await readFacts(ctx.db, month);
  return { values: values.map((v) => ({ ...v, num: Number(v.num), den: Number(v.den) })), facts };
}

async function value(ctx: TestContext, month: string, key: string, region: string) {
  const v = await ctx.db
    .selectFrom('indicator_values')
    .select(['num', 'den'])
    .where('month', '=', month)
    .where('indicator_key', '=', key)
    .where('region_code', '=', region)
    .executeTakeFirstOrThrow();
  return { num: Number(v.num), den: Number(v.den) };
}

describe.each(dialects)('indicator refresh on %s', (dialect) => {
  let ctx: TestContext;
  let villages: RegionRow[];
  let towns: RegionRow[];
  let county: RegionRow;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    villages = ctx.regions.all().filter((r) => r.level === 'village');
    towns = ctx.regions.all().filter((r) => r.level === 'town');
    county = ctx.regions.counties()[0]!;
  });
  afterAll(() => ctx?.cleanup());

  it('counts as an independent count does, rolls villages up to towns and the county, and keeps a town’s own persons as its remainder', async () => {
    const model = new FakeModel();
    const rnd = mulberry32(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    for (let i = 0; i < 300; i++) {
      const year = 1930 + Math.floor(rnd() * 40);
      model.add({
        region: i % 25 === 0 ? pick(towns).code : pick(villages).code,
        birth: `${year}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
        active: rnd() > 0.05,
        assessedUntil: rnd() > 0.5 ? '2026-12-31' : rnd() > 0.5 ? '2026-01-31' : null,
        served: rnd() > 0.6 ? ['2026-02-03'] : [],
      });
    }
    model.facilities.push({ region: villages[0]!.code, beds: 40, nursing: 30 }, { region: towns[1]!.code, beds: 60, nursing: 20 });
    const reg = fakeRegistry(model);
    const r = await refreshIndicators(ctx, { period: '2026-02', now: at('2026-02-20'), registry: reg });
    expect(r.mode).toBe('full');

    const asOf = '2026-02-20';
    const people = [...model.persons.values()].filter((p) => p.active && ageOn(p.birth, asOf) >= 60);
    expect(r.persons).toBe(people.length);
    const old = people.filter((p) => ageOn(p.birth, asOf) >= 80);
    const assessed = old.filter((p) => p.assessedUntil !== null && p.assessedUntil >= asOf);
    expect(await value(ctx, '2026-02', 'cov80', county.code)).toEqual({ num: assessed.length, den: old.length });
    const served = people.filter((p) => p.served.length > 0);
    expect(await value(ctx, '2026-02', 'served', county.code)).toEqual({ num: served.length, den: people.length });
    expect(await value(ctx, '2026-02', 'nursingShare', county.code)).toEqual({ num: 50, den: 100 });

    // roll-up: each town = its villages + its own persons; the county = its towns
    for (const town of towns) {
      const inTown = old.filter((p) => p.region.startsWith(town.prefix));
      const own = await value(ctx, '2026-02', 'cov80', town.code);
      expect(own.den).toBe(inTown.length);
      let sum = 0;
      for (const v of villages.filter((x) => x.parent_code === town.code)) sum += (await value(ctx, '2026-02', 'cov80', v.code)).den;
      expect(own.den - sum).toBe(inTown.filter((p) => p.region === town.code).length);
    }
    let townSum = 0;
    for (const town of towns) townSum += (await value(ctx, '2026-02', 'cov80', town.code)).den;
    expect(townSum).toBe(old.length);
  });

  it('an incremental refresh equals a full one after random changes (new persons, deaths, birthdays, expiries, services, voids, moves)', async () => {
    const model = new FakeModel();
    const rnd = mulberry32(2026);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const birth = () =>
      `${1925 + Math.floor(rnd() * 45)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
    for (let i = 0; i < 400; i++) {
      model.add({
        region: pick(villages).code,
        birth: birth(),
        active: true,
        assessedUntil: rnd() > 0.5 ? `2026-03-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}` : rnd() > 0.5 ? '2027-01-01' : null,
        served: rnd() > 0.5 ? ['2026-03-02'] : [],
      });
    }
    // crossing 80 and 60 by birthday, and an assessment running out, with no row written
    const turning80 = model.add({ region: villages[1]!.code, birth: '1946-03-15', active: true, assessedUntil: '2027-01-01', served: [] });
    const turning60 = model.add({ region: villages[2]!.code, birth: '1966-03-12', active: true, assessedUntil: null, served: [] });
    const reg = fakeRegistry(model);
    await refreshIndicators(ctx, { period: '2026-03', full: true, now: at('2026-03-10'), registry: reg });
    const before80 = await value(ctx, '2026-03', 'cov80', county.code);

    const days = ['2026-03-14', '2026-03-20', '2026-03-27', '2026-03-31'];
    for (const day of days) {
      const ids = [...model.persons.keys()];
      for (let k = 0; k < 25; k++) {
        const id = pick(ids);
        const what = Math.floor(rnd() * 6);
        if (what === 0) model.change(id, (p) => (p.active = false)); // death, closure
        if (what === 1) model.change(id, (p) => (p.region = pick(villages).code)); // a move
        if (what === 2) model.change(id, (p) => p.served.push(day)); // a service event
        if (what === 3) model.change(id, (p) => (p.served = [])); // voided
        if (what === 4) model.change(id, (p) => (p.assessedUntil = '2027-06-30')); // assessed
        if (what === 5) model.add({ region: pick(villages).code, birth: birth(), active: true, assessedUntil: null, served: [day] });
      }
      const inc = await refreshIndicators(ctx, { period: '2026-03', now: at(day), registry: reg });
      expect(inc.mode).toBe('incremental');
      expect(inc.persons).toBeLessThan(model.persons.size);
      const a = await snapshot(ctx, '2026-03');
      const full = await refreshIndicators(ctx, { period: '2026-03', full: true, now: at(day), registry: reg });
      expect(full.mode).toBe('full');
      const b = await snapshot(ctx, '2026-03');
      expect(a.facts).toEqual(b.facts);
      expect(a.values).toEqual(b.values);
    }
    const facts = await readFacts(ctx.db, '2026-03');
    expect(facts.some((f) => f.person_id === turning60)).toBe(true);
    expect(facts.find((f) => f.person_id === turning80)!.bits & 1).toBe(1);
    expect((await value(ctx, '2026-03', 'cov80', county.code)).den).not.toBe(before80.den);
  });

  it('a change of person sources recomputes the month in full', async () => {
    const model = new FakeModel();
    model.add({ region: villages[0]!.code, birth: '1940-01-01', active: true, assessedUntil: null, served: [] });
    const reg = fakeRegistry(model);
    await refreshIndicators(ctx, { period: '2026-04', now: at('2026-04-05'), registry: reg });
    expect((await refreshIndicators(ctx, { period: '2026-04', now: at('2026-04-06'), registry: reg })).mode).toBe('incremental');
    const fewer = { ...reg, personSources: reg.personSources.slice(0, 2), definitions: reg.definitions.filter((d) => d.key !== 'served') };
    expect((await refreshIndicators(ctx, { period: '2026-04', now: at('2026-04-07'), registry: fewer })).mode).toBe('full');
  });

  it('two refreshes at once queue instead of interleaving', async () => {
    const model = new FakeModel();
    for (let i = 0; i < 50; i++) model.add({ region: villages[i % villages.length]!.code, birth: '1940-05-05', active: true, assessedUntil: null, served: [] });
    const reg = fakeRegistry(model);
    const [a, b] = await Promise.all([
      refreshIndicators(ctx, { period: '2026-05', full: true, now: at('2026-05-05'), registry: reg }),
      refreshIndicators(ctx, { period: '2026-05', full: true, now: at('2026-05-05'), registry: reg }),
    ]);
    expect([a.mode, b.mode]).toEqual(['full', 'full']);
    expect(await readFacts(ctx.db, '2026-05')).toHaveLength(50);
    // two first reads of a month never computed compute it once
    await Promise.all([
      refreshIndicators(ctx, { period: '2026-08', full: true, ifMissing: true, now: at('2026-08-05'), registry: reg }),
      refreshIndicators(ctx, { period: '2026-08', full: true, ifMissing: true, now: at('2026-08-05'), registry: reg }),
    ]);
    expect(await ctx.db.selectFrom('indicator_refreshes').select('id').where('month', '=', '2026-08').execute()).toHaveLength(1);
  });

  it('the nightly task closes last month in full once, then follows it and this month incrementally', async () => {
    const model = new FakeModel();
    for (let i = 0; i < 20; i++)
      model.add({ region: villages[i % villages.length]!.code, birth: '1941-06-15', active: true, assessedUntil: '2026-06-25', served: [] });
    const reg = fakeRegistry(model);
    await refreshIndicators(ctx, { period: '2026-06', now: at('2026-06-20'), registry: reg });
    const modes = async (month: string) =>
      (await ctx.db.selectFrom('indicator_refreshes').select(['mode', 'as_of']).where('month', '=', month).orderBy('id').execute()).map(
        (r) => `${r.mode}@${r.as_of}`,
      );
    await nightlyRefresh(ctx, '2026-07-02', reg, at('2026-07-02'));
    expect(await modes('2026-06')).toEqual(['full@2026-06-20', 'full@2026-06-30']);
    expect(await modes('2026-07')).toEqual(['full@2026-07-02']);
    // the assessments ran out on 25 June: the closed month's figure says so
    expect((await value(ctx, '2026-06', 'cov80', county.code)).num).toBe(0);
    await nightlyRefresh(ctx, '2026-07-03', reg, at('2026-07-03'));
    expect(await modes('2026-06')).toEqual(['full@2026-06-20', 'full@2026-06-30', 'incremental@2026-06-30']);
    expect(await modes('2026-07')).toEqual(['full@2026-07-02', 'incremental@2026-07-03']);
  });

  it('the nightly task computes every month of the last 12 not computed yet, oldest first, each once, in full', async () => {
    const model = new FakeModel();
    for (let i = 0; i < 20; i++) model.add({ region: villages[i % villages.length]!.code, birth: '1941-06-15', active: true, assessedUntil: null, served: [] });
    const reg = fakeRegistry(model);
    // one month of the window computed already: left as it is
    await refreshIndicators(ctx, { period: '2024-09', now: at('2024-09-20'), registry: reg });
    const filled = await nightlyRefresh(ctx, '2025-03-05', reg, at('2025-03-05'));
    expect(filled).toEqual(['2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02']);
    const rows = await ctx.db
      .selectFrom('indicator_refreshes')
      .select(['month', 'mode'])
      .where('month', '>=', '2024-04')
      .where('month', '<=', '2025-03')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.month)).toEqual(['2024-09', '2025-03', ...filled]);
    expect(rows.every((r) => r.mode === 'full')).toBe(true);
    const s = await indicatorSeries(ctx, countyScope(ctx), 'cov80', { to: '2025-03', months: 12 }, reg);
    expect(s.points.map((p) => p.period)).toEqual([
      '2024-04',
      '2024-05',
      '2024-06',
      '2024-07',
      '2024-08',
      '2024-09',
      '2024-10',
      '2024-11',
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
    ]);
    expect(s.points.every((p) => p.denominator === 20)).toBe(true);
    expect(await nightlyRefresh(ctx, '2025-03-06', reg, at('2025-03-06'))).toEqual([]);
  });

  it('hands the aggregates the population per region it has just counted, full and incremental', async () => {
    const model = new FakeModel();
    for (let i = 0; i < 30; i++)
      model.add({ region: villages[i % 4]!.code, birth: i % 3 ? '1950-01-01' : '1970-01-01', active: true, assessedUntil: null, served: [] });
    const base = fakeRegistry(model);
    const seen: Array<Record<string, number>> = [];
    const capture: AggregateSource = {
      key: 'fake.elders',
      label: { zh: '老年人', en: 'Elders' },
      async cells(_c, _d, span) {
        const m = await span.elders!();
        seen.push(Object.fromEntries([...m].filter(([, n]) => n > 0)));
        return [...m].map(([region, n]) => ({ region, num: n, den: 0 }));
      },
      members: async () => [],
    };
    const reg: Registry = {
      ...base,
      aggregateSources: [...base.aggregateSources, capture],
      definitions: [...base.definitions, { ...base.definitions[3]!, key: 'eldersSeen', unit: 'count', aggregate: 'fake.elders', seedRow: null }],
    };
    const expected = () => {
      const out: Record<string, number> = {};
      for (const p of model.persons.values()) if (p.active && ageOn(p.birth, '2026-10-20') >= 60) out[p.region] = (out[p.region] ?? 0) + 1;
      return out;
    };
    await refreshIndicators(ctx, { period: '2026-10', now: at('2026-10-20'), registry: reg, full: true });
    expect(seen.at(-1)).toEqual(expected());
    model.add({ region: villages[5]!.code, birth: '1940-01-01', active: true, assessedUntil: null, served: [] });
    model.change(1, (p) => (p.region = villages[6]!.code));
    model.change(2, (p) => (p.active = false));
    await refreshIndicators(ctx, { period: '2026-10', now: at('2026-10-20'), registry: reg });
    expect(seen.at(-1)).toEqual(expected());
    expect(Object.values(seen.at(-1)!).reduce((a, n) => a + n, 0)).toBe(20);
  });

  it('a month still to come is refused', async () => {
    const reg = fakeRegistry(new FakeModel());
    await expect(refreshIndicators(ctx, { period: '2099-01', registry: reg })).rejects.toMatchObject({ code: 'INDICATOR_PERIOD_FUTURE' });
  });
});
