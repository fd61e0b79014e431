import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { detect, listAnomalies, raiseOnline, redetect, resolveAnomaly, reviewAnomaly, type DetectContext, type OrderFacts } from './anomalies.js';
import { REASON_CODES, RESOLUTION_CODES, type AnomaliesReply, type AnomalyCodesReply, type AnomalyView } from './anomalies.schema.js';
import { DEFAULT_SERVICE_SETTINGS } from './services.settings.js';

const MIN = 60_000;
const T0 = Date.parse('2026-10-05T01:00:00Z');
const settings = DEFAULT_SERVICE_SETTINGS;

function facts(id: number, over: Partial<OrderFacts> = {}): OrderFacts {
  return {
    id,
    personId: 1,
    period: '2026-10',
    caregiverId: 7,
    scheduledOn: '2026-10-05',
    orderedMinutes: 60,
    entitledFen: 0,
    checkInMs: T0,
    checkOutMs: T0 + 60 * MIN,
    checkInCell: '30.80,120.40',
    checkOutCell: '30.80,120.40',
    checkInDistanceM: 20,
    checkInAccuracyM: 10,
    ...over,
  };
}
const ctxOf = (over: Partial<DetectContext> = {}): DetectContext => ({ settings, entitlements: new Map(), certProblems: new Set(), ...over });
const codes = (m: Map<number, { code: string }[]>, id: number) => (m.get(id) ?? []).map((f) => f.code).sort();

describe('the EVV detector (pure)', () => {
  it('flags a far check-in only beyond farMeters after the reported accuracy', () => {
    const m = detect(
      [facts(1, { checkInDistanceM: 350, checkInAccuracyM: 50 }), facts(2, { checkInDistanceM: 351, checkInAccuracyM: 50, caregiverId: 8 })],
      ctxOf(),
    );
    expect(codes(m, 1)).toEqual([]);
    expect(m.get(2)).toEqual([{ code: 'far_checkin', detail: { distanceM: 351, accuracyM: 50, farMeters: 300 } }]);
  });

  it('flags time on site under 50 % and over 150 % of the ordered minutes, not at the bounds', () => {
    const at = (id: number, minutes: number) => facts(id, { caregiverId: id, checkOutMs: T0 + minutes * MIN });
    const m = detect([at(1, 30), at(2, 29), at(3, 90), at(4, 91)], ctxOf());
    expect([codes(m, 1), codes(m, 2), codes(m, 3), codes(m, 4)]).toEqual([[], ['too_short'], [], ['too_long']]);
    expect(m.get(2)![0]!.detail).toMatchObject({ minutesOnSite: 29, orderedMinutes: 60, ratioPercent: 48 });
  });

  it('flags a caregiver in two visits at once (both), beyond the tolerance, and not back-to-back visits', () => {
    const a = facts(1);
    const touching = facts(2, { checkInMs: T0 + 60 * MIN, checkOutMs: T0 + 120 * MIN });
    expect(codes(detect([a, touching], ctxOf()), 2)).toEqual([]);
    const overlapping = facts(3, { checkInMs: T0 + 50 * MIN, checkOutMs: T0 + 110 * MIN });
    const m = detect([a, overlapping], ctxOf());
    expect(m.get(1)).toContainEqual({ code: 'overlap', detail: { otherOrderId: 3, overlapMinutes: 10 } });
    expect(m.get(3)).toContainEqual({ code: 'overlap', detail: { otherOrderId: 1, overlapMinutes: 10 } });
    // a tolerance of 10 minutes lets it pass
    const tolerant = detect([a, overlapping], ctxOf({ settings: { ...settings, overlapToleranceMinutes: 10 } }));
    expect(codes(tolerant, 3)).toEqual([]);
    // another caregiver at the same time is no overlap
    expect(codes(detect([a, facts(4, { caregiverId: 9, checkInMs: T0 + 50 * MIN, checkOutMs: T0 + 110 * MIN })], ctxOf()), 4)).toEqual([]);
    // a visit checked in (not yet out) inside another's time counts from its check-in
    const open = facts(5, { checkInMs: T0 + 30 * MIN, checkOutMs: null });
    expect(detect([a, open], ctxOf()).get(5)).toContainEqual({ code: 'overlap', detail: { otherOrderId: 1, overlapMinutes: 30 } });
  });

  it('flags travel between consecutive visits faster than 60 km/h by the cells’ least distance, never within neighbouring cells', () => {
    const a = facts(1);
    // 0.05° of latitude: 4 cells between = 4.45 km at least; 10 minutes → 27 km/h
    const slow = facts(2, { checkInMs: T0 + 70 * MIN, checkOutMs: T0 + 130 * MIN, checkInCell: '30.85,120.40' });
    expect(codes(detect([a, slow], ctxOf()), 2)).toEqual([]);
    // 3 minutes → 89 km/h
    const fast = facts(3, { checkInMs: T0 + 63 * MIN, checkOutMs: T0 + 123 * MIN, checkInCell: '30.85,120.40' });
    const m = detect([a, fast], ctxOf());
    expect(m.get(3)).toEqual([{ code: 'impossible_travel', detail: { otherOrderId: 1, distanceM: 4448, minutes: 3, speedKmh: 89, maxSpeedKmh: 60 } }]);
    // the neighbouring cell, one minute later: the rounding never makes a flag
    const near = facts(4, { checkInMs: T0 + 61 * MIN, checkOutMs: T0 + 121 * MIN, checkInCell: '30.81,120.41' });
    expect(codes(detect([a, near], ctxOf()), 4)).toEqual([]);
    // no time at all between two places counts (and overlaps)
    const same = facts(5, { checkInMs: T0 + 60 * MIN, checkOutMs: T0 + 120 * MIN, checkInCell: '30.85,120.40' });
    expect(detect([a, same], ctxOf()).get(5)).toContainEqual({
      code: 'impossible_travel',
      detail: { otherOrderId: 1, distanceM: 4448, minutes: 0, speedKmh: null, maxSpeedKmh: 60 },
    });
  });

  it('flags two overlapping visits as an overlap only, never as travel with a negative gap', () => {
    const a = facts(1);
    // checked in 16 minutes before the first visit ended, 4.4 km away
    const b = facts(2, { checkInMs: T0 + 44 * MIN, checkOutMs: T0 + 104 * MIN, checkInCell: '30.85,120.40', checkOutCell: '30.85,120.40' });
    const m = detect([a, b], ctxOf());
    expect(codes(m, 1)).toEqual(['overlap']);
    expect(codes(m, 2)).toEqual(['overlap']);
    expect(m.get(2)).toEqual([{ code: 'overlap', detail: { otherOrderId: 1, overlapMinutes: 16 } }]);
    // within the overlap tolerance the pair is no overlap; the travel between is then measured
    // from no time at all (never a negative gap)
    const tolerant = detect([a, b], ctxOf({ settings: { ...settings, overlapToleranceMinutes: 20 } }));
    expect(codes(tolerant, 1)).toEqual([]);
    expect(tolerant.get(2)).toEqual([{ code: 'impossible_travel', detail: { otherOrderId: 1, distanceM: 4448, minutes: 0, speedKmh: null, maxSpeedKmh: 60 } }]);
    // a third visit after both: travel measured from the one that ended last, not negative
    const c = facts(3, { checkInMs: T0 + 100 * MIN, checkOutMs: T0 + 160 * MIN, checkInCell: '30.80,120.40', checkOutCell: '30.80,120.40' });
    const m3 = detect([a, b, c], ctxOf());
    for (const list of m3.values())
      for (const f of list) if (f.code === 'impossible_travel') expect(f.detail.minutes as number, JSON.stringify(f)).toBeGreaterThanOrEqual(0);
    expect(codes(m3, 3)).toEqual(['overlap']);
  });

  it('gives every figure of a detail with what shows its unit (per reason, the keys the console labels)', () => {
    const all = detect(
      [
        facts(1, { checkInDistanceM: 900, checkInAccuracyM: 20, checkOutMs: T0 + 20 * MIN }),
        facts(2, { checkInMs: T0 + 10 * MIN, checkOutMs: T0 + 200 * MIN, checkInCell: '30.85,120.40' }),
        facts(3, { caregiverId: 8, checkInMs: T0, checkOutMs: T0 + 60 * MIN }),
        facts(4, { caregiverId: 8, checkInMs: T0 + 62 * MIN, checkOutMs: T0 + 122 * MIN, checkInCell: '30.90,120.40' }),
        facts(5, { caregiverId: null, checkInMs: null, checkOutMs: null, entitledFen: 3000, personId: 9 }),
      ],
      ctxOf({ certProblems: new Set(['7|2026-10-05']) }),
    );
    const keys = new Map<string, string[]>();
    for (const list of all.values()) for (const f of list) keys.set(f.code, Object.keys(f.detail).sort());
    expect(Object.fromEntries(keys)).toEqual({
      far_checkin: ['accuracyM', 'distanceM', 'farMeters'],
      too_short: ['minutesOnSite', 'orderedMinutes', 'ratioPercent', 'shortPercent'],
      too_long: ['longPercent', 'minutesOnSite', 'orderedMinutes', 'ratioPercent'],
      overlap: ['otherOrderId', 'overlapMinutes'],
      impossible_travel: ['distanceM', 'maxSpeedKmh', 'minutes', 'otherOrderId', 'speedKmh'],
      over_entitlement: ['amountFen', 'entitledFen', 'usedFen'],
      cert_expired: ['caregiverId', 'date'],
    });
  });

  it('flags the orders of a person-month beyond its entitlement, by date, and none within it', () => {
    const o = (id: number, on: string, fen: number) => facts(id, { caregiverId: null, checkInMs: null, checkOutMs: null, scheduledOn: on, entitledFen: fen });
    const orders = [o(3, '2026-10-20', 3000), o(1, '2026-10-02', 3000), o(2, '2026-10-10', 0)];
    expect(detect(orders, ctxOf({ entitlements: new Map([['1|2026-10', 6000]]) })).size).toBe(0);
    const m = detect(orders, ctxOf({ entitlements: new Map([['1|2026-10', 5000]]) }));
    expect([...m.keys()]).toEqual([3]);
    expect(m.get(3)).toEqual([{ code: 'over_entitlement', detail: { entitledFen: 3000, usedFen: 6000, amountFen: 5000 } }]);
    // no entitlement row: the month has 0
    expect([...detect(orders, ctxOf()).keys()].sort()).toEqual([1, 3]);
  });

  it('flags a visit by a caregiver with no valid certificate on the date, and only visits made', () => {
    const made = facts(1);
    const notYet = facts(2, { checkInMs: null, checkOutMs: null });
    const m = detect([made, notYet], ctxOf({ certProblems: new Set(['7|2026-10-05']) }));
    expect(m.get(1)).toEqual([{ code: 'cert_expired', detail: { caregiverId: 7, date: '2026-10-05' } }]);
    expect(m.has(2)).toBe(false);
  });

  it('names every reason and resolution in both languages, and every fitting resolution exists', () => {
    for (const [code, r] of Object.entries(REASON_CODES)) {
      expect(r.zh && r.en, code).toBeTruthy();
      expect(r.allowed).toContain('not_performed');
      for (const a of r.allowed) expect(RESOLUTION_CODES[a], `${code} → ${a}`).toBeDefined();
    }
    expect(REASON_CODES.far_checkin.allowed).toContain('gps_drift');
    expect(REASON_CODES.far_checkin.allowed).not.toContain('cert_renewed');
    expect(RESOLUTION_CODES.elder_elsewhere.zh).toBe('老人临时不在家（在其他地点服务）');
  });
});

describe.each(dialects)('EVV exceptions on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let provider: Scope;
  let village: string;
  let providerA: number;
  let providerB: number;
  let careA: number;
  let careB: number;
  let careExpired: number;
  let item: number;
  let elder: number;
  let elder2: number;
  let officer: Session;
  let staff: Session;
  let n = 0;

  async function person(name: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${name}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name,
      sex: 'F',
      birth_date: '1940-01-01',
      region_code: village,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function providerRow(name: string) {
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: ctx.regions.counties()[0]!.code,
          region_code: village,
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

  async function caregiver(providerId: number, name: string, expiresOn: string | null) {
    const id = (
      await ctx.db
        .insertInto('service_caregivers')
        .values({ provider_id: providerId, user_id: null, name, phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await ctx.db
      .insertInto('service_certificates')
      .values({ caregiver_id: id, kind: 'caregiver', number: `C-${id}`, issued_on: '2020-01-01', expires_on: expiresOn, added_by: 0, added_at: nowIso() })
      .execute();
    return id;
  }

  /** An order with its EVV numbers, as check-in and check-out leave them. */
  async function order(o: {
    providerId?: number;
    personId?: number;
    caregiverId: number | null;
    on?: string;
    inAt?: number | null;
    outAt?: number | null;
    cell?: string;
    distance?: number;
    accuracy?: number;
    entitled?: number;
  }) {
    const inAt = o.inAt === undefined ? T0 : o.inAt;
    const outAt = o.outAt === undefined ? (inAt === null ? null : inAt + 60 * MIN) : o.outAt;
    const now = nowIso();
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: o.providerId ?? providerA,
          person_id: o.personId ?? elder,
          region_code: village,
          item_id: item,
          period: (o.on ?? '2026-10-05').slice(0, 7),
          scheduled_on: o.on ?? '2026-10-05',
          ordered_minutes: 60,
          price_fen: 5000,
          entitled_fen: o.entitled ?? 0,
          self_paid_fen: 5000 - (o.entitled ?? 0),
          status: inAt === null ? 'assigned' : outAt === null ? 'checked_in' : 'checked_out',
          created_via: 'officer',
          source_id: null,
          caregiver_id: o.caregiverId,
          check_in_at: inAt === null ? null : new Date(inAt).toISOString(),
          check_in_enc: null,
          check_in_cell: inAt === null ? null : (o.cell ?? '30.80,120.40'),
          check_in_accuracy_m: inAt === null ? null : (o.accuracy ?? 10),
          check_in_distance_m: inAt === null ? null : (o.distance ?? 20),
          check_out_at: outAt === null ? null : new Date(outAt).toISOString(),
          check_out_enc: null,
          check_out_cell: outAt === null ? null : (o.cell ?? '30.80,120.40'),
          check_out_accuracy_m: outAt === null ? null : 10,
          check_out_distance_m: outAt === null ? null : 15,
          items_done: null,
          event_id: null,
          rating: null,
          rating_by: null,
          rated_at: null,
          cancel_reason: null,
          note: null,
          created_by: 0,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  const rowsOf = (orderId: number) => ctx.db.selectFrom('service_anomalies').selectAll().where('order_id', '=', orderId).orderBy('code').execute();
  const online = (orderId: number) => ctx.db.transaction().execute((trx) => raiseOnline(ctx, trx, orderId));
  const anomalyId = async (orderId: number, code: string) =>
    (await ctx.db.selectFrom('service_anomalies').select('id').where('order_id', '=', orderId).where('code', '=', code).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    village = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town1.regionPrefix))!.code;
    providerA = await providerRow('甲居家服务中心');
    providerB = await providerRow('乙居家服务中心');
    await ctx.db.updateTable('users').set({ organisation_id: providerA }).where('username', '=', 'provider1').execute();
    provider = await userScope(ctx, 'provider1');
    careA = await caregiver(providerA, '护理员甲', null);
    careB = await caregiver(providerB, '护理员乙', '2030-12-31');
    careExpired = await caregiver(providerA, '护理员丙', '2026-09-30');
    item = (
      await ctx.db
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
        .executeTakeFirstOrThrow()
    ).id;
    elder = await person('测试老人甲');
    elder2 = await person('测试老人乙');
    app = await buildApp(ctx, { serveWeb: false });
    officer = await loginAs(app, 'town1');
    staff = await loginAs(app, 'provider1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('raises a far check-in once at check-in, the time on site at check-out, and an overlap on both visits', async () => {
    const id = await order({ caregiverId: careA, outAt: null, distance: 900, accuracy: 50 });
    expect((await online(id)).map((f) => f.code)).toEqual(['far_checkin']);
    await online(id);
    expect((await rowsOf(id)).map((r) => [r.code, r.status, JSON.parse(r.detail)])).toEqual([
      ['far_checkin', 'open', { distanceM: 900, accuracyM: 50, farMeters: 300 }],
    ]);
    // checked out after 20 minutes of 60
    await ctx.db
      .updateTable('service_orders')
      .set({ status: 'checked_out', check_out_at: new Date(T0 + 20 * MIN).toISOString(), check_out_cell: '30.80,120.40' })
      .where('id', '=', id)
      .execute();
    await online(id);
    expect((await rowsOf(id)).map((r) => r.code)).toEqual(['far_checkin', 'too_short']);
    // the same caregiver checks in elsewhere while that visit ran: both visits carry the overlap
    const other = await order({ caregiverId: careA, inAt: T0 + 10 * MIN, outAt: T0 + 70 * MIN });
    await online(other);
    expect((await rowsOf(other)).map((r) => [r.code, JSON.parse(r.detail).otherOrderId])).toEqual([['overlap', id]]);
    expect((await rowsOf(id)).map((r) => r.code)).toEqual(['far_checkin', 'overlap', 'too_short']);
    // a caregiver of another provider at the same time is nobody's overlap
    const b = await order({ providerId: providerB, caregiverId: careB, inAt: T0 + 5 * MIN });
    await online(b);
    expect(await rowsOf(b)).toEqual([]);
  });

  it('raises an expired certificate on a visit made after it expired', async () => {
    const id = await order({ caregiverId: careExpired, on: '2026-10-06', inAt: T0 + 1440 * MIN });
    expect((await online(id)).map((f) => f.code)).toEqual(['cert_expired']);
  });

  it('detects a month again: an order beyond a lowered entitlement is flagged; restored, the open flag goes and a resolved one stays', async () => {
    const period = '2026-11';
    const first = await order({ caregiverId: null, personId: elder2, on: '2026-11-03', inAt: null, entitled: 3000 });
    const second = await order({ caregiverId: null, personId: elder2, on: '2026-11-10', inAt: null, entitled: 3000 });
    await ctx.db
      .insertInto('service_entitlements')
      .values({ period, person_id: elder2, region_code: village, amount_fen: 5000, items: '[]', run_id: 0 })
      .execute();
    const r = await redetect(ctx, { period });
    expect(r).toMatchObject({ orders: 2, findings: 1, raised: 1, cleared: 0 });
    expect((await rowsOf(second)).map((x) => [x.code, JSON.parse(x.detail)])).toEqual([
      ['over_entitlement', { entitledFen: 3000, usedFen: 6000, amountFen: 5000 }],
    ]);
    expect(await rowsOf(first)).toEqual([]);
    // for one provider: the same answer
    expect(await redetect(ctx, { period, providerId: providerA })).toMatchObject({ orders: 2, findings: 1, raised: 0, cleared: 0 });
    // the run restores the month: the open flag goes
    await ctx.db.updateTable('service_entitlements').set({ amount_fen: 6000 }).where('person_id', '=', elder2).execute();
    expect(await redetect(ctx, { period })).toMatchObject({ findings: 0, cleared: 1 });
    expect(await rowsOf(second)).toEqual([]);
    // lowered again and resolved by the provider: a later restoration never removes it
    await ctx.db.updateTable('service_entitlements').set({ amount_fen: 5000 }).where('person_id', '=', elder2).execute();
    await redetect(ctx, { period });
    await resolveAnomaly(ctx, provider, await anomalyId(second, 'over_entitlement'), { code: 'self_paid_agreed', note: '家属同意自费' });
    await ctx.db.updateTable('service_entitlements').set({ amount_fen: 6000 }).where('person_id', '=', elder2).execute();
    expect(await redetect(ctx, { period })).toMatchObject({ findings: 0, cleared: 0 });
    expect((await rowsOf(second)).map((x) => [x.code, x.status, x.resolution_code])).toEqual([['over_entitlement', 'resolved', 'self_paid_agreed']]);
  });

  it('takes a resolution code that fits the reason from the order’s provider, then an officer’s review; the order is never changed', async () => {
    const id = await order({ caregiverId: careA, on: '2026-10-08', inAt: T0 + 3 * 1440 * MIN, distance: 2000, accuracy: 30 });
    await online(id);
    const anomaly = await anomalyId(id, 'far_checkin');
    const before = await ctx.db.selectFrom('service_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const history = async () => (await ctx.db.selectFrom('service_order_history').select(['action', 'detail']).where('order_id', '=', id).execute()).length;

    // a code that does not fit: refused, saying which fit, nothing written
    const res = await call(app, staff, {
      method: 'POST',
      url: `/api/services/anomalies/${anomaly}/resolve`,
      payload: { code: 'cert_renewed', note: '证书已续' },
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('SERVICE_RESOLUTION_NOT_ALLOWED');
    expect(res.json<{ error: { message: string } }>().error.message).toContain('gps_drift, elder_elsewhere');
    expect(await history()).toBe(0);
    // an officer reviews nothing that was not resolved
    expect(await codeOf(reviewAnomaly(ctx, town1, anomaly, { decision: 'accepted', note: '同意' }))).toBe('SERVICE_ANOMALY_NOT_RESOLVED');
    // an officer does not resolve (the provider's action)
    const byOfficer = await call(app, officer, {
      method: 'POST',
      url: `/api/services/anomalies/${anomaly}/resolve`,
      payload: { code: 'gps_drift', note: 'x' },
    });
    expect(byOfficer.statusCode).toBe(403);

    const ok = await call(app, staff, {
      method: 'POST',
      url: `/api/services/anomalies/${anomaly}/resolve`,
      payload: { code: 'elder_elsewhere', note: '老人在女儿家接受服务' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<AnomalyView>()).toMatchObject({
      status: 'resolved',
      resolutionCode: 'elder_elsewhere',
      resolvedByName: (await ctx.db.selectFrom('users').select('display_name').where('username', '=', 'provider1').executeTakeFirstOrThrow()).display_name,
      personName: '测试老人甲',
    });
    expect(await codeOf(resolveAnomaly(ctx, provider, anomaly, { code: 'gps_drift', note: '再说明' }))).toBe('SERVICE_ANOMALY_NOT_OPEN');

    const reviewed = await call(app, officer, {
      method: 'POST',
      url: `/api/services/anomalies/${anomaly}/review`,
      payload: { decision: 'accepted', note: '核实属实' },
    });
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json<AnomalyView>()).toMatchObject({ status: 'accepted', reviewNote: '核实属实', reviewedByName: expect.any(String) as string });
    expect(await codeOf(reviewAnomaly(ctx, town1, anomaly, { decision: 'rejected', note: '改判' }))).toBe('SERVICE_ANOMALY_NOT_RESOLVED');

    const after = await ctx.db.selectFrom('service_orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const steps = (await ctx.db.selectFrom('service_order_history').select(['action', 'detail']).where('order_id', '=', id).orderBy('id').execute()).map(
      (h) => [h.action, (JSON.parse(h.detail) as { step: string }).step],
    );
    expect(steps).toEqual([
      ['anomaly', 'resolved'],
      ['anomaly', 'accepted'],
    ]);
    // a reviewed exception stays as it is when the month is detected again
    await redetect(ctx, { period: '2026-10' });
    expect((await rowsOf(id)).find((r) => r.code === 'far_checkin')?.status).toBe('accepted');
  });

  it('lists a provider’s staff their own exceptions only, audited with the persons shown; another provider’s is not found', async () => {
    const b = await order({ providerId: providerB, caregiverId: careB, on: '2026-10-09', inAt: T0 + 4 * 1440 * MIN, distance: 5000 });
    await online(b);
    const foreign = await anomalyId(b, 'far_checkin');

    const mine = await call(app, staff, { method: 'GET', url: '/api/services/anomalies?period=2026-10&pageSize=200' });
    expect(mine.statusCode).toBe(200);
    const items = mine.json<AnomaliesReply>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((a) => a.providerId === providerA)).toBe(true);
    expect(items.map((a) => a.id)).not.toContain(foreign);
    // the read is audited, naming the persons shown
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'services.anomalies_read')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect((JSON.parse(audit.detail ?? '{}') as { persons: number[] }).persons).toContain(elder);

    const all = await listAnomalies(ctx, town1, { page: 1, pageSize: 200, period: '2026-10' });
    expect(all.items.map((a) => a.id)).toContain(foreign);
    // open first
    const order_ = all.items.map((a) => (a.status === 'open' ? 0 : a.status === 'resolved' ? 1 : 2));
    expect([...order_].sort()).toEqual(order_);
    expect((await listAnomalies(ctx, town1, { page: 1, pageSize: 200, code: 'cert_expired' })).items.map((a) => a.code)).toEqual(['cert_expired']);
    expect((await listAnomalies(ctx, town1, { page: 1, pageSize: 200, period: '2026-12' })).total).toBe(0);

    expect(await codeOf(resolveAnomaly(ctx, provider, foreign, { code: 'gps_drift', note: '定位漂移' }))).toBe('SERVICE_ANOMALY_NOT_FOUND');
    const res = await call(app, staff, { method: 'POST', url: `/api/services/anomalies/${foreign}/resolve`, payload: { code: 'gps_drift', note: '定位漂移' } });
    expect(res.statusCode).toBe(404);

    const labels = (await call(app, staff, { method: 'GET', url: '/api/services/anomalies/codes' })).json<AnomalyCodesReply>();
    expect(labels.reasons.find((r) => r.code === 'overlap')).toMatchObject({ zh: '同一护理员服务时间重叠' });
    expect(labels.resolutions).toHaveLength(10);
  });
});
