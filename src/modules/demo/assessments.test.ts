import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCapability } from '../assessment/capability.js';
import { coverage } from '../assessment/coverage.js';
import { listAssessments } from '../assessment/assessments.service.js';
import { ageOn, today } from '../../platform/time.js';
import { countyScope, createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { seedDemo } from './seed.js';

/** The demo county's assessments: coverage not empty, levels on the register's rows, work in progress for assessor1. */
describe.each(dialects)('demo capability assessments (%s)', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 600, seed: 14 });
  });
  afterAll(async () => ctx?.cleanup());

  it('about seven in ten 80+ elders have a reviewed assessment; the register row agrees with the one function', async () => {
    const rows = await ctx.db
      .selectFrom('persons')
      .select(['id', 'birth_date', 'capability_level', 'capability_assessment_id'])
      .where('status', '=', 'active')
      .execute();
    const older = rows.filter((r) => ageOn(r.birth_date, today()) >= 80);
    const assessed = older.filter((r) => r.capability_level !== null);
    expect(assessed.length / older.length).toBeGreaterThan(0.5);
    expect(assessed.length / older.length).toBeLessThan(0.9);
    for (const r of assessed.slice(0, 20)) {
      const c = await currentCapability(ctx.db, r.id, '1900-01-01');
      expect(c?.assessmentId).toBe(r.capability_assessment_id);
      expect(c?.level).toBe(r.capability_level);
    }
  });

  it('coverage counts the valid ones only: some have lapsed', async () => {
    const c = await coverage(ctx, countyScope(ctx), {} as never);
    expect(c.region.older).toBeGreaterThan(0);
    expect(c.region.covered).toBeGreaterThan(0);
    expect(c.region.covered).toBeLessThan(c.region.older);
  });

  it('assessor1 has a draft, one waiting for the co-signature and one for review', async () => {
    const scope = await userScope(ctx, 'assessor1');
    const mine = await listAssessments(ctx, scope, { page: 1, pageSize: 50, filter: 'mine' });
    const open = mine.items.filter((a) => a.status !== 'reviewed');
    expect(open.map((a) => a.status).sort()).toEqual(['draft', 'submitted', 'submitted']);
    expect(open.filter((a) => a.cosigned)).toHaveLength(1);
  });
});
