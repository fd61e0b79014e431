import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { today } from '../../platform/time.js';
import { createTestContext, userScope, type TestContext } from '../../testing/harness.js';
import { facilityChecks } from '../facilities/checks.js';
import { listFacilities } from '../facilities/directory.js';
import { staffOf, updateStaff } from '../facilities/staff.js';
import { accountByUsername } from '../users/accounts.js';
import { demoLogins, seedDemo } from './seed.js';

/** The demo's public institution sits exactly at the staffing ratio, so one 离职 turns the check to 不达标 (README). */
describe('the demo county’s facilities', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    await seedDemo(ctx, { elders: 300, seed: 19 });
  }, 300_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('has 县社会福利中心 with exactly as many caregivers as its residents require; one leaving fails the check', async () => {
    const f = (await listFacilities(ctx.db, { kinds: ['institution'] })).find((x) => x.name === '县社会福利中心')!;
    const before = (await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing')!;
    expect(before.status).toBe('pass');
    expect(before.values.required).toBeGreaterThan(0);
    expect(before.values.caregiversFte).toBe(before.values.required);
    const admin = await userScope(ctx, 'admin');
    const caregiver = (await staffOf(ctx, admin, f.id)).find((s) => s.role === 'caregiver' && s.current)!;
    const yesterday = new Date(Date.parse(`${today()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await updateStaff(ctx, admin, f.id, caregiver.id, { ...caregiver, endedOn: yesterday });
    expect((await facilityChecks(ctx.db, ctx, f.id)).items.find((c) => c.key === 'staffing')!.status).toBe('fail');
  });

  it('dates its beds from each facility’s opening: none added after its first stay began, some but not all nursing beds new since 2021', async () => {
    const beds = await ctx.db.selectFrom('facility_beds').select(['id', 'facility_id', 'type', 'added_on']).execute();
    const stays = await ctx.db.selectFrom('facility_stays').select(['bed_id', 'since']).execute();
    const first = new Map<number, string>();
    for (const s of stays) if (!first.has(s.bed_id) || s.since < first.get(s.bed_id)!) first.set(s.bed_id, s.since);
    expect(stays.length).toBeGreaterThan(0);
    for (const b of beds)
      if (first.has(b.id)) expect(b.added_on <= first.get(b.id)!, `bed ${b.id} added ${b.added_on}, first stay ${first.get(b.id)}`).toBe(true);
    // the facilities opened over the years, not on the seeding day
    const openings = new Set(beds.map((b) => b.added_on.slice(0, 4)));
    expect(openings.size).toBeGreaterThan(2);
    expect(beds.every((b) => b.added_on >= '2012-01-01' && b.added_on < today())).toBe(true);
    const nursing = beds.filter((b) => b.type === 'nursing');
    const fresh = nursing.filter((b) => b.added_on >= '2021-01-01');
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThan(nursing.length / 2);
    // and their staff started on or after their facility's first bed, never in the future
    const opened = new Map<number, string>();
    for (const b of beds) if (!opened.has(b.facility_id) || b.added_on < opened.get(b.facility_id)!) opened.set(b.facility_id, b.added_on);
    const staff = await ctx.db.selectFrom('facility_staff').select(['facility_id', 'started_on']).execute();
    for (const s of staff) {
      expect(s.started_on <= today()).toBe(true);
      if (opened.has(s.facility_id)) expect(s.started_on >= opened.get(s.facility_id)!, `staff started ${s.started_on}`).toBe(true);
    }
  });

  it('prints all three inspectors among the demo logins at start-up, each an account the demo made', async () => {
    const inspectors = demoLogins().filter((a) => a.role === 'inspector');
    expect(inspectors.map((a) => a.username)).toEqual(['inspector1', 'inspector2', 'inspector3']);
    for (const a of demoLogins()) expect(await accountByUsername(ctx.db, a.username), a.username).toBeTruthy();
  });
});
