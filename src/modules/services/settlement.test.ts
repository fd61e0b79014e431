import { createHash, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, periodBounds, previousPeriod, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { recordEvent, voidEvent } from '../care-events/care-events.service.js';
import { coverage } from './coverage.js';
import { drawSample } from './feedback.js';
import { computeMonth, redetectFirst, totalsOf } from './settlement.js';
import type { CoverageReply, DrawReply, FeedbackReply, SettlementDetail, SettlementHeader, SettlementsReply } from './settlement.schema.js';
import { fixZipTimes, statementXlsx } from './settlement.xlsx.js';

describe('statement zip times (pure)', () => {
  it('rewrites every entry time, so a zip written at another moment comes out the same', async () => {
    const make = async (at: Date) => {
      const z = new JSZip();
      z.file('a.txt', 'alpha', { date: at });
      z.file('b/c.xml', '<x/>', { date: at });
      return Buffer.from(await z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    };
    const fixed = new Date('2026-10-01T02:03:04Z');
    const a = await make(new Date('2020-01-01T00:00:00Z'));
    const b = await make(new Date('2025-06-07T08:09:10Z'));
    expect(a.equals(b)).toBe(false);
    const fa = fixZipTimes(a, fixed);
    expect(fa.equals(fixZipTimes(b, fixed))).toBe(true);
    // still a zip with the same content, dated by the fixed instant (Beijing wall clock)
    const back = await JSZip.loadAsync(fa);
    expect(await back.file('a.txt')!.async('string')).toBe('alpha');
    const d = back.file('b/c.xml')!.date;
    expect([d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()]).toEqual([2026, 10, 1, 10, 3]);
  });

  it('draws ceil(n × percent / 100) by the hash rank, the same whatever the order of the input', () => {
    const ids = Array.from({ length: 41 }, (_, i) => i + 1);
    const a = drawSample('2026-09', 7, ids, 5);
    expect(a).toHaveLength(3);
    expect(drawSample('2026-09', 7, [...ids].reverse(), 5)).toEqual(a);
    expect(drawSample('2026-09', 8, ids, 5)).not.toEqual(a);
    expect(drawSample('2026-09', 7, ids, 0)).toEqual([]);
    expect(drawSample('2026-09', 7, [], 5)).toEqual([]);
  });
});

describe.each(dialects)('services settlement on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Scope;
  let adminS: Session;
  let townS: Session;
  let hotlineS: Session;
  let staffB: Session;
  let county: string;
  let village1: string;
  let village2: string;
  let adminId: number;
  let providerA: number;
  let providerB: number;
  let itemClean: number;
  let caregiver: number;
  const persons: number[] = [];
  let elderTown2: number;
  const thisMonth = today().slice(0, 7);
  const P2 = previousPeriod(thisMonth);
  const P1 = previousPeriod(P2);
  let n = 0;

  async function person(region: string, birth = '1940-01-01') {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-settle-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `结算老人${n}`,
      sex: 'F',
      birth_date: birth,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: `138****${String(n).padStart(4, '0')}`,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  async function provider(name: string) {
    return (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name,
          jurisdiction: county,
          region_code: county,
          kind: 'home_service',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active: 1,
          created_by: adminId,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  /** An order with its facts written directly (the settlement reads only these). */
  /** each order its own hour of its day (no caregiver overlaps), all in one ~1 km cell (no travel) */
  let hour = 0;
  const CELL = '30.85,120.40';
  async function order(o: {
    providerId?: number;
    personId?: number;
    period: string;
    day?: number;
    status: string;
    entitled?: number;
    region?: string;
    distanceM?: number;
  }) {
    const scheduled = `${o.period}-${String(o.day ?? 10).padStart(2, '0')}`;
    const done = o.status === 'checked_out' || o.status === 'rated';
    const hh = String(hour++ % 20).padStart(2, '0');
    const period = o.period;
    for (const p of [o.personId ?? persons[0]!]) {
      const has = await ctx.db.selectFrom('service_entitlements').select('id').where('person_id', '=', p).where('period', '=', period).executeTakeFirst();
      if (!has)
        await ctx.db
          .insertInto('service_entitlements')
          .values({ period, person_id: p, region_code: village1, amount_fen: 1_000_000, items: '["nx-11"]', run_id: 0 })
          .execute();
    }
    return (
      await ctx.db
        .insertInto('service_orders')
        .values({
          client_id: randomUUID(),
          provider_id: o.providerId ?? providerA,
          person_id: o.personId ?? persons[0]!,
          region_code: o.region ?? village1,
          item_id: itemClean,
          period: o.period,
          scheduled_on: scheduled,
          ordered_minutes: 60,
          price_fen: 5_000,
          entitled_fen: o.entitled ?? 5_000,
          self_paid_fen: 5_000 - (o.entitled ?? 5_000),
          status: o.status,
          created_via: 'officer',
          source_id: null,
          caregiver_id: o.status === 'created' ? null : caregiver,
          check_in_at: done || o.status === 'checked_in' ? `${scheduled}T${hh}:00:00.000Z` : null,
          check_in_enc: null,
          check_in_cell: done ? CELL : null,
          check_in_accuracy_m: done ? 10 : null,
          check_in_distance_m: done ? (o.distanceM ?? 20) : null,
          check_out_at: done ? `${scheduled}T${hh}:58:00.000Z` : null,
          check_out_enc: null,
          check_out_cell: done ? CELL : null,
          check_out_accuracy_m: null,
          check_out_distance_m: null,
          items_done: done ? '["clean_home"]' : null,
          event_id: null,
          rating: null,
          rating_by: null,
          rated_at: null,
          cancel_reason: o.status === 'cancelled' ? '老人住院' : null,
          note: null,
          created_by: adminId,
          created_at: nowIso(),
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  async function anomaly(orderId: number, code: string, status: string, resolution: string | null = null) {
    const o = await ctx.db.selectFrom('service_orders').select(['provider_id', 'region_code']).where('id', '=', orderId).executeTakeFirstOrThrow();
    return (
      await ctx.db
        .insertInto('service_anomalies')
        .values({
          order_id: orderId,
          provider_id: o.provider_id,
          region_code: o.region_code,
          code,
          detail: '{}',
          status,
          resolution_code: resolution,
          resolution_note: resolution ? '说明' : null,
          resolved_by: resolution ? adminId : null,
          resolved_at: resolution ? nowIso() : null,
          reviewed_by: status === 'accepted' || status === 'rejected' ? adminId : null,
          reviewed_at: status === 'accepted' || status === 'rejected' ? nowIso() : null,
          review_note: null,
          raised_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  type OrderKey =
    'accepted' | 'notDone' | 'open' | 'resolved' | 'acceptedAnomaly' | 'rejectedAnomaly' | 'notPerformed' | 'cancelled' | 'voided' | 'otherProvider';
  const o = {} as Record<OrderKey, number>;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    admin = await userScope(ctx, 'admin');
    adminId = admin.userId!;
    county = ctx.regions.counties()[0]!.code;
    village1 = (await userScope(ctx, 'grid1')).regionCode;
    const town2 = await userScope(ctx, 'town2');
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    for (let i = 0; i < 6; i++) persons.push(await person(village1));
    elderTown2 = await person(village2);
    await person(village1, '1976-03-03'); // under 60: not an elder
    providerA = await provider('安康居家服务中心');
    providerB = await provider('福寿居家服务社');
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
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    caregiver = (
      await ctx.db
        .insertInto('service_caregivers')
        .values({ provider_id: providerA, user_id: null, name: '护理员王芳', phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    // a caregiver with a valid certificate (else every visit is cert_expired)
    await ctx.db
      .insertInto('service_certificates')
      .values({
        caregiver_id: caregiver,
        kind: 'caregiver',
        number: 'ZJ-2020-001',
        issued_on: '2020-01-01',
        expires_on: null,
        added_by: adminId,
        added_at: nowIso(),
      })
      .execute();
    // a provider B staff account with its organisation on record
    await ctx.db.updateTable('users').set({ organisation_id: providerB }).where('username', '=', 'provider1').execute();

    // P1 (a closed month later): every kind of line
    o.accepted = await order({ period: P1, status: 'checked_out', day: 3 });
    o.notDone = await order({ period: P1, status: 'assigned', day: 4 });
    // 1 km from the home with a 10 m fix: the detector raises far_checkin on it (and keeps it)
    o.open = await order({ period: P1, status: 'checked_out', day: 5, personId: persons[1]!, distanceM: 1_000 });
    o.resolved = await order({ period: P1, status: 'checked_out', day: 6, personId: persons[2]! });
    o.acceptedAnomaly = await order({ period: P1, status: 'rated', day: 7, entitled: 3_000 });
    o.rejectedAnomaly = await order({ period: P1, status: 'checked_out', day: 8 });
    o.notPerformed = await order({ period: P1, status: 'checked_out', day: 9 });
    o.cancelled = await order({ period: P1, status: 'cancelled', day: 10 });
    o.voided = await order({ period: P1, status: 'checked_out', day: 11, personId: persons[3]! });
    o.otherProvider = await order({ period: P1, status: 'checked_out', providerId: providerB, personId: persons[4]! });
    await anomaly(o.resolved, 'too_short', 'resolved', 'shortened_by_elder');
    await anomaly(o.acceptedAnomaly, 'too_long', 'accepted', 'extended_need');
    await anomaly(o.rejectedAnomaly, 'overlap', 'rejected', 'record_error');
    await anomaly(o.notPerformed, 'far_checkin', 'resolved', 'not_performed');
    // a verified event of the order, voided by an officer
    const performer = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'provider1').executeTakeFirstOrThrow()).id;
    const ev = await ctx.db.transaction().execute((trx) =>
      recordEvent(ctx, trx, {
        clientId: randomUUID(),
        kind: 'service',
        source: 'services',
        sourceId: o.voided,
        performer: { id: performer, role: 'provider' },
        personId: persons[3]!,
        regionCode: village1,
        mode: 'home',
        startedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        endedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
        findings: [],
      }),
    );
    await ctx.db.updateTable('service_orders').set({ event_id: ev.id }).where('id', '=', o.voided).execute();
    await voidEvent(ctx, admin, ev.id, '记录有误');

    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    adminS = await loginAs(app, 'admin');
    townS = await loginAs(app, 'town1');
    hotlineS = await loginAs(app, 'hotline1');
    staffB = await loginAs(app, 'provider1');
  }, 120_000);
  afterAll(async () => {
    vi.useRealTimers();
    await app?.close();
    await ctx?.cleanup();
  });

  const detail = async (providerId: number, period: string, s = adminS) => {
    const res = await call(app, s, { method: 'GET', url: `/api/services/settlements/${providerId}/${period}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SettlementDetail>();
  };
  /** The amount on the statement's totals row whose label contains `label`. */
  const cellRight = async (bytes: Buffer, label: string) => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    let found: unknown;
    wb.worksheets[0]!.eachRow((row) => {
      const text = String(row.getCell(2).value ?? '');
      if (text.includes(label)) row.eachCell((c, col) => col > 2 && typeof c.value === 'number' && (found = c.value));
    });
    return found;
  };
  const statement = async (providerId: number, period: string) => {
    const res = await call(app, adminS, { method: 'GET', url: `/api/services/settlements/${providerId}/${period}/statement.xlsx` });
    expect(res.statusCode).toBe(200);
    return { bytes: res.rawPayload, sha: String(res.headers['x-statement-sha256']) };
  };

  it('gives each order of the month one line: accepted, rejected or held, with its reasons and amount', async () => {
    // the anomalies as the detector finds them on the orders' facts (the routes run it first too)
    await redetectFirst(ctx, P1);
    const month = await computeMonth(ctx, ctx.db, providerA, P1);
    const by = new Map(month.lines.map((l) => [l.orderId, l]));
    expect(by.get(o.accepted)).toMatchObject({ outcome: 'accepted', reasons: [], amountFen: 5_000 });
    expect(by.get(o.notDone)).toMatchObject({ outcome: 'rejected', reasons: ['not_completed'], amountFen: 0 });
    expect(by.get(o.open)).toMatchObject({ outcome: 'held', reasons: ['far_checkin'], amountFen: 0 });
    expect(by.get(o.resolved)).toMatchObject({ outcome: 'held', reasons: ['too_short'], amountFen: 0 });
    expect(by.get(o.acceptedAnomaly)).toMatchObject({ outcome: 'accepted', amountFen: 3_000 });
    expect(by.get(o.rejectedAnomaly)).toMatchObject({ outcome: 'rejected', reasons: ['overlap'], amountFen: 0 });
    expect(by.get(o.notPerformed)).toMatchObject({ outcome: 'rejected', reasons: ['far_checkin'], amountFen: 0 });
    expect(by.get(o.voided)).toMatchObject({ outcome: 'rejected', reasons: ['event_voided'], amountFen: 0 });
    expect(by.has(o.cancelled)).toBe(false);
    expect(by.has(o.otherProvider)).toBe(false);
    expect(month).toMatchObject({ accepted: 2, rejected: 4, held: 2, acceptedFen: 8_000 });

    // the same through the API, with names, and an audit entry naming the persons shown
    const d = await detail(providerA, P1);
    expect(d.header).toMatchObject({ status: 'open', accepted: 2, rejected: 4, held: 2, adjustments: 0, payableFen: 8_000, closable: true });
    // the money held back (the two held orders' entitled amounts), shown beside the count; the month has ended: nothing pending
    expect(d.header).toMatchObject({ heldFen: 10_000, pending: 0 });
    // each line says the elder's own part: 50 yuan entitled 30 → 20 self-paid
    expect(d.lines.find((l) => l.orderId === o.acceptedAnomaly)).toMatchObject({ outcome: 'accepted', amountFen: 3_000, selfPaidFen: 2_000 });
    expect(d.lines.find((l) => l.orderId === o.accepted)).toMatchObject({ selfPaidFen: 0 });
    expect(d.lines.find((l) => l.orderId === o.open)).toMatchObject({
      personName: '结算老人2',
      itemNameZh: '助洁',
      caregiverName: '护理员王芳',
      outcome: 'held',
    });
    const entry = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'services.settlement_read')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(entry.detail!).persons).toEqual(expect.arrayContaining([persons[0], persons[1]]));

    const list = await call(app, adminS, { method: 'GET', url: `/api/services/settlements?period=${P1}` });
    expect(list.json<SettlementsReply>().items.find((i) => i.providerId === providerA)).toMatchObject({
      status: 'open',
      accepted: 2,
      payableFen: 8_000,
      heldFen: 10_000,
      pending: 0,
    });
  });

  it('keeps a provider’s staff to their own provider, and the feedback sample from them', async () => {
    const list = await call(app, staffB, { method: 'GET', url: `/api/services/settlements?period=${P1}` });
    expect(list.json<SettlementsReply>().items.map((i) => i.providerId)).toEqual([providerB]);
    const other = await call(app, staffB, { method: 'GET', url: `/api/services/settlements/${providerA}/${P1}` });
    expect(errorCode(other)).toBe('SERVICE_PROVIDER_NOT_FOUND');
    expect((await detail(providerB, P1, staffB)).lines.map((l) => l.orderId)).toEqual([o.otherProvider]);
    expect((await call(app, staffB, { method: 'GET', url: `/api/services/feedback?period=${P1}` })).statusCode).toBe(403);
    // a town officer may read but not close
    expect((await call(app, townS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P1}/close`, payload: {} })).statusCode).toBe(403);
  });

  it('draws the feedback sample reproducibly and idempotently; a "not given" answer holds the line', async () => {
    // 30 checked-out orders in P2: 5 % → 2 calls
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await order({ period: P2, status: 'checked_out', day: 1 + (i % 28), personId: persons[i % 6]! }));
    const first = await call(app, hotlineS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P2}/draw`, payload: {} });
    expect(first.statusCode, first.body).toBe(200);
    const d1 = first.json<DrawReply>();
    expect(d1).toMatchObject({ population: 30, sample: 2, added: 2 });
    expect(d1.orderIds).toEqual([...drawSample(P2, providerA, ids, 5)].sort((a, b) => a - b));
    const again = (await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P2}/draw`, payload: {} })).json<DrawReply>();
    expect(again).toMatchObject({ added: 0, orderIds: d1.orderIds });

    const calls = (await call(app, hotlineS, { method: 'GET', url: `/api/services/feedback?period=${P2}&providerId=${providerA}` })).json<FeedbackReply>();
    expect(calls.items).toHaveLength(2);
    expect(calls.items[0]).toMatchObject({ outcome: 'pending', providerName: '安康居家服务中心', itemNameZh: '助洁' });
    expect(calls.items[0]!.phoneMasked).toMatch(/^138\*{4}\d{4}$/);
    const target = calls.items[0]!;
    const res = await call(app, hotlineS, {
      method: 'POST',
      url: `/api/services/feedback/${target.id}`,
      payload: { outcome: 'not_given', note: '老人说本月没人来' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'not_given', note: '老人说本月没人来' });
    // the note is sealed at rest
    const stored = await ctx.db.selectFrom('service_feedback_calls').select('note_enc').where('id', '=', target.id).executeTakeFirstOrThrow();
    expect(stored.note_enc).not.toContain('没人来');
    const d = await detail(providerA, P2);
    expect(d.lines.find((l) => l.orderId === target.orderId)).toMatchObject({ outcome: 'held', reasons: ['feedback_not_given'], amountFen: 0 });
    expect(d.header).toMatchObject({ sample: 2, calls: 1, notGiven: 1, held: 1, accepted: 29 });
    const unknown = await call(app, hotlineS, { method: 'POST', url: '/api/services/feedback/999999', payload: { outcome: 'given' } });
    expect(errorCode(unknown)).toBe('SERVICE_FEEDBACK_NOT_FOUND');
  });

  it('closes a month once, freezing its lines, and rebuilds its statement byte for byte', async () => {
    const notEnded = await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${thisMonth}/close`, payload: {} });
    expect(errorCode(notEnded)).toBe('SERVICE_SETTLEMENT_NOT_ENDED');
    expect(notEnded.json<{ error: { message: string } }>().error.message).toContain(thisMonth);

    const draft = await statement(providerA, P1);
    const closed = await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P1}/close`, payload: {} });
    expect(closed.statusCode, closed.body).toBe(200);
    const header = closed.json<SettlementHeader>();
    expect(header).toMatchObject({ status: 'closed', accepted: 2, rejected: 4, held: 2, heldFen: 10_000, pending: 0, payableFen: 8_000, closable: false });
    expect(header.statementSha256).toMatch(/^[0-9a-f]{64}$/);
    const frozen = await ctx.db
      .selectFrom('service_settlement_lines')
      .innerJoin('service_settlements', 'service_settlements.id', 'service_settlement_lines.settlement_id')
      .select(['order_id', 'outcome', 'amount_fen'])
      .where('service_settlements.provider_id', '=', providerA)
      .where('service_settlements.period', '=', P1)
      .execute();
    expect(frozen).toHaveLength(8);

    const one = await statement(providerA, P1);
    expect(one.sha).toBe(header.statementSha256);
    expect(createHash('sha256').update(one.bytes).digest('hex')).toBe(header.statementSha256);
    expect(one.bytes.equals(draft.bytes)).toBe(false);
    // minutes later, by the clock: the same bytes (fixed workbook dates and zip entry times)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 5 * 60_000 + 3_000);
    const two = await statement(providerA, P1);
    vi.useRealTimers();
    expect(two.bytes.equals(one.bytes)).toBe(true);
    const zip = await JSZip.loadAsync(two.bytes);
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const strings = (await zip.file('xl/sharedStrings.xml')?.async('string')) ?? '';
    expect(sheet + strings).toContain('结算老人2');
    expect(sheet + strings).not.toContain('草稿');
    // the held money as its own figure (100.00 yuan), and the elder's self-paid part as a column
    expect(strings).toContain('暂缓金额');
    expect(strings).toContain('老人自费(元)');
    expect(await cellRight(two.bytes, '暂缓金额')).toBe(100);

    const again = await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P1}/close`, payload: {} });
    expect(errorCode(again)).toBe('SERVICE_SETTLEMENT_CLOSED');
    expect((await call(app, adminS, { method: 'GET', url: `/api/services/settlements?period=${P1}` })).json<SettlementsReply>().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ providerId: providerA, status: 'closed', payableFen: 8_000, heldFen: 10_000, pending: 0 })]),
    );
  });

  it('pays a late resolution after the close as an adjustment of the next month, and the closed month stays as it was', async () => {
    const before = await statement(providerA, P1);
    // after the close: the open exception is accepted (pay it), a paid order's exception is rejected (take it back)
    await ctx.db
      .updateTable('service_anomalies')
      .set({ status: 'accepted', resolution_code: 'gps_drift', reviewed_by: adminId })
      .where('order_id', '=', o.open)
      .execute();
    await anomaly(o.accepted, 'impossible_travel', 'rejected', 'record_error');

    const p1 = await detail(providerA, P1);
    expect(p1.lines.find((l) => l.orderId === o.open)).toMatchObject({ outcome: 'held', amountFen: 0 });
    expect((await statement(providerA, P1)).bytes.equals(before.bytes)).toBe(true);

    const open2 = await detail(providerA, P2);
    const adj = open2.lines.filter((l) => l.outcome === 'adjustment');
    expect(adj).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ orderId: o.open, amountFen: 5_000, adjustsPeriod: P1, reasons: ['accepted'] }),
        expect.objectContaining({ orderId: o.accepted, amountFen: -5_000, adjustsPeriod: P1, reasons: ['rejected', 'impossible_travel'] }),
      ]),
    );
    expect(adj).toHaveLength(2);

    const closed = (
      await call(app, adminS, { method: 'POST', url: `/api/services/settlements/${providerA}/${P2}/close`, payload: {} })
    ).json<SettlementHeader>();
    expect(closed).toMatchObject({ status: 'closed', accepted: 29, held: 1, adjustments: 2, adjustmentsFen: 0, payableFen: 29 * 5_000 });
    // settled now: closing nothing more gives no further adjustment for P1
    const month3 = await detail(providerA, thisMonth);
    expect(month3.lines.filter((l) => l.outcome === 'adjustment')).toEqual([]);
    const lines = await ctx.db.selectFrom('service_settlement_lines').select(['order_id', 'amount_fen']).where('outcome', '=', 'adjustment').execute();
    expect(totalsOf([]).payableFen).toBe(0);
    expect(lines.map((l) => l.amount_fen).sort((a, b) => a - b)).toEqual([-5_000, 5_000]);
  });

  it('counts coverage by child region: distinct elders served (event not voided) over living residents aged 60+', async () => {
    const year = Number(P1.slice(0, 4));
    const res = await call(app, adminS, { method: 'GET', url: `/api/services/coverage?year=${year}` });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json<CoverageReply>();
    expect(c.targetPercent).toBe(18);
    const town1 = ctx.regions.get(village1)!.parent_code!;
    const row1 = c.rows.find((r) => r.regionCode === town1)!;
    // town 1 has 6 elders (the 49-year-old is not one); served in the year: checked-out orders not voided
    expect(row1.elders).toBe(6);
    const served = new Set(
      (
        await ctx.db
          .selectFrom('service_orders')
          .select(['person_id', 'id'])
          .where('period', 'like', `${year}-%`)
          .where('status', 'in', ['checked_out', 'rated'])
          .where('region_code', '=', village1)
          .execute()
      )
        .filter((r) => r.id !== o.voided)
        .map((r) => r.person_id),
    );
    expect(row1.served).toBe(served.size);
    expect(row1.served).toBeGreaterThan(0);
    expect(row1.percent).toBe(Math.round((served.size * 1000) / 6) / 10);
    // the elder in town 2 is counted there, and served by nobody
    const town2 = ctx.regions.get(village2)!.parent_code!;
    expect(c.rows.find((r) => r.regionCode === town2)).toMatchObject({ elders: 1, served: 0, percent: 0 });
    expect(c.total.elders).toBe(7);
    void elderTown2;

    // a town officer's default is their town, by village; another town is refused
    const t1 = await coverage(ctx, await userScope(ctx, 'town1'), year);
    expect(t1.regionCode).toBe(town1);
    expect(t1.rows.find((r) => r.regionCode === village1)).toMatchObject({ elders: 6, served: served.size });
    expect(await codeOf(coverage(ctx, await userScope(ctx, 'town1'), year, town2))).toBe('SERVICE_COVERAGE_REGION');
  });

  it('shows an open month’s orders not yet due as pending (未完成，不计入), not rejected; rejected not_completed once the month has ended', async () => {
    const day = Number(today().slice(8, 10));
    const last = periodBounds(thisMonth).end;
    const afterMonth = nextDay(last);
    const today1 = await order({ period: thisMonth, status: 'assigned', day, personId: persons[4]! });
    const later = await order({ period: thisMonth, status: 'created', day: Number(last.slice(8, 10)), personId: persons[4]! });
    const inProgress = await order({ period: thisMonth, status: 'checked_in', day, personId: persons[4]! });
    // done today: the entitlement pays nothing of it (all self-paid), or part of it
    const allSelf = await order({ period: thisMonth, status: 'checked_out', day, entitled: 0, personId: persons[5]! });
    const part = await order({ period: thisMonth, status: 'checked_out', day, entitled: 3_000, personId: persons[5]! });

    const d = await detail(providerA, thisMonth);
    const by = new Map(d.lines.map((l) => [l.orderId, l]));
    for (const id of [today1, later, inProgress]) expect(by.get(id)).toMatchObject({ outcome: 'pending', reasons: [], amountFen: 0 });
    expect(by.get(allSelf)).toMatchObject({ outcome: 'accepted', amountFen: 0, selfPaidFen: 5_000 });
    expect(by.get(part)).toMatchObject({ outcome: 'accepted', amountFen: 3_000, selfPaidFen: 2_000 });
    expect(d.header).toMatchObject({ status: 'open', pending: 3, rejected: 0, held: 0, accepted: 2, heldFen: 0, payableFen: 3_000, closable: false });
    const list = await call(app, adminS, { method: 'GET', url: `/api/services/settlements?period=${thisMonth}` });
    expect(list.json<SettlementsReply>().items.find((i) => i.providerId === providerA)).toMatchObject({ pending: 3, rejected: 0 });

    // the draft statement names the pending lines and says the fully self-paid one is so
    const draft = await statement(providerA, thisMonth);
    const strings = (await (await JSZip.loadAsync(draft.bytes)).file('xl/sharedStrings.xml')?.async('string')) ?? '';
    expect(strings).toContain('未完成，不计入');
    expect(strings).toContain('全部自费');

    // a day of the month gone by: an order of that day never checked out is rejected, the later one still pending
    if (nextDay(today()) <= last) {
      const past = await computeMonth(ctx, ctx.db, providerA, thisMonth, nextDay(today()));
      expect(past.lines.find((l) => l.orderId === today1)).toMatchObject({ outcome: 'rejected', reasons: ['not_completed'] });
      expect(past.lines.find((l) => l.orderId === later)).toMatchObject({ outcome: 'pending' });
    }
    // once the month has ended: every order not checked out is rejected 'not_completed', none pending
    const ended = await computeMonth(ctx, ctx.db, providerA, thisMonth, afterMonth);
    expect(ended.pending).toBe(0);
    for (const id of [today1, later, inProgress])
      expect(ended.lines.find((l) => l.orderId === id)).toMatchObject({ outcome: 'rejected', reasons: ['not_completed'] });
    expect(ended).toMatchObject({ accepted: 2, rejected: 3, held: 0, heldFen: 0, acceptedFen: 3_000 });
  });

  it('rebuilds a statement closed before the layout gained its self-paid column and held amount with the layout it was closed with', async () => {
    const s = await ctx.db
      .selectFrom('service_settlements')
      .selectAll()
      .where('provider_id', '=', providerA)
      .where('period', '=', P1)
      .executeTakeFirstOrThrow();
    const now = await statement(providerA, P1);
    expect(now.sha).toBe(s.statement_sha256);
    // the statement as the first layout built it from the same frozen month (the closes before this change kept its hash)
    const d = await detail(providerA, P1);
    const v1 = await statementXlsx(
      {
        county: ctx.regions.counties()[0]!.name,
        providerName: d.header.providerName,
        period: P1,
        closed: true,
        closedAt: s.closed_at,
        lines: d.lines,
        totals: d.header,
      },
      1,
    );
    expect(v1.equals(now.bytes)).toBe(false);
    const v1sha = createHash('sha256').update(v1).digest('hex');
    await ctx.db.updateTable('service_settlements').set({ statement_sha256: v1sha }).where('id', '=', s.id).execute();
    try {
      const old = await statement(providerA, P1);
      expect(old.sha).toBe(v1sha);
      expect(old.bytes.equals(v1)).toBe(true);
    } finally {
      await ctx.db.updateTable('service_settlements').set({ statement_sha256: s.statement_sha256 }).where('id', '=', s.id).execute();
    }
  });
});

function nextDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
