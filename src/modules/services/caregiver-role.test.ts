import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { demoAccounts } from '../demo/seed.js';
import type { MyOrdersReply, PhotoReply } from './evv.schema.js';
import { cellOf, type Point } from './geo.js';
import type { OrderDetail } from './orders.schema.js';

/**
 * The caregiver's role (issue 17, defect): a caregiver signs in as 'caregiver', staff of their
 * provider (users.organisation_id), and sees only what their own visits need — the day's orders
 * assigned to them, check-in, check-out, photo and the elder's rating of those — never the
 * provider office's orders, months, exceptions, providers, clients or register.
 */

const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const HOME: Point = { lat: 30.87, lng: 120.42 };
const VILLAGE = demoAccounts().find((a) => a.username === 'grid1')!.regionCode;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const near = (m = 20) => ({ lat: HOME.lat + m / 111_195, lng: HOME.lng, accuracy: 15 });

describe.each(dialects)('a caregiver sees only their own visits (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let cg1: Session;
  let cg2: Session;
  let loose: Session;
  let office: Session;
  let providerA: number;
  let caregiver1: number;
  let caregiver2: number;
  let item: number;
  let n = 0;

  async function person(name: string): Promise<number> {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-cgrole-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name,
      sex: 'F',
      birth_date: '1938-05-01',
      region_code: VILLAGE,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      living_alone: 1,
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function provider(name: string): Promise<number> {
    const row = {
      name,
      jurisdiction: ctx.regions.counties()[0]!.code,
      region_code: VILLAGE,
      kind: 'home_service',
      credit_code: null,
      contact_phone_enc: null,
      contact_name: null,
      active: 1,
      created_by: 0,
      created_at: nowIso(),
    };
    return (await ctx.db.insertInto('service_providers').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A caregiver-role login (organisation: the provider, or none), linked to a new caregiver of the provider. */
  async function caregiverLogin(providerId: number, username: string, name: string, organisation: number | null): Promise<number> {
    const template = await ctx.db.selectFrom('users').selectAll().where('username', '=', 'provider1').executeTakeFirstOrThrow();
    const user = await ctx.db
      .insertInto('users')
      .values({
        username,
        display_name: name,
        password_hash: template.password_hash,
        role: 'caregiver',
        region_code: template.region_code,
        active: 1,
        created_at: nowIso(),
        organisation_id: organisation,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const caregiver = await ctx.db
      .insertInto('service_caregivers')
      .values({ provider_id: providerId, user_id: user.id, name, phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('service_certificates')
      .values({
        caregiver_id: caregiver.id,
        kind: 'caregiver',
        number: `CG-${username}`,
        issued_on: '2024-01-01',
        expires_on: null,
        added_by: 0,
        added_at: nowIso(),
      })
      .execute();
    return caregiver.id;
  }

  async function enrol(providerId: number, personId: number): Promise<void> {
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: providerId,
        person_id: personId,
        region_code: VILLAGE,
        home_enc: ctx.cipher.encrypt(JSON.stringify(HOME)),
        home_cell: cellOf(HOME),
        card_hash: null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
  }

  async function order(personId: number, caregiverId: number | null): Promise<number> {
    const at = nowIso();
    const on = today();
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: providerA,
          person_id: personId,
          region_code: VILLAGE,
          item_id: item,
          period: on.slice(0, 7),
          scheduled_on: on,
          ordered_minutes: 60,
          price_fen: 5000,
          entitled_fen: 5000,
          self_paid_fen: 0,
          status: caregiverId ? 'assigned' : 'created',
          created_via: 'officer',
          source_id: null,
          caregiver_id: caregiverId,
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
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  const post = (s: Session, url: string, payload: Record<string, unknown>) => call(app, s, { method: 'POST', url, payload });
  const inBody = () => ({ clientId: randomUUID(), at: minutesAgo(60), location: near() });
  const outBody = () => ({
    clientId: randomUUID(),
    at: minutesAgo(2),
    location: near(30),
    itemsDone: ['cgrole_clean'],
    confirmation: { kind: 'person' },
  });
  /** Checks the order in and out as the session (the caregiver assigned to it). */
  async function visit(s: Session, id: number): Promise<void> {
    expect((await post(s, `/api/services/orders/${id}/check-in`, inBody())).statusCode).toBe(200);
    expect((await post(s, `/api/services/orders/${id}/check-out`, outBody())).statusCode).toBe(200);
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    providerA = await provider('安康居家服务中心');
    caregiver1 = await caregiverLogin(providerA, 'cgrole_1', '护理员赵', providerA);
    caregiver2 = await caregiverLogin(providerA, 'cgrole_2', '护理员钱', providerA);
    // linked to a caregiver row of provider A, but the account has no organisation on record
    await caregiverLogin(providerA, 'cgrole_loose', '护理员孙', null);
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    const row = {
      jurisdiction: ctx.regions.counties()[0]!.code,
      code: 'cgrole_clean',
      category: 'clean',
      name_zh: '助洁',
      name_en: 'Cleaning',
      price_fen: 5000,
      standard_minutes: 60,
      active: 1,
      updated_by: 0,
      updated_at: nowIso(),
    };
    item = (await ctx.db.insertInto('service_items').values(row).returning('id').executeTakeFirstOrThrow()).id;
    cg1 = await loginAs(app, 'cgrole_1');
    cg2 = await loginAs(app, 'cgrole_2');
    loose = await loginAs(app, 'cgrole_loose');
    office = await loginAs(app, 'provider1');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('cannot read the provider office’s orders, months, exceptions, providers, clients or the register', async () => {
    const elder = await person('护理甲');
    await enrol(providerA, elder);
    const mine = await order(elder, caregiver1);
    const period = today().slice(0, 7);
    // the office itself sees its orders: the caregiver's refusals below are about the role, not an empty provider
    expect((await call(app, office, { method: 'GET', url: '/api/services/orders' })).json<{ total: number }>().total).toBeGreaterThan(0);
    for (const url of [
      '/api/services/orders',
      `/api/services/orders?period=${period}`,
      `/api/services/orders/${mine}`,
      `/api/services/settlements?period=${period}`,
      `/api/services/settlements/${providerA}/${period}`,
      `/api/services/settlements/${providerA}/${period}/statement.xlsx`,
      '/api/services/anomalies',
      '/api/services/providers',
      '/api/services/caregivers',
      '/api/services/clients',
      '/api/services/followups',
      `/api/services/entitlements/${elder}`,
      '/api/services/beds',
      '/api/services/feedback',
      '/api/persons',
      `/api/persons/${elder}`,
    ]) {
      const res = await call(app, cg1, { method: 'GET', url });
      expect(res.statusCode, `GET ${url}`).toBe(403);
    }
    // nor act for the office: order, assign, cancel
    expect((await post(cg1, `/api/services/orders/${mine}/assign`, { caregiverId: caregiver1 })).statusCode).toBe(403);
    expect((await post(cg1, `/api/services/orders/${mine}/cancel`, { reason: '不去了' })).statusCode).toBe(403);
  });

  it('does its own visits: the day’s list, check-in, check-out, photo and the elder’s rating', async () => {
    const elder = await person('护理乙');
    await enrol(providerA, elder);
    const id = await order(elder, caregiver1);
    const others = await order(elder, caregiver2);
    await order(elder, null);

    const day = await call(app, cg1, { method: 'GET', url: `/api/services/my/orders?date=${today()}` });
    expect(day.statusCode, day.body).toBe(200);
    const list = day.json<MyOrdersReply>();
    expect(list.caregiver).toMatchObject({ id: caregiver1, name: '护理员赵' });
    expect(list.items.map((o) => o.id)).toContain(id);
    expect(list.items.map((o) => o.id)).not.toContain(others);
    expect(list.items.find((o) => o.id === id)).toMatchObject({ personName: '护理乙', status: 'assigned' });

    const arrived = await post(cg1, `/api/services/orders/${id}/check-in`, inBody());
    expect(arrived.statusCode, arrived.body).toBe(200);
    expect(arrived.json<OrderDetail>()).toMatchObject({ status: 'checked_in', personName: '护理乙' });
    const left = await post(cg1, `/api/services/orders/${id}/check-out`, outBody());
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json<OrderDetail>().status).toBe('checked_out');
    const shot = await post(cg1, `/api/services/orders/${id}/photo`, { clientId: randomUUID(), dataBase64: PNG_1x1 });
    expect(shot.statusCode, shot.body).toBe(200);
    expect(shot.json<PhotoReply>().orderId).toBe(id);
    const rated = await post(cg1, `/api/services/orders/${id}/rate`, { rating: 5, by: 'elder' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json<OrderDetail>()).toMatchObject({ status: 'rated', rating: 5 });
    // the phone reads its own order in full (not through the office's GET /api/services/orders/:id)
    const read = await call(app, cg1, { method: 'GET', url: `/api/services/my/orders/${id}` });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<OrderDetail>()).toMatchObject({ id, status: 'rated', rating: 5, personName: '护理乙' });
  });

  it('another caregiver’s order, or one assigned to nobody, is not found', async () => {
    const elder = await person('护理丙');
    await enrol(providerA, elder);
    const others = await order(elder, caregiver2);
    const nobodys = await order(elder, null);
    for (const id of [others, nobodys]) {
      for (const [url, body] of [
        [`/api/services/orders/${id}/check-in`, inBody()],
        [`/api/services/orders/${id}/rate`, { rating: 1, by: 'elder' }],
        [`/api/services/orders/${id}/photo`, { clientId: randomUUID(), dataBase64: PNG_1x1 }],
      ] as const) {
        const res = await post(cg1, url, body);
        expect(res.statusCode, `${url}: ${res.body}`).toBe(404);
        expect(errorCode(res)).toBe('SERVICE_ORDER_NOT_FOUND');
      }
      const read = await call(app, cg1, { method: 'GET', url: `/api/services/my/orders/${id}` });
      expect(read.statusCode).toBe(404);
      expect(errorCode(read)).toBe('SERVICE_ORDER_NOT_FOUND');
    }
    // checked out by its own caregiver, the other caregiver still cannot rate it
    await visit(cg2, others);
    const res = await post(cg1, `/api/services/orders/${others}/rate`, { rating: 1, by: 'elder' });
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('SERVICE_ORDER_NOT_FOUND');
    const row = await ctx.db.selectFrom('service_orders').select(['status', 'rating']).where('id', '=', others).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'checked_out', rating: null });
  });

  it('a caregiver with no organisation on record reaches nobody', async () => {
    const day = await call(app, loose, { method: 'GET', url: `/api/services/my/orders?date=${today()}` });
    expect(day.statusCode).toBe(200);
    expect(day.json<MyOrdersReply>()).toMatchObject({ caregiver: null, items: [] });
    const elder = await person('护理丁');
    await enrol(providerA, elder);
    const looseRow = await ctx.db
      .selectFrom('service_caregivers')
      .innerJoin('users', 'users.id', 'service_caregivers.user_id')
      .select('service_caregivers.id')
      .where('users.username', '=', 'cgrole_loose')
      .executeTakeFirstOrThrow();
    const id = await order(elder, looseRow.id);
    const res = await post(loose, `/api/services/orders/${id}/check-in`, inBody());
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('SERVICE_ORDER_NOT_FOUND');
  });
});
