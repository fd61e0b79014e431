import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { periodBounds } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import type { FacilityBody } from '../facilities/facilities.schema.js';
import { createFacility } from '../facilities/facilities.service.js';
import { type Cell, type Span, pageOfMembers } from '../indicators/contract.js';
import { createProvider, updateProvider } from '../services/providers.js';
import { supervisionAggregates } from './indicator-aggregates.js';
import { computeRatings } from './ratings.js';

const spanOf = (asOf: string): Span => {
  const month = asOf.slice(0, 7);
  const { start, end } = periodBounds(month);
  return { month, from: start, to: end, asOf, yearFrom: `${asOf.slice(0, 4)}-01-01`, planFrom: '2021-01-01' };
};
const sum = (cells: Cell[]) => cells.reduce((t, c) => ({ num: t.num + c.num, den: t.den + c.den }), { num: 0, den: 0 });

describe.each(dialects)('supervision indicator source on %s', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  const ids: Record<string, number> = {};
  const source = supervisionAggregates.find((s) => s.key === 'supervision.creditRated')!;

  const facility = async (name: string, active = true) =>
    (
      await createFacility(ctx, admin, {
        name,
        kind: 'institution',
        ownership: 'private',
        regionCode: '990101101',
        address: '测试路 2 号',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active,
      } satisfies FacilityBody)
    ).id;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    admin = await userScope(ctx, 'admin');
    const county = ctx.regions.counties()[0]!.code;
    ids.f1 = await facility('甲院');
    ids.f2 = await facility('乙院');
    ids.closed = await facility('停业院', false);
    ids.p1 = (await createProvider(ctx, admin, { name: '丙服务社', kind: 'home_service', regionCode: county })).id;
    // rated on 15 January 2025: the three active targets then
    await computeRatings(ctx, admin, '2025-01-15');
    // after it: a new facility (unrated) and a provider that stopped (out of the pools)
    ids.f4 = await facility('丁院');
    ids.p2 = (await createProvider(ctx, admin, { name: '戊服务社', kind: 'home_service', regionCode: county })).id;
    await updateProvider(ctx, admin, ids.p2, { active: false });
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('counts the pools’ targets with a rating computed within the look-back window before asOf', async () => {
    // active targets: 甲, 乙, 丁 and 丙; rated: all but 丁
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2025-06-30')))).toEqual({ num: 3, den: 4 });
    // a rating computed after asOf does not count yet
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2025-01-14')))).toEqual({ num: 0, den: 4 });
    // 365 days on, the rating is out of its window: 2026-01-14 is its last day
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-01-14')))).toEqual({ num: 3, den: 4 });
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-01-15')))).toEqual({ num: 0, den: 4 });
  });

  it('lists the targets with their grade, rated first, the unrated after', async () => {
    const m = pageOfMembers(await source.members(ctx, ctx.db, spanOf('2025-06-30'), ['990101']), { offset: 0, limit: 10 });
    expect(m.total).toBe(4);
    expect(m.items.map((x) => [x.kind, x.id, x.inNumerator])).toEqual([
      // by name in pinyin order: 丙 bing, 甲 jia, 乙 yi
      ['provider', ids.p1, true],
      ['facility', ids.f1, true],
      ['facility', ids.f2, true],
      ['facility', ids.f4, false],
    ]);
    expect(m.items[0]!.detail.zh).toBe('信用等级 A（100 分，2025-01-15 评定）');
    expect(m.items[3]!.detail.zh).toBe('无有效信用评价');
    const town = pageOfMembers(await source.members(ctx, ctx.db, spanOf('2025-06-30'), ['990101101']), { offset: 0, limit: 10 });
    // the providers are registered at the county, not in the town
    expect(town.items.map((x) => x.id)).toEqual([ids.f1, ids.f2, ids.f4]);
  });
});
