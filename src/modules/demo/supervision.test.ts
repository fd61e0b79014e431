import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyRound } from '../../lib/draw.js';
import { createSeededContext, userScope, type TestContext } from '../../testing/harness.js';
import { createFacility } from '../facilities/facilities.service.js';
import { publicResults } from '../supervision/inspections.js';
import { listRatings } from '../supervision/ratings.js';
import { getRound, listRounds } from '../supervision/rounds.js';
import { seedDemoSupervision } from './supervision.js';

describe('the demo county’s supervision', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext('sqlite');
    const admin = await userScope(ctx, 'admin');
    const town = ctx.regions.all().find((r) => r.level === 'town')!.code;
    for (let i = 0; i < 8; i++)
      await createFacility(ctx, admin, {
        name: `演示机构${i}`,
        kind: 'institution',
        ownership: 'public',
        regionCode: town,
        address: '演示路',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
      });
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('has one drawn round that re-runs, published results with one serious finding capped at C, and one round announced and not drawn', async () => {
    await seedDemoSupervision(ctx, 7);
    const rounds = (await listRounds(ctx)).items;
    expect(rounds.map((r) => r.status).sort()).toEqual(['announced', 'drawn']);
    const drawn = await getRound(ctx, rounds.find((r) => r.status === 'drawn')!.id);
    expect((await verifyRound(drawn)).ok).toBe(true);
    const results = (await publicResults(ctx)).items;
    expect(results.length).toBe(drawn.result!.targets.length);
    expect(results.some((r) => r.failed.some((f) => f.severity === 'serious'))).toBe(true);
    const ratings = (await listRatings(ctx, await userScope(ctx, 'admin'))).items;
    expect(ratings.length).toBe(8);
    expect(ratings.some((r) => r.capped && r.grade === 'C')).toBe(true);
  });
});
