import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import { nowIso } from '../../platform/time.js';
import { countyScope, createSeededContext, userScope, type TestContext } from '../../testing/harness.js';
import { queueOf } from '../admission/applications.js';
import { addBeds } from '../facilities/beds.js';
import { freeBeds } from '../facilities/directory.js';
import { createFacility } from '../facilities/facilities.service.js';
import { seedDemoAdmission } from './admission.js';

describe('the demo county’s admission queue', () => {
  let ctx: TestContext;
  let facilityId = 0;
  beforeAll(async () => {
    ctx = await createSeededContext('sqlite');
    const admin = await userScope(ctx, 'admin');
    const town = ctx.regions.all().find((r) => r.level === 'town')!;
    const village = ctx.regions.all().find((r) => r.parent_code === town.code)!;
    facilityId = (
      await createFacility(ctx, admin, {
        name: '演示福利院',
        kind: 'institution',
        ownership: 'public',
        regionCode: town.code,
        address: '演示路',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
      })
    ).id;
    await addBeds(ctx, admin, facilityId, { type: 'ordinary', count: 2, prefix: 'A' });
    // elders of every tier, as the register would hold them
    const kinds: Partial<NewPerson>[] = [
      ...Array.from({ length: 6 }, () => ({ birth_date: '1955-03-01' })),
      ...Array.from({ length: 7 }, () => ({ birth_date: '1940-03-01' })),
      ...Array.from({ length: 3 }, () => ({ birth_date: '1955-03-01', hardship: 'dibao', living_alone: 1 })),
      ...Array.from({ length: 2 }, () => ({ birth_date: '1955-03-01', hardship: 'tekun_dispersed' })),
      { birth_date: '1955-03-01', special_family: 1 },
      { birth_date: '1956-03-01', special_family: 1 },
      { birth_date: '1955-03-01', special_contribution: 1 },
      ...Array.from({ length: 2 }, () => ({ birth_date: '1942-03-01', veteran_category: 'martyr_family' })),
    ] as Partial<NewPerson>[];
    const now = nowIso();
    for (const [i, k] of kinds.entries())
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `demo-${randomUUID()}`,
          id_enc: 'x',
          id_masked: `990101********${String(i).padStart(4, '0')}`,
          name: `演示${i}`,
          sex: 'F',
          birth_date: '1950-01-01',
          region_code: village.code,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: null,
          status: 'active',
          closed_on: null,
          hardship: 'none',
          provenance: '{}',
          created_at: now,
          updated_at: now,
          ...k,
        } as NewPerson)
        .execute();
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('has about twenty applications of every tier, moves with reasons, and one bed offered to the first', async () => {
    await seedDemoAdmission(ctx, countyScope(ctx), 7);
    const q = await queueOf(ctx, countyScope(ctx), { facilityId, bedType: 'ordinary' });
    const nursing = await queueOf(ctx, countyScope(ctx), { facilityId, bedType: 'nursing' });
    expect(q.items.length + nursing.items.length).toBe(21);
    expect(new Set([...q.items, ...nursing.items].map((i) => i.tier))).toEqual(new Set([1, 2, 3, 4, 5, null]));
    expect(q.items.some((i) => i.preferred)).toBe(true);
    expect(q.items[0]).toMatchObject({ tier: 1, status: 'offered', offer: { bedLabel: expect.stringMatching(/^A/) } });
    expect(q.items.filter((i) => i.status === 'offered')).toHaveLength(1);
    // a queue makes sense only when the beds are full: the one bed left is the one on offer
    expect(q.freeBeds).toEqual([]);
    expect((await freeBeds(ctx.db, facilityId)).map((b) => b.label)).toEqual([q.items[0]!.offer!.bedLabel]);
    const residents = await ctx.db
      .selectFrom('facility_stays')
      .select('person_id')
      .where('facility_id', '=', facilityId)
      .where('until_date', 'is', null)
      .execute();
    const applicants = new Set([...q.items, ...nursing.items].map((i) => i.personId));
    expect(residents.length).toBe(1);
    expect(residents.some((r) => applicants.has(r.person_id))).toBe(false);
    const moves = await ctx.db.selectFrom('admission_position_changes').select('reason_zh').where('cause', '=', 'arrived').execute();
    expect(moves.length).toBeGreaterThan(5);
    expect(moves.map((m) => m.reason_zh)).toContain('一位更高优先级的申请人加入，您后移1位');
  });
});
