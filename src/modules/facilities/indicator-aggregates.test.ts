import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { periodBounds, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { type AggregateSource, type Cell, type Span, pageOfMembers } from '../indicators/contract.js';
import { addCertificate, createCaregiver, createProvider, updateCaregiver } from '../services/providers.js';
import { addBeds, bedsOf, retireBed } from './beds.js';
import type { FacilityBody, StaffBody } from './facilities.schema.js';
import { createFacility } from './facilities.service.js';
import { facilitiesAggregates } from './indicator-aggregates.js';
import { addStaff } from './staff.js';

const spanOf = (asOf: string): Span => {
  const month = asOf.slice(0, 7);
  const { start, end } = periodBounds(month);
  return { month, from: start, to: end, asOf, yearFrom: `${asOf.slice(0, 4)}-01-01`, planFrom: '2021-01-01' };
};
const source = (key: string): AggregateSource => {
  const s = facilitiesAggregates.find((x) => x.key === key);
  if (!s) throw new Error(`no source ${key}`);
  return s;
};
const sum = (cells: Cell[], prefix = '') =>
  cells.filter((c) => c.region.startsWith(prefix)).reduce((t, c) => ({ num: t.num + c.num, den: t.den + c.den }), { num: 0, den: 0 });

describe.each(dialects)('facilities indicator sources on %s', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  const now = spanOf(today());
  const past = spanOf('2022-12-31');
  // the demo tree: streets 001 (城关街道) and 002 (溪东街道), rural towns 101…107
  const STREET1 = '990101001';
  const STREET2 = '990101002';
  const TOWN1 = '990101101';
  const TOWN2 = '990101102';
  const ids: Record<string, number> = {};

  const facility = async (over: Partial<FacilityBody>) =>
    (
      await createFacility(ctx, admin, {
        name: 'x',
        kind: 'institution',
        ownership: 'public',
        regionCode: TOWN1,
        address: '测试路 1 号',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
        ...over,
      })
    ).id;
  const beds = (id: number, type: 'ordinary' | 'nursing' | 'dementia', count: number, on: string, prefix = type) =>
    addBeds(ctx, admin, id, { type, count, prefix }, on);
  const member = (id: number, over: Partial<StaffBody>) =>
    addStaff(ctx, admin, id, {
      name: '工作人员',
      role: 'caregiver',
      employment: 'full_time',
      fte: 1,
      certificates: [],
      startedOn: '2020-01-01',
      endedOn: null,
      ...over,
    });
  const cert = (expiresOn: string | null) => [{ kind: '养老护理员', level: '四级', expiresOn }];

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    admin = await userScope(ctx, 'admin');
    // A: an urban institution, graded, not a hardship home
    ids.A = await facility({ name: '甲城区养老院', regionCode: `${STREET1}001`, grade: '2' });
    await beds(ids.A, 'nursing', 30, '2020-06-01');
    await beds(ids.A, 'dementia', 10, '2022-01-01');
    await beds(ids.A, 'ordinary', 20, '2021-01-01');
    const ordinary = (await bedsOf(ctx, admin, ids.A)).filter((b) => b.type === 'ordinary');
    for (const b of ordinary.slice(0, 2)) await retireBed(ctx, admin, ids.A, b.id, '2024-01-01');
    // B: a rural hardship home with nursing beds (one retired in 2023)
    ids.B = await facility({ name: '乙镇敬老院', regionCode: `${TOWN1}200`, hardshipHome: true });
    await beds(ids.B, 'nursing', 7, '2022-05-01');
    await beds(ids.B, 'ordinary', 4, '2022-05-01');
    const nursingB = (await bedsOf(ctx, admin, ids.B)).find((b) => b.type === 'nursing')!;
    await retireBed(ctx, admin, ids.B, nursingB.id, '2023-01-01');
    // C: a rural hardship home with ordinary beds only, added in 2023
    ids.C = await facility({ name: '丙乡敬老院', regionCode: `${TOWN2}200`, hardshipHome: true });
    await beds(ids.C, 'ordinary', 5, '2023-03-01');
    // D: closed — its beds and staff count nowhere
    ids.D = await facility({ name: '丁停业养老院', regionCode: `${TOWN1}201`, grade: '3', hardshipHome: true, active: false });
    await beds(ids.D, 'nursing', 100, '2022-01-01');
    await member(ids.D, { startedOn: '2022-01-01', certificates: cert(null) });
    // regional centres: one in street 1, one in rural town 1, a closed one in street 2
    ids.centre1 = await facility({ name: '城关综合养老服务中心', kind: 'regional_centre', regionCode: `${STREET1}002` });
    ids.centre2 = await facility({ name: '东湖区域性养老服务中心', kind: 'regional_centre', regionCode: TOWN1 });
    ids.centre3 = await facility({ name: '溪东中心（停用）', kind: 'regional_centre', regionCode: STREET2, active: false });

    // A's roster
    await member(ids.A, { name: '护一', startedOn: '2020-01-01', certificates: cert('2030-12-31') });
    await member(ids.A, { name: '护二', startedOn: '2022-03-01', certificates: cert('2024-06-30') });
    await member(ids.A, { name: '护三', startedOn: '2023-01-01' });
    await member(ids.A, { name: '护四', startedOn: '2021-06-01', endedOn: '2024-01-01', certificates: cert(null) });
    await member(ids.A, { name: '社工一', role: 'social_worker', employment: 'part_time', fte: 0.5, startedOn: '2019-01-01' });
    await member(ids.A, { name: '社工旧', role: 'social_worker', startedOn: '2015-01-01', endedOn: '2020-01-01' });
    await member(ids.A, { name: '护士', role: 'nurse', startedOn: '2024-02-01', certificates: [{ kind: '护士执业证书', level: null, expiresOn: null }] });
    await member(ids.B, { name: '社工二', role: 'social_worker', startedOn: '2022-02-01' });

    // a provider's caregivers
    const j = ctx.regions.counties()[0]!;
    const p = await createProvider(ctx, admin, { name: '居家服务甲', kind: 'home_service', regionCode: j.code });
    ids.provider = p.id;
    const cg = async (name: string) => (await createCaregiver(ctx, admin, { providerId: p.id, name, skillLevel: 3 })).id;
    const certify = (id: number, kind: 'caregiver' | 'first_aid', issuedOn: string, expiresOn: string | null) =>
      addCertificate(ctx, admin, id, { kind, number: `N-${id}-${issuedOn}`, issuedOn, expiresOn });
    const c1 = await cg('老护工'); // certified since 2019: certified, not new
    await certify(c1, 'caregiver', '2019-05-01', null);
    await certify(c1, 'caregiver', '2022-05-01', null);
    const c2 = await cg('新护工'); // first certified 2023, expired since: new, not certified now
    await certify(c2, 'caregiver', '2023-05-01', '2023-12-31');
    await cg('无证护工');
    const c4 = await cg('急救员'); // a first-aid certificate is not a skills certificate
    await certify(c4, 'first_aid', '2022-01-01', null);
    const c5 = await cg('离职护工'); // certified 2022, left: new, not certified now
    await certify(c5, 'caregiver', '2022-02-01', null);
    await updateCaregiver(ctx, admin, c5, { active: false });
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('nursing-bed share: nursing and dementia beds in service over all beds in service, in institutions in service, dated by the beds', async () => {
    const s = source('facilities.nursingBedShare');
    // A 40/58 (two ordinary retired in 2024), B 6/10, C 0/5; D closed; centres are not institutions
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 46, den: 73 });
    // end of 2022: A 40/60, B 7/11 (its retired nursing bed still in service), C's beds not yet added
    expect(sum(await s.cells(ctx, ctx.db, past))).toEqual({ num: 47, den: 71 });
    expect(sum(await s.cells(ctx, ctx.db, now), TOWN1)).toEqual({ num: 6, den: 10 });
    const m = pageOfMembers(await s.members(ctx, ctx.db, now, [TOWN1, TOWN2]), { offset: 0, limit: 10 });
    expect(m.total).toBe(2);
    expect(m.items.map((x) => [x.id, x.inNumerator, x.detail.zh])).toEqual([
      [ids.B, true, '护理型床位 6 / 10 张'],
      [ids.C, false, '护理型床位 0 / 5 张'],
    ]);
    const page2 = pageOfMembers(await s.members(ctx, ctx.db, now, [TOWN1, TOWN2]), { offset: 1, limit: 1 });
    expect([page2.total, page2.items.map((x) => x.id)]).toEqual([2, [ids.C]]);
  });

  it('rural hardship homes: the nursing share of hardship homes in rural towns only', async () => {
    expect(sum(await source('facilities.ruralNursingShare').cells(ctx, ctx.db, now))).toEqual({ num: 6, den: 15 });
  });

  it('graded institutions: institutions in service holding 一级…五级 over institutions in service', async () => {
    const s = source('facilities.ratedInstitutions');
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 1, den: 3 });
    const m = pageOfMembers(await s.members(ctx, ctx.db, now, ['99']), { offset: 0, limit: 10 });
    expect(m.items[0]).toMatchObject({ id: ids.A, inNumerator: true, detail: { zh: '已评定二级' } });
    expect(m.items.slice(1).map((x) => x.inNumerator)).toEqual([false, false]);
  });

  it('new beds since planFrom: dementia beds, and nursing-type beds in service that were added since', async () => {
    expect(sum(await source('facilities.dementiaBeds').cells(ctx, ctx.db, now))).toEqual({ num: 10, den: 0 });
    // A's dementia 10 (its 30 nursing beds date from 2020) + B's 6 nursing left in service
    expect(sum(await source('facilities.newNursingBeds').cells(ctx, ctx.db, now))).toEqual({ num: 16, den: 0 });
    expect(sum(await source('facilities.newNursingBeds').cells(ctx, ctx.db, past))).toEqual({ num: 17, den: 0 });
    expect(sum(await source('facilities.dementiaBeds').cells(ctx, ctx.db, spanOf('2021-12-31')))).toEqual({ num: 0, den: 0 });
    const m = pageOfMembers(await source('facilities.dementiaBeds').members(ctx, ctx.db, now, ['99']), { offset: 0, limit: 10 });
    expect(m.items.map((x) => x.id)).toEqual([ids.A]);
  });

  it('hardship homes able to care for the disabled: those with nursing-type beds, the others listed as not counted', async () => {
    const s = source('facilities.tekunCareInstitutions');
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 1, den: 0 });
    const m = pageOfMembers(await s.members(ctx, ctx.db, now, ['99']), { offset: 0, limit: 10 });
    expect(m.items.map((x) => [x.id, x.inNumerator])).toEqual([
      [ids.B, true],
      [ids.C, false],
    ]);
  });

  it('street centres: streets with a regional centre in service, at the street; rural centres counted in rural towns', async () => {
    const s = source('facilities.streetCentres');
    const cells = await s.cells(ctx, ctx.db, now);
    expect(cells.sort((a, b) => a.region.localeCompare(b.region))).toEqual([
      { region: STREET1, num: 1, den: 1 },
      { region: STREET2, num: 0, den: 1 },
    ]);
    const m = pageOfMembers(await s.members(ctx, ctx.db, now, ['990101']), { offset: 0, limit: 10 });
    expect(m.items.map((x) => [x.id, x.inNumerator, x.detail.zh])).toEqual([
      [STREET1, true, '综合性养老服务中心：城关综合养老服务中心'],
      [STREET2, false, '尚无综合性养老服务中心'],
    ]);
    expect(await source('facilities.ruralCentres').cells(ctx, ctx.db, now)).toEqual([{ region: TOWN1, num: 1, den: 0 }]);
  });

  it('caregivers: newly certified since planFrom, certified on asOf, new jobs — rosters and providers, closed facilities left out', async () => {
    // A: 护二 and 护四 joined since 2021 holding a certificate; the provider: 新护工 and 离职护工 first certified since
    const fresh = await source('facilities.newCertifiedCaregivers').cells(ctx, ctx.db, now);
    expect(sum(fresh)).toEqual({ num: 4, den: 0 });
    expect(sum(fresh, `${STREET1}001`)).toEqual({ num: 2, den: 0 });
    // today: A's 护一 (护二's expired, 护四 left) and the provider's 老护工
    expect(sum(await source('facilities.certifiedCaregivers').cells(ctx, ctx.db, now))).toEqual({ num: 2, den: 0 });
    // end of 2022: A's 护一, 护二, 护四; the provider's 老护工 (新护工 not yet, 离职护工 inactive now)
    expect(sum(await source('facilities.certifiedCaregivers').cells(ctx, ctx.db, past))).toEqual({ num: 4, den: 0 });
    // A: 护二, 护三, 护四, 护士; B: 社工二; the provider's five caregivers, recorded today
    expect(sum(await source('facilities.newJobs').cells(ctx, ctx.db, now))).toEqual({ num: 10, den: 0 });
    const m = pageOfMembers(await source('facilities.newCertifiedCaregivers').members(ctx, ctx.db, now, ['99']), { offset: 0, limit: 10 });
    expect(m.items.map((x) => [x.kind, x.id, x.detail.zh])).toEqual([
      ['facility', ids.A, '2021-01-01 以来新增持证养老护理员 2 人'],
      ['provider', ids.provider, '2021-01-01 以来新增持证养老护理员 2 人'],
    ]);
  });

  it('social workers per 100 beds: social workers working on asOf by FTE over institution beds', async () => {
    const s = source('facilities.socialWorkersPer100Beds');
    expect(sum(await s.cells(ctx, ctx.db, now))).toEqual({ num: 1.5, den: 73 });
    const m = pageOfMembers(await s.members(ctx, ctx.db, now, ['99']), { offset: 0, limit: 10 });
    expect(m.items.map((x) => [x.id, x.inNumerator, x.detail.zh])).toEqual([
      [ids.A, true, '社会工作者 0.5 人 / 床位 58 张'],
      [ids.B, true, '社会工作者 1 人 / 床位 10 张'],
      [ids.C, false, '社会工作者 0 人 / 床位 5 张'],
    ]);
  });

  it('answers inside a refresh’s transaction (reading once, shared by the sources) as outside one', async () => {
    const sorted = (cells: Cell[]) => [...cells].sort((a, b) => a.region.localeCompare(b.region));
    const outside = await Promise.all(facilitiesAggregates.map(async (s) => sorted(await s.cells(ctx, ctx.db, now))));
    const inside = await ctx.db.transaction().execute(async (trx) => {
      const out: Cell[][] = [];
      for (const s of facilitiesAggregates) out.push(sorted(await s.cells(ctx, trx, now)));
      // another month in the same transaction reads its own dates
      expect(sum(await source('facilities.nursingBedShare').cells(ctx, trx, past))).toEqual({ num: 47, den: 71 });
      return out;
    });
    expect(inside).toEqual(outside);
  });

  it('keys every source facilities.<name>, once', () => {
    const keys = facilitiesAggregates.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^facilities\.[a-zA-Z0-9]+$/);
  });
});
