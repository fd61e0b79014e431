import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openContext } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { openSqlite } from '../../db/database.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, previousPeriod, today } from '../../platform/time.js';
import { codeOf, createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { seedDemo } from '../demo/seed.js';
import { startRun } from '../entitlements/runs.service.js';
import { raiseFollowupNow } from '../visits/followups.js';
import { balanceOf, entitlementOf } from './entitlements.js';
import { assignOrder, cancelOrder, listOrders, orderDetail, placeOrder, rateOrder } from './orders.js';
import type { CreateOrderBody, OrderDetail, OrdersReply } from './orders.schema.js';

/**
 * Orders of home services (issue 17): the entitlement runs' sink writes each person's month of
 * government-purchased services; orders draw it down, never below zero (also two at once), the
 * rest self-paid only when the elder agrees; cancelling releases the draw; caregivers come from the
 * order's provider; a visits follow-up becomes an order and is closed by it.
 */
const THIS_MONTH = today().slice(0, 7);
const ON = `${THIS_MONTH}-15` < today() ? today() : `${THIS_MONTH}-15`;

describe.each(dialects)('service orders (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Scope;
  let town1: Scope;
  let provider: Scope;
  /** a holder of nx-15 only (50 yuan) and one of nx-11 (120 yuan) */
  let p50: number;
  let p120: number;
  let other: number;
  let providerA: number;
  let providerB: number;
  let cgA: number;
  let cgA2: number;
  let cgB: number;
  let clean: number; // 50 yuan, 60 min
  let bath: number; // 80 yuan, 60 min

  const run = async (period: string) => {
    const { done } = await startRun(ctx, admin, period);
    await done;
  };
  const latestRun = async (period: string) =>
    (
      await ctx.db
        .selectFrom('entitlement_runs')
        .select('id')
        .where('period', '=', period)
        .where('status', '=', 'finished')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
  const holders = async (runId: number, item: string) =>
    (await ctx.db.selectFrom('decisions').select(['person_id', 'outcome']).where('run_id', '=', runId).execute())
      .filter((d) => item in (JSON.parse(d.outcome) as Record<string, number>))
      .map((d) => d.person_id);
  const count = async (table: 'service_orders' | 'service_order_history') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const body = (over: Partial<CreateOrderBody> = {}): CreateOrderBody => ({
    clientId: randomUUID(),
    providerId: providerA,
    personId: p50,
    itemId: clean,
    scheduledOn: ON,
    selfPaidBeyond: false,
    ...over,
  });

  async function addProvider(name: string, region: string): Promise<number> {
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: ctx.regions.counties()[0]!.code,
          region_code: region,
          kind: 'home_service',
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
  async function addCaregiver(providerId: number, name: string): Promise<number> {
    return (
      await ctx.db
        .insertInto('service_caregivers')
        .values({ provider_id: providerId, user_id: null, name, phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  async function enrol(providerId: number, personId: number): Promise<void> {
    const region = (await ctx.db.selectFrom('persons').select('region_code').where('id', '=', personId).executeTakeFirstOrThrow()).region_code;
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: providerId,
        person_id: personId,
        region_code: region,
        home_enc: ctx.cipher.encrypt(JSON.stringify({ lat: 30.87, lng: 120.42 })),
        home_cell: '30.87,120.42',
        card_hash: null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
  }
  async function addItem(code: string, category: string, priceFen: number, minutes: number): Promise<number> {
    return (
      await ctx.db
        .insertInto('service_items')
        .values({
          jurisdiction: ctx.regions.counties()[0]!.code,
          code,
          category,
          name_zh: code,
          name_en: code,
          price_fen: priceFen,
          standard_minutes: minutes,
          active: 1,
          updated_by: 0,
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 120 });
    await seedDemo(ctx, { elders: 300, seed: 17 });
    admin = await userScope(ctx, 'admin');
    town1 = await userScope(ctx, 'town1');
    const runId = await latestRun(THIS_MONTH);
    const nx11 = new Set(await holders(runId, 'nx-11'));
    const nx15 = await holders(runId, 'nx-15');
    const inTown1 = async (ids: number[]) =>
      ids.length
        ? (
            await ctx.db
              .selectFrom('persons')
              .select('id')
              .where('id', 'in', ids)
              .where('region_code', 'like', `${town1.regionCode}%`)
              .where('status', '=', 'active')
              .orderBy('id')
              .execute()
          ).map((r) => r.id)
        : [];
    // the demo's own orders (demo/services.ts) drew some months: take people with none this month
    const ordered = new Set((await ctx.db.selectFrom('service_orders').select('person_id').where('period', '=', THIS_MONTH).execute()).map((r) => r.person_id));
    p50 = (await inTown1(nx15.filter((id) => !nx11.has(id) && !ordered.has(id))))[0]!;
    p120 = (await inTown1([...nx11].filter((id) => !ordered.has(id))))[0]!;
    const granted = new Set([...nx11, ...nx15]);
    const all = (
      await ctx.db.selectFrom('persons').select('id').where('status', '=', 'active').where('region_code', 'like', `${town1.regionCode}%`).execute()
    ).map((r) => r.id);
    other = all.find((id) => !granted.has(id))!;
    expect([p50, p120, other].every((v) => typeof v === 'number')).toBe(true);

    providerA = await addProvider('示例居家服务中心甲', town1.regionCode);
    providerB = await addProvider('示例居家服务中心乙', town1.regionCode);
    cgA = await addCaregiver(providerA, '护理员甲一');
    cgA2 = await addCaregiver(providerA, '护理员甲二');
    cgB = await addCaregiver(providerB, '护理员乙一');
    for (const p of [p50, p120, other]) await enrol(providerA, p);
    clean = await addItem('test-clean', 'clean', 5_000, 60);
    bath = await addItem('test-bath', 'bath', 8_000, 60);
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    provider = await userScope(ctx, 'provider1');
    app = await buildApp(ctx, { serveWeb: false });
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it("writes each person's month from the run: the largest purchased amount, the items that gave it", async () => {
    const runId = await latestRun(THIS_MONTH);
    const rows = await ctx.db.selectFrom('service_entitlements').selectAll().where('period', '=', THIS_MONTH).execute();
    const expected = new Set([...(await holders(runId, 'nx-11')), ...(await holders(runId, 'nx-15'))]);
    // the free-delivery item alone (nx-27) gives a row of 0 fen naming it (meal aid reads it)
    const freeOnly = new Set((await holders(runId, 'nx-27')).filter((id) => !expected.has(id)));
    expect(rows.length).toBe(expected.size + freeOnly.size);
    expect(new Set(rows.filter((r) => r.amount_fen > 0).map((r) => r.person_id))).toEqual(expected);
    for (const r of rows.filter((x) => freeOnly.has(x.person_id))) expect(r).toMatchObject({ amount_fen: 0, items: '["nx-27"]' });
    expect(rows.every((r) => r.run_id === runId)).toBe(true);
    const of = (id: number) => rows.find((r) => r.person_id === id)!;
    expect(of(p50)).toMatchObject({ amount_fen: 5_000 });
    expect(JSON.parse(of(p50).items)).toContain('nx-15');
    expect(of(p120)).toMatchObject({ amount_fen: 12_000 });
    expect(JSON.parse(of(p120).items)).toContain('nx-11');
    expect(await balanceOf(ctx.db, other, THIS_MONTH)).toEqual({ amountFen: 0, usedFen: 0, balanceFen: 0, items: [] });
  });

  it('replaces the month on a re-run: one row a person, the new run named, someone no longer granted loses it', async () => {
    const before = await ctx.db.selectFrom('service_entitlements').select(['person_id', 'amount_fen']).where('period', '=', THIS_MONTH).execute();
    // a holder of nx-15 only (not p50) leaves 低保: no longer granted the services
    const runId = await latestRun(THIS_MONTH);
    const nx11 = new Set(await holders(runId, 'nx-11'));
    const leaver = (await holders(runId, 'nx-15')).find((id) => id !== p50 && !nx11.has(id))!;
    await ctx.db.updateTable('persons').set({ hardship: 'none' }).where('id', '=', leaver).execute();
    await run(THIS_MONTH);
    const again = await latestRun(THIS_MONTH);
    expect(again).not.toBe(runId);
    const after = await ctx.db.selectFrom('service_entitlements').selectAll().where('period', '=', THIS_MONTH).execute();
    expect(after.every((r) => r.run_id === again)).toBe(true);
    expect(after.length).toBe(before.length - 1);
    expect(after.some((r) => r.person_id === leaver)).toBe(false);
    expect(new Set(after.map((r) => r.person_id)).size).toBe(after.length);
    const amounts = new Map(after.map((r) => [r.person_id, r.amount_fen]));
    for (const b of before) if (b.person_id !== leaver) expect(amounts.get(b.person_id)).toBe(b.amount_fen);
  });

  it('draws the month down: the entitled part first, refused beyond the balance unless the elder pays the rest, nothing written then', async () => {
    const first = await placeOrder(ctx, town1, body());
    expect(first).toMatchObject({ status: 'created', priceFen: 5_000, entitledFen: 5_000, selfPaidFen: 0, createdVia: 'officer', personId: p50 });
    expect(first.history.map((h) => h.action)).toEqual(['created']);
    const orders = await count('service_orders');
    const history = await count('service_order_history');
    expect(await codeOf(placeOrder(ctx, town1, body({ minutes: 30 })))).toBe('ENTITLEMENT_EXCEEDED');
    expect(await count('service_orders')).toBe(orders);
    expect(await count('service_order_history')).toBe(history);
    // 30 minutes of a 60-minute item: half the price, all self-paid
    const beyond = await placeOrder(ctx, town1, body({ minutes: 30, selfPaidBeyond: true }));
    expect(beyond).toMatchObject({ priceFen: 2_500, entitledFen: 0, selfPaidFen: 2_500, orderedMinutes: 30 });
    expect(await balanceOf(ctx.db, p50, THIS_MONTH)).toMatchObject({ amountFen: 5_000, usedFen: 5_000, balanceFen: 0 });
    // partly covered: 120 yuan, bath 80 → 80 entitled; a second bath → 40 entitled, 40 self-paid
    await placeOrder(ctx, town1, body({ personId: p120, itemId: bath }));
    const second = await placeOrder(ctx, town1, body({ personId: p120, itemId: bath, selfPaidBeyond: true }));
    expect(second).toMatchObject({ priceFen: 8_000, entitledFen: 4_000, selfPaidFen: 4_000 });
    // cancelling releases what the order drew
    const cancelled = await cancelOrder(ctx, town1, first.id, { reason: '老人住院' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: '老人住院' });
    expect(await balanceOf(ctx.db, p50, THIS_MONTH)).toMatchObject({ usedFen: 0, balanceFen: 5_000 });
    expect(await codeOf(cancelOrder(ctx, town1, first.id, { reason: '再次' }))).toBe('SERVICE_ORDER_CANCELLED');
    const view = await entitlementOf(ctx, town1, p50, THIS_MONTH);
    expect(view).toMatchObject({ amountFen: 5_000, usedFen: 0, balanceFen: 5_000 });
    expect(view.orders.map((o) => o.status).sort()).toEqual(['cancelled', 'created']);
  });

  it('never overdraws with two orders at once: one drawn, the other refused (or self-paid beyond)', async () => {
    // a holder of 120 yuan with nothing drawn yet this month
    const runId = await latestRun(THIS_MONTH);
    const ordered = new Set((await ctx.db.selectFrom('service_orders').select('person_id').where('period', '=', THIS_MONTH).execute()).map((r) => r.person_id));
    const rich = (await holders(runId, 'nx-11')).filter((id) => !ordered.has(id));
    const target = (
      await ctx.db.selectFrom('persons').select('id').where('id', 'in', rich).where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow()
    ).id;
    await enrol(providerA, target);
    const regionOf = (await ctx.db.selectFrom('persons').select('region_code').where('id', '=', target).executeTakeFirstOrThrow()).region_code;
    const scope = regionOf.startsWith(town1.regionCode) ? town1 : admin;
    const second = dialect === 'sqlite' ? await openContext(loadConfig({ ...ctx.config }), openSqlite(ctx.config.sqlitePath, 16)) : ctx;
    try {
      // two baths of 80 yuan at once against 120 yuan: exactly one fits
      const attempts = await Promise.allSettled([ctx, second].map((c) => placeOrder(c, scope, body({ personId: target, itemId: bath }))));
      const ok = attempts.filter((a) => a.status === 'fulfilled');
      const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => (a.reason as { code?: string }).code);
      expect(ok).toHaveLength(1);
      expect(refused).toEqual(['ENTITLEMENT_EXCEEDED']);
      // both self-paid beyond, four at once: the entitled parts add up to the amount exactly
      await Promise.all([ctx, second, ctx, second].map((c) => placeOrder(c, scope, body({ personId: target, itemId: bath, selfPaidBeyond: true }))));
    } finally {
      if (second !== ctx) await second.handle.close();
    }
    const rows = await ctx.db.selectFrom('service_orders').selectAll().where('person_id', '=', target).where('period', '=', THIS_MONTH).execute();
    expect(rows).toHaveLength(5);
    expect(rows.reduce((s, r) => s + r.entitled_fen, 0)).toBe(12_000);
    expect(rows.every((r) => r.entitled_fen + r.self_paid_fen === r.price_fen && r.entitled_fen >= 0)).toBe(true);
    expect(await balanceOf(ctx.db, target, THIS_MONTH)).toMatchObject({ usedFen: 12_000, balanceFen: 0 });
  });

  it('stores a resend once; refuses a person not enrolled, a date too far ahead, an unknown item', async () => {
    const b = body({ personId: other, selfPaidBeyond: true });
    const one = await placeOrder(ctx, town1, b);
    const orders = await count('service_orders');
    const two = await placeOrder(ctx, town1, b);
    expect(two.id).toBe(one.id);
    expect(await count('service_orders')).toBe(orders);
    expect(await codeOf(placeOrder(ctx, town1, { ...b, itemId: bath }))).toBe('SERVICE_ORDER_CLIENT_ID_REUSED');
    expect(await codeOf(placeOrder(ctx, town1, body({ providerId: providerB, personId: other, selfPaidBeyond: true })))).toBe('SERVICE_NOT_CLIENT');
    expect(await codeOf(placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true, scheduledOn: '2099-01-01' })))).toBe('SERVICE_ORDER_DATE_INVALID');
    expect(await codeOf(placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true, itemId: 999_999 })))).toBe('SERVICE_ORDER_ITEM_UNAVAILABLE');
    // a month whose settlement is closed takes no more orders
    const lastMonth = previousPeriod(THIS_MONTH);
    await ctx.db
      .insertInto('service_settlements')
      .values({
        provider_id: providerA,
        period: lastMonth,
        status: 'closed',
        accepted: 0,
        rejected: 0,
        held: 0,
        payable_fen: 0,
        adjustments_fen: 0,
        statement_sha256: null,
        closed_by: 0,
        closed_at: nowIso(),
      })
      .execute();
    expect(await codeOf(placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true, scheduledOn: `${lastMonth}-10` })))).toBe(
      'SERVICE_ORDER_MONTH_CLOSED',
    );
    expect(await count('service_orders')).toBe(orders);
    // another provider's same month is still open
    await enrol(providerB, other);
    const late = await placeOrder(ctx, town1, body({ providerId: providerB, personId: other, selfPaidBeyond: true, scheduledOn: `${lastMonth}-10` }));
    expect(late).toMatchObject({ period: lastMonth, providerId: providerB });
  });

  it("assigns a caregiver of the order's provider only, before check-in; rates once after check-out", async () => {
    const o = await placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true }));
    expect(await codeOf(assignOrder(ctx, town1, o.id, { caregiverId: cgB }))).toBe('SERVICE_CAREGIVER_OTHER_PROVIDER');
    expect((await orderDetail(ctx, town1, o.id)).status).toBe('created');
    const a = await assignOrder(ctx, town1, o.id, { caregiverId: cgA });
    expect(a).toMatchObject({ status: 'assigned', caregiverId: cgA, caregiverName: '护理员甲一' });
    const b = await assignOrder(ctx, town1, o.id, { caregiverId: cgA2 });
    expect(b.history.map((h) => h.action)).toEqual(['created', 'assigned', 'reassigned']);
    expect(await codeOf(rateOrder(ctx, town1, o.id, { rating: 5, by: 'elder' }))).toBe('SERVICE_ORDER_NOT_RATEABLE');
    // as the caregiver's check-in and check-out leave it (evv.ts)
    await ctx.db.updateTable('service_orders').set({ status: 'checked_in', check_in_at: nowIso() }).where('id', '=', o.id).execute();
    expect(await codeOf(assignOrder(ctx, town1, o.id, { caregiverId: cgA }))).toBe('SERVICE_ORDER_STARTED');
    expect(await codeOf(cancelOrder(ctx, town1, o.id, { reason: '不需要了' }))).toBe('SERVICE_ORDER_STARTED');
    await ctx.db.updateTable('service_orders').set({ status: 'checked_out', check_out_at: nowIso() }).where('id', '=', o.id).execute();
    const rated = await rateOrder(ctx, town1, o.id, { rating: 4, by: 'family', note: '很细心' });
    expect(rated).toMatchObject({ status: 'rated', rating: 4, ratingBy: 'family' });
    expect(await codeOf(rateOrder(ctx, town1, o.id, { rating: 5, by: 'elder' }))).toBe('SERVICE_ORDER_NOT_RATEABLE');
  });

  it("keeps a provider's staff to their own provider's orders and clients", async () => {
    const o = await placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true }));
    expect(await codeOf(placeOrder(ctx, provider, body({ providerId: providerB, personId: other, selfPaidBeyond: true })))).toBe('SERVICE_PROVIDER_NOT_FOUND');
    // the provider's office orders for its own client
    const own = await placeOrder(ctx, provider, body({ personId: other, selfPaidBeyond: true }));
    expect(own).toMatchObject({ createdVia: 'provider', providerId: providerA });
    const mine = await listOrders(ctx, provider, { page: 1, pageSize: 200 });
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((i) => i.providerId === providerA)).toBe(true);
    // someone the provider does not serve: no entitlement to read, no order to place
    const served = new Set([
      ...(await ctx.db.selectFrom('service_clients').select('person_id').where('provider_id', '=', providerA).execute()).map((r) => r.person_id),
      ...(await ctx.db.selectFrom('service_orders').select('person_id').where('provider_id', '=', providerA).execute()).map((r) => r.person_id),
    ]);
    const stranger = (
      await ctx.db
        .selectFrom('persons')
        .select('id')
        .where('status', '=', 'active')
        .where('region_code', 'like', `${town1.regionCode}%`)
        .orderBy('id', 'desc')
        .execute()
    ).find((r) => !served.has(r.id))!.id;
    expect(await codeOf(entitlementOf(ctx, provider, stranger, THIS_MONTH))).toBe('NOT_FOUND');
    expect(await codeOf(placeOrder(ctx, provider, body({ personId: stranger, selfPaidBeyond: true })))).toBe('NOT_FOUND');
    await ctx.db.updateTable('users').set({ organisation_id: providerB }).where('username', '=', 'provider1').execute();
    const providerOfB = await userScope(ctx, 'provider1');
    expect(await codeOf(orderDetail(ctx, providerOfB, o.id))).toBe('SERVICE_ORDER_NOT_FOUND');
    expect(await codeOf(assignOrder(ctx, providerOfB, o.id, { caregiverId: cgB }))).toBe('SERVICE_ORDER_NOT_FOUND');
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
  });

  it('turns a visits home-service follow-up into an order and closes it with the order number', async () => {
    const head = await userScope(ctx, 'town1');
    const f = await raiseFollowupNow(ctx, head, { personId: other, eventId: null, kind: 'home_service', finding: 'living.hygiene', note: '家中卫生较差' });
    const listed = await call(app, await loginAs(app, 'town1'), { method: 'GET', url: '/api/services/followups' });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ items: { id: number }[] }>().items.map((i) => i.id)).toContain(f.id);
    const o = await placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true, followupId: f.id }));
    expect(o.createdVia).toBe('visit_followup');
    const closed = await ctx.db.selectFrom('visit_followups').select(['status', 'resolution']).where('id', '=', f.id).executeTakeFirstOrThrow();
    expect(closed.status).toBe('closed');
    expect(ctx.cipher.decrypt(closed.resolution!)).toBe(`已派服务工单 #${o.id}`);
    // a closed follow-up cannot be answered again
    expect(await codeOf(placeOrder(ctx, town1, body({ personId: other, selfPaidBeyond: true, followupId: f.id })))).toBe('SERVICE_ORDER_FOLLOWUP_INVALID');
  });

  it('answers through the API with audited reads', async () => {
    const s = await loginAs(app, 'town1');
    const created = await call(app, s, { method: 'POST', url: '/api/services/orders', payload: body({ personId: other, selfPaidBeyond: true }) });
    expect(created.statusCode).toBe(201);
    const o = created.json<OrderDetail>();
    const list = await call(app, s, { method: 'GET', url: `/api/services/orders?period=${THIS_MONTH}&personId=${other}` });
    expect(list.statusCode).toBe(200);
    expect(list.json<OrdersReply>().items.map((i) => i.id)).toContain(o.id);
    const ent = await call(app, s, { method: 'GET', url: `/api/services/entitlements/${p120}?period=${THIS_MONTH}` });
    expect(ent.statusCode).toBe(200);
    expect(ent.json()).toMatchObject({ personId: p120, amountFen: 12_000 });
    const audits = await ctx.db
      .selectFrom('audit_log')
      .select(['action'])
      .where('action', 'in', ['services.orders_read', 'services.entitlement_read'])
      .execute();
    expect(new Set(audits.map((a) => a.action))).toEqual(new Set(['services.orders_read', 'services.entitlement_read']));
    const refused = await call(app, s, { method: 'POST', url: '/api/services/orders', payload: body({ personId: p50, minutes: 720 }) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string; message: string } }>().error.code).toBe('ENTITLEMENT_EXCEEDED');
    const detail = await call(app, s, { method: 'GET', url: `/api/services/orders/${o.id}` });
    expect(detail.statusCode).toBe(200);
    expect(detail.json<OrderDetail>()).toMatchObject({ id: o.id, status: 'created', history: [{ action: 'created' }] });
    const assigned = await call(app, s, { method: 'POST', url: `/api/services/orders/${o.id}/assign`, payload: { caregiverId: cgA } });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json<OrderDetail>().caregiverName).toBe('护理员甲一');
    const wrong = await call(app, s, { method: 'POST', url: `/api/services/orders/${o.id}/assign`, payload: { caregiverId: cgB } });
    expect(wrong.statusCode).toBe(400);
    const rate = await call(app, s, { method: 'POST', url: `/api/services/orders/${o.id}/rate`, payload: { rating: 5, by: 'elder' } });
    expect(rate.statusCode).toBe(409);
    const cancelled = await call(app, s, { method: 'POST', url: `/api/services/orders/${o.id}/cancel`, payload: { reason: '家属已安排' } });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json<OrderDetail>().status).toBe('cancelled');
    // another town's officer does not see it
    const town2 = await loginAs(app, 'town2');
    expect((await call(app, town2, { method: 'GET', url: `/api/services/orders/${o.id}` })).statusCode).toBe(404);
  });
});
