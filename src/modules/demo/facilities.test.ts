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

  it('prints all three inspectors among the demo logins at start-up, each an account the demo made', async () => {
    const inspectors = demoLogins().filter((a) => a.role === 'inspector');
    expect(inspectors.map((a) => a.username)).toEqual(['inspector1', 'inspector2', 'inspector3']);
    for (const a of demoLogins()) expect(await accountByUsername(ctx.db, a.username), a.username).toBeTruthy();
  });
});
