import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { updateUser } from '../users/users.service.js';
import { addBeds, bedsOf, retireBed } from './beds.js';
import { facilityChecks, failingFacilities, requiredCaregivers } from './checks.js';
import { admitResident, currentResidence, facilityById, freeBeds, listFacilities } from './directory.js';
import type { FacilityBody } from './facilities.schema.js';
import { createFacility, updateFacility } from './facilities.service.js';
import { NANXUN_TIERS, standardsSetting } from './facilities.settings.js';
import { admit, endStay, residentsOf, transfer } from './residents.js';
import { addStaff, staffOf, updateStaff } from './staff.js';

describe('staffing arithmetic (pure)', () => {
  it('sums the tiers then rounds up once by default, or rounds each tier up', () => {
    // 4 fully disabled (4/3), 7 partly (7/6), 16 self-caring (16/15): 1.33 + 1.17 + 1.07 = 3.57 → 4; per tier 2 + 2 + 2 = 6
    expect(requiredCaregivers([4, 7, 16], NANXUN_TIERS, 'sum')).toBe(4);
    expect(requiredCaregivers([4, 7, 16], NANXUN_TIERS, 'per_tier')).toBe(6);
    // exact multiples need no rounding: 3/3 + 6/6 + 15/15 = 3
    expect(requiredCaregivers([3, 6, 15], NANXUN_TIERS, 'sum')).toBe(3);
    expect(requiredCaregivers([0, 0, 0], NANXUN_TIERS, 'sum')).toBe(0);
  });
});

describe.each(dialects)('facilities on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Scope;
  let town1: Scope;
  let town2: Scope;
  let staffA: Scope;
  let village1: string;
  let village2: string;
  let officer: Session;
  let n = 0;

  async function person(region: string, level: string | null = null, hardship = 'none') {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `990101********${String(n).padStart(4, '0')}`,
      name: `住养${n}`,
      sex: 'F',
      birth_date: '1940-01-01',
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship,
      provenance: '{}',
      created_at: now,
      updated_at: now,
      capability_level: level,
      capability_on: level ? '2025-01-01' : null,
      capability_until: level ? '2099-12-31' : null,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  const body = (over: Partial<FacilityBody> = {}): FacilityBody => ({
    name: `测试养老院${randomUUID().slice(0, 6)}`,
    kind: 'institution',
    ownership: 'public',
    regionCode: village1,
    address: '测试镇幸福路 1 号',
    lat: 30.87,
    lng: 120.42,
    grade: '2',
    governmentWork: true,
    providerId: null,
    hardshipHome: true,
    active: true,
    ...over,
  });
  const count = async (table: 'facilities' | 'facility_beds' | 'facility_stays' | 'facility_staff') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    admin = await userScope(ctx, 'admin');
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    village1 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town1.regionPrefix))!.code;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    app = await buildApp(ctx, { serveWeb: false });
    officer = await loginAs(app, 'town1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('creates a facility with its WGS-84 location and shows the GCJ-02 point beside it; an officer of another town does not see it', async () => {
    const f = await createFacility(ctx, town1, body({ name: '幸福院甲' }));
    expect(f).toMatchObject({ name: '幸福院甲', lat: 30.87, lng: 120.42, gradeText: { zh: '二级', en: 'Grade 2' }, beds: 0 });
    // GCJ-02 is offset from WGS-84 by a few hundred metres in eastern China
    expect(f.gcj!.lng).toBeGreaterThan(120.42);
    expect(f.gcj!.lng - 120.42).toBeLessThan(0.01);
    expect(await codeOf(updateFacility(ctx, town2, f.id, body()))).toBe('FACILITY_NOT_FOUND');
    const res = await call(app, officer, { method: 'GET', url: `/api/facilities/${f.id}` });
    expect(res.statusCode).toBe(200);
  });

  it('refuses impossible coordinates and a place outside China, naming the field, and writes nothing', async () => {
    const before = await count('facilities');
    expect(await codeOf(createFacility(ctx, town1, body({ lat: 91 })))).toBe('FACILITY_COORDINATES');
    expect(await codeOf(createFacility(ctx, town1, body({ lat: -90.5 })))).toBe('FACILITY_COORDINATES');
    expect(await codeOf(createFacility(ctx, town1, body({ lng: 181 })))).toBe('FACILITY_COORDINATES');
    expect(await codeOf(createFacility(ctx, town1, body({ lat: 30, lng: null })))).toBe('FACILITY_COORDINATES');
    // latitude and longitude swapped: a possible point, but in the Southern Ocean
    expect(await codeOf(createFacility(ctx, town1, body({ lat: 30.87 - 100, lng: 30.87 })))).toBe('FACILITY_OUTSIDE_CHINA');
    expect(await codeOf(createFacility(ctx, town1, body({ lat: 48.85, lng: 2.35 })))).toBe('FACILITY_OUTSIDE_CHINA');
    const res = await call(app, officer, { method: 'POST', url: '/api/facilities', payload: body({ lat: 95 }), headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('lat = 95');
    expect(await count('facilities')).toBe(before);
  });

  it('refuses a grade that does not belong to the kind', async () => {
    expect(await codeOf(createFacility(ctx, town1, body({ kind: 'institution', grade: '3A' })))).toBe('FACILITY_GRADE');
    expect(await codeOf(createFacility(ctx, town1, body({ kind: 'day_care', grade: '2' })))).toBe('FACILITY_GRADE');
    expect(await codeOf(createFacility(ctx, town1, body({ kind: 'canteen', grade: 'basic' })))).toBe('FACILITY_GRADE');
    const dc = await createFacility(ctx, town1, body({ kind: 'day_care', grade: 'basic', hardshipHome: false }));
    expect(dc.gradeText).toEqual({ zh: '基础级', en: 'Basic' });
    const st = await createFacility(ctx, town1, body({ kind: 'community_station', grade: '3A', hardshipHome: false }));
    expect(st.gradeText?.zh).toBe('3A级');
    const res = await call(app, officer, { method: 'POST', url: '/api/facilities', payload: body({ grade: '6' }) });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toContain('“6”不适用于养老机构');
  });

  it('adds beds in bulk with labels, refusing zero, negative or more than 2000, and never counts below zero', async () => {
    const f = await createFacility(ctx, town1, body());
    const before = await count('facility_beds');
    for (const c of [0, -3, 2001, 1.5]) expect(await codeOf(addBeds(ctx, town1, f.id, { type: 'nursing', count: c, prefix: 'A' }))).toBe('FACILITY_BED_COUNT');
    const res = await call(app, officer, { method: 'POST', url: `/api/facilities/${f.id}/beds`, payload: { type: 'nursing', count: -1, prefix: 'A' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('FACILITY_BED_COUNT');
    expect(await count('facility_beds')).toBe(before);
    const added = await addBeds(ctx, town1, f.id, { type: 'nursing', count: 3, prefix: '101' });
    expect(added.labels).toEqual(['101-1', '101-2', '101-3']);
    expect((await addBeds(ctx, town1, f.id, { type: 'ordinary', count: 2, prefix: '101' })).labels).toEqual(['101-4', '101-5']);
    expect(await facilityById(ctx.db, f.id)).toMatchObject({ beds: 5, nursingBeds: 3, occupied: 0 });
    const beds = await bedsOf(ctx, town1, f.id);
    await retireBed(ctx, town1, f.id, beds[4]!.id, today());
    expect(await facilityById(ctx.db, f.id)).toMatchObject({ beds: 4 });
    expect(await codeOf(retireBed(ctx, town1, f.id, beds[4]!.id, today()))).toBe('FACILITY_BED_NOT_FOUND');
  });

  it('orders beds and residents naturally: A-2 before A-10', async () => {
    const f = await createFacility(ctx, town1, body({ name: '排序院' }));
    await addBeds(ctx, town1, f.id, { type: 'nursing', count: 11, prefix: 'A' });
    const natural = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-7', 'A-8', 'A-9', 'A-10', 'A-11'];
    expect((await freeBeds(ctx.db, f.id)).map((b) => b.label)).toEqual(natural);
    const byLabel = new Map((await freeBeds(ctx.db, f.id)).map((b) => [b.label, b.bedId]));
    for (const label of ['A-10', 'A-2', 'A-1'])
      await admit(ctx, town1, f.id, { personId: await person(village1), bedId: byLabel.get(label)!, on: '2026-01-01' });
    expect((await residentsOf(ctx, town1, f.id)).map((r) => r.bedLabel)).toEqual(['A-1', 'A-2', 'A-10']);
    expect((await bedsOf(ctx, town1, f.id)).map((b) => b.label)).toEqual(natural);
  });

  it('never double-books a bed: in code, in the database, and for two admissions at the same moment', async () => {
    const f = await createFacility(ctx, town1, body());
    await addBeds(ctx, town1, f.id, { type: 'nursing', count: 2, prefix: 'B' });
    const [bed1, bed2] = await freeBeds(ctx.db, f.id);
    const p1 = await person(village1);
    const p2 = await person(village1);
    const p3 = await person(village1);
    await admit(ctx, town1, f.id, { personId: p1, bedId: bed1!.bedId, on: '2026-01-05' });
    expect(await codeOf(admit(ctx, town1, f.id, { personId: p2, bedId: bed1!.bedId, on: '2026-01-06' }))).toBe('FACILITY_BED_TAKEN');
    // the database refuses a second open stay in the bed whatever the code does
    const raw = ctx.db
      .insertInto('facility_stays')
      .values({
        facility_id: f.id,
        bed_id: bed1!.bedId,
        person_id: p2,
        region_code: village1,
        since: '2026-01-06',
        until_date: null,
        began: 'admission',
        source: 'direct',
        application_id: null,
        ended: null,
        note: null,
        created_at: nowIso(),
      })
      .execute();
    await expect(raw).rejects.toThrow();
    // two admissions to the free bed at once: exactly one is admitted, the other told the bed is taken
    const race = await Promise.allSettled([
      ctx.db
        .transaction()
        .execute((trx) => admitResident(trx, town1, { facilityId: f.id, personId: p2, bedId: bed2!.bedId, on: '2026-01-07', source: 'queue' })),
      ctx.db
        .transaction()
        .execute((trx) => admitResident(trx, town1, { facilityId: f.id, personId: p3, bedId: bed2!.bedId, on: '2026-01-07', source: 'direct' })),
    ]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = race.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('FACILITY_BED_TAKEN');
    const open = await ctx.db.selectFrom('facility_stays').select('person_id').where('bed_id', '=', bed2!.bedId).where('until_date', 'is', null).execute();
    expect(open).toHaveLength(1);
    expect(await facilityById(ctx.db, f.id)).toMatchObject({ beds: 2, occupied: 2 });
  });

  it('keeps a person resident in one facility at a time; transfers, discharges and deaths are dated and end the stay', async () => {
    const a = await createFacility(ctx, town1, body());
    const b = await createFacility(ctx, town1, body());
    await addBeds(ctx, town1, a.id, { type: 'nursing', count: 2, prefix: 'C' });
    await addBeds(ctx, town1, b.id, { type: 'nursing', count: 1, prefix: 'D' });
    const p = await person(village1);
    const [bedA1, bedA2] = await freeBeds(ctx.db, a.id);
    const [bedB] = await freeBeds(ctx.db, b.id);
    const { stayId } = await admit(ctx, town1, a.id, { personId: p, bedId: bedA1!.bedId, on: '2026-02-01' });
    expect(await codeOf(admit(ctx, town1, b.id, { personId: p, bedId: bedB!.bedId, on: '2026-02-02' }))).toBe('FACILITY_PERSON_RESIDENT');
    expect(await codeOf(transfer(ctx, town1, a.id, stayId, { facilityId: a.id, bedId: bedA2!.bedId, on: '2026-01-01' }))).toBe('FACILITY_STAY_DATE');
    const moved = await transfer(ctx, town1, a.id, stayId, { facilityId: a.id, bedId: bedA2!.bedId, on: '2026-02-10' });
    // a transfer within the facility keeps the residence's first day
    expect((await currentResidence(ctx.db, [p])).get(p)).toEqual({ facilityId: a.id, since: '2026-02-01' });
    const there = await transfer(ctx, town1, a.id, moved.stayId, { facilityId: b.id, bedId: bedB!.bedId, on: '2026-03-01' });
    expect((await currentResidence(ctx.db, [p])).get(p)).toEqual({ facilityId: b.id, since: '2026-03-01' });
    expect((await freeBeds(ctx.db, a.id)).length).toBe(2);
    await endStay(ctx, town1, b.id, there.stayId, 'death', { on: '2026-03-20' });
    expect((await currentResidence(ctx.db, [p])).has(p)).toBe(false);
    const stays = await ctx.db
      .selectFrom('facility_stays')
      .select(['since', 'until_date', 'began', 'ended'])
      .where('person_id', '=', p)
      .orderBy('id')
      .execute();
    expect(stays).toEqual([
      { since: '2026-02-01', until_date: '2026-02-10', began: 'admission', ended: 'transfer' },
      { since: '2026-02-10', until_date: '2026-03-01', began: 'transfer', ended: 'transfer' },
      { since: '2026-03-01', until_date: '2026-03-20', began: 'transfer', ended: 'death' },
    ]);
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'facilities.%')
      .where('entity_type', '=', 'person')
      .where('entity_id', '=', String(p))
      .execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['facilities.admit', 'facilities.death', 'facilities.transfer', 'facilities.transfer']);
  });

  it('lets an institution’s staff act on their own facility only: another facility’s staff, beds and residents are "not found"', async () => {
    const own = await createFacility(ctx, town1, body({ name: '本院' }));
    const other = await createFacility(ctx, town1, body({ name: '他院' }));
    const u = await ctx.db.selectFrom('users').select('id').where('username', '=', 'institution1').executeTakeFirstOrThrow();
    await updateUser(ctx, countyScope(ctx), u.id, { organisationId: own.id });
    staffA = await userScope(ctx, 'institution1');
    const member = await addStaff(ctx, admin, other.id, {
      name: '他院护理员',
      role: 'caregiver',
      employment: 'full_time',
      fte: 1,
      certificates: [],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    const mine = await addStaff(ctx, staffA, own.id, {
      name: '本院护理员',
      role: 'caregiver',
      employment: 'full_time',
      fte: 1,
      certificates: [],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    expect(mine.facilityId).toBe(own.id);
    // the other facility's member, through the other facility or through their own
    expect(await codeOf(updateStaff(ctx, staffA, other.id, member.id, { ...member, endedOn: today() }))).toBe('FACILITY_NOT_FOUND');
    expect(await codeOf(updateStaff(ctx, staffA, own.id, member.id, { ...member, endedOn: today() }))).toBe('FACILITY_STAFF_NOT_FOUND');
    expect(await codeOf(staffOf(ctx, staffA, other.id))).toBe('FACILITY_NOT_FOUND');
    expect(await codeOf(addBeds(ctx, staffA, other.id, { type: 'nursing', count: 1, prefix: 'X' }))).toBe('FACILITY_NOT_FOUND');
    expect(await codeOf(residentsOf(ctx, staffA, other.id))).toBe('FACILITY_NOT_FOUND');
    // nor may they change the facility itself
    expect(await codeOf(updateFacility(ctx, staffA, own.id, body()))).toBe('FORBIDDEN');
    const session = await loginAs(app, 'institution1');
    const res = await call(app, session, { method: 'GET', url: `/api/facilities/${other.id}/staff` });
    expect(res.statusCode).toBe(404);
    // a read that finds nothing does not claim that nothing was changed
    for (const url of [`/api/facilities/${other.id}`, `/api/facilities/${other.id}/staff`, `/api/facilities/${other.id}/checks`]) {
      const seen = await call(app, session, { method: 'GET', url });
      expect(seen.statusCode).toBe(404);
      expect(seen.json<{ error: { code: string; message: string } }>().error.code).toBe('NOT_FOUND');
      expect(seen.body).not.toContain('nothing was changed');
      expect(seen.body).not.toContain('未做任何更改');
    }
    const list = await call(app, session, { method: 'GET', url: '/api/facilities' });
    expect(list.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toEqual([own.id]);
    // staff may not be given an impossible FTE or end before they start
    expect(await codeOf(addStaff(ctx, staffA, own.id, { ...mine, fte: 0.5 }))).toBe('FACILITY_STAFF_FTE');
    expect(await codeOf(addStaff(ctx, staffA, own.id, { ...mine, employment: 'part_time', fte: 0 }))).toBe('FACILITY_STAFF_FTE');
    expect(await codeOf(addStaff(ctx, staffA, own.id, { ...mine, endedOn: '2024-12-31' }))).toBe('FACILITY_STAFF_DATES');
  });

  it('checks staffing against the residents’ assessed levels, and fails when a caregiver leaves', async () => {
    const f = await createFacility(ctx, town1, body({ name: '配比院' }));
    await addBeds(ctx, town1, f.id, { type: 'nursing', count: 8, prefix: 'E' });
    await addBeds(ctx, town1, f.id, { type: 'ordinary', count: 2, prefix: 'E' });
    const beds = await freeBeds(ctx.db, f.id);
    // 3 fully disabled (3/3 = 1), 4 partly — 重度 counts as partly (4/6), 2 intact (2/15): 1.8 → 2 caregivers; one without an assessment
    const levels = ['complete', 'complete', 'complete', 'severe', 'moderate', 'mild', 'mild', 'intact', null];
    for (const [i, level] of levels.entries())
      await admit(ctx, town1, f.id, { personId: await person(village1, level), bedId: beds[i]!.bedId, on: '2026-01-01' });
    const c1 = await addStaff(ctx, town1, f.id, {
      name: '护理员甲',
      role: 'caregiver',
      employment: 'full_time',
      fte: 1,
      certificates: [{ kind: '养老护理员', level: '四级', expiresOn: '2030-01-01' }],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    await addStaff(ctx, town1, f.id, {
      name: '护理员乙',
      role: 'caregiver',
      employment: 'part_time',
      fte: 0.5,
      certificates: [],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    await addStaff(ctx, town1, f.id, {
      name: '护理员丙',
      role: 'caregiver',
      employment: 'part_time',
      fte: 0.5,
      certificates: [],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    // a nurse does not count as a caregiver by default
    await addStaff(ctx, town1, f.id, {
      name: '护士丁',
      role: 'nurse',
      employment: 'full_time',
      fte: 1,
      certificates: [],
      startedOn: '2025-01-01',
      endedOn: null,
    });
    const pass = (await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing')!;
    expect(pass.status).toBe('pass');
    expect(pass.values).toMatchObject({ residents: 9, required: 2, caregiversFte: 2, unassessed: 1, tier_complete: 3, tier_partial: 4, tier_self: 2 });
    expect(pass.figures.zh).toContain('应配护理员 2 人，实有 2 人');
    await updateStaff(ctx, town1, f.id, c1.id, { ...c1, endedOn: '2025-12-31' });
    const fail = (await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing')!;
    expect(fail.status).toBe('fail');
    expect(fail.figures.en).toContain('2 caregivers required, 1 on the roster');
    // a last working day of today: they work and count today, and the check says they will not from tomorrow
    await updateStaff(ctx, town1, f.id, c1.id, { ...c1, endedOn: today() });
    const leaving = (await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing')!;
    expect(leaving.status).toBe('pass');
    expect(leaving.figures.zh).toContain(`1 人已办离职（最后工作日 ${today()}）`);
    expect(leaving.figures.zh).toContain('此后实有 1 人，将不达标');
    expect(leaving.figures.en).toContain(`last working day ${today()}`);
    expect(leaving.rule.en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(standardsSetting.description.en).not.toMatch(/[\u4e00-\u9fff]/);
    await updateStaff(ctx, town1, f.id, c1.id, { ...c1, endedOn: '2025-12-31' });
    // nursing beds 8 of 10 = 80 % ≥ 75 %; social workers: 10 beds need 0.1, none on the roster
    const all = (await facilityChecks(ctx.db, ctx, f.id)).items;
    expect(all.find((c) => c.key === 'nursing_share')).toMatchObject({ status: 'pass', values: { sharePct: 80 } });
    expect(all.find((c) => c.key === 'social_workers')).toMatchObject({ status: 'fail', values: { required: 0.1, socialWorkersFte: 0 } });
    const failing = await failingFacilities(ctx, town1);
    expect(
      failing
        .find((x) => x.facility.id === f.id)
        ?.failing.map((c) => c.key)
        .sort(),
    ).toEqual(['social_workers', 'staffing']);
  });

  it('fails the nursing-bed share below the minimum, and the grade check for a private grade-1 institution doing government work', async () => {
    const f = await createFacility(ctx, town1, body({ ownership: 'private', grade: '1', governmentWork: true, hardshipHome: false }));
    await addBeds(ctx, town1, f.id, { type: 'nursing', count: 7, prefix: 'F' });
    await addBeds(ctx, town1, f.id, { type: 'ordinary', count: 3, prefix: 'F' });
    const items = (await facilityChecks(ctx.db, ctx, f.id)).items;
    expect(items.find((c) => c.key === 'nursing_share')).toMatchObject({ status: 'fail', values: { sharePct: 70, minPct: 75 } });
    expect(items.find((c) => c.key === 'grade')).toMatchObject({ status: 'fail', values: { grade: 1, minGrade: 2 } });
    expect(items.find((c) => c.key === 'staffing')!.status).toBe('not_applicable');
    // dementia beds count as nursing-type: one more makes 8 of 11 = 72.7 %, still short
    await addBeds(ctx, town1, f.id, { type: 'dementia', count: 1, prefix: 'G' });
    expect((await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'nursing_share')!.values.sharePct).toBe(72.7);
    await updateFacility(ctx, town1, f.id, body({ ownership: 'private', grade: '2', governmentWork: true, hardshipHome: false, name: f.name }));
    expect((await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'grade')!.status).toBe('pass');
    // a public institution is not held to it
    const pub = await createFacility(ctx, town1, body({ ownership: 'public', grade: null, governmentWork: true }));
    const pubGrade = (await facilityChecks(ctx.db, ctx, pub.id)).items.find((c) => c.key === 'grade')!;
    expect(pubGrade.status).toBe('not_applicable');
    expect(pubGrade.figures.zh).toBe('公办机构，不适用');
    const noWork = await createFacility(ctx, town1, body({ ownership: 'private', grade: null, governmentWork: false }));
    expect((await facilityChecks(ctx.db, ctx, noWork.id)).items.find((c) => c.key === 'grade')!.figures.zh).toBe('未承担政府购买服务，不适用');
  });

  it('lists facilities for the public without login: names, beds and free beds, no residents', async () => {
    const f = await createFacility(ctx, town2, body({ name: '公开院', regionCode: village2 }));
    await addBeds(ctx, town2, f.id, { type: 'nursing', count: 3, prefix: 'P' });
    const [bed] = await freeBeds(ctx.db, f.id);
    await admit(ctx, town2, f.id, { personId: await person(village2), bedId: bed!.bedId, on: '2026-01-01' });
    const res = await call(app, null, { method: 'GET', url: `/api/facilities/public/map?town=${town2.regionCode}` });
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: number; beds: number; freeBeds: number; name: string }[] }>().items;
    expect(items.find((i) => i.id === f.id)).toMatchObject({ name: '公开院', beds: 3, freeBeds: 2 });
    expect(JSON.stringify(res.json())).not.toContain('住养');
    expect(items.every((i) => i.id !== undefined)).toBe(true);
    const all = await listFacilities(ctx.db, { regionPrefix: town2.regionPrefix });
    expect(all.map((x) => x.id)).toContain(f.id);
  });
});
