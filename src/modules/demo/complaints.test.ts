import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyScope, createSeededContext, userScope, type TestContext } from '../../testing/harness.js';
import { listComplaints } from '../complaints/handling.js';
import { createFacility } from '../facilities/facilities.service.js';
import { createProvider } from '../services/providers.js';
import { seedDemoComplaints } from './complaints.js';

describe('the demo county’s complaints', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext('sqlite');
    const admin = await userScope(ctx, 'admin');
    const town = ctx.regions.all().find((r) => r.level === 'town')!.code;
    for (let i = 0; i < 3; i++)
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
    await createProvider(ctx, countyScope(ctx), { name: '演示居家服务社', kind: 'home_service', regionCode: town });
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('has fifteen complaints in every state, some substantiated, one overdue and raised, one from the hotline', async () => {
    await seedDemoComplaints(ctx, 7);
    const admin = await userScope(ctx, 'admin');
    const all = await listComplaints(ctx, admin, { page: 1, pageSize: 100 });
    expect(all.total).toBe(15);
    expect(new Set(all.items.map((i) => i.status))).toEqual(new Set(['received', 'assigned', 'investigating', 'replied', 'closed']));
    expect(all.items.filter((i) => i.substantiated === 'yes' || i.substantiated === 'partly').length).toBeGreaterThanOrEqual(3);
    const overdue = all.items.filter((i) => i.daysOverdue > 0);
    expect(overdue.length).toBeGreaterThanOrEqual(1);
    expect(overdue.every((i) => i.escalatedOn !== null)).toBe(true);
    expect(all.items.filter((i) => i.source === 'hotline')).toHaveLength(1);
  });
});
