import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { demoAccounts } from '../demo/seed.js';
import { cardHash } from './clients.js';
import type { MyOrdersReply, PhotoReply } from './evv.schema.js';
import { cellOf, type Point } from './geo.js';
import type { OrderDetail } from './orders.schema.js';

/**
 * The caregiver's phone (issue 17, services-evv): the day's orders, check-in and check-out verified
 * by time and place, the elder's confirmation (on the phone or by the service card), the photo.
 * Every refusal leaves nothing half-written (rows counted before and after); a resend with the same
 * clientId is answered from what the first stored.
 */

/** A 1×1 PNG: an image care-events accepts. */
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const HOME: Point = { lat: 30.87, lng: 120.42 };
/** about 2 km north of the home */
const FAR: Point = { lat: 30.888, lng: 120.42 };
const CARD = '88001234';
const VILLAGE = demoAccounts().find((a) => a.username === 'grid1')!.regionCode;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const near = (m = 20) => ({ lat: HOME.lat + m / 111_195, lng: HOME.lng, accuracy: 15 });

describe.each(dialects)('visit verification on the caregiver’s phone (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let cg1: Session;
  let cg2: Session;
  let cgB: Session;
  let admin: Session;
  let office: Session;
  let providerA: number;
  let caregiver1: number;
  let caregiver2: number;
  let clean: number;
  let n = 0;

  async function person(name: string): Promise<number> {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-evv-${randomUUID()}`,
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
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
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
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  /** A provider-role login of the provider, linked to a new caregiver; returns the caregiver id. */
  async function caregiverLogin(providerId: number, username: string, name: string): Promise<number> {
    const template = await ctx.db.selectFrom('users').selectAll().where('username', '=', 'provider1').executeTakeFirstOrThrow();
    const user = await ctx.db
      .insertInto('users')
      .values({
        username,
        display_name: name,
        password_hash: template.password_hash,
        role: 'provider',
        region_code: template.region_code,
        active: 1,
        created_at: nowIso(),
        organisation_id: providerId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const caregiver = await ctx.db
      .insertInto('service_caregivers')
      .values({ provider_id: providerId, user_id: user.id, name, phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    // a valid caregiver certificate (without one every visit is flagged cert_expired)
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

  async function item(code: string, category: string): Promise<number> {
    return (
      await ctx.db
        .insertInto('service_items')
        .values({
          jurisdiction: ctx.regions.counties()[0]!.code,
          code,
          category,
          name_zh: code,
          name_en: code,
          price_fen: 5000,
          standard_minutes: 60,
          active: 1,
          updated_by: 0,
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  async function enrol(providerId: number, personId: number, card: string | null): Promise<void> {
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: providerId,
        person_id: personId,
        region_code: VILLAGE,
        home_enc: ctx.cipher.encrypt(JSON.stringify(HOME)),
        home_cell: cellOf(HOME),
        card_hash: card ? cardHash(ctx, card) : null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
  }

  /** An order of the provider assigned to the caregiver, scheduled today (orders is tested in orders.test.ts). */
  async function order(personId: number, caregiverId: number | null, scheduledOn = today()): Promise<number> {
    const at = nowIso();
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: providerA,
          person_id: personId,
          region_code: VILLAGE,
          item_id: clean,
          period: scheduledOn.slice(0, 7),
          scheduled_on: scheduledOn,
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

  const countOf = async (table: 'service_order_history' | 'care_events' | 'care_event_evidence' | 'service_anomalies' | 'audit_log') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** Everything a refused write could have left behind. */
  const snapshot = async (orderId: number) => ({
    history: await countOf('service_order_history'),
    events: await countOf('care_events'),
    photos: await countOf('care_event_evidence'),
    anomalies: await countOf('service_anomalies'),
    order: await ctx.db.selectFrom('service_orders').selectAll().where('id', '=', orderId).executeTakeFirstOrThrow(),
  });

  const checkIn = (s: Session, id: number, body: Record<string, unknown>) =>
    call(app, s, { method: 'POST', url: `/api/services/orders/${id}/check-in`, payload: body });
  const checkOut = (s: Session, id: number, body: Record<string, unknown>) =>
    call(app, s, { method: 'POST', url: `/api/services/orders/${id}/check-out`, payload: body });
  const photo = (s: Session, id: number, body: Record<string, unknown>) =>
    call(app, s, { method: 'POST', url: `/api/services/orders/${id}/photo`, payload: body });
  const inBody = (over: Record<string, unknown> = {}) => ({ clientId: randomUUID(), at: minutesAgo(60), location: near(), ...over });
  const outBody = (over: Record<string, unknown> = {}) => ({
    clientId: randomUUID(),
    at: minutesAgo(2),
    location: near(30),
    itemsDone: ['evv_clean'],
    notes: '打扫了厨房和卧室',
    confirmation: { kind: 'person' },
    ...over,
  });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    providerA = await provider('安心居家服务中心');
    const providerB = await provider('另一家服务商');
    caregiver1 = await caregiverLogin(providerA, 'evv_cg1', '护理员甲');
    caregiver2 = await caregiverLogin(providerA, 'evv_cg2', '护理员乙');
    await caregiverLogin(providerB, 'evv_cgb', '护理员丙');
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    clean = await item('evv_clean', 'clean');
    await item('evv_windows', 'clean');
    await item('evv_meal', 'meal');
    cg1 = await loginAs(app, 'evv_cg1');
    cg2 = await loginAs(app, 'evv_cg2');
    cgB = await loginAs(app, 'evv_cgb');
    admin = await loginAs(app, 'admin');
    office = await loginAs(app, 'provider1');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('a visit from the day’s list to check-in, check-out confirmed by the elder’s card, and the photo', async () => {
    const elder = await person('服务甲');
    await enrol(providerA, elder, CARD);
    const id = await order(elder, caregiver1);
    await order(elder, caregiver2); // another caregiver's: not on this list

    const day = await call(app, cg1, { method: 'GET', url: `/api/services/my/orders?date=${today()}` });
    expect(day.statusCode).toBe(200);
    const list = day.json<MyOrdersReply>();
    expect(list.caregiver).toMatchObject({ id: caregiver1, name: '护理员甲', providerName: '安心居家服务中心' });
    const mine = list.items.find((o) => o.id === id)!;
    expect(list.items.map((o) => o.id)).toEqual([id]);
    expect(mine).toMatchObject({ personName: '服务甲', status: 'assigned', hasCard: true, itemCode: 'evv_clean', openAnomalies: [] });
    // the order's item first, then the other active items of its category (not the meal)
    expect(mine.tasks.map((t) => t.code)).toEqual(['evv_clean', 'evv_windows']);
    expect(mine.address).toContain(ctx.regions.get(VILLAGE)!.name);
    const audited = await ctx.db.selectFrom('audit_log').select('detail').where('action', '=', 'services.my_orders_read').execute();
    expect(audited.some((a) => a.detail?.includes(String(elder)))).toBe(true);

    const arrive = inBody();
    const res = await checkIn(cg1, id, arrive);
    expect(res.statusCode, res.body).toBe(200);
    const inDetail = res.json<OrderDetail>();
    expect(inDetail.status).toBe('checked_in');
    expect(inDetail.checkIn!.distanceM).toBeGreaterThanOrEqual(15);
    expect(inDetail.checkIn!.distanceM).toBeLessThanOrEqual(25);
    expect(inDetail.checkIn!.accuracyM).toBe(15);
    expect(inDetail.openAnomalies).toEqual([]);
    // the fix is sealed; the clear columns hold the cell and numbers only
    const stored = await ctx.db.selectFrom('service_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.check_in_enc).not.toContain('30.87');
    expect(stored.check_in_cell).toBe(cellOf(near()));

    const leave = outBody({ confirmation: { kind: 'card', cardCode: CARD }, itemsDone: ['evv_clean', 'evv_windows'] });
    const out = await checkOut(cg1, id, leave);
    expect(out.statusCode, out.body).toBe(200);
    const done = out.json<OrderDetail>();
    expect(done).toMatchObject({ status: 'checked_out', confirmedKind: 'card', itemsDone: ['evv_clean', 'evv_windows'], minutesOnSite: 58 });
    expect(done.eventId).toBeGreaterThan(0);
    const event = await ctx.db.selectFrom('care_events').selectAll().where('id', '=', done.eventId!).executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      kind: 'service',
      source: 'services',
      source_id: id,
      person_id: elder,
      mode: 'home',
      status: 'confirmed',
      confirmed_kind: 'person',
    });
    expect(event.started_at).toBe(new Date(arrive.at).toISOString());
    expect(event.ended_at).toBe(new Date(leave.at as string).toISOString());
    // the card code is never stored, not even in the history
    const history = await ctx.db.selectFrom('service_order_history').select(['action', 'detail']).where('order_id', '=', id).orderBy('id').execute();
    expect(history.map((h) => h.action)).toEqual(['checked_in', 'checked_out', 'confirmed']);
    expect(history.map((h) => h.detail).join()).not.toContain(CARD);

    const shot = { clientId: randomUUID(), dataBase64: PNG_1x1 };
    const p = await photo(cg1, id, shot);
    expect(p.statusCode, p.body).toBe(200);
    const added = p.json<PhotoReply>();
    expect(added).toMatchObject({ orderId: id, eventId: done.eventId, merged: false });
    const again = await photo(cg1, id, shot);
    expect(again.json<PhotoReply>()).toEqual({ ...added, merged: true });
    expect(await ctx.db.selectFrom('care_event_evidence').select('id').where('event_id', '=', done.eventId!).execute()).toHaveLength(1);
    const detail = await call(app, office, { method: 'GET', url: `/api/services/orders/${id}` });
    expect(detail.json<OrderDetail>().photos).toEqual([{ id: added.photoId }]);

    // the console: an officer sees the photo (audited by care-events); the provider's office does not (care-events' readers only)
    const img = await call(app, admin, { method: 'GET', url: `/api/services/orders/${id}/photos/${added.photoId}` });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    // the provider's office sees its own order's photo (without reading other verified events)
    const own = await call(app, office, { method: 'GET', url: `/api/services/orders/${id}/photos/${added.photoId}` });
    expect(own.statusCode).toBe(200);
    expect(own.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const otherProvider = await call(app, cgB, { method: 'GET', url: `/api/services/orders/${id}/photos/${added.photoId}` });
    expect(errorCode(otherProvider)).toBe('SERVICE_ORDER_NOT_FOUND');
  });

  it('a check-in 2 km from the home is flagged far_checkin, shown on the phone', async () => {
    const elder = await person('服务乙');
    await enrol(providerA, elder, null);
    const id = await order(elder, caregiver2);
    const res = await checkIn(cg2, id, inBody({ location: { ...FAR, accuracy: 20 } }));
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<OrderDetail>();
    expect(d.checkIn!.distanceM).toBeGreaterThan(1900);
    expect(d.openAnomalies).toContain('far_checkin');
    expect(d.anomalies.find((a) => a.code === 'far_checkin')).toMatchObject({ status: 'open', detail: { distanceM: d.checkIn!.distanceM, accuracyM: 20 } });
    // no card on record: the card confirmation is refused, nothing written
    const before = await snapshot(id);
    const card = await checkOut(cg2, id, outBody({ confirmation: { kind: 'card', cardCode: CARD } }));
    expect(errorCode(card)).toBe('SERVICE_CARD_NONE');
    expect(await snapshot(id)).toEqual(before);
    const day = (await call(app, cg2, { method: 'GET', url: `/api/services/my/orders?date=${today()}` })).json<MyOrdersReply>();
    const mine = day.items.find((o) => o.id === id)!;
    expect(mine.openAnomalies).toContain('far_checkin');
    // today's list carries the distance itself, so the phone's card says how far without its own record of the step
    expect(mine).toMatchObject({ checkInDistanceM: d.checkIn!.distanceM, checkInAccuracyM: 20 });
  });

  it('refuses bad input clearly, with nothing half-written', async () => {
    const elder = await person('服务丙');
    await enrol(providerA, elder, CARD);
    const id = await order(elder, caregiver1);
    const unassigned = await order(elder, null);
    const cancelled = await order(elder, caregiver1);
    await ctx.db.updateTable('service_orders').set({ status: 'cancelled', cancel_reason: '老人住院' }).where('id', '=', cancelled).execute();
    const refusals: Array<[string, () => Promise<{ statusCode: number; body: string }>, string]> = [
      ['check-out before check-in', () => checkOut(cg1, id, outBody()), 'SERVICE_NOT_CHECKED_IN'],
      ['photo before check-out', () => photo(cg1, id, { clientId: randomUUID(), dataBase64: PNG_1x1 }), 'SERVICE_PHOTO_BEFORE_CHECKOUT'],
      ['outside the jurisdiction', () => checkIn(cg1, id, inBody({ location: { lat: 39.9, lng: 116.4, accuracy: 10 } })), 'SERVICE_LOCATION_OUTSIDE'],
      ['impossible coordinates', () => checkIn(cg1, id, inBody({ location: { lat: 95, lng: 120.4, accuracy: 10 } })), 'SERVICE_LOCATION_INVALID'],
      ['no fix (0,0)', () => checkIn(cg1, id, inBody({ location: { lat: 0, lng: 0, accuracy: 10 } })), 'SERVICE_LOCATION_INVALID'],
      ['a time in the future', () => checkIn(cg1, id, inBody({ at: new Date(Date.now() + 3_600_000).toISOString() })), 'SERVICE_TIME_FUTURE'],
      ['not a time', () => checkIn(cg1, id, inBody({ at: 'yesterday' })), 'SERVICE_TIME_INVALID'],
      ['days before the scheduled date', () => checkIn(cg1, id, inBody({ at: minutesAgo(3 * 24 * 60) })), 'SERVICE_CHECKIN_TOO_EARLY'],
      ['another caregiver’s order', () => checkIn(cg2, id, inBody()), 'SERVICE_NOT_YOUR_ORDER'],
      ['an order not yet assigned', () => checkIn(cg1, unassigned, inBody()), 'SERVICE_NOT_YOUR_ORDER'],
      ['another provider’s order', () => checkIn(cgB, id, inBody()), 'SERVICE_ORDER_NOT_FOUND'],
      ['the provider’s office is no caregiver', () => checkIn(office, id, inBody()), 'SERVICE_NOT_CAREGIVER'],
      ['a cancelled order', () => checkIn(cg1, cancelled, inBody()), 'SERVICE_EVV_CANCELLED'],
    ];
    for (const [name, run, code] of refusals) {
      const before = await snapshot(id);
      const res = await run();
      expect(errorCode(res as never), `${name}: ${res.body}`).toBe(code);
      expect(res.statusCode, name).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, name).toBeLessThan(500);
      expect(await snapshot(id), name).toEqual(before);
    }
    // checked in, then the check-out's refusals
    const arrived = minutesAgo(30);
    expect((await checkIn(cg1, id, inBody({ at: arrived }))).statusCode).toBe(200);
    const afterIn: Array<[string, Record<string, unknown>, string]> = [
      ['check-out before the check-in time', outBody({ at: minutesAgo(45) }), 'SERVICE_CHECKOUT_BEFORE_CHECKIN'],
      ['a wrong card', outBody({ confirmation: { kind: 'card', cardCode: '11112222' } }), 'SERVICE_CARD_MISMATCH'],
      ['a task not of the order', outBody({ itemsDone: ['evv_meal'] }), 'SERVICE_TASK_UNKNOWN'],
      ['no task ticked', outBody({ itemsDone: [] }), 'VALIDATION'],
      ['outside the jurisdiction', outBody({ location: { lat: 31.5, lng: 120.4, accuracy: 10 } }), 'SERVICE_LOCATION_OUTSIDE'],
    ];
    for (const [name, body, code] of afterIn) {
      const before = await snapshot(id);
      const res = await checkOut(cg1, id, body);
      expect(errorCode(res), `${name}: ${res.body}`).toBe(code);
      expect(await snapshot(id), name).toEqual(before);
    }
    const before = await snapshot(id);
    const second = await checkIn(cg1, id, inBody());
    expect(errorCode(second)).toBe('SERVICE_ALREADY_CHECKED_IN');
    expect(second.json().error.message).toMatch(/已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 签到/);
    expect(await snapshot(id)).toEqual(before);
    const wrong = await checkOut(cg1, id, outBody({ at: minutesAgo(45) }));
    // both times named, as Beijing's clock
    expect(wrong.json().error.message).toMatch(/签退时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} 早于签到时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);

    // checked out, then a photo that is not an image: care-events' own error, nothing attached
    expect((await checkOut(cg1, id, outBody())).statusCode).toBe(200);
    const beforePhoto = await snapshot(id);
    const notImage = await photo(cg1, id, { clientId: randomUUID(), dataBase64: Buffer.from('%PDF-1.4 not a picture').toString('base64') });
    expect(errorCode(notImage)).toBe('PHOTO_NOT_IMAGE');
    expect(await snapshot(id)).toEqual(beforePhoto);
  });

  it('an offline resend is answered from the first write: nothing is stored twice', async () => {
    const elder = await person('服务丁');
    await enrol(providerA, elder, null);
    const id = await order(elder, caregiver1);
    const arrive = inBody();
    // the outbox sent it twice at once (a lost answer), then once more later
    const [a, b] = await Promise.all([checkIn(cg1, id, arrive), checkIn(cg1, id, arrive)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const c = await checkIn(cg1, id, arrive);
    expect(c.json<OrderDetail>().checkIn).toEqual(a.json<OrderDetail>().checkIn);
    const leave = outBody({ confirmation: { kind: 'proxy', note: '女儿代为确认' } });
    const [x, y] = await Promise.all([checkOut(cg1, id, leave), checkOut(cg1, id, leave)]);
    expect([x.statusCode, y.statusCode], `${x.body} ${y.body}`).toEqual([200, 200]);
    expect(y.json<OrderDetail>().eventId).toBe(x.json<OrderDetail>().eventId);
    expect((await checkOut(cg1, id, leave)).json<OrderDetail>().confirmedKind).toBe('proxy');
    const history = await ctx.db.selectFrom('service_order_history').select('action').where('order_id', '=', id).orderBy('id').execute();
    expect(history.map((h) => h.action)).toEqual(['checked_in', 'checked_out', 'confirmed']);
    expect(await ctx.db.selectFrom('care_events').select('id').where('source', '=', 'services').where('source_id', '=', id).execute()).toHaveLength(1);
    // a new check-out (another clientId) of a checked-out order is refused, naming when it was checked out
    expect(errorCode(await checkOut(cg1, id, outBody()))).toBe('SERVICE_ALREADY_CHECKED_OUT');
  });
});
