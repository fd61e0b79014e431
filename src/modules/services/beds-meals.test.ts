import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson, RunRow } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { closeBed, listBeds, openBed, patchBed } from './beds.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import { entitledPersons } from './entitled.js';
import { balanceOf } from './entitlements.js';
import { serviceEntitlementsSink } from './entitlement.sink.js';
import { createPoint, listPoints, mealCoverage, mealsDaily, patchPoint, priceMeal, quoteMeal, recordMeal } from './meals.js';
import { DEFAULT_SERVICE_SETTINGS } from './services.settings.js';
import type { BedsReply, BedView, MealView } from './beds-meals.schema.js';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('meal prices (pure)', () => {
  const rules = DEFAULT_SERVICE_SETTINGS.meals;
  it('takes the largest age step met, adds delivery, and for hardship holders frees delivery and adds their discount', () => {
    expect(priceMeal(rules, 65, 'dine_in', false)).toEqual({ priceFen: 1500, discountFen: 300, deliveryFen: 0, paidFen: 1200, rules: ['age_60'] });
    expect(priceMeal(rules, 80, 'delivery', false)).toEqual({ priceFen: 1500, discountFen: 500, deliveryFen: 300, paidFen: 1300, rules: ['age_80'] });
    expect(priceMeal(rules, 79, 'delivery', true)).toEqual({
      priceFen: 1500,
      discountFen: 600,
      deliveryFen: 0,
      paidFen: 900,
      rules: ['age_60', 'free_delivery', 'hardship'],
    });
    expect(priceMeal(rules, 90, 'dine_in', true)).toMatchObject({ discountFen: 800, paidFen: 700, rules: ['age_80', 'hardship'] });
    // a discount never takes the price below zero
    expect(priceMeal({ ...rules, hardshipDiscountFen: 5000 }, 90, 'delivery', true)).toMatchObject({ discountFen: 1500, paidFen: 0 });
  });
});

describe.each(dialects)('family care beds and meal aid on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let town2: Scope;
  let admin: Scope;
  let providerStaff: Scope;
  let village1: string;
  let village2: string;
  let providerA: number;
  let providerB: number;
  let elder80: number;
  let elder65: number;
  let young: number;
  let gone: number;
  let elderTown2: number;
  let officer: Session;
  let n = 0;

  async function person(key: string, region: string, birth: string, status = 'active') {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `测试${key}`,
      sex: 'F',
      birth_date: birth,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status,
      closed_on: status === 'active' ? null : '2026-01-01',
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }
  async function provider(name: string) {
    const j = ctx.regions.counties()[0]!;
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: j.code,
          region_code: j.code,
          kind: 'mixed',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active: 1,
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const count = async (table: 'family_care_beds' | 'meal_servings' | 'meal_points' | 'audit_log') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const year = Number(today().slice(0, 4));
  const born = (age: number) => `${year - age}-01-01`;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    admin = await userScope(ctx, 'admin');
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    providerA = await provider('颐康居家服务中心');
    providerB = await provider('安心养老服务社');
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    providerStaff = await userScope(ctx, 'provider1');
    elder80 = await person('八十', village1, born(81));
    elder65 = await person('六五', village1, born(65));
    young = await person('年轻', village1, born(50));
    gone = await person('已故', village1, born(85), 'deceased');
    elderTown2 = await person('二镇', village2, born(70));
    app = await buildApp(ctx, { serveWeb: false });
    officer = await loginAs(app, 'town1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  describe('family care beds', () => {
    let bed: BedView;

    it('opens a bed through the API and lists it with the target, the town count and this month’s services (audited)', async () => {
      const res = await call(app, officer, {
        method: 'POST',
        url: '/api/services/beds',
        payload: {
          personId: elder80,
          providerId: providerA,
          openedOn: today(),
          adaptation: [{ item: '卫生间扶手', doneOn: today() }],
          devices: [{ kind: '跌倒报警器', serial: 'FD-0001', installedOn: today() }],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      bed = res.json<BedView>();
      expect(bed).toMatchObject({ personId: elder80, personName: '测试八十', providerName: '颐康居家服务中心', status: 'active', servicesThisMonth: 0 });
      expect(bed.devices).toEqual([{ kind: '跌倒报警器', serial: 'FD-0001', installedOn: today() }]);

      // one order of the provider for the person this month counts as a service to the bed
      const item = await ctx.db
        .insertInto('service_items')
        .values({
          jurisdiction: ctx.regions.counties()[0]!.code,
          code: 'clean',
          category: 'clean',
          name_zh: '助洁',
          name_en: 'Cleaning',
          price_fen: 5000,
          standard_minutes: 60,
          active: 1,
          updated_by: 0,
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const order = (status: string, providerId = providerA) => ({
        client_id: randomUUID(),
        provider_id: providerId,
        person_id: elder80,
        region_code: village1,
        item_id: item.id,
        period: today().slice(0, 7),
        scheduled_on: today(),
        ordered_minutes: 60,
        price_fen: 5000,
        entitled_fen: 5000,
        self_paid_fen: 0,
        status,
        created_via: 'officer',
        source_id: null,
        caregiver_id: null,
        check_in_at: null,
        check_in_enc: null,
        check_in_cell: null,
        check_in_accuracy_m: null,
        check_in_distance_m: null,
        check_out_at: null,
        check_out_enc: null,
        check_out_cell: null,
        check_out_accuracy_m: null,
        check_out_distance_m: null,
        items_done: null,
        event_id: null,
        rating: null,
        rating_by: null,
        rated_at: null,
        cancel_reason: null,
        note: null,
        created_by: 0,
        created_at: nowIso(),
        updated_at: nowIso(),
      });
      // counted: the provider's live order; not counted: a cancelled one, and another provider's
      await ctx.db
        .insertInto('service_orders')
        .values([order('checked_out'), order('cancelled'), order('created', providerB)])
        .execute();

      const audits = await count('audit_log');
      const list = await call(app, officer, { method: 'GET', url: '/api/services/beds' });
      expect(list.statusCode, list.body).toBe(200);
      const body = list.json<BedsReply>();
      expect(body.target).toBe(580);
      expect(body.active).toBe(1);
      expect(body.jurisdictionActive).toBe(1);
      expect(body.byTown).toEqual([{ regionCode: town1.regionCode, regionName: ctx.regions.get(town1.regionCode)!.name, active: 1 }]);
      expect(body.page.items.map((b) => [b.id, b.servicesThisMonth])).toEqual([[bed.id, 1]]);
      expect(await count('audit_log')).toBe(audits + 1);
      const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(entry.action).toBe('services.beds_read');
      expect(entry.detail).toContain(String(elder80));
    });

    it('refuses a second active bed for the person, a person out of scope or gone, and future dates — writing nothing', async () => {
      const before = await count('family_care_beds');
      const res = await call(app, officer, {
        method: 'POST',
        url: '/api/services/beds',
        headers: { 'accept-language': 'en' },
        payload: { personId: elder80, providerId: providerB, openedOn: today(), adaptation: [], devices: [] },
      });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('SERVICE_BED_EXISTS');
      expect(res.json<{ error: { message: string } }>().error.message).toContain(`active family care bed (${bed.id}`);
      expect(await codeOf(openBed(ctx, town1, { personId: elderTown2, providerId: providerA, openedOn: today() }))).toBe('NOT_FOUND');
      expect(await codeOf(openBed(ctx, town1, { personId: gone, providerId: providerA, openedOn: today() }))).toBe('SERVICE_BED_PERSON_INACTIVE');
      expect(await codeOf(openBed(ctx, town1, { personId: elder65, providerId: providerA, openedOn: addDays(today(), 1) }))).toBe('SERVICE_BED_DATE_FUTURE');
      expect(
        await codeOf(
          openBed(ctx, town1, {
            personId: elder65,
            providerId: providerA,
            openedOn: today(),
            devices: [{ kind: '烟感', serial: 'S1', installedOn: addDays(today(), 3) }],
          }),
        ),
      ).toBe('SERVICE_BED_DATE_FUTURE');
      expect(await codeOf(openBed(ctx, town1, { personId: elder65, providerId: 999_999, openedOn: today() }))).toBe('SERVICE_PROVIDER_NOT_FOUND');
      // a provider's staff open beds with their own provider only
      expect(await codeOf(openBed(ctx, providerStaff, { personId: elder65, providerId: providerB, openedOn: today() }))).toBe('SERVICE_PROVIDER_NOT_FOUND');
      expect(await count('family_care_beds')).toBe(before);
    });

    it('opens one bed only when two requests for the same person race', async () => {
      const results = await Promise.allSettled([
        openBed(ctx, town1, { personId: elder65, providerId: providerA, openedOn: today() }),
        openBed(ctx, town1, { personId: elder65, providerId: providerA, openedOn: today() }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: string }).code).toBe('SERVICE_BED_EXISTS');
      const rows = await ctx.db.selectFrom('family_care_beds').select('id').where('person_id', '=', elder65).where('status', '=', 'active').execute();
      expect(rows).toHaveLength(1);
    });

    it('keeps adaptation and device changes in the audit log with the before and after', async () => {
      const v = await patchBed(ctx, town1, bed.id, { adaptation: [...bed.adaptation, { item: '防滑地面', doneOn: today() }] });
      expect(v.adaptation.map((a) => a.item)).toEqual(['卫生间扶手', '防滑地面']);
      expect(v.devices).toEqual(bed.devices);
      const entry = await ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'services.bed_update')
        .where('entity_id', '=', String(bed.id))
        .executeTakeFirstOrThrow();
      const detail = JSON.parse(entry.detail ?? '{}') as { before: { adaptation: unknown[] }; after: { adaptation: unknown[] } };
      expect(detail.before.adaptation).toHaveLength(1);
      expect(detail.after.adaptation).toHaveLength(2);
    });

    it('hides beds outside the viewer’s region and provider, as not found', async () => {
      expect((await listBeds(ctx, town2, { page: 1, pageSize: 20 })).page.items).toEqual([]);
      expect((await listBeds(ctx, town2, { page: 1, pageSize: 20 })).jurisdictionActive).toBe(2);
      expect(await codeOf(patchBed(ctx, town2, bed.id, { devices: [] }))).toBe('SERVICE_BED_NOT_FOUND');
      expect(await codeOf(closeBed(ctx, town2, bed.id, { closedOn: today(), reason: 'x' }))).toBe('SERVICE_BED_NOT_FOUND');
      // the provider's staff see their provider's beds only
      const own = await listBeds(ctx, providerStaff, { page: 1, pageSize: 20 });
      expect(own.page.items.every((b) => b.providerId === providerA)).toBe(true);
      expect(own.page.items.map((b) => b.id)).toContain(bed.id);
      const other = (await listBeds(ctx, admin, { page: 1, pageSize: 20, providerId: providerB })).page.items;
      for (const b of other) expect(await codeOf(patchBed(ctx, providerStaff, b.id, { devices: [] }))).toBe('SERVICE_BED_NOT_FOUND');
      // a region filter outside the viewer's region matches nothing
      expect((await listBeds(ctx, town1, { page: 1, pageSize: 20, regionCode: village2 })).page.total).toBe(0);
    });

    it('closes a bed on a date not before its opening, then refuses changes, and the person may have a new bed', async () => {
      expect(await codeOf(closeBed(ctx, town1, bed.id, { closedOn: addDays(bed.openedOn, -1), reason: '迁居' }))).toBe('SERVICE_BED_CLOSE_BEFORE_OPEN');
      const res = await call(app, officer, {
        method: 'POST',
        url: `/api/services/beds/${bed.id}/close`,
        payload: { closedOn: today(), reason: '入住养老机构' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<BedView>()).toMatchObject({ status: 'closed', closedOn: today(), closeReason: '入住养老机构' });
      expect(await codeOf(closeBed(ctx, town1, bed.id, { closedOn: today(), reason: 'again' }))).toBe('SERVICE_BED_CLOSED');
      expect(await codeOf(patchBed(ctx, town1, bed.id, { devices: [] }))).toBe('SERVICE_BED_CLOSED');
      const list = await listBeds(ctx, town1, { page: 1, pageSize: 20, status: 'active' });
      expect(list.page.items.map((b) => b.id)).not.toContain(bed.id);
      const again = await openBed(ctx, town1, { personId: elder80, providerId: providerB, openedOn: today() });
      expect(again.status).toBe('active');
    });
  });

  describe('meal aid', () => {
    let point: number;
    let far: number;

    it('opens meal points in communities or villages of the viewer’s region only', async () => {
      const before = await count('meal_points');
      expect(await codeOf(createPoint(ctx, town1, { providerId: providerA, regionCode: village2, name: 'x', kind: 'canteen', serves: [] }))).toBe(
        'MEAL_POINT_REGION',
      );
      expect(await codeOf(createPoint(ctx, town1, { providerId: providerA, regionCode: town1.regionCode, name: 'x', kind: 'canteen', serves: [] }))).toBe(
        'MEAL_POINT_REGION',
      );
      expect(await codeOf(createPoint(ctx, town1, { providerId: providerA, regionCode: village1, name: 'x', kind: 'canteen', serves: ['999'] }))).toBe(
        'MEAL_POINT_REGION',
      );
      expect(await count('meal_points')).toBe(before);
      const res = await call(app, officer, {
        method: 'POST',
        url: '/api/services/meal-points',
        payload: { providerId: providerA, regionCode: village1, name: '幸福食堂', kind: 'canteen', serves: [] },
      });
      expect(res.statusCode, res.body).toBe(201);
      const p = res.json<{ id: number; serves: { code: string }[] }>();
      expect(p.serves.map((s) => s.code)).toEqual([village1]);
      point = p.id;
      far = (await createPoint(ctx, town2, { providerId: providerB, regionCode: village2, name: '二镇助餐点', kind: 'delivery_point', serves: [] })).id;
      expect((await listPoints(ctx, town1)).items.map((x) => x.id)).toEqual([point]);
      expect((await listPoints(ctx, providerStaff)).items.map((x) => x.id)).toEqual([point]);
    });

    it('prices a meal by age, delivery and the hardship entitlement, shown before saving and recorded the same', async () => {
      const q = await quoteMeal(ctx, town1, { pointId: point, personId: elder80, servedOn: today(), meal: 'lunch', mode: 'delivery' });
      expect(q).toEqual({ priceFen: 1500, discountFen: 500, deliveryFen: 300, paidFen: 1300, rules: ['age_80'], age: 81 });
      // a hardship holder of the month (free delivery item nx-27) pays no delivery and gets the extra discount
      await ctx.db
        .insertInto('service_entitlements')
        .values({
          period: today().slice(0, 7),
          person_id: elder65,
          region_code: village1,
          amount_fen: 5000,
          items: JSON.stringify(['nx-15', 'nx-27']),
          run_id: 1,
        })
        .execute();
      const res = await call(app, officer, {
        method: 'POST',
        url: '/api/services/meals',
        payload: { clientId: randomUUID(), pointId: point, personId: elder65, servedOn: today(), meal: 'lunch', mode: 'delivery' },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json<MealView>()).toMatchObject({
        personName: '测试六五',
        pointName: '幸福食堂',
        priceFen: 1500,
        discountFen: 600,
        deliveryFen: 0,
        paidFen: 900,
        rules: ['age_60', 'free_delivery', 'hardship'],
      });
    });

    it('frees delivery for a person the catalogue grants only the free-delivery item (seed 002 item 27), not for one it does not', async () => {
      const month = today().slice(0, 7);
      const onlyFree = await person('免配送', village1, born(70));
      const neither = await person('无补贴', village1, born(70));
      // the entitlement run's sink, as a finished run hands it the month's decisions
      const run = { id: 9_001, period: month, jurisdiction: ctx.config.catalogue, region_code: ctx.regions.counties()[0]!.code } as unknown as RunRow;
      const sink = await serviceEntitlementsSink(ctx, run, {} as Catalogue);
      await ctx.db.transaction().execute((trx) =>
        sink.batch(trx, [
          { personId: onlyFree, regionCode: village1, outcome: { 'nx-27': 1 } },
          { personId: neither, regionCode: village1, outcome: {} },
        ]),
      );
      const free = await quoteMeal(ctx, town1, { pointId: point, personId: onlyFree, servedOn: today(), meal: 'dinner', mode: 'delivery' });
      expect(free).toMatchObject({ deliveryFen: 0, rules: ['age_60', 'free_delivery', 'hardship'] });
      const pays = await quoteMeal(ctx, town1, { pointId: point, personId: neither, servedOn: today(), meal: 'dinner', mode: 'delivery' });
      expect(pays).toMatchObject({ deliveryFen: 300, rules: ['age_60'] });
      // the free-delivery item buys no home services: nothing to draw on, and not listed as entitled
      expect(await balanceOf(ctx.db, onlyFree, month)).toMatchObject({ amountFen: 0, balanceFen: 0, items: ['nx-27'] });
      expect((await entitledPersons(ctx.db, month, village1)).map((p) => p.personId)).not.toContain(onlyFree);
    });

    it('refuses the under-60s, a second record of the same meal, a delivery outside the point’s area and a future day — writing nothing', async () => {
      const before = await count('meal_servings');
      const body = (personId: number, extra: object = {}) => ({
        clientId: randomUUID(),
        pointId: point,
        personId,
        servedOn: today(),
        meal: 'lunch' as const,
        mode: 'dine_in' as const,
        ...extra,
      });
      const res = await call(app, officer, { method: 'POST', url: '/api/services/meals', payload: body(young), headers: { 'accept-language': 'en' } });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('MEAL_NOT_ELIGIBLE');
      expect(res.json<{ error: { message: string } }>().error.message).toContain('was 50 on');
      expect(await codeOf(recordMeal(ctx, town1, body(elder65)))).toBe('MEAL_ALREADY_SERVED');
      expect(await codeOf(recordMeal(ctx, admin, body(elderTown2, { mode: 'delivery' })))).toBe('MEAL_OUTSIDE_AREA');
      expect(await codeOf(recordMeal(ctx, town1, body(elder80, { servedOn: addDays(today(), 1) })))).toBe('MEAL_DATE_FUTURE');
      expect(await codeOf(recordMeal(ctx, town1, body(gone)))).toBe('SERVICE_BED_PERSON_INACTIVE');
      // another town's point and person are not found
      expect(await codeOf(recordMeal(ctx, town1, body(elder80, { pointId: far })))).toBe('MEAL_POINT_NOT_FOUND');
      expect(await codeOf(recordMeal(ctx, town1, body(elderTown2)))).toBe('NOT_FOUND');
      expect(await count('meal_servings')).toBe(before);
    });

    it('stores a resend with the same clientId once, and a stopped point takes no meals', async () => {
      const clientId = randomUUID();
      const input = { clientId, pointId: point, personId: elder80, servedOn: today(), meal: 'dinner' as const, mode: 'dine_in' as const };
      const before = await count('meal_servings');
      const [a, b] = await Promise.all([recordMeal(ctx, town1, input), recordMeal(ctx, town1, input)]);
      const c = await recordMeal(ctx, town1, input);
      expect(new Set([a.id, b.id, c.id]).size).toBe(1);
      expect(await count('meal_servings')).toBe(before + 1);
      await patchPoint(ctx, town1, point, { active: false });
      expect(await codeOf(recordMeal(ctx, town1, { ...input, clientId: randomUUID(), meal: 'breakfast' }))).toBe('MEAL_POINT_INACTIVE');
      await patchPoint(ctx, town1, point, { active: true });
    });

    it('counts meals per day and point, and the coverage of communities and villages against the targets', async () => {
      const yesterday = addDays(today(), -1);
      await recordMeal(ctx, town1, { clientId: randomUUID(), pointId: point, personId: elder80, servedOn: yesterday, meal: 'lunch', mode: 'delivery' });
      const daily = await mealsDaily(ctx, town1, {});
      expect(daily.to).toBe(today());
      expect(daily.items.map((r) => [r.date, r.pointId, r.dineIn, r.delivery, r.persons, r.paidFen])).toEqual([
        [yesterday, point, 0, 1, 1, 1300],
        [today(), point, 1, 1, 2, 900 + 1000],
      ]);
      expect((await mealsDaily(ctx, town2, {})).items).toEqual([]);
      expect(await codeOf(mealsDaily(ctx, town1, { from: today(), to: yesterday }))).toBe('MEAL_DAILY_RANGE');

      const places = ctx.regions.inScope(town1).filter((r) => r.level === 'village');
      const communities = places.filter((r) => r.kind === 'community').length;
      const villages = places.filter((r) => r.kind === 'village').length;
      const kind = ctx.regions.get(village1)!.kind;
      const cov = await mealCoverage(ctx, town1);
      const urbanCovered = kind === 'community' ? 1 : 0;
      const ruralCovered = kind === 'village' ? 1 : 0;
      expect(cov.urban).toMatchObject({ communities, covered: urbanCovered, targetPercent: 80 });
      expect(cov.rural).toMatchObject({ communities: villages, covered: ruralCovered, targetPercent: 50 });
      expect(kind === 'community' ? cov.urban.percent : cov.rural.percent).toBe(Math.round((1 / (kind === 'community' ? communities : villages)) * 1000) / 10);
      // the county sees both points' places, town by town
      const county = await mealCoverage(ctx, admin);
      expect(county.urban.covered + county.rural.covered).toBe(2);
      expect(county.byTown.find((t) => t.regionCode === town1.regionCode)).toMatchObject({
        urban: { covered: urbanCovered },
        rural: { covered: ruralCovered },
      });
    });

    it('lists the meals recorded through the API, audited', async () => {
      const audits = await count('audit_log');
      const res = await call(app, officer, { method: 'GET', url: `/api/services/meals?servedOn=${today()}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ items: MealView[]; total: number }>();
      expect(body.total).toBe(2);
      expect(new Set(body.items.map((m) => m.personId))).toEqual(new Set([elder65, elder80]));
      expect(await count('audit_log')).toBe(audits + 1);
    });

    it('lets a provider’s staff record meals at their own points for the persons their provider serves only', async () => {
      const input = (personId: number, pointId = point) => ({
        clientId: randomUUID(),
        pointId,
        personId,
        servedOn: today(),
        meal: 'breakfast' as const,
        mode: 'dine_in' as const,
      });
      // elder65's bed is provider A's (the staff's): reached; the elder of town 2 has nothing to do with A: not
      const m = await recordMeal(ctx, providerStaff, input(elder65));
      expect(m).toMatchObject({ personId: elder65, pointId: point, meal: 'breakfast' });
      expect(await codeOf(recordMeal(ctx, providerStaff, input(elderTown2)))).toBe('NOT_FOUND');
      expect(await codeOf(recordMeal(ctx, providerStaff, input(elder65, far)))).toBe('MEAL_POINT_NOT_FOUND');
      // their list shows the meals at their points only
      const own = await call(app, await loginAs(app, 'provider1'), { method: 'GET', url: `/api/services/meals?servedOn=${today()}` });
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json<{ items: MealView[] }>().items.every((x) => x.pointId === point)).toBe(true);
    });
  });
});
