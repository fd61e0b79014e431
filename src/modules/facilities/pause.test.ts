import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { seedDemo } from '../demo/seed.js';
import { startRun } from '../entitlements/runs.service.js';
import { facilityChecks } from './checks.js';
import { freeBeds, listFacilities } from './directory.js';
import { addBeds } from './beds.js';
import { createFacility } from './facilities.service.js';
import { DEFAULT_INSTITUTION_PAUSE } from './facilities.settings.js';
import { admit, endStay } from './residents.js';

/**
 * An institution stay pauses the person's home-based items (seed 002 item 15's note: 集中供养 …
 * 不另发居家养老服务补贴): the next entitlement run puts their line of such an item on the roll as
 * paused ('institution'), other items (the high-age allowance) paid as before; the discharge lifts
 * the pause without back-pay.
 */
const THIS_MONTH = today().slice(0, 7);

describe.each(dialects)('an institution stay pauses home-based items (%s)', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  let personId: number;
  let item: string;

  const run = async (period: string) => {
    const { done } = await startRun(ctx, admin, period);
    await done;
  };
  const lineOf = async (period: string, person: number, itemId: string) =>
    ctx.db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select(['roll_lines.excluded', 'roll_lines.pause', 'roll_lines.amount_fen', 'roll_lines.standard_fen', 'payment_rolls.run_id'])
      .where('payment_rolls.period', '=', period)
      .where('payment_rolls.kind', '=', 'regular')
      .where('payment_rolls.item_id', '=', itemId)
      .where('roll_lines.person_id', '=', person)
      .orderBy('payment_rolls.run_id', 'desc')
      .executeTakeFirst();

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 300, seed: 19 });
    admin = await userScope(ctx, 'admin');
    await run(THIS_MONTH);
    // someone paid a home-based item this month (on a live roll, not paused)
    const line = await ctx.db
      .selectFrom('roll_lines')
      .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
      .select(['roll_lines.person_id', 'payment_rolls.item_id'])
      .where('payment_rolls.period', '=', THIS_MONTH)
      .where('payment_rolls.kind', '=', 'regular')
      .where('payment_rolls.item_id', 'in', DEFAULT_INSTITUTION_PAUSE.items)
      .where('roll_lines.excluded', '=', 0)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('facility_stays')
              .select('facility_stays.id')
              .whereRef('facility_stays.person_id', '=', 'roll_lines.person_id')
              .where('facility_stays.until_date', 'is', null),
          ),
        ),
      )
      .orderBy('roll_lines.person_id')
      .executeTakeFirstOrThrow();
    personId = line.person_id;
    item = line.item_id;
  }, 600_000);
  afterAll(async () => ctx?.cleanup());

  it('pauses the line of the next run from the month of admission, keeps other items paid, and lifts the pause on discharge without back-pay', async () => {
    const before = await lineOf(THIS_MONTH, personId, item);
    expect(before).toMatchObject({ excluded: 0, pause: null });
    const highAge = await lineOf(THIS_MONTH, personId, 'nx-10');
    const [region] = await ctx.db.selectFrom('persons').select('region_code').where('id', '=', personId).execute();
    const f = await createFacility(ctx, admin, {
      name: '暂停测试养老院',
      kind: 'institution',
      ownership: 'public',
      regionCode: ctx.regions.town(region!.region_code)!.code,
      address: '测试路 9 号',
      lat: null,
      lng: null,
      grade: null,
      governmentWork: false,
      providerId: null,
      hardshipHome: true,
      active: true,
    });
    await addBeds(ctx, admin, f.id, { type: 'nursing', count: 1, prefix: 'Z' });
    const [bed] = await freeBeds(ctx.db, f.id);
    // admitted on the first of the month: the whole month is in the institution
    const { stayId } = await admit(ctx, admin, f.id, { personId, bedId: bed!.bedId, on: `${THIS_MONTH}-01` });
    const pause = await ctx.db
      .selectFrom('payment_pauses')
      .selectAll()
      .where('person_id', '=', personId)
      .where('reason', '=', 'institution')
      .executeTakeFirstOrThrow();
    expect(pause).toMatchObject({ since: THIS_MONTH, lifted_at: null });
    expect(JSON.parse(pause.items!)).toEqual([...DEFAULT_INSTITUTION_PAUSE.items].sort());

    await run(THIS_MONTH);
    const after = await lineOf(THIS_MONTH, personId, item);
    expect(after!.run_id).toBeGreaterThan(before!.run_id);
    expect(after).toMatchObject({ excluded: 1, pause: 'institution', amount_fen: 0 });
    expect(after!.standard_fen).toBeGreaterThan(0);
    // the high-age allowance is not a home-based item: paid as before
    if (highAge) expect(await lineOf(THIS_MONTH, personId, 'nx-10')).toMatchObject({ excluded: highAge.excluded, pause: highAge.pause });

    await endStay(ctx, admin, f.id, stayId, 'discharge', { on: `${THIS_MONTH}-20` });
    const lifted = await ctx.db.selectFrom('payment_pauses').selectAll().where('id', '=', pause.id).executeTakeFirstOrThrow();
    expect(lifted.lifted_at).not.toBeNull();
    expect(lifted.backpay).toBe(0);
  });

  it('seeds the demo county’s facilities: institution1 staffs the public institution, the private 一级 institution doing government work fails the grade check, residents are admitted with pauses', async () => {
    const all = await listFacilities(ctx.db, {});
    const kinds = new Set(all.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['canteen', 'community_station', 'day_care', 'institution', 'regional_centre']);
    const staff = await userScope(ctx, 'institution1');
    const own = all.find((f) => f.id === staff.organisationId)!;
    expect(own).toMatchObject({ kind: 'institution', ownership: 'public' });
    expect(own.occupied).toBeGreaterThan(10);
    expect(all.some((f) => f.kind === 'institution' && f.ownership === 'public_private')).toBe(true);
    const weak = all.find((f) => f.kind === 'institution' && f.ownership === 'private' && f.grade === '1' && f.governmentWork)!;
    expect((await facilityChecks(ctx.db, ctx, weak.id)).items.find((c) => c.key === 'grade')!.status).toBe('fail');
    const pauses = await ctx.db.selectFrom('payment_pauses').select('person_id').where('reason', '=', 'institution').where('lifted_at', 'is', null).execute();
    expect(pauses.length).toBeGreaterThanOrEqual(own.occupied);
  });
});
