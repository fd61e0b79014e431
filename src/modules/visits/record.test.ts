import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { errorCatalogue } from '../../platform/errors.js';
import { nowIso, today } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { demoAccounts } from '../demo/seed.js';
import type { RecordReply, TodayReply, PersonVisitsReply } from './record.schema.js';
import { DEFAULT_VISIT_SETTINGS } from './visits.settings.js';

/** A 1×1 PNG: an image care-events accepts. */
const PNG_1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const VILLAGE1 = demoAccounts().find((a) => a.username === 'grid1')!.regionCode;

const addDays = (on: string, days: number) => new Date(Date.parse(`${on}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe.each(dialects)('recording visits on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let grid: Session;
  let head: Session;
  let gridId: number;
  let n = 0;

  async function person(key: string, extra: Partial<NewPerson> = {}) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `探访${key}`,
      sex: 'F',
      birth_date: '1940-03-01',
      region_code: VILLAGE1,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: '138****0000',
      status: 'active',
      closed_on: null,
      hardship: 'none',
      living_alone: 1,
      provenance: '{}',
      created_at: now,
      updated_at: now,
      ...extra,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A plan member with a due for the window [start, end] (visits is this module: rows directly). */
  async function member(personId: number, window: { start: string; end: string }, opts: { modes?: string[]; status?: string; plan?: string } = {}) {
    const plan = opts.plan ?? 'weekly_high_risk';
    const m = await ctx.db
      .insertInto('visit_plan_members')
      .values({
        person_id: personId,
        region_code: VILLAGE1,
        plan_key: plan,
        frequency: plan === 'weekly_high_risk' ? 'weekly' : 'monthly',
        modes: JSON.stringify(opts.modes ?? ['home', 'phone', 'video']),
        high_risk: plan === 'weekly_high_risk' ? 1 : 0,
        rule: 'test',
        joined_on: '2026-01-01',
        left_on: null,
        left_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const dueId = await due(personId, m.id, window, opts.status ?? 'open', plan);
    return { memberId: m.id, dueId };
  }

  async function due(personId: number, memberId: number, window: { start: string; end: string }, status: string, plan = 'weekly_high_risk') {
    const d = await ctx.db
      .insertInto('visit_dues')
      .values({
        member_id: memberId,
        person_id: personId,
        region_code: VILLAGE1,
        plan_key: plan,
        window_start: window.start,
        window_end: window.end,
        due_date: window.end,
        high_risk: plan === 'weekly_high_risk' ? 1 : 0,
        status,
        event_id: null,
        done_on: null,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return d.id;
  }

  async function assignTo(personId: number, workerId: number) {
    await ctx.db
      .insertInto('visit_assignments')
      .values({
        person_id: personId,
        region_code: VILLAGE1,
        worker_id: workerId,
        worker_role: 'grid_worker',
        note: null,
        assigned_by: workerId,
        assigned_at: nowIso(),
        ended_by: null,
        ended_at: null,
      })
      .execute();
  }

  /** A window of a week around the civil date of an instant. */
  const around = (instant: string) => {
    const on = today(new Date(instant));
    return { start: addDays(on, -3), end: addDays(on, 3) };
  };

  const visit = (personId: number, extra: Record<string, unknown> = {}) => ({
    clientId: randomUUID(),
    personId,
    mode: 'home',
    startedAt: minutesAgo(40),
    endedAt: minutesAgo(10),
    findings: ['health.ok', 'safety.ok'],
    notes: '老人精神很好',
    ...extra,
  });

  const post = (s: Session, body: unknown) => call(app, s, { method: 'POST', url: '/api/visits/record', payload: body as Record<string, unknown> });
  const count = async (table: 'care_events' | 'care_event_evidence' | 'visit_followups' | 'audit_log') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const dueRow = (id: number) => ctx.db.selectFrom('visit_dues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const eventsOfClient = (clientId: string) => ctx.db.selectFrom('care_events').selectAll().where('client_id', '=', clientId).execute();

  /** Nothing written: no event, no photo, no follow-up, no audit entry, the due as it was. */
  async function nothingWritten(before: Record<string, number>, dueId: number | null, clientId: string) {
    expect(await eventsOfClient(clientId)).toHaveLength(0);
    for (const t of ['care_events', 'care_event_evidence', 'visit_followups', 'audit_log'] as const) expect(await count(t), t).toBe(before[t]);
    if (dueId !== null) {
      const d = await dueRow(dueId);
      expect(d.status).toBe('open');
      expect(d.event_id).toBeNull();
    }
  }
  const snapshot = async () => ({
    care_events: await count('care_events'),
    care_event_evidence: await count('care_event_evidence'),
    visit_followups: await count('visit_followups'),
    audit_log: await count('audit_log'),
  });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    app = await buildApp(ctx);
    grid = await loginAs(app, 'grid1');
    head = await loginAs(app, 'head1');
    gridId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'grid1').executeTakeFirstOrThrow()).id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('a home visit in the window, long enough, closes the due in one transaction with its photo and follow-ups', async () => {
    const p = await person('counted');
    await assignTo(p, gridId);
    const body = visit(p, {
      findings: ['health.ill', 'safety.ok'],
      photo: { dataBase64: PNG_1x1, keepLocation: false },
      location: { lat: 30.87, lng: 120.42, accuracy: 15 },
      confirmation: { kind: 'person' },
      followups: [{ kind: 'hotline', finding: 'health.ill', note: '咳嗽一周' }],
    });
    const { dueId } = await member(p, around(body.startedAt));
    const res = await post(grid, body);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<RecordReply>();
    expect(r).toMatchObject({ merged: false, counted: true, dueId, reason: null, reasonWords: null });
    expect(r.followupIds).toHaveLength(1);
    const d = await dueRow(dueId);
    expect(d.status).toBe('done');
    expect(d.event_id).toBe(r.eventId);
    expect(d.done_on).toBe(today(new Date(body.startedAt)));
    const [ev] = await eventsOfClient(body.clientId);
    expect(ev).toMatchObject({
      id: r.eventId,
      kind: 'visit',
      source: 'visits',
      source_id: dueId,
      person_id: p,
      performer_id: gridId,
      mode: 'home',
      status: 'confirmed',
    });
    expect(ev!.duration_minutes).toBe(30);
    // personal data sealed at rest
    expect(ev!.notes_enc).not.toContain('精神');
    expect(ev!.location_enc).not.toContain('30.87');
    expect(await ctx.db.selectFrom('care_event_evidence').select('id').where('event_id', '=', r.eventId).execute()).toHaveLength(1);
    const f = await ctx.db.selectFrom('visit_followups').selectAll().where('id', '=', r.followupIds[0]!).executeTakeFirstOrThrow();
    expect(f).toMatchObject({ person_id: p, event_id: r.eventId, kind: 'hotline', finding: 'health.ill' });

    // the same visit sent again: the first answer, merged, and nothing written
    const before = await snapshot();
    const again = await post(grid, body);
    expect(again.statusCode).toBe(200);
    expect(again.json<RecordReply>()).toEqual({ ...r, merged: true });
    expect(await snapshot()).toEqual(before);
    expect(await eventsOfClient(body.clientId)).toHaveLength(1);
    // also once the person has been given to another worker (the reply to the first send was lost)
    await ctx.db.updateTable('visit_assignments').set({ ended_at: nowIso(), ended_by: gridId }).where('person_id', '=', p).execute();
    expect((await post(grid, body)).json<RecordReply>()).toEqual({ ...r, merged: true });
    expect(await snapshot()).toEqual(before);
    // a new visit is refused then
    expect(errorCode(await post(grid, visit(p)))).toBe('VISIT_NOT_ASSIGNED');

    // the profile's tab shows it, counted; audited naming the person
    const pv = await call(app, head, { method: 'GET', url: `/api/persons/${p}/visits` });
    expect(pv.statusCode, pv.body).toBe(200);
    const visits = pv.json<PersonVisitsReply>();
    expect(visits.visits[0]).toMatchObject({ id: r.eventId, counted: true, dueId, photos: 1, performer: { id: gridId } });
    expect(visits.dues[0]).toMatchObject({ id: dueId, status: 'done', eventId: r.eventId });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'visit.person_visits').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).persons).toEqual([p]);
  });

  it('two sends of one visit at once store one event', async () => {
    const p = await person('concurrent');
    await assignTo(p, gridId);
    const body = visit(p);
    const { dueId } = await member(p, around(body.startedAt));
    const [a, b] = await Promise.all([post(grid, body), post(grid, body)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const [ra, rb] = [a.json<RecordReply>(), b.json<RecordReply>()];
    expect(ra.eventId).toBe(rb.eventId);
    expect([ra.merged, rb.merged].sort()).toEqual([false, true]);
    expect(ra.counted && rb.counted).toBe(true);
    expect(await eventsOfClient(body.clientId)).toHaveLength(1);
    expect((await dueRow(dueId)).event_id).toBe(ra.eventId);
  });

  it('a visit that does not count is stored, and the answer says why; the due stays open', async () => {
    // below the minimum: a 3-minute phone call (5 by default)
    const p1 = await person('short');
    await assignTo(p1, gridId);
    const short = visit(p1, { mode: 'phone', startedAt: minutesAgo(8), endedAt: minutesAgo(5) });
    const d1 = await member(p1, around(short.startedAt));
    const r1 = (await post(grid, short)).json<RecordReply>();
    expect(r1).toMatchObject({ counted: false, reason: 'below_minimum', dueId: d1.dueId, merged: false });
    expect(r1.reasonWords?.zh).toContain('时长不足');
    expect((await dueRow(d1.dueId)).status).toBe('open');
    expect(await eventsOfClient(short.clientId)).toHaveLength(1);
    // the resend says the same
    expect((await post(grid, short)).json<RecordReply>()).toEqual({ ...r1, merged: true });

    // a mode the plan does not list: a message
    const msg = visit(p1, { mode: 'message' });
    const r2 = (await post(grid, msg)).json<RecordReply>();
    expect(r2).toMatchObject({ counted: false, reason: 'mode_not_in_plan', dueId: d1.dueId });
    expect((await post(grid, msg)).json<RecordReply>()).toEqual({ ...r2, merged: true });

    // outside the window: the due's window starts the day after the visit
    const p2 = await person('outside');
    await assignTo(p2, gridId);
    const early = visit(p2);
    const on = today(new Date(early.startedAt));
    const d2 = await member(p2, { start: addDays(on, 1), end: addDays(on, 7) });
    const r3 = (await post(grid, early)).json<RecordReply>();
    expect(r3).toMatchObject({ counted: false, reason: 'outside_window', dueId: d2.dueId });
    expect(r3.reasonWords?.en).toContain('outside the window');
    expect((await dueRow(d2.dueId)).status).toBe('open');
    expect((await post(grid, early)).json<RecordReply>()).toEqual({ ...r3, merged: true });

    // a second visit in a window already done: stored, does not count again
    const long = visit(p1);
    const r4 = (await post(grid, long)).json<RecordReply>();
    expect(r4).toMatchObject({ counted: true, dueId: d1.dueId });
    const r5 = (await post(grid, visit(p1))).json<RecordReply>();
    expect(r5).toMatchObject({ counted: false, reason: 'already_done', dueId: d1.dueId });
    expect((await dueRow(d1.dueId)).event_id).toBe(r4.eventId);
  });

  it('a visit made offline inside a window that has since been marked missed closes it when it arrives', async () => {
    const p = await person('late-sync');
    await assignTo(p, gridId);
    const body = visit(p);
    const { dueId } = await member(p, around(body.startedAt), { status: 'missed' });
    const r = (await post(grid, body)).json<RecordReply>();
    expect(r).toMatchObject({ counted: true, dueId });
    expect((await dueRow(dueId)).status).toBe('done');
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const p = await person('refused');
    await assignTo(p, gridId);
    const startedAt = minutesAgo(40);
    const { dueId } = await member(p, around(startedAt));

    const expectRefused = async (body: Record<string, unknown>, code: string, status: number, words?: { zh: string; en: string }) => {
      const before = await snapshot();
      const res = await post(grid, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(errorCode(res)).toBe(code);
      if (words) {
        expect(res.json<{ error: { message: string } }>().error.message).toContain(words.zh);
        const en = await call(app, grid, { method: 'POST', url: '/api/visits/record', payload: body, headers: { 'accept-language': 'en' } });
        expect(en.json<{ error: { message: string } }>().error.message).toContain(words.en);
      }
      await nothingWritten(before, dueId, body.clientId as string);
    };

    // the end before the start
    await expectRefused(visit(p, { startedAt, endedAt: minutesAgo(50) }), 'CARE_EVENT_TIMES', 400);
    // a mode nobody knows
    await expectRefused(visit(p, { mode: 'pigeon' }), 'VISIT_MODE_UNKNOWN', 400, { zh: 'pigeon', en: 'pigeon' });
    // a finding not on the checklist, in the findings or in a follow-up
    await expectRefused(visit(p, { findings: ['health.ok', 'health.xyz'] }), 'VISIT_FINDING_UNKNOWN', 400, {
      zh: '探访发现中的发现项“health.xyz”',
      en: 'in the findings',
    });
    await expectRefused(visit(p, { followups: [{ kind: 'hotline', finding: 'nope' }] }), 'VISIT_FINDING_UNKNOWN', 400, {
      zh: '跟进事项',
      en: 'the follow-ups',
    });
    // a photo that is not an image
    await expectRefused(
      visit(p, { startedAt, photo: { dataBase64: Buffer.from('not an image at all').toString('base64'), keepLocation: false } }),
      'PHOTO_NOT_IMAGE',
      400,
    );
    // a photo larger than the jurisdiction allows
    const j = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, countyScope(ctx), j, 'visit_plans', { ...DEFAULT_VISIT_SETTINGS, photoMaxBytes: 10_000 }, '测试：照片上限 10 KB');
    try {
      const big = Buffer.concat([Buffer.from(PNG_1x1, 'base64'), Buffer.alloc(20_000)]);
      await expectRefused(
        visit(p, { startedAt, photo: { dataBase64: big.toString('base64'), keepLocation: false } }),
        'PHOTO_TOO_LARGE',
        errorCatalogue.PHOTO_TOO_LARGE.status,
      );
    } finally {
      await ctx.settings.set(ctx, countyScope(ctx), j, 'visit_plans', DEFAULT_VISIT_SETTINGS, '恢复默认');
    }
    // a person in no plan
    const outside = await person('no-plan');
    await assignTo(outside, gridId);
    await expectRefused(visit(outside), 'VISIT_NOT_IN_PLAN', 422, { zh: '不在任何探访计划中', en: 'in no visit plan' });
    // someone outside the worker's village: not found, even with a plan and an assignment row
    const elsewhere = ctx.regions.all().find((r) => r.level === 'village' && r.code !== VILLAGE1)!.code;
    const far = await person('far', { region_code: elsewhere });
    await assignTo(far, gridId);
    const farVisit = visit(far);
    const { dueId: farDue } = await member(far, around(farVisit.startedAt));
    const beforeFar = await snapshot();
    const farRes = await post(grid, farVisit);
    expect(farRes.statusCode).toBe(404);
    expect(errorCode(farRes)).toBe('NOT_FOUND');
    await nothingWritten(beforeFar, farDue, farVisit.clientId);
    // another worker's person: a grid worker may not, the village head may
    const other = await person('not-mine');
    const b = visit(other);
    const { dueId: otherDue } = await member(other, around(b.startedAt));
    const before = await snapshot();
    const refused = await post(grid, b);
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('VISIT_NOT_ASSIGNED');
    await nothingWritten(before, otherDue, b.clientId);
    const byHead = await post(head, b);
    expect(byHead.statusCode, byHead.body).toBe(200);
    expect(byHead.json<RecordReply>()).toMatchObject({ counted: true, dueId: otherDue });
  });

  it('admits a photo as large as the setting allows (base64 in JSON) past the body limit', async () => {
    const p = await person('big-photo');
    await assignTo(p, gridId);
    const body = visit(p, { photo: { dataBase64: Buffer.alloc(DEFAULT_VISIT_SETTINGS.photoMaxBytes - 100).toString('base64'), keepLocation: false } });
    const { dueId } = await member(p, around(body.startedAt));
    const before = await snapshot();
    const res = await post(grid, body);
    // it reached care-events, which looked at the bytes (zeros are no image), not the body limit
    expect(errorCode(res)).toBe('PHOTO_NOT_IMAGE');
    await nothingWritten(before, dueId, body.clientId);
  });

  it("today's list: the worker's assigned people with a due this window, missed ones first, with the essentials; audited", async () => {
    const worker = await ctx.db
      .insertInto('users')
      .values(
        await (async () => {
          const base = await ctx.db.selectFrom('users').selectAll().where('username', '=', 'grid1').executeTakeFirstOrThrow();
          const { id: _id, ...rest } = base;
          return { ...rest, username: 'grid-today', display_name: '今日网格员' };
        })(),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    const s = await loginAs(app, 'grid-today');
    const on = today();
    const week = { start: addDays(on, -2), end: addDays(on, 4) };
    const open = await person('today-open');
    const missed = await person('today-missed', { capability_level: 'moderate' } as Partial<NewPerson>);
    const done = await person('today-done');
    const notMine = await person('today-other');
    for (const id of [open, missed, done]) await assignTo(id, worker.id);
    await member(open, week);
    const m = await member(missed, week);
    await due(missed, m.memberId, { start: addDays(week.start, -7), end: addDays(week.start, -1) }, 'missed');
    await member(done, week);
    await member(notMine, week);
    const v = visit(done);
    expect((await post(s, v)).json<RecordReply>().counted).toBe(true);

    const res = await call(app, s, { method: 'GET', url: '/api/visits/today' });
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json<TodayReply>();
    expect(t.on).toBe(on);
    expect(t.worker.name).toBe('今日网格员');
    expect(t.items.map((i) => [i.personId, i.status])).toEqual([
      [missed, 'missed'],
      [open, 'open'],
      [done, 'done'],
    ]);
    expect(t.items[0]).toMatchObject({
      name: '探访today-missed',
      sex: 'F',
      phoneMasked: '138****0000',
      capabilityLevel: 'moderate',
      planKey: 'weekly_high_risk',
      frequency: 'weekly',
      modes: ['home', 'phone', 'video'],
      minMinutes: { home: 10, phone: 5, video: 5 },
      windowStart: week.start,
      windowEnd: week.end,
      highRisk: true,
      lastVisit: null,
    });
    expect(t.items[0]!.tags).toContain('living_alone');
    expect(t.items[0]!.planLabel.zh).toContain('每周');
    expect(t.items[2]!.lastVisit).toMatchObject({ mode: 'home', findings: ['health.ok', 'safety.ok'] });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'visit.today').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!).persons.sort()).toEqual([open, missed, done].sort());

    // the village head's list is the village's plan members
    const headList = (await call(app, head, { method: 'GET', url: '/api/visits/today' })).json<TodayReply>();
    expect(headList.items.map((i) => i.personId)).toEqual(expect.arrayContaining([open, missed, done, notMine]));
  });

  it('a volunteer records for the person assigned to them; a fall asks for a reassessment in the same transaction', async () => {
    const vol = await loginAs(app, 'vol1');
    const volId = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'vol1').executeTakeFirstOrThrow()).id;
    const p = await person('volunteer');
    await assignTo(p, volId);
    const body = visit(p, { mode: 'video', findings: ['health.fall'], followups: [{ kind: 'reassessment', finding: 'health.fall', note: '上周在家跌倒' }] });
    const { dueId } = await member(p, around(body.startedAt));
    const res = await post(vol, body);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<RecordReply>();
    expect(r).toMatchObject({ counted: true, dueId });
    const [f] = await ctx.db.selectFrom('visit_followups').selectAll().where('event_id', '=', r.eventId).execute();
    expect(f).toMatchObject({ kind: 'reassessment', finding: 'health.fall' });
    expect(f!.assessment_request_id).not.toBeNull();
    const [ev] = await eventsOfClient(body.clientId);
    expect(ev).toMatchObject({ performer_id: volId, performer_role: 'volunteer' });
    // the grid worker of the village is not this person's visitor
    const again = await post(grid, visit(p));
    expect(errorCode(again)).toBe('VISIT_NOT_ASSIGNED');
  });

  it('the checklist: findings by group, follow-up kinds and modes with their minutes', async () => {
    const res = await call(app, grid, { method: 'GET', url: '/api/visits/findings' });
    expect(res.statusCode).toBe(200);
    const f = res.json<{ findings: { code: string }[]; modes: { key: string; minMinutes: number }[]; followupKinds: { key: string }[] }>();
    expect(f.findings.map((x) => x.code)).toContain('health.fall');
    expect(f.modes).toContainEqual(expect.objectContaining({ key: 'home', minMinutes: 10 }));
    expect(f.followupKinds.map((k) => k.key)).toEqual(['home_service', 'hotline', 'subsidy_review', 'reassessment']);
  });
});
