import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { createTicket } from '../alarms/tickets.js';
import { confirmEvent, recordEvent } from '../care-events/care-events.service.js';
import { createFacility } from '../facilities/facilities.service.js';
import { createProvider } from '../services/providers.js';
import type { ComplaintDetail, ComplaintsReply, FileReply, SurveysReply, TrackReply } from './complaints.schema.js';
import { getComplaint } from './handling.js';
import { addDays } from './intake.js';
import { escalateOverdue } from './overdue.js';
import { complaintCountsByTarget, satisfactionByTarget } from './signals.js';
import { answerSurvey, candidatesOf, drawSample, drawSurvey, listSurveys } from './surveys.js';
import { complaintSettingsOf } from './complaints.settings.js';
import { newTrackingNumber, normaliseTracking } from './tracking.js';

describe('tracking numbers (pure)', () => {
  it('carry 80 random bits grouped TS-XXXX-XXXX-XXXX-XXXX, and read back whatever the case, spaces or look-alike letters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = newTrackingNumber();
      expect(n).toMatch(/^TS-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      seen.add(n);
    }
    expect(seen.size).toBe(200);
    expect(normaliseTracking('ts-ab0c-1def-2ghj-3kmn')).toBe('AB0C1DEF2GHJ3KMN');
    expect(normaliseTracking('TS AB0C 1DEF 2GHJ 3KMN')).toBe('AB0C1DEF2GHJ3KMN');
    expect(normaliseTracking('TS-ABOC-IDEF-2GHJ-3KMN')).toBe('AB0C11DEF2GHJ3KMN'.replace('11', '1'));
    expect(normaliseTracking('TS-1234')).toBeNull();
    expect(normaliseTracking('TS-1234-5678-9ABC-DEFU')).toBeNull();
  });
});

describe.each(dialects)('complaints on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let town2: Scope;
  let admin: Scope;
  let op: Scope;
  let officer: Session;
  let bureau: Session;
  let village1: string;
  let providerId: number;

  const count = async (table: 'complaints' | 'complaint_steps' | 'survey_calls') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  // each request from its own address, so that the public routes' rate limits are tested only where meant
  let address = 0;
  const from = () => `10.0.${Math.floor(++address / 250)}.${address % 250}`;
  const file = (payload: Record<string, unknown>, lang = 'zh-CN') =>
    app.inject({ method: 'POST', url: '/api/complaints/public', payload, headers: { 'accept-language': lang }, remoteAddress: from() });
  const track = (trackingNumber: string, remoteAddress = from()) =>
    app.inject({ method: 'POST', url: '/api/complaints/public/track', payload: { trackingNumber }, remoteAddress });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    admin = await userScope(ctx, 'admin');
    op = await userScope(ctx, 'hotline1');
    village1 = (await userScope(ctx, 'vol1')).regionCode;
    providerId = (await createProvider(ctx, countyScope(ctx), { name: '测试居家养老服务社', kind: 'home_service', regionCode: village1 })).id;
    app = await buildApp(ctx, { serveWeb: false });
    officer = await loginAs(app, 'town1');
    bureau = await loginAs(app, 'admin');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('a complaint filed on the public page reaches the town officer, is handled step by step, and only the reply reaches the tracking page', async () => {
    const res = await file({
      targetKind: 'provider',
      targetId: providerId,
      category: 'staff_attitude',
      text: '护理员上门时态度很差，还提前半小时离开，费用<100元也收了。',
      happenedOn: today(),
      contactName: '张阿姨',
      contactPhone: '138 0013 8000',
      consent: true,
    });
    expect(res.statusCode).toBe(201);
    const filed = res.json<FileReply>();
    expect(filed.trackingNumber).toMatch(/^TS-/);
    expect(filed.dueOn).toBe(addDays(today(), complaintSettingsOf(ctx, ctx.regions.counties()[0]!.code).deadlineDays));

    // sealed at rest: the row holds neither the phone, the name, the words nor the tracking number
    const row = await ctx.db.selectFrom('complaints').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    const stored = JSON.stringify(row);
    for (const plain of ['13800138000', '138 0013 8000', '张阿姨', '态度很差', filed.trackingNumber, normaliseTracking(filed.trackingNumber)!])
      expect(stored).not.toContain(plain);
    expect(row.unit_code).toBe(ctx.regions.town(village1)!.code);
    const audit = await ctx.db.selectFrom('audit_log').select(['detail', 'action']).where('action', '=', 'complaints.file').execute();
    expect(JSON.stringify(audit)).not.toContain('13800138000');

    let t = (await track(filed.trackingNumber)).json<TrackReply>();
    expect(t).toMatchObject({ status: 'received', reply: null, dueOn: filed.dueOn });

    // the town officer sees it in the inbox; the other town does not
    const list = (await call(app, officer, { method: 'GET', url: '/api/complaints?open=true' })).json<ComplaintsReply>();
    expect(list.items.map((i) => i.id)).toContain(row.id);
    expect(list.items.find((i) => i.id === row.id)?.target.name).toBe('测试居家养老服务社');
    expect(await codeOf(getComplaint(ctx, town2, row.id))).toBe('COMPLAINT_NOT_FOUND');

    const detail = (await call(app, officer, { method: 'GET', url: `/api/complaints/${row.id}` })).json<ComplaintDetail>();
    expect(detail.text).toContain('费用<100元');
    expect(detail.contactName).toBe('张阿姨');
    expect(detail.contactPhoneMasked).not.toContain('13800138000');
    expect(detail.contactPhoneMasked).toMatch(/\*/);
    const reads = await ctx.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'complaints.detail_read').execute();
    expect(reads.map((r) => r.entity_id)).toContain(String(row.id));

    const post = (path: string, payload: Record<string, unknown>) => call(app, officer, { method: 'POST', url: `/api/complaints/${row.id}/${path}`, payload });
    const town1User = await ctx.db.selectFrom('users').select('id').where('username', '=', 'town1').executeTakeFirstOrThrow();
    expect((await post('assign', { officerId: town1User.id })).json<ComplaintDetail>().status).toBe('assigned');
    // an officer of another town cannot be given it
    const town2User = await ctx.db.selectFrom('users').select('id').where('username', '=', 'town2').executeTakeFirstOrThrow();
    expect(errorCode(await post('assign', { officerId: town2User.id }))).toBe('COMPLAINT_OFFICER_INVALID');
    expect((await post('investigate', {})).json<ComplaintDetail>().status).toBe('investigating');
    await post('notes', { note: '内部备注：已调取服务记录，护理员签退时间早于计划' });
    // closing before a reply is refused and changes nothing
    const early = await post('close', { substantiated: 'yes' });
    expect(early.statusCode).toBe(409);
    expect(errorCode(early)).toBe('COMPLAINT_REPLY_REQUIRED');
    expect((await track(filed.trackingNumber)).json<TrackReply>().status).toBe('investigating');

    expect((await post('reply', { reply: '经核实，护理员确有提前离开，已责令服务机构整改并退还当次费用。' })).json<ComplaintDetail>().status).toBe('replied');
    const closed = (await post('close', { substantiated: 'partly' })).json<ComplaintDetail>();
    expect(closed.status).toBe('closed');
    expect(closed.steps.map((s) => s.kind)).toEqual(['received', 'assigned', 'investigating', 'note', 'replied', 'closed']);
    expect(errorCode(await post('notes', { note: '再补充' }))).toBe('COMPLAINT_CLOSED');

    t = (await track(filed.trackingNumber.toLowerCase())).json<TrackReply>();
    expect(Object.keys(t).sort()).toEqual(['category', 'closedOn', 'dueOn', 'receivedOn', 'repliedOn', 'reply', 'status', 'unit']);
    expect(t).toMatchObject({
      status: 'closed',
      reply: '经核实，护理员确有提前离开，已责令服务机构整改并退还当次费用。',
      repliedOn: today(),
      closedOn: today(),
    });
    expect(t.unit).toBe(ctx.regions.town(village1)!.name);
    expect(JSON.stringify(t)).not.toContain('内部备注');
    expect(JSON.stringify(t)).not.toContain('工作人员');

    const counts = await complaintCountsByTarget(ctx.db, { from: today(), to: today() });
    expect(counts.get(`provider:${providerId}`)).toMatchObject({ received: 1, substantiated: 1, overdue: 0 });
  });

  it('names a facility target with its kind (a day-care centre is not an institution) and a provider with none', async () => {
    const dayCare = await createFacility(ctx, admin, {
      name: '测试日间照料中心',
      kind: 'day_care',
      ownership: 'public',
      regionCode: ctx.regions.town(village1)!.code,
      address: '测试路1号',
      lat: null,
      lng: null,
      grade: null,
      governmentWork: false,
      providerId: null,
      hardshipHome: false,
      active: true,
    });
    const res = await file({
      targetKind: 'facility',
      targetId: dayCare.id,
      category: 'food',
      text: '午饭经常是凉的，说了也不改。',
      contactPhone: '13800138001',
    });
    expect(res.statusCode).toBe(201);
    const list = (await call(app, officer, { method: 'GET', url: `/api/complaints?targetKind=facility&targetId=${dayCare.id}` })).json<ComplaintsReply>();
    expect(list.items[0]!.target).toEqual({ kind: 'facility', id: dayCare.id, name: '测试日间照料中心', facilityKind: 'day_care' });
    const prov = (await call(app, officer, { method: 'GET', url: `/api/complaints?targetKind=provider&targetId=${providerId}` })).json<ComplaintsReply>();
    expect(prov.items[0]?.target.facilityKind).toBeNull();
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const good = { targetKind: 'provider', targetId: providerId, category: 'food', text: '送来的饭菜是凉的，已经连续三天了。' };
    const before = [await count('complaints'), await count('complaint_steps')];
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...good, text: '饭菜<script>alert(1)</script>是凉的' }, 400, 'COMPLAINT_MARKUP', '“What happened”'],
      [{ ...good, text: '<img src=x onerror=alert(1)> 饭菜凉' }, 400, 'COMPLAINT_MARKUP', '“What happened”'],
      [{ ...good, contactName: '<b>王</b>' }, 400, 'COMPLAINT_MARKUP', '“Your name”'],
      [{ ...good, text: '' }, 400, 'VALIDATION', 'text'],
      [{ ...good, text: '太短了' }, 400, 'VALIDATION', 'text'],
      [{ ...good, text: '长'.repeat(2001) }, 400, 'VALIDATION', 'text'],
      [{ ...good, category: 'gossip' }, 400, 'VALIDATION', 'category'],
      [{ ...good, targetId: 999_999 }, 422, 'COMPLAINT_TARGET_NOT_FOUND', '999999'],
      [{ ...good, targetKind: 'facility', targetId: 999_999 }, 422, 'COMPLAINT_TARGET_NOT_FOUND', '999999'],
      [{ ...good, targetKind: 'other', targetId: undefined }, 400, 'COMPLAINT_TARGET_NAME_REQUIRED', 'targetName'],
      [{ ...good, contactPhone: '12ab-xyz-99' }, 400, 'HOTLINE_PHONE_FORMAT', 'contactPhone'],
      [{ ...good, happenedOn: addDays(today(), 3) }, 400, 'COMPLAINT_DATE', 'happenedOn'],
      [
        { ...good, targetKind: 'other', targetId: undefined, targetName: '某家政公司', regionCode: '110101000000' },
        422,
        'COMPLAINT_REGION_UNKNOWN',
        'regionCode',
      ],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await file(payload, 'en');
      expect([res.statusCode, errorCode(res)], JSON.stringify(payload).slice(0, 80)).toEqual([status, code]);
      expect(res.json<{ error: { message: string } }>().error.message).toContain(field);
    }
    // the markup refusal names the field in the complainant's words only (no internal field name); the code is in details
    const markup = (await file({ ...good, text: '护工态度很差<script>alert(1)</script>，晚上不给换尿布。' })).json<{
      error: { message: string; details: unknown };
    }>();
    expect(markup.error.message).toBe('“发生了什么”中含有网页代码（如 <script>、<a>）：请只写文字，未做任何保存');
    expect(markup.error.details).toEqual({ field: 'text' });
    expect([await count('complaints'), await count('complaint_steps')]).toEqual(before);
  });

  it('answers a wrong or guessed tracking number with one plain not-found, the same for every kind of miss, and rate-limits guessing', async () => {
    const misses = ['TS-0000-0000-0000-0000', newTrackingNumber(), 'hello', 'TS-1234'];
    const bodies = new Set<string>();
    for (const n of misses) {
      const res = await track(n);
      expect(res.statusCode).toBe(404);
      expect(errorCode(res)).toBe('COMPLAINT_TRACKING_NOT_FOUND');
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    let limited = 0;
    for (let i = 0; i < 25; i++) if ((await track(newTrackingNumber(), '10.9.9.9')).statusCode === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });

  it('flags a complaint not replied to by its deadline, raises it to the bureau once, and lists it with its days overdue', async () => {
    const filed = (
      await file({ targetKind: 'other', targetName: '某私人托老所', regionCode: village1, category: 'safety', text: '托老所的消防通道被杂物堵死了，很危险。' })
    ).json<FileReply>();
    const row = await ctx.db.selectFrom('complaints').select(['id', 'due_on']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.due_on).toBe(filed.dueOn);
    // not yet due: nothing raised
    expect(await escalateOverdue(ctx, row.due_on)).not.toContain(row.id);
    const later = addDays(row.due_on, 3);
    expect(await escalateOverdue(ctx, later)).toContain(row.id);
    expect(await escalateOverdue(ctx, addDays(later, 1))).not.toContain(row.id);
    const steps = await ctx.db.selectFrom('complaint_steps').select('kind').where('complaint_id', '=', row.id).execute();
    expect(steps.filter((s) => s.kind === 'escalated')).toHaveLength(1);
    // move the deadline into the past as the days would, then the bureau's overdue list shows it
    await ctx.db
      .updateTable('complaints')
      .set({ due_on: addDays(today(), -3) })
      .where('id', '=', row.id)
      .execute();
    const list = (await call(app, bureau, { method: 'GET', url: '/api/complaints?overdue=true' })).json<ComplaintsReply>();
    const item = list.items.find((i) => i.id === row.id);
    expect(item).toMatchObject({ daysOverdue: 3, escalatedOn: later });
    const officerList = (await call(app, officer, { method: 'GET', url: '/api/complaints?overdue=true' })).json<ComplaintsReply>();
    expect(officerList.items.map((i) => i.id)).toContain(row.id);
    // a replied one is not overdue any more
    await call(app, officer, { method: 'POST', url: `/api/complaints/${row.id}/reply`, payload: { reply: '已通知托老所清理消防通道，并将复查。' } });
    expect((await call(app, bureau, { method: 'GET', url: '/api/complaints?overdue=true' })).json<ComplaintsReply>().items.map((i) => i.id)).not.toContain(
      row.id,
    );
    expect((await complaintCountsByTarget(ctx.db, { from: today(), to: today() })).size).toBeGreaterThan(0);
  });

  it('a hotline ticket of kind complaint files a complaint in the same transaction, with the caller sealed; the officer classifies it', async () => {
    const before = await count('complaints');
    const ticket = await createTicket(ctx, op, {
      kind: 'complaint',
      subject: '投诉助餐点饭菜变质',
      callerPhone: '13912345678',
      callerName: '李先生',
      notes: '老人吃后腹泻',
    });
    expect(await count('complaints')).toBe(before + 1);
    const row = await ctx.db.selectFrom('complaints').selectAll().where('source', '=', 'hotline').where('source_id', '=', ticket.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13912345678');
    expect(ctx.cipher.decrypt(row.contact_phone_enc!)).toBe('13912345678');
    expect(ctx.cipher.decrypt(row.text_enc)).toContain('老人吃后腹泻');
    // the operator is given the complaint's tracking number once, to read out to the caller, and it tracks the complaint
    expect(ticket.complaintTracking).toMatch(/^TS(-[0-9A-Z]{4}){4}$/);
    const tracked = await track(ticket.complaintTracking!);
    expect(tracked.statusCode, tracked.body).toBe(200);
    expect(tracked.json<TrackReply>()).toMatchObject({ status: 'received' });
    // a consultation files nothing and has no tracking number
    const consultation = await createTicket(ctx, op, { kind: 'consultation', subject: '咨询补贴政策' });
    expect(consultation.complaintTracking).toBeNull();
    expect(await count('complaints')).toBe(before + 1);
    // the bureau (the call names no person: the county's) classifies it as about the provider
    const res = await call(app, bureau, {
      method: 'POST',
      url: `/api/complaints/${row.id}/classify`,
      payload: { targetKind: 'provider', targetId: providerId, category: 'food' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<ComplaintDetail>()).toMatchObject({ source: 'hotline', category: 'food', target: { kind: 'provider', id: providerId } });
  });

  it('draws a reproducible monthly survey sample from verified services, records answers, and a "not given" answer opens a complaint', async () => {
    const period = today().slice(0, 7);
    const cgUser = await ctx.db.selectFrom('users').select('id').where('username', '=', 'caregiver1').executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('service_caregivers')
      .values({ provider_id: providerId, user_id: cgUser.id, name: '护理员', phone_enc: null, skill_level: 3, active: 1, created_at: nowIso() })
      .execute();
    const persons: number[] = [];
    for (let i = 0; i < 6; i++) {
      const now = nowIso();
      const p = await ctx.db
        .insertInto('persons')
        .values({
          id_hash: `h-${randomUUID()}`,
          id_enc: 'x',
          id_masked: `330503********${String(i).padStart(4, '0')}`,
          name: `回访${i}`,
          sex: 'F',
          birth_date: '1940-01-01',
          region_code: village1,
          hukou_local: 1,
          phone_enc: null,
          phone_masked: null,
          status: 'active',
          closed_on: null,
          hardship: 'none',
          provenance: '{}',
          created_at: now,
          updated_at: now,
        } as NewPerson)
        .returning('id')
        .executeTakeFirstOrThrow();
      persons.push(p.id);
      const end = new Date(Date.now() - 60_000 * (i + 1));
      const { id } = await ctx.db.transaction().execute((trx) =>
        recordEvent(ctx, trx, {
          clientId: randomUUID(),
          kind: 'service',
          source: 'complaints-test',
          sourceId: null,
          performer: { id: cgUser.id, role: 'caregiver' },
          personId: p.id,
          regionCode: village1,
          mode: 'home',
          startedAt: new Date(end.getTime() - 3_600_000).toISOString(),
          endedAt: end.toISOString(),
          findings: [],
        }),
      );
      // one left unconfirmed: not a candidate
      if (i < 5) await confirmEvent(ctx, town1, id, { kind: 'officer' });
    }
    const candidates = (await candidatesOf(ctx, period, ctx.regions.counties()[0]!.code)).filter((c) => c.targetId === providerId);
    expect(candidates).toHaveLength(5);
    const draw = await drawSurvey(ctx, admin, period, 'seed-for-test');
    expect(draw).toMatchObject({ created: true, seed: 'seed-for-test' });
    // min 3 per provider: 3 of 5 drawn; re-running the seed gives the same calls
    const calls = await ctx.db
      .selectFrom('survey_calls')
      .select(['id', 'event_id'])
      .where('draw_id', '=', draw.id)
      .where('target_id', '=', providerId)
      .orderBy('event_id')
      .execute();
    expect(calls).toHaveLength(3);
    const again = drawSample(
      'seed-for-test',
      await candidatesOf(ctx, period, ctx.regions.counties()[0]!.code),
      complaintSettingsOf(ctx, ctx.regions.counties()[0]!.code).survey,
    ).filter((c) => c.targetId === providerId);
    expect(again.map((c) => c.eventId).sort((a, b) => a - b)).toEqual(calls.map((c) => c.event_id));
    expect(
      drawSample('another-seed', candidates, { ...complaintSettingsOf(ctx, ctx.regions.counties()[0]!.code).survey, minPerProvider: 1, percent: 20 }),
    ).toHaveLength(1);
    expect((await drawSurvey(ctx, admin, period)).created).toBe(false);

    const list = await listSurveys(ctx, op, { period, page: 1, pageSize: 50 });
    expect(list.items.filter((i) => i.target.id === providerId)).toHaveLength(3);
    expect(list.questions.map((q) => q.key)).toEqual(['overall', 'punctuality', 'attitude', 'quality']);

    const [c1, c2, c3] = calls;
    expect(await codeOf(answerSurvey(ctx, op, c1!.id, { outcome: 'answered', given: 'yes', via: 'hotline' }))).toBe('SURVEY_SCORES_REQUIRED');
    expect(
      (
        await answerSurvey(ctx, op, c1!.id, {
          outcome: 'answered',
          given: 'yes',
          answers: { overall: 5, punctuality: 4, attitude: 5, quality: 4 },
          via: 'hotline',
        })
      ).percent,
    ).toBe(88);
    expect(await codeOf(answerSurvey(ctx, op, c1!.id, { outcome: 'unreachable', via: 'hotline' }))).toBe('SURVEY_CALL_ANSWERED');
    const no = await answerSurvey(ctx, town1, c2!.id, { outcome: 'answered', given: 'no', note: '老人说那天没人来', via: 'officer' });
    expect(no.complaintId).not.toBeNull();
    const complaint = await getComplaint(ctx, town1, no.complaintId!);
    expect(complaint).toMatchObject({ source: 'survey', category: 'fraud', target: { kind: 'provider', id: providerId } });
    await answerSurvey(ctx, town1, c3!.id, { outcome: 'unreachable', via: 'officer' });

    const sat = await satisfactionByTarget(ctx.db, { from: today(), to: today() });
    expect(sat.get(`provider:${providerId}`)).toEqual({ responses: 1, meanPercent: 88 });
    const flagged = (await call(app, officer, { method: 'GET', url: `/api/complaints/surveys?flagged=true&period=${period}` })).json<SurveysReply>();
    expect(flagged.items.map((i) => i.id)).toEqual([c2!.id]);
    expect(flagged.items[0]!.complaintId).toBe(no.complaintId);
  });
});
