import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso, previousPeriod, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import type { OrderDetail } from './orders.schema.js';
import type { SettlementDetail, SettlementHeader } from './settlement.schema.js';

/**
 * Issue 17: corrections never overwrite the original record; late corrections go into the next
 * month as adjustments. An officer corrects a visit's start and end (a phone's wrong clock, a
 * forgotten check-out); the order's own facts stay; the detector and the settlement follow the
 * correction; a closed month stays byte for byte and the difference is paid in the next.
 */
describe.each(dialects)('services order corrections on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let adminS: Session;
  let townS: Session;
  let providerS: Session;
  let adminId: number;
  let county: string;
  let village1: string;
  let providerA: number;
  let itemClean: number;
  let caregiver: number;
  let elder: number;
  const P2 = previousPeriod(today().slice(0, 7));
  const P1 = previousPeriod(P2);
  const day = `${P1}-12`;
  const o = { short: 0, forgotten: 0, assigned: 0 };

  async function order(status: string, inAt: string | null, outAt: string | null) {
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: providerA,
          person_id: elder,
          region_code: village1,
          item_id: itemClean,
          period: P1,
          scheduled_on: day,
          ordered_minutes: 60,
          price_fen: 5_000,
          entitled_fen: 5_000,
          self_paid_fen: 0,
          status,
          created_via: 'officer',
          source_id: null,
          caregiver_id: caregiver,
          check_in_at: inAt,
          check_in_enc: null,
          check_in_cell: inAt ? '30.85,120.40' : null,
          check_in_accuracy_m: inAt ? 10 : null,
          check_in_distance_m: inAt ? 20 : null,
          check_out_at: outAt,
          check_out_enc: null,
          check_out_cell: outAt ? '30.85,120.40' : null,
          check_out_accuracy_m: outAt ? 10 : null,
          check_out_distance_m: outAt ? 20 : null,
          items_done: outAt ? '["clean_home"]' : null,
          event_id: null,
          rating: null,
          rating_by: null,
          rated_at: null,
          cancel_reason: null,
          note: null,
          created_by: adminId,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    const admin = await userScope(ctx, 'admin');
    adminId = admin.userId!;
    county = ctx.regions.counties()[0]!.code;
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    const now = nowIso();
    elder = (
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `hash-correct-${randomUUID()}`,
          id_enc: 'placeholder',
          id_masked: '330503********0001',
          name: '更正老人',
          sex: 'F',
          birth_date: '1940-01-01',
          region_code: village1,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: '138****0001',
          status: 'active',
          closed_on: null,
          hardship: 'none',
          provenance: '{}',
          created_at: now,
          updated_at: now,
        } as NewPerson)
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    providerA = (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name: '安康居家服务中心',
          jurisdiction: county,
          region_code: county,
          kind: 'home_service',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active: 1,
          created_by: adminId,
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    itemClean = (
      await ctx.db
        .insertInto('service_items')
        .values({
          jurisdiction: county,
          code: 'clean_home',
          category: 'clean',
          name_zh: '助洁',
          name_en: 'Home cleaning',
          price_fen: 5_000,
          standard_minutes: 60,
          active: 1,
          updated_by: adminId,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    caregiver = (
      await ctx.db
        .insertInto('service_caregivers')
        .values({ provider_id: providerA, user_id: null, name: '护理员王芳', phone_enc: null, skill_level: 3, active: 1, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await ctx.db
      .insertInto('service_certificates')
      .values({ caregiver_id: caregiver, kind: 'caregiver', number: 'ZJ-1', issued_on: '2020-01-01', expires_on: null, added_by: adminId, added_at: now })
      .execute();
    for (const period of [P1, P2])
      await ctx.db
        .insertInto('service_entitlements')
        .values({ period, person_id: elder, region_code: village1, amount_fen: 1_000_000, items: '["nx-11"]', run_id: 0 })
        .execute();
    // the phone's clock ran 45 minutes slow at check-out: 10 minutes on site of 60 ordered (too_short)
    o.short = await order('checked_out', `${day}T01:00:00.000Z`, `${day}T01:10:00.000Z`);
    // checked in, never checked out (a forgotten check-out)
    o.forgotten = await order('checked_in', `${day}T03:00:00.000Z`, null);
    o.assigned = await order('assigned', null, null);
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();

    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    adminS = await loginAs(app, 'admin');
    townS = await loginAs(app, 'town1');
    providerS = await loginAs(app, 'provider1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const detail = async (period: string) => {
    const res = await call(app, adminS, { method: 'GET', url: `/api/services/settlements/${providerA}/${period}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SettlementDetail>();
  };
  const statement = async (period: string) => {
    const res = await call(app, adminS, { method: 'GET', url: `/api/services/settlements/${providerA}/${period}/statement.xlsx` });
    expect(res.statusCode).toBe(200);
    return res.rawPayload;
  };
  const correct = (s: Session, id: number, payload: Record<string, unknown>) =>
    call(app, s, { method: 'POST', url: `/api/services/orders/${id}/correct`, payload });
  const original = (id: number) =>
    ctx.db.selectFrom('service_orders').select(['status', 'check_in_at', 'check_out_at', 'items_done']).where('id', '=', id).executeTakeFirstOrThrow();

  it('corrects a closed month’s visits without touching the order, the closed statement, or the exceptions’ history; the difference is paid next month', async () => {
    const p1 = await detail(P1);
    expect(p1.lines.find((l) => l.orderId === o.short)).toMatchObject({ outcome: 'held', reasons: ['too_short'] });
    expect(p1.lines.find((l) => l.orderId === o.forgotten)).toMatchObject({ outcome: 'rejected', reasons: ['not_completed'] });
    const closed = await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P1}/close`, payload: {} });
    expect(closed.statusCode, closed.body).toBe(200);
    const header = closed.json<SettlementHeader>();
    expect(header).toMatchObject({ accepted: 0, held: 1, rejected: 2, payableFen: 0 });
    const before = await statement(P1);
    expect(createHash('sha256').update(before).digest('hex')).toBe(header.statementSha256);
    const facts = await original(o.short);

    // the town officer records the real end (the phone's clock was wrong)
    const res = await correct(townS, o.short, { checkOutAt: `${day}T01:55:00.000Z`, reason: '护理员手机时间慢了45分钟，经老人家属确认服务至9:55' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<OrderDetail>();
    expect(d.correction).toMatchObject({ checkInAt: `${day}T01:00:00.000Z`, checkOutAt: `${day}T01:55:00.000Z`, itemsDone: null });
    expect(d.correction!.byName).not.toBe('');
    expect(d.minutesOnSite).toBe(55);
    // the phone's record as it was
    expect(d.checkOutAt).toBe(`${day}T01:10:00.000Z`);
    expect(d.checkOut?.at).toBe(`${day}T01:10:00.000Z`);
    expect(await original(o.short)).toEqual(facts);
    const corrected = d.history.filter((h) => h.action === 'corrected');
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.detail).toMatchObject({
      before: { checkOutAt: `${day}T01:10:00.000Z` },
      after: { checkOutAt: `${day}T01:55:00.000Z` },
      settledMonth: P1,
    });
    // the too_short the wrong clock raised is gone (nobody had acted on it), and a month's detection does not raise it again
    expect(d.openAnomalies).toEqual([]);
    await detail(P1);
    expect(await ctx.db.selectFrom('service_anomalies').select('code').where('order_id', '=', o.short).execute()).toEqual([]);

    // a forgotten check-out: the end given, the order counts as done; its check-out facts stay empty
    const f = await correct(adminS, o.forgotten, { checkOutAt: `${day}T03:50:00.000Z`, itemsDone: ['clean_home'], reason: '护理员忘记签退，回访老人确认' });
    expect(f.statusCode, f.body).toBe(200);
    expect(f.json<OrderDetail>()).toMatchObject({ status: 'checked_out', checkOutAt: null, minutesOnSite: 50 });
    expect(await original(o.forgotten)).toMatchObject({ status: 'checked_out', check_in_at: `${day}T03:00:00.000Z`, check_out_at: null, items_done: null });

    // the closed month: frozen, the same bytes
    expect((await statement(P1)).equals(before)).toBe(true);
    expect((await detail(P1)).lines.find((l) => l.orderId === o.short)).toMatchObject({ outcome: 'held', amountFen: 0 });
    // the next month: both now payable, as adjustments of P1
    const adj = (await detail(P2)).lines.filter((l) => l.outcome === 'adjustment');
    expect(adj).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId: o.short, amountFen: 5_000, adjustsPeriod: P1, reasons: ['accepted'] }),
        expect.objectContaining({ orderId: o.forgotten, amountFen: 5_000, adjustsPeriod: P1, reasons: ['accepted'] }),
      ]),
    );
    expect(adj).toHaveLength(2);

    // corrected again (the earlier correction was itself wrong): the latest one counts, both are kept
    const again = await correct(adminS, o.short, { checkOutAt: `${day}T01:20:00.000Z`, reason: '再次核实：服务至9:20' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json<OrderDetail>()).toMatchObject({ minutesOnSite: 20, openAnomalies: ['too_short'] });
    expect(await ctx.db.selectFrom('service_order_corrections').select('id').where('order_id', '=', o.short).execute()).toHaveLength(2);
    expect((await detail(P2)).lines.filter((l) => l.outcome === 'adjustment').map((l) => l.orderId)).toEqual([o.forgotten]);

    // audited, with no personal text in the entry
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'services.order_corrected').execute();
    expect(audit).toHaveLength(3);
    expect(JSON.stringify(audit)).not.toContain('忘记签退');
  });

  it('refuses a provider, an order not checked in, an end before the start and a correction that changes nothing, writing nothing', async () => {
    const count = async () => (await ctx.db.selectFrom('service_order_corrections').select('id').execute()).length;
    const n = await count();
    expect((await correct(providerS, o.short, { checkOutAt: `${day}T01:50:00.000Z`, reason: '服务商自改' })).statusCode).toBe(403);
    expect(errorCode(await correct(adminS, o.assigned, { checkInAt: `${day}T05:00:00.000Z`, checkOutAt: `${day}T06:00:00.000Z`, reason: '补录' }))).toBe(
      'SERVICE_NOT_CHECKED_IN',
    );
    expect(errorCode(await correct(adminS, o.short, { checkInAt: `${day}T02:00:00.000Z`, reason: '签到时间有误' }))).toBe('SERVICE_CHECKOUT_BEFORE_CHECKIN');
    expect(errorCode(await correct(adminS, o.short, { checkOutAt: `${day}T01:20:00.000Z`, reason: '同上' }))).toBe('VALIDATION');
    expect(errorCode(await correct(adminS, o.short, { checkOutAt: `${day}T01:50:00.000Z`, itemsDone: ['fly'], reason: '补勾' }))).toBe('SERVICE_TASK_UNKNOWN');
    expect((await correct(adminS, o.short, { checkOutAt: `${day}T01:50:00.000Z` })).statusCode).toBe(400);
    expect(await count()).toBe(n);
    // append-only in the database
    await expect(ctx.db.updateTable('service_order_corrections').set({ reason: 'x' }).execute()).rejects.toThrow(/append-only/);
  });
});
