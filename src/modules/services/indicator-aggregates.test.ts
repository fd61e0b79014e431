import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, periodBounds, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { type AggregateSource, type Cell, type Span, pageOfMembers } from '../indicators/contract.js';
import { closeBed, openBed } from './beds.js';
import { servicesAggregates } from './indicator-aggregates.js';
import { createPoint, mealCoverage, patchPoint } from './meals.js';
import { createProvider } from './providers.js';

const spanOf = (asOf: string): Span => {
  const month = asOf.slice(0, 7);
  const { start, end } = periodBounds(month);
  return { month, from: start, to: end, asOf, yearFrom: `${asOf.slice(0, 4)}-01-01`, planFrom: '2021-01-01' };
};
const source = (key: string): AggregateSource => {
  const s = servicesAggregates.find((x) => x.key === key);
  if (!s) throw new Error(`no source ${key}`);
  return s;
};
const sum = (cells: Cell[], prefix = '') =>
  cells.filter((c) => c.region.startsWith(prefix)).reduce((t, c) => ({ num: t.num + c.num, den: t.den + c.den }), { num: 0, den: 0 });

describe.each(dialects)('services indicator sources on %s', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let provider: number;
  const now = spanOf(today());
  // the demo tree: street 001's communities, town 101's villages
  const C1 = '990101001001';
  const C2 = '990101001002';
  const C3 = '990101001003';
  const V1 = '990101101200';
  const V2 = '990101101201';
  const V3 = '990101102200';
  let n = 0;

  async function person(region: string) {
    n++;
    const at = nowIso();
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `990101********${String(n).padStart(4, '0')}`,
      name: `床位${n}`,
      sex: 'F',
      birth_date: '1940-01-01',
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: at,
      updated_at: at,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    admin = await userScope(ctx, 'admin');
    provider = (await createProvider(ctx, admin, { name: '家床服务社', kind: 'mixed', regionCode: ctx.regions.counties()[0]!.code })).id;
    // family care beds: one open since 2024 with an adaptation from before the plan; one open
    // from March to June 2024 with a handrail in March; one in another town since 2023 with two items
    await openBed(ctx, admin, {
      personId: await person(V1),
      providerId: provider,
      openedOn: '2024-01-10',
      adaptation: [{ item: '扶手', doneOn: '2020-05-01' }],
    });
    const closing = await openBed(ctx, admin, {
      personId: await person(V1),
      providerId: provider,
      openedOn: '2024-03-01',
      adaptation: [{ item: '扶手', doneOn: '2024-03-05' }],
    });
    await closeBed(ctx, admin, closing.id, { closedOn: '2024-06-30', reason: '入住机构' });
    await openBed(ctx, admin, {
      personId: await person(V3),
      providerId: provider,
      openedOn: '2023-05-01',
      adaptation: [
        { item: '坡道', doneOn: '2023-05-02' },
        { item: '防滑地面', doneOn: '2023-06-01' },
      ],
    });
    // meal points: one in C1 serving C1 and C2; one in V1 serving V1 and V2 (a point serving two
    // villages); one in C3, stopped
    await createPoint(ctx, admin, { providerId: provider, regionCode: C1, name: '新华食堂', kind: 'canteen', serves: [C2] });
    await createPoint(ctx, admin, { providerId: provider, regionCode: V1, name: '桃园助餐点', kind: 'delivery_point', serves: [V2] });
    const stopped = await createPoint(ctx, admin, { providerId: provider, regionCode: C3, name: '文昌助餐点', kind: 'canteen', serves: [] });
    await patchPoint(ctx, admin, stopped.id, { active: false });
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('family care beds: open at asOf, a bed closed on a day no longer open that day, at the bed’s region', async () => {
    const s = source('services.familyCareBeds');
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 2, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2024-04-30')))).toEqual({ num: 3, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2024-06-29')))).toEqual({ num: 3, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2024-06-30')))).toEqual({ num: 2, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2022-12-31')))).toEqual({ num: 0, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2024-04-30')), V1)).toEqual({ num: 2, den: 0 });
    const m = pageOfMembers(await s.members(ctx, ctx.db, spanOf('2024-04-30'), ['990101101']), { offset: 0, limit: 10 });
    // regions with their counts, never the persons
    expect(m.items).toEqual([
      { kind: 'region', id: V1, name: ctx.regions.get(V1)!.name, region: V1, detail: { zh: '家庭养老床位 2 张', en: '2 family care beds' }, inNumerator: true },
    ]);
  });

  it('home modifications: households with an adaptation done since planFrom, each once, a closed bed’s too', async () => {
    const s = source('services.homeModifications');
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 2, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, spanOf('2023-12-31')))).toEqual({ num: 1, den: 0 });
    expect(sum(await s.cells(ctx, ctx.db, { ...now, planFrom: '2024-01-01' }))).toEqual({ num: 1, den: 0 });
  });

  it('meal aid: communities and villages an active point serves, over all of them, agreeing with the coverage page', async () => {
    const communities = ctx.regions.all().filter((r) => r.level === 'village' && r.kind === 'community').length;
    const villages = ctx.regions.all().filter((r) => r.level === 'village' && r.kind === 'village').length;
    const urban = await source('services.mealAidCommunities').cells(ctx, ctx.db, now);
    const rural = await source('services.mealAidVillages').cells(ctx, ctx.db, now);
    expect(sum(urban)).toEqual({ num: 2, den: communities });
    expect(sum(rural)).toEqual({ num: 2, den: villages });
    expect(urban.filter((c) => c.num > 0).map((c) => c.region)).toEqual([C1, C2]);
    const page = await mealCoverage(ctx, admin);
    expect([page.urban.covered, page.urban.communities, page.rural.covered, page.rural.communities]).toEqual([2, communities, 2, villages]);
    // a point counts from the day it was recorded
    expect(sum(await source('services.mealAidVillages').cells(ctx, ctx.db, spanOf('2022-12-31')))).toEqual({ num: 0, den: villages });
    const m = pageOfMembers(await source('services.mealAidVillages').members(ctx, ctx.db, now, ['990101101']), { offset: 0, limit: 3 });
    expect(m.total).toBe(ctx.regions.all().filter((r) => r.kind === 'village' && r.code.startsWith('990101101')).length);
    expect(m.items.map((x) => [x.id, x.inNumerator, x.detail.zh])).toEqual([
      [V2, true, '助餐点：桃园助餐点'],
      [V1, true, '助餐点：桃园助餐点'],
      [expect.any(String), false, '无助餐点服务'],
    ]);
  });

  it('keys every source services.<name>, once', () => {
    const keys = servicesAggregates.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^services\.[a-zA-Z0-9]+$/);
  });
});
