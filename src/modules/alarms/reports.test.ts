import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { Scope } from '../../platform/scope.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs, type Session } from '../../testing/http.js';
import { DEFAULT_HOTLINE_TARGETS } from './alarms.settings.js';
import { ackTargets, alarmReport, drawQuality, hotlineCard, percentile, qualitySample, reportPeriod, targetStatus } from './reports.js';
import type { AlarmReport } from './reports.schema.js';

describe('report arithmetic (pure)', () => {
  it('takes nearest-rank percentiles: the median of an even count is the lower middle, p90 a real value', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    const ten = Array.from({ length: 10 }, (_, i) => (i + 1) * 10);
    expect(percentile(ten, 0.9)).toBe(90);
    expect(percentile([...ten, 1000], 0.9)).toBe(100);
  });

  it('says met only when the exact share reaches the target (974.6 ‰ against 975 ‰ is not met, and shows 97.4 %)', () => {
    const miss = targetStatus('ack', 60, 975, 1000 * 13, 12_670);
    expect(miss.sharePermille).toBe(974);
    expect(miss.met).toBe(false);
    expect(miss.zh).toMatch(/^未达标：60 秒内接警 97\.4%（目标 97\.5%/);
    expect(miss.en).toMatch(/^Not met: 97\.4% acknowledged within 60 s \(target 97\.5%/);
    const hit = targetStatus('ack', 60, 975, 40, 39);
    expect(hit.met).toBe(true);
    expect(hit.zh.startsWith('达标')).toBe(true);
    const none = targetStatus('attend', 45 * 60, 900, 0, 0);
    expect([none.met, none.sharePermille]).toEqual([null, null]);
    expect(none.zh.startsWith('无数据')).toBe(true);
  });

  it('counts an alarm nobody acknowledged as a miss once older than the limit, and not before', () => {
    const now = Date.parse('2026-10-10T00:10:00Z');
    const base = { kind: 'emergency', region_code: 'x', state: 'raised', resolved_at: null, outcome: null, escalation: 0 };
    const rows = [
      { ...base, raised_at: '2026-10-10T00:00:00.000Z', acknowledged_at: '2026-10-10T00:00:30.000Z', state: 'acknowledged' },
      // 5 minutes waiting: missed both limits
      { ...base, raised_at: '2026-10-10T00:05:00.000Z', acknowledged_at: null },
      // 20 s waiting: could still make it, not counted
      { ...base, raised_at: '2026-10-10T00:09:40.000Z', acknowledged_at: null },
    ];
    const [ack, long] = ackTargets(rows, DEFAULT_HOTLINE_TARGETS, now);
    expect([ack!.population, ack!.within]).toEqual([2, 1]);
    expect([long!.population, long!.within]).toEqual([2, 1]);
  });

  it('takes the period in Beijing civil dates, this month by default, and refuses a reversed or too long one', async () => {
    expect(reportPeriod(undefined, undefined, '2026-11-30')).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      start: '2026-10-31T16:00:00.000Z',
      end: '2026-11-30T16:00:00.000Z',
    });
    expect(reportPeriod('2026-09-05', undefined, '2026-11-30')).toMatchObject({ from: '2026-09-05', to: '2026-09-30' });
    expect(await codeOf(Promise.resolve().then(() => reportPeriod('2026-10-02', '2026-10-01')))).toBe('ALARM_REPORT_PERIOD');
    expect(await codeOf(Promise.resolve().then(() => reportPeriod('2025-01-01', '2026-01-02')))).toBe('ALARM_REPORT_PERIOD');
  });

  it('draws the quality sample by sha256(month|operator|ticket), whatever the order of the tickets', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 100);
    const a = drawQuality('2026-10', 7, ids, 5);
    expect(a).toHaveLength(5);
    expect(drawQuality('2026-10', 7, [...ids].reverse(), 5)).toEqual(a);
    const byHand = ids
      .map((id) => ({ id, rank: createHash('sha256').update(`2026-10|7|${id}`).digest('hex') }))
      .sort((x, y) => x.rank.localeCompare(y.rank))
      .slice(0, 5);
    expect(a).toEqual(byHand);
    expect(drawQuality('2026-11', 7, ids, 5)).not.toEqual(a);
  });
});

describe.each(dialects)('alarm and hotline reports on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let county: Scope;
  let town1: string;
  let town2: string;
  let v1: string;
  let v2: string;
  let operators: { hotline1: number; hotline2: number };
  let lead: Session;
  let townS: Session;
  const now = new Date('2026-11-02T04:00:00Z');

  const at = (iso: string, plusSeconds: number) => new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();
  async function alarm(a: {
    kind: string;
    region: string;
    raisedAt: string;
    ackAfter?: number;
    resolveAfter?: number;
    outcome?: 'real' | 'false_alarm' | 'test';
    escalation?: number;
  }) {
    const state = a.resolveAfter !== undefined ? 'resolved' : a.ackAfter !== undefined ? 'acknowledged' : 'raised';
    await ctx.db
      .insertInto('alarms')
      .values({
        person_id: 1,
        region_code: a.region,
        device_id: null,
        rule_key: a.kind,
        kind: a.kind,
        priority: 1,
        state,
        raised_at: a.raisedAt,
        event_count: 1,
        last_event_at: a.raisedAt,
        escalation: a.escalation ?? 0,
        escalated_at: a.escalation ? at(a.raisedAt, 30) : null,
        acknowledged_at: a.ackAfter === undefined ? null : at(a.raisedAt, a.ackAfter),
        acknowledged_by: a.ackAfter === undefined ? null : operators.hotline1,
        resolved_at: a.resolveAfter === undefined ? null : at(a.raisedAt, a.resolveAfter),
        resolved_by: a.resolveAfter === undefined ? null : operators.hotline1,
        outcome: a.outcome ?? null,
        follow_up: null,
        version: 1,
      })
      .execute();
  }
  async function ticket(t: { kind: string; region: string; operator: number; openedAt: string; closedAt?: string; dueAt?: string; personId?: number }) {
    const r = await ctx.db
      .insertInto('hotline_tickets')
      .values({
        kind: t.kind,
        status: t.closedAt ? 'closed' : 'open',
        person_id: t.personId ?? null,
        region_code: t.region,
        caller_phone_enc: null,
        caller_phone_hash: null,
        caller_name: null,
        subject: `${t.kind} call`,
        notes_enc: null,
        alarm_id: null,
        article_id: null,
        follow_up: null,
        operator_id: t.operator,
        opened_at: t.openedAt,
        closed_at: t.closedAt ?? null,
        due_at: t.dueAt ?? null,
        outcome: t.closedAt ? 'answered' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    county = countyScope(ctx);
    const towns = ctx.regions
      .all()
      .filter((r) => r.level === 'town')
      .sort((a, b) => (a.code < b.code ? -1 : 1));
    town1 = (await userScope(ctx, 'town1')).regionCode;
    town2 = (await userScope(ctx, 'town2')).regionCode;
    expect(towns.map((t) => t.code)).toEqual(expect.arrayContaining([town1, town2]));
    v1 = ctx.regions.all().find((r) => r.parent_code === town1)!.code;
    v2 = ctx.regions.all().find((r) => r.parent_code === town2)!.code;
    const ids = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['hotline1', 'hotline2']).execute();
    operators = { hotline1: ids.find((u) => u.username === 'hotline1')!.id, hotline2: ids.find((u) => u.username === 'hotline2')!.id };

    // October 2026 (Beijing): town 1 — ten emergencies acknowledged in 10..100 s, one fall
    // acknowledged after 5 minutes, escalated twice; town 2 — three false alarms and a test
    for (let i = 1; i <= 10; i++)
      await alarm({
        kind: 'emergency',
        region: v1,
        raisedAt: `2026-10-${String(i + 5).padStart(2, '0')}T02:00:00.000Z`,
        ackAfter: i * 10,
        resolveAfter: i * 300,
        outcome: 'real',
      });
    await alarm({ kind: 'fall', region: v1, raisedAt: '2026-10-20T02:00:00.000Z', ackAfter: 300, resolveAfter: 3600, outcome: 'real', escalation: 2 });
    for (let i = 0; i < 3; i++)
      await alarm({
        kind: 'door_night',
        region: v2,
        raisedAt: `2026-10-1${i}T15:00:00.000Z`,
        ackAfter: 20,
        resolveAfter: 120,
        outcome: 'false_alarm',
        escalation: i === 0 ? 1 : 0,
      });
    await alarm({ kind: 'service_request', region: v2, raisedAt: '2026-10-25T03:00:00.000Z', ackAfter: 15, resolveAfter: 60, outcome: 'test' });
    // raised at 00:30 on 1 November, Beijing time (16:30 UTC on 31 October): November's, not October's
    await alarm({ kind: 'emergency', region: v1, raisedAt: '2026-10-31T16:30:00.000Z' });
    // and one still open in November, nobody on it
    await alarm({ kind: 'battery_low', region: v2, raisedAt: '2026-11-01T01:00:00.000Z', escalation: 1 });

    // tickets: complaints (due in 5 days) closed in time, late, open and overdue; consultations of both operators
    await ticket({
      kind: 'complaint',
      region: v1,
      operator: operators.hotline1,
      openedAt: '2026-10-03T02:00:00.000Z',
      dueAt: '2026-10-08T02:00:00.000Z',
      closedAt: '2026-10-05T02:00:00.000Z',
    });
    await ticket({
      kind: 'complaint',
      region: v1,
      operator: operators.hotline1,
      openedAt: '2026-10-04T02:00:00.000Z',
      dueAt: '2026-10-09T02:00:00.000Z',
      closedAt: '2026-10-12T02:00:00.000Z',
    });
    await ticket({ kind: 'complaint', region: v2, operator: operators.hotline2, openedAt: '2026-10-06T02:00:00.000Z', dueAt: '2026-10-11T02:00:00.000Z' });
    for (let i = 0; i < 12; i++)
      await ticket({
        kind: i % 3 === 0 ? 'service_request' : 'consultation',
        region: i % 2 ? v1 : v2,
        operator: i % 4 === 0 ? operators.hotline2 : operators.hotline1,
        openedAt: `2026-10-${String(i + 10).padStart(2, '0')}T03:00:00.000Z`,
        closedAt: `2026-10-${String(i + 10).padStart(2, '0')}T03:10:00.000Z`,
      });
    // return calls due in October: done, unreachable, still open; one due in November
    for (const [status, due] of [
      ['done', '2026-10-06'],
      ['unreachable', '2026-10-07'],
      ['open', '2026-10-30'],
      ['open', '2026-11-01'],
    ] as const)
      await ctx.db
        .insertInto('hotline_callbacks')
        .values({
          person_id: null,
          region_code: v1,
          alarm_id: null,
          ticket_id: null,
          due_on: due,
          status,
          done_at: null,
          done_by: null,
          outcome: null,
          note_enc: null,
          created_at: '2026-10-01T00:00:00.000Z',
        })
        .execute();
    // devices: two active in town 1 (one offline), one offline in town 2, one retired offline (not counted)
    for (const [serial, region, link, status] of [
      ['T-EB-1', v1, 'online', 'active'],
      ['T-EB-2', v1, 'offline', 'active'],
      ['T-MT-3', v2, 'offline', 'active'],
      ['T-MT-4', v2, 'offline', 'retired'],
    ] as const)
      await ctx.db
        .insertInto('alarm_devices')
        .values({
          serial,
          kind: 'emergency_button',
          model: null,
          vendor_id: null,
          person_id: 1,
          region_code: region,
          address_enc: null,
          provider_id: null,
          installed_on: '2026-09-01',
          status,
          retired_on: null,
          last_seen_at: null,
          battery: null,
          link,
          created_by: 1,
          created_at: '2026-09-01T00:00:00.000Z',
        })
        .execute();

    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    lead = await loginAs(app, 'hotlinelead');
    townS = await loginAs(app, 'town1');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('counts October by kind and by town, with times, targets, outcomes, escalations, tickets and return calls', async () => {
    const r = await alarmReport(ctx, county, { from: '2026-10-01', to: '2026-10-31' }, now);
    expect(r.alarms.total).toBe(15);
    const kinds = Object.fromEntries(r.alarms.byKind.map((k) => [k.kind, k.count]));
    expect(kinds).toMatchObject({ emergency: 10, fall: 1, door_night: 3, service_request: 1, no_movement: 0, offline: 0 });
    const t1 = r.alarms.byRegion.find((x) => x.regionCode === town1)!;
    const t2 = r.alarms.byRegion.find((x) => x.regionCode === town2)!;
    expect(t1).toMatchObject({ alarms: 11, emergencies: 11, devicesOffline: 1 });
    expect(t2).toMatchObject({ alarms: 4, emergencies: 0, devicesOffline: 1 });
    expect(r.alarms.byRegion.reduce((n, x) => n + x.tickets, 0)).toBe(15);
    // ack times 10..100 s, 300 s, 20 s ×3, 15 s: 15 values sorted → median the 8th (40 s), p90 the 14th (100 s)
    expect(r.ack).toMatchObject({ count: 15, medianSeconds: 40, p90Seconds: 100, maxSeconds: 300, pending: 0 });
    // resolution: 300..3000 s, 3600, 120 ×3, 60 → median the 8th: 1200 s
    expect(r.resolution).toMatchObject({ count: 15, medianSeconds: 1200 });
    // within 60 s: 6 emergencies + 3 + 1 = 10 of 15 (not met); within 180 s: 14 of 15 (not met)
    const [ack, long, attend] = r.targets;
    expect(ack).toMatchObject({ key: 'ack', population: 15, within: 10, sharePermille: 666, met: false });
    expect(long).toMatchObject({ key: 'ackLong', population: 15, within: 14, met: false });
    // emergencies and falls resolved real within 45 minutes: 9 of 11 (300..2700 s), the 3000 s and 3600 s ones not
    expect(attend).toMatchObject({ key: 'attend', population: 11, within: 9, sharePermille: 818, met: false });
    expect(attend!.zh).toContain('未达标');
    expect(r.outcomes).toEqual({ resolved: 15, real: 11, falseAlarms: 3, tests: 1, falseSharePermille: 200 });
    expect(r.escalations).toEqual({ toAll: 2, toSupervisor: 1 });
    expect(r.devices).toEqual({ active: 3, offline: 2 });
    expect(r.tickets.total).toBe(15);
    expect(Object.fromEntries(r.tickets.byKind.map((k) => [k.kind, k.count]))).toEqual({ consultation: 8, service_request: 4, complaint: 3, emergency: 0 });
    expect(r.complaints).toEqual({ total: 3, closedInTime: 1, closedLate: 1, openOverdue: 1, openInTime: 0, inTimeSharePermille: 333 });
    expect(r.callbacks).toEqual({ due: 3, done: 1, unreachable: 1, open: 1 });
  });

  it('puts an alarm of 00:30 on 1 November (Beijing) in November, and counts the waiting one as a miss', async () => {
    const r = await alarmReport(ctx, county, { from: '2026-11-01', to: '2026-11-02' }, now);
    expect(r.alarms.total).toBe(2);
    expect(r.alarms.open).toBe(2);
    expect(r.ack).toMatchObject({ count: 0, pending: 2, medianSeconds: null });
    expect(r.targets[0]).toMatchObject({ population: 2, within: 0, met: false });
    expect(r.escalations.toAll).toBe(1);
  });

  it('keeps a town officer to their town, and refuses another town or a reversed period (both in words)', async () => {
    const mine = await call(app, townS, { method: 'GET', url: '/api/alarms/reports?from=2026-10-01&to=2026-10-31' });
    expect(mine.statusCode).toBe(200);
    const body = mine.json<AlarmReport>();
    expect(body.regionCode).toBe(town1);
    expect(body.alarms.total).toBe(11);
    expect(body.alarms.byRegion.every((x) => ctx.regions.get(x.regionCode)!.parent_code === town1)).toBe(true);
    const other = await call(app, townS, { method: 'GET', url: `/api/alarms/reports?from=2026-10-01&to=2026-10-31&regionCode=${town2}` });
    expect(other.statusCode).toBe(404);
    expect(other.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'ALARM_REPORT_REGION',
      message: expect.stringContaining(town2) as string,
    });
    const reversed = await call(app, lead, { method: 'GET', url: '/api/alarms/reports?from=2026-10-31&to=2026-10-01' });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json<{ error: { code: string } }>().error.code).toBe('ALARM_REPORT_PERIOD');
    // an operator has no reports
    const op = await loginAs(app, 'hotline1');
    expect((await call(app, op, { method: 'GET', url: '/api/alarms/reports' })).statusCode).toBe(403);
  });

  it('narrows to a town on request and lists its villages', async () => {
    const r = await alarmReport(ctx, county, { from: '2026-10-01', to: '2026-10-31', regionCode: town2 }, now);
    expect(r.alarms.total).toBe(4);
    expect(r.alarms.byRegion.find((x) => x.regionCode === v2)!.alarms).toBe(4);
    expect(r.alarms.byRegion.every((x) => ctx.regions.get(x.regionCode)!.parent_code === town2)).toBe(true);
  });

  it('exports the report as a workbook whose figures are the report’s, in the language asked', async () => {
    const res = await call(app, lead, { method: 'GET', url: '/api/alarms/reports/export.xlsx?from=2026-10-01&to=2026-10-31' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概要', '按类型', '按地区', '工单']);
    const summary = wb.getWorksheet('概要')!;
    const cells = (ws: ExcelJS.Worksheet) => {
      const out: string[] = [];
      ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map(String).join('|')));
      return out;
    };
    const lines = cells(summary);
    expect(lines).toContain('告警总数|15||未办结 0');
    expect(lines.some((l) => l.startsWith('60 秒内接警|66.6%|97.5%|未达标'))).toBe(true);
    expect(lines.some((l) => l.startsWith('接警用时：中位数|40 秒'))).toBe(true);
    expect(cells(wb.getWorksheet('按类型')!)).toContain('紧急呼叫（红键）|10');
    const en = await call(app, lead, { method: 'GET', url: '/api/alarms/reports/export.xlsx?from=2026-10-01&to=2026-10-31&lang=en' });
    const wbEn = new ExcelJS.Workbook();
    await wbEn.xlsx.load(en.rawPayload as unknown as ArrayBuffer);
    expect(cells(wbEn.getWorksheet('Summary')!).some((l) => l.startsWith('Acknowledged within 60 s|66.6%|97.5%|Not met'))).toBe(true);
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'alarms.report_exported').execute();
    expect(audit.length).toBe(2);
  });

  it('draws the quality sample per operator reproducibly, and audits the read naming the elders shown', async () => {
    const person = await ctx.db
      .insertInto('hotline_tickets')
      .values({
        kind: 'consultation',
        status: 'closed',
        person_id: null,
        region_code: v1,
        caller_phone_enc: null,
        caller_phone_hash: null,
        caller_name: null,
        subject: 'x',
        notes_enc: null,
        alarm_id: null,
        article_id: null,
        follow_up: null,
        operator_id: operators.hotline2,
        // 23:30 on 31 October Beijing: October's
        opened_at: '2026-10-31T15:30:00.000Z',
        closed_at: null,
        due_at: null,
        outcome: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const res = await call(app, lead, { method: 'GET', url: '/api/alarms/reports/quality?month=2026-10' });
    expect(res.statusCode).toBe(200);
    const q = res.json<Awaited<ReturnType<typeof qualitySample>>>();
    expect(q.perOperator).toBe(DEFAULT_HOTLINE_TARGETS.qualitySamplePerOperator);
    const ops = Object.fromEntries(q.operators.map((o) => [o.operatorId, o]));
    // hotline1: 2 complaints + 9 calls; hotline2: 1 complaint + 3 calls + the late-evening one
    expect(ops[operators.hotline1]!.tickets).toBe(11);
    expect(ops[operators.hotline2]!.tickets).toBe(5);
    expect(ops[operators.hotline1]!.operatorName).toBe('12349 热线接线员');
    for (const o of q.operators) {
      const ids = (
        await ctx.db
          .selectFrom('hotline_tickets')
          .select('id')
          .where('operator_id', '=', o.operatorId)
          .where('opened_at', '<', '2026-10-31T16:00:00.000Z')
          .execute()
      ).map((t) => t.id);
      expect(o.sample.map((s) => s.ticketId)).toEqual(drawQuality('2026-10', o.operatorId, ids, 5).map((d) => d.id));
      expect(o.sample.length).toBe(Math.min(5, o.tickets));
    }
    expect(ops[operators.hotline2]!.sample.map((s) => s.ticketId)).toContain(person.id);
    const entry = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'alarms.quality_read')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    expect(entry).toMatchObject({ actor: 'hotlinelead', entity_type: 'hotline_ticket' });
    // the same month drawn again gives the same sample
    const again = await call(app, lead, { method: 'GET', url: '/api/alarms/reports/quality?month=2026-10' });
    expect(again.json<typeof q>().operators).toEqual(q.operators);
  });

  it('gives the workbench the queue now and this month’s acknowledgement share', async () => {
    const card = await hotlineCard(ctx, county, now);
    expect(card).toMatchObject({ openAlarms: 2, raised: 2, escalated: 1, callbacksDue: 2, monthAlarms: 2, ackSeconds: 60, ackSharePermille: 0, ackMet: false });
    const town = await hotlineCard(ctx, await userScope(ctx, 'town2'), now);
    expect(town).toMatchObject({ openAlarms: 1, callbacksDue: 0 });
  });
});
