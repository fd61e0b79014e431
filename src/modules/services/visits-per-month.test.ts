import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso, previousPeriod, today } from '../../platform/time.js';
import type { Scope } from '../../platform/scope.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs, type Session } from '../../testing/http.js';
import { entitlementOf } from './entitlements.js';
import { placeOrder } from './orders.js';
import type { SettlementDetail } from './settlement.schema.js';

/**
 * Issue 17, seed 001 专栏1 "2-4 visits a month": the visits an entitlement buys (visitsPerMonth of
 * its item: nx-15 two, nx-11 four) are a maximum drawn on it (beyond, self-paid) and a minimum the
 * month's settlement checks (under_served once the month has ended).
 */
describe.each(dialects)('services visits a month on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let adminS: Session;
  let adminId: number;
  let county: string;
  let village1: string;
  let providerA: number;
  let itemClean: number;
  let caregiver: number;
  let elder: number;
  let elder4: number;
  let admin: Scope;
  const P2 = previousPeriod(today().slice(0, 7));
  const P1 = previousPeriod(P2);

  async function order(status: string, inAt: string | null, outAt: string | null, personId = elder) {
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: providerA,
          person_id: personId,
          region_code: village1,
          item_id: itemClean,
          period: (inAt ?? `${P1}-12`).slice(0, 7),
          scheduled_on: (inAt ?? `${P1}-12`).slice(0, 10),
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
    admin = await userScope(ctx, 'admin');
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
    // a second elder: nx-11 (four visits); the first: nx-15 (two)
    elder4 = (
      await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `hash-visits-${randomUUID()}`,
          id_enc: 'placeholder',
          id_masked: '330503********0002',
          name: '四次老人',
          sex: 'M',
          birth_date: '1938-01-01',
          region_code: village1,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: '138****0002',
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
    const month = today().slice(0, 7);
    for (const period of [P1, month]) {
      await ctx.db
        .insertInto('service_entitlements')
        .values({ period, person_id: elder, region_code: village1, amount_fen: 100_000, items: '["nx-15"]', run_id: 0 })
        .execute();
      await ctx.db
        .insertInto('service_entitlements')
        .values({ period, person_id: elder4, region_code: village1, amount_fen: 100_000, items: '["nx-11","nx-15"]', run_id: 0 })
        .execute();
    }
    for (const p of [elder, elder4])
      await ctx.db
        .insertInto('service_clients')
        .values({
          provider_id: providerA,
          person_id: p,
          region_code: village1,
          home_enc: ctx.cipher.encrypt(JSON.stringify({ lat: 30.85, lng: 120.4 })),
          home_cell: '30.85,120.40',
          card_hash: null,
          enrolled_by: 0,
          enrolled_at: now,
          ended_at: null,
        })
        .execute();
    // P1 (ended): each elder two visits done (and one cancelled for the first)
    await order('checked_out', `${P1}-03T01:00:00.000Z`, `${P1}-03T02:00:00.000Z`);
    await order('rated', `${P1}-13T01:00:00.000Z`, `${P1}-13T02:00:00.000Z`);
    await order('checked_out', `${P1}-05T01:00:00.000Z`, `${P1}-05T02:00:00.000Z`, elder4);
    await order('checked_out', `${P1}-15T01:00:00.000Z`, `${P1}-15T02:00:00.000Z`, elder4);
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    adminS = await loginAs(app, 'admin');
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

  it('draws on the entitlement for the visits it buys only: the next order is refused unless self-paid, the balance says 0', async () => {
    const on = today();
    const month = on.slice(0, 7);
    const place = (selfPaidBeyond = false) =>
      placeOrder(ctx, admin, { clientId: randomUUID(), providerId: providerA, personId: elder, itemId: itemClean, scheduledOn: on, selfPaidBeyond });
    expect(await place()).toMatchObject({ entitledFen: 5_000, selfPaidFen: 0 });
    expect(await place()).toMatchObject({ entitledFen: 5_000, selfPaidFen: 0 });
    // two visits bought (nx-15), 900 yuan still on the balance: the third draws nothing
    expect(await codeOf(place())).toBe('ENTITLEMENT_EXCEEDED');
    expect(await place(true)).toMatchObject({ entitledFen: 0, selfPaidFen: 5_000 });
    expect(await entitlementOf(ctx, admin, elder, month)).toMatchObject({
      amountFen: 100_000,
      usedFen: 10_000,
      balanceFen: 0,
      visitsUsed: 2,
      visitsAllowed: 2,
    });
    // nx-11 (four visits) wins over nx-15 for one holding both
    expect(await entitlementOf(ctx, admin, elder4, month)).toMatchObject({ balanceFen: 100_000, visitsUsed: 0, visitsAllowed: 4 });
  });

  it('lists, once the month has ended, the persons served fewer times than their entitlement buys (under_served)', async () => {
    const p1 = await detail(P1);
    expect(p1.header.underServed).toEqual([{ code: 'under_served', personId: elder4, personName: '四次老人', visits: 2, minimum: 4 }]);
    // nothing pays or holds by it: the month's lines are as before
    expect(p1.lines.filter((l) => l.outcome === 'accepted')).toHaveLength(4);
    // a month not ended: not judged yet
    expect((await detail(today().slice(0, 7))).header.underServed).toEqual([]);
  });
});
