import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionRow } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { FakeModel, fakeRegistry } from './fake-registry.js';
import { indicatorMembers } from './members.js';
import { indicatorBreakdown, indicatorReport, indicatorSeries, indicatorValues } from './reads.js';
import { refreshIndicators } from './refresh.js';

/**
 * The reads over a registry the test controls: status exactly at the target, the add-up and
 * outlier flags, series over computed months, scope of values and members, the report's rows.
 */
describe.each(dialects)('indicator reads (%s)', (dialect) => {
  let ctx: TestContext;
  let county: Scope;
  let town1: Scope;
  let towns: RegionRow[];
  const model = new FakeModel();
  const reg = fakeRegistry(model);
  const villagesOf = (town: RegionRow) => ctx.regions.all().filter((r) => r.parent_code === town.code);
  const at = (day: string) => new Date(`${day}T04:00:00Z`);

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    county = countyScope(ctx);
    town1 = await userScope(ctx, 'town1');
    towns = ctx.regions.all().filter((r) => r.level === 'town');
    // every village: 10 persons aged 80+, 5 assessed (50%: exactly the target of 50); town1's
    // first village: 10 of 10 (an outlier among its siblings); one person attached to town1 itself
    for (const town of towns) {
      villagesOf(town).forEach((v, i) => {
        for (let k = 0; k < 10; k++) {
          const assessed = town.code === town1.regionCode && i === 0 ? true : k < 5;
          model.add({ region: v.code, birth: '1940-01-01', active: true, assessedUntil: assessed ? '2030-01-01' : null, served: [] });
        }
      });
    }
    model.add({ region: town1.regionCode, birth: '1940-01-01', active: true, assessedUntil: null, served: [] });
    model.facilities.push({ region: villagesOf(towns[0]!)[0]!.code, beds: 100, nursing: 75 });
    // a facility registered at town1 itself (as facilities are): 3 of 4 beds, the share stays 75 %
    model.facilities.push({ region: town1.regionCode, beds: 4, nursing: 3 });
    // three earlier months with the same figures, then March
    for (const m of ['2026-01', '2026-02', '2026-03']) await refreshIndicators(ctx, { period: m, now: at(`${m}-28`), registry: reg });
  }, 120_000);
  afterAll(() => ctx?.cleanup());

  it('a figure exactly at an atLeast target meets it', async () => {
    const town2 = towns.find((t) => t.code !== town1.regionCode)!;
    const v = await indicatorValues(ctx, county, { period: '2026-03', region: town2.code }, reg);
    const cov = v.items.find((i) => i.key === 'cov80')!;
    expect(cov.value).toBe(50);
    expect(cov.target!.value).toBe(50);
    expect(cov.status).toBe('met');
    const share = (await indicatorValues(ctx, county, { period: '2026-03' }, reg)).items.find((i) => i.key === 'nursingShare')!;
    expect(share.value).toBe(75);
    expect(share.status).toBe('met');
    expect(v.items.find((i) => i.key === 'served')!.status).toBe('no_target');
  });

  it('flags the town whose villages do not add up (a person attached to the town) and the village far from its siblings', async () => {
    const b = await indicatorBreakdown(ctx, county, 'cov80', { period: '2026-03', region: town1.regionCode }, reg);
    expect(b.unallocated).toEqual({ numerator: 0, denominator: 1 });
    expect(b.indicator.flags.map((f) => f.kind)).toContain('does_not_add_up');
    const first = b.items[0]!;
    expect(first.value).toBe(100);
    expect(first.flags.map((f) => f.kind)).toContain('outlier_siblings');
    expect(b.items.slice(1).every((i) => i.flags.length === 0)).toBe(true);
    const c = await indicatorBreakdown(ctx, county, 'cov80', { period: '2026-03' }, reg);
    const sum = c.items.reduce((a, i) => a + (i.denominator ?? 0), 0);
    expect(sum + (c.unallocated?.denominator ?? 0)).toBe(c.indicator.denominator);
  });

  it('an aggregate indicator keeps a town’s own facilities as its remainder without a does-not-add-up flag', async () => {
    const b = await indicatorBreakdown(ctx, county, 'nursingShare', { period: '2026-03', region: town1.regionCode }, reg);
    expect(b.unallocated).toEqual({ numerator: 3, denominator: 4 });
    expect(b.indicator.flags.map((f) => f.kind)).not.toContain('does_not_add_up');
    const v = await indicatorValues(ctx, county, { period: '2026-03', region: town1.regionCode }, reg);
    expect(v.items.find((i) => i.key === 'nursingShare')!.flags.map((f) => f.kind)).not.toContain('does_not_add_up');
    expect(v.items.find((i) => i.key === 'cov80')!.flags.map((f) => f.kind)).toContain('does_not_add_up');
  });

  it('flags a month far from the region’s earlier months', async () => {
    const village = villagesOf(towns[0]!)[1]!;
    for (const id of [...model.persons.keys()].filter((id) => model.persons.get(id)!.region === village.code))
      model.change(id, (p) => (p.assessedUntil = '2030-01-01'));
    await refreshIndicators(ctx, { period: '2026-04', now: at('2026-04-28'), registry: reg });
    const v = await indicatorValues(ctx, county, { period: '2026-04', region: village.code }, reg);
    const cov = v.items.find((i) => i.key === 'cov80')!;
    expect(cov.value).toBe(100);
    expect(cov.flags.map((f) => f.kind)).toContain('outlier_series');
    const s = await indicatorSeries(ctx, county, 'cov80', { region: village.code, to: '2026-04', months: 12 }, reg);
    expect(s.points.map((p) => [p.period, p.value])).toEqual([
      ['2026-01', 50],
      ['2026-02', 50],
      ['2026-03', 50],
      ['2026-04', 100],
    ]);
  });

  it('a town officer reading another town, or the county, finds nothing; their members stay in their town', async () => {
    const other = towns.find((t) => t.code !== town1.regionCode)!;
    expect(await codeOf(indicatorValues(ctx, town1, { period: '2026-03', region: other.code }, reg))).toBe('NOT_FOUND');
    expect(await codeOf(indicatorMembers(ctx, town1, 'cov80', { period: '2026-03', region: other.code, part: 'numerator', page: 1, pageSize: 20 }, reg))).toBe(
      'NOT_FOUND',
    );
    const m = await indicatorMembers(ctx, town1, 'cov80', { period: '2026-03', part: 'denominator', page: 1, pageSize: 200 }, reg);
    const prefix = ctx.regions.get(town1.regionCode)!.prefix;
    const inTown = [...model.persons.values()].filter((p) => p.region.startsWith(prefix)).length;
    expect(m.total).toBe(inTown);
    expect(m.items.every((i) => i.region.code.startsWith(prefix))).toBe(true);
    const gap = await indicatorMembers(ctx, town1, 'cov80', { period: '2026-03', part: 'gap', page: 1, pageSize: 200 }, reg);
    expect(gap.items.every((i) => !i.inNumerator)).toBe(true);
    const facilities = await indicatorMembers(ctx, county, 'nursingShare', { period: '2026-03', part: 'numerator', page: 1, pageSize: 20 }, reg);
    expect(facilities.items.map((i) => i.kind)).toEqual(['facility', 'facility']);
  });

  it('a count’s target is the jurisdiction’s: a town has none for it, while a percentage keeps its target everywhere', async () => {
    const t = (zh: string) => ({ zh, en: zh });
    const withCountTarget = fakeRegistry(model, {
      targets: {
        cov80: { value: 50, comparator: 'atLeast', attribute: t('约束性'), source: t('来源'), reading: t('解读') },
        count80: { value: 5, comparator: 'atLeast', attribute: t('预期性'), source: t('来源'), reading: t('解读') },
      },
    });
    const item = async (region: string | undefined, key: string) =>
      (await indicatorValues(ctx, county, { period: '2026-03', ...(region ? { region } : {}) }, withCountTarget)).items.find((i) => i.key === key)!;
    expect(await item(undefined, 'count80')).toMatchObject({ target: { value: 5 }, status: 'met' });
    expect(await item(towns[1]!.code, 'count80')).toMatchObject({ target: null, status: 'no_target' });
    expect(await item(towns[1]!.code, 'cov80')).toMatchObject({ target: { value: 50 } });
    const towns2 = await indicatorBreakdown(ctx, county, 'count80', { period: '2026-03' }, withCountTarget);
    expect(towns2.indicator.target).toMatchObject({ value: 5 });
    expect(towns2.items.every((i) => i.status === 'no_target' || i.status === 'no_data')).toBe(true);
    const town1Report = await indicatorReport(ctx, town1, { quarter: '2026Q1' }, withCountTarget);
    expect(town1Report.others.find((r) => r.key === 'count80')).toMatchObject({ target: '', status: 'no_target' });
  });

  it('the report has the 19 seed rows in order and the others after', async () => {
    const r = await indicatorReport(ctx, county, { quarter: '2026Q1' }, reg);
    expect(r.period).toBe('2026-03');
    expect(r.rows.map((x) => x.seedRow)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(r.rows[3]!.key).toBe('cov80');
    expect(r.rows[1]!.reason).not.toBeNull();
    expect(r.others.map((x) => x.key)).toEqual(['count80', 'bedsPer100', 'handledInTime']);
  });

  it('the report sums a flow indicator over the quarter’s months and takes a stock one from its last month', async () => {
    const v = villagesOf(towns[0]!)[2]!.code;
    const cases = (month: string, inTime: number, late: number) => {
      for (let i = 0; i < inTime + late; i++) model.cases.push({ region: v, month, inTime: i < inTime });
    };
    cases('2026-07', 9, 1);
    cases('2026-08', 10, 10);
    cases('2026-09', 1, 0);
    // July computed with one facility; August and September (computed by the report) with a second one
    await refreshIndicators(ctx, { period: '2026-07', now: at('2026-11-20'), registry: reg });
    model.facilities.push({ region: v, beds: 100, nursing: 25 });
    const r = await indicatorReport(ctx, county, { quarter: '2026Q3' }, reg, at('2026-11-20'));
    expect(r.months).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(r.running).toBe(false);
    expect(r.period).toBe('2026-09');
    const handled = r.others.find((x) => x.key === 'handledInTime')!;
    expect([handled.numerator, handled.denominator, handled.value]).toEqual([20, 31, 64.5]);
    const share = r.rows.find((x) => x.key === 'nursingShare')!;
    expect([share.numerator, share.denominator, share.value]).toEqual([103, 204, 50.5]);
    // the running quarter: the months so far, the stock as of today
    cases('2026-10', 3, 1);
    cases('2026-11', 0, 4);
    const q4 = await indicatorReport(ctx, county, { quarter: '2026Q4' }, reg, at('2026-11-20'));
    expect(q4.months).toEqual(['2026-10', '2026-11']);
    expect(q4.running).toBe(true);
    expect(q4.period).toBe('2026-11');
    const h4 = q4.others.find((x) => x.key === 'handledInTime')!;
    expect([h4.numerator, h4.denominator]).toEqual([3, 8]);
  });

  it('an aggregate’s tabs list what they say: the numerator only what counts, the gap only what does not, the denominator all', async () => {
    const v = villagesOf(towns[1]!)[3]!.code;
    for (let i = 0; i < 7; i++) model.cases.push({ region: v, month: '2026-05', inTime: i < 4 });
    const part = (p: 'numerator' | 'denominator' | 'gap', page = 1, pageSize = 20) =>
      indicatorMembers(ctx, county, 'handledInTime', { period: '2026-05', part: p, page, pageSize }, reg);
    const num = await part('numerator');
    expect(num.total).toBe(4);
    expect(num.items.map((i) => i.inNumerator)).toEqual([true, true, true, true]);
    const gap = await part('gap');
    expect(gap.total).toBe(3);
    expect(gap.items.map((i) => i.inNumerator)).toEqual([false, false, false]);
    const den = await part('denominator');
    expect(den.total).toBe(7);
    // paged after the filter: the gap's second page of two holds its third case
    const gap2 = await part('gap', 2, 2);
    expect([gap2.total, gap2.items.length, gap2.items[0]!.inNumerator]).toEqual([3, 1, false]);
  });
});
