import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { hashPassword } from '../../platform/auth.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { birthdayAt, bornBy } from '../register/capability.queries.js';
import { insertAccounts } from '../users/accounts.js';
import { assign, endAssignment, personAssignments } from './assignments.js';
import { coverage } from './coverage.js';
import { daysBetween, dueCounts, dueList } from './due.js';
import { assignSample, createDraw, drawSample, getDraw, listDraws, sampleSize } from './quality.js';
import { requestAssessment } from './requests.js';
import { DEFAULT_SCHEDULE } from './assessment.settings.js';
import { addDays, nextDue } from './schedule.js';
import type { DueReply } from './schedule.schema.js';

/** The pure quality draw: reproducible from its seed and the candidate list, and its share. */
describe('quality draw (pure)', () => {
  const ids = Array.from({ length: 137 }, (_, i) => i + 1);
  it('takes ceil(n × permille / 1000) and gives the same sample for the same seed and list, whatever their order', () => {
    expect(sampleSize(137, 50)).toBe(7);
    expect(sampleSize(20, 50)).toBe(1);
    expect(sampleSize(1, 1)).toBe(1);
    const a = drawSample('seed-1', ids, 50);
    expect(a).toHaveLength(7);
    expect(drawSample('seed-1', [...ids].reverse(), 50)).toEqual(a);
    expect(drawSample('seed-2', ids, 50)).not.toEqual(a);
    expect(new Set(a).size).toBe(7);
    expect(drawSample('seed-1', ids, 1000).sort((x, y) => x - y)).toEqual(ids);
    // a larger share extends the smaller one: the order is fixed by the seed
    expect(drawSample('seed-1', ids, 100).slice(0, 7)).toEqual(a);
  });
});

describe.each(dialects)('assessment schedule on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let town2: Scope;
  let county: Scope;
  let assessor1: Scope;
  let village1: string;
  let village1b: string;
  let village2: string;
  const on = today();
  const ids: Record<string, number> = {};
  let assessorIds: Record<string, number> = {};
  let n = 0;

  async function person(key: string, birth: string, region: string, extra: Partial<NewPerson> = {}) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `测试${key}`,
      sex: 'F',
      birth_date: birth,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
      ...extra,
    } as NewPerson;
    const { id } = await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow();
    ids[key] = id;
    return id;
  }

  const capability = (level: string, refDate: string, due: string, until: string) => ({
    capability_level: level,
    capability_on: refDate,
    capability_due: due,
    capability_until: until,
    capability_assessment_id: 1,
  });

  let clientN = 0;
  async function reviewed(
    personId: number,
    region: string,
    level: string,
    refDate: string,
    a1: number,
    a2: number | null,
    extra: Record<string, unknown> = {},
  ) {
    const now = nowIso();
    const { id } = await ctx.db
      .insertInto('assessments')
      .values({
        client_id: `c-${++clientN}-${randomUUID()}`,
        person_id: personId,
        region_code: region,
        version: 1,
        instrument_version: 'test',
        reference_date: refDate,
        place: 'home',
        reason: 'periodic',
        status: 'reviewed',
        supersedes_id: null,
        correction_reason: null,
        assessor1_id: a1,
        assessor2_id: a2,
        cosigned_at: now,
        submitted_at: now,
        reviewer_id: null,
        reviewed_at: now,
        review_note: null,
        content_enc: 'sealed',
        signatures_enc: null,
        subtotals: '{}',
        total: 50,
        answered: 26,
        preliminary_level: level,
        final_level: level,
        adjustments: '[]',
        next_due: null,
        valid_until: null,
        verify_code: null,
        created_by: a1,
        created_at: now,
        updated_by: a1,
        updated_at: now,
        ...extra,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    county = await userScope(ctx, 'admin');
    const hash = await hashPassword(DEMO_PASSWORD);
    await insertAccounts(
      ctx.db,
      [
        { username: 'assessor1b', displayName: '评估员乙', role: 'assessor', regionCode: town1.regionCode, passwordHash: hash },
        { username: 'assessor2t', displayName: '评估员丙', role: 'assessor', regionCode: town2.regionCode, passwordHash: hash },
      ],
      nowIso(),
    );
    assessor1 = await userScope(ctx, 'assessor1');
    const users = await ctx.db.selectFrom('users').select(['id', 'username']).execute();
    assessorIds = Object.fromEntries(users.map((u) => [u.username, u.id]));
    const villages = ctx.regions.all().filter((r) => r.level === 'village');
    const mine = villages.filter((v) => v.code.startsWith(town1.regionPrefix));
    village1 = mine[0]!.code;
    village1b = mine.at(-1)!.code;
    village2 = villages.find((v) => v.code.startsWith(town2.regionPrefix))!.code;

    // never assessed
    await person('turns80today', bornBy(on, 80), village1);
    await person('turns80in30', bornBy(addDays(on, 30), 80), village1);
    await person('turns80in31', bornBy(addDays(on, 31), 80), village1);
    await person('never85', bornBy(addDays(on, -200), 85), village1b);
    await person('young70', bornBy(on, 70), village1);
    await person('closed90', bornBy(on, 90), village1, { status: 'closed', closed_on: on });
    await person('town2_85', bornBy(on, 85), village2);
    // assessed: due exactly dueSoonDays ahead, one day later, expired, and valid (covered)
    await person('due30', '1940-03-03', village1, capability('mild', addDays(on, -335), addDays(on, 30), addDays(on, 120)));
    await person('due31', '1940-03-03', village1, capability('mild', addDays(on, -334), addDays(on, 31), addDays(on, 121)));
    await person('expired', '1938-06-06', village1b, capability('severe', addDays(on, -465), addDays(on, -100), addDays(on, -10)));
    await person('graced', '1938-06-06', village1b, capability('moderate', addDays(on, -380), addDays(on, -15), addDays(on, 75)));
    // under 80, assessed once (on request): on the two-yearly schedule, not due
    await person('young72assessed', bornBy(on, 72), village1, capability('intact', addDays(on, -100), addDays(on, 630), addDays(on, 720)));
    await person('requested70', bornBy(on, 70), village1);

    app = await buildApp(ctx, { serveWeb: false });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const due = (scope: Scope, q: Partial<Parameters<typeof dueList>[2]> = {}) => dueList(ctx, scope, { page: 1, pageSize: 100, state: 'all', ...q });
  const byKey = (r: DueReply) => {
    const name = new Map(Object.entries(ids).map(([k, v]) => [v, k]));
    return Object.fromEntries(r.items.map((i) => [name.get(i.personId)!, i]));
  };

  it('lists who is due at the boundaries: 80 today, due exactly dueSoonDays ahead, expired; not a day later, not closed, not under 80', async () => {
    const r = byKey(await due(town1));
    expect(Object.keys(r).sort()).toEqual(['due30', 'expired', 'graced', 'never85', 'turns80in30', 'turns80today'].sort());
    expect(r.turns80today).toMatchObject({ dueDate: on, daysOverdue: 0, state: 'due_soon', age: 80, last: null, assignment: null, openRequest: null });
    expect(r.turns80in30).toMatchObject({ dueDate: addDays(on, 30), daysOverdue: -30, state: 'due_soon', age: 79 });
    expect(r.due30).toMatchObject({ dueDate: addDays(on, 30), state: 'due_soon', last: { referenceDate: addDays(on, -335), level: 'mild' } });
    expect(r.expired).toMatchObject({ dueDate: addDays(on, -100), daysOverdue: 100, state: 'overdue' });
    expect(r.graced).toMatchObject({ daysOverdue: 15, state: 'overdue' });
    // never assessed, 80 before the schedule began: due from its start (DEFAULT_SCHEDULE.scheduleStart), not the 80th birthday
    const never85Due = [birthdayAt(bornBy(addDays(on, -200), 85), 80), DEFAULT_SCHEDULE.scheduleStart].sort()[1]!;
    expect(r.never85).toMatchObject({ state: 'overdue', dueDate: never85Due, daysOverdue: daysBetween(never85Due, on), age: 85 });
    // most overdue first
    const order = (await due(town1)).items.map((i) => i.daysOverdue);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    // the county sees the other town too; the region filter narrows
    expect((await due(county)).total).toBe(7);
    expect((await due(county, { regionCode: town2.regionCode })).items.map((i) => i.personId)).toEqual([ids.town2_85]);
    expect((await due(town1, { state: 'overdue' })).total).toBe(3);
    expect((await due(town1, { state: 'due_soon' })).total).toBe(3);
  });

  it('refuses an unknown region and one outside the viewer', async () => {
    expect(await codeOf(due(town1, { regionCode: '999999999999' }))).toBe('REGION_UNKNOWN');
    expect(await codeOf(due(town1, { regionCode: town2.regionCode }))).toBe('REGION_OUT_OF_SCOPE');
    expect(await codeOf(coverage(ctx, town1, { regionCode: 'nope' }))).toBe('REGION_UNKNOWN');
  });

  it('makes a requested person due now, once: a second open request is refused; a change needs a note', async () => {
    expect(await codeOf(requestAssessment(ctx, town1, ids.requested70!, { reason: 'change', note: '' }))).toBe('ASSESSMENT_REQUEST_NOTE');
    const req = await requestAssessment(ctx, town1, ids.requested70!, { reason: 'change', note: '跌倒后行动不便' });
    expect(req).toMatchObject({ personId: ids.requested70, reason: 'change', closedAt: null });
    expect(await codeOf(requestAssessment(ctx, town1, ids.requested70!, { reason: 'request', note: '' }))).toBe('ASSESSMENT_REQUEST_OPEN');
    expect(await codeOf(requestAssessment(ctx, town1, ids.town2_85!, { reason: 'request', note: '' }))).toBe('NOT_FOUND');
    expect(await codeOf(requestAssessment(ctx, town1, ids.closed90!, { reason: 'request', note: '' }))).toBe('ASSESSMENT_PERSON_INACTIVE');
    const r = byKey(await due(town1, { state: 'requested' }));
    expect(Object.keys(r)).toEqual(['requested70']);
    expect(r.requested70).toMatchObject({ state: 'requested', dueDate: on, daysOverdue: 0, openRequest: { id: req.id, reason: 'change' } });
    // the others' states are unchanged, and the requested person is in 'all' but not in overdue / due soon
    expect((await due(town1)).total).toBe(7);
    expect((await due(town1, { state: 'overdue' })).total).toBe(3);
    expect(await dueCounts(ctx, ctx.db, town1)).toEqual({ overdue: 3, dueSoon: 3, requested: 1 });
    // closed by the next reviewed assessment (the records do this on approval): due no longer
    await ctx.db.updateTable('assessment_requests').set({ closed_at: nowIso() }).where('id', '=', req.id).execute();
    expect((await due(town1, { state: 'requested' })).total).toBe(0);
    await requestAssessment(ctx, town1, ids.requested70!, { reason: 'request', note: '' });
  });

  it('assigns persons to an assessor of their region, keeps the history on reassignment, and ends an assignment', async () => {
    const a1 = assessorIds.assessor1!;
    const a1b = assessorIds.assessor1b!;
    const first = await assign(ctx, town1, { personIds: [ids.expired!, ids.due30!], assessorId: a1, note: '第一批' });
    expect(first).toMatchObject({ assigned: 2, reassigned: 0, unchanged: 0 });
    const again = await assign(ctx, town1, { personIds: [ids.expired!, ids.turns80today!], assessorId: a1, note: '' });
    expect(again).toMatchObject({ assigned: 1, reassigned: 0, unchanged: 1 });
    const moved = await assign(ctx, town1, { personIds: [ids.due30!], assessorId: a1b, note: '' });
    expect(moved).toMatchObject({ assigned: 1, reassigned: 1 });
    const history = await personAssignments(ctx, town1, ids.due30!);
    expect(history.items).toHaveLength(2);
    expect(history.items[0]).toMatchObject({ assessor: { id: a1b, name: '评估员乙' }, endedAt: null });
    expect(history.items[1]).toMatchObject({ assessor: { id: a1 }, endedBy: { id: town1.userId }, note: '第一批' });
    expect(history.items[1]!.endedAt).not.toBeNull();
    // the due list shows the open assignment and filters by assessor / unassigned
    const r = byKey(await due(town1, { assessorId: a1 }));
    expect(Object.keys(r).sort()).toEqual(['expired', 'turns80today']);
    expect(r.expired!.assignment).toMatchObject({ assessor: { id: a1 } });
    expect(r.expired!.assignment!.assessor.name).not.toBe('');
    expect((await due(town1, { unassigned: 'true' })).items.map((i) => i.personId)).not.toContain(ids.due30);
    // bad input: an assessor of another town, a non-assessor, a person outside the officer's region, more than 500
    expect(await codeOf(assign(ctx, town1, { personIds: [ids.expired!], assessorId: assessorIds.assessor2t!, note: '' }))).toBe(
      'ASSESSMENT_ASSESSOR_OUT_OF_REGION',
    );
    expect(await codeOf(assign(ctx, town1, { personIds: [ids.expired!], assessorId: assessorIds.town1!, note: '' }))).toBe('ASSESSMENT_ASSESSOR_INVALID');
    expect(await codeOf(assign(ctx, town1, { personIds: [ids.town2_85!], assessorId: a1, note: '' }))).toBe('ASSESSMENT_PERSONS_NOT_FOUND');
    expect(await codeOf(assign(ctx, county, { personIds: [ids.town2_85!], assessorId: a1, note: '' }))).toBe('ASSESSMENT_ASSESSOR_OUT_OF_REGION');
    expect(await codeOf(assign(ctx, assessor1, { personIds: [ids.expired!], assessorId: a1, note: '' }))).toBe('FORBIDDEN');
    // ending
    const t = history.items[0]!;
    const ended = await endAssignment(ctx, town1, t.id);
    expect(ended.endedBy).toMatchObject({ id: town1.userId });
    expect(await codeOf(endAssignment(ctx, town1, t.id))).toBe('ASSESSMENT_ASSIGNMENT_ENDED');
    expect(await codeOf(endAssignment(ctx, town2, first.items[0]!.id))).toBe('ASSESSMENT_ASSIGNMENT_NOT_FOUND');
  });

  it('over HTTP: refuses more than 500 persons, answers the contract shapes', async () => {
    const s = await loginAs(app, 'town1');
    const many = await call(app, s, {
      method: 'POST',
      url: '/api/assessments/assignments',
      payload: { personIds: Array.from({ length: 501 }, (_, i) => i + 1), assessorId: assessorIds.assessor1 },
    });
    expect(many.statusCode).toBe(400);
    const list = await call(app, s, { method: 'GET', url: '/api/assessments/due?state=overdue&pageSize=2' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 3, page: 1, pageSize: 2, on });
    const file = await call(app, s, { method: 'GET', url: '/api/assessments/due/export?state=all' });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const cov = await call(app, s, { method: 'GET', url: '/api/assessments/coverage' });
    expect(cov.statusCode).toBe(200);
    const second = await call(app, s, { method: 'POST', url: `/api/persons/${ids.requested70}/assessment-requests`, payload: { reason: 'request' } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'ASSESSMENT_REQUEST_OPEN' } });
  });

  it("shows an assessor only their assigned persons on the register, their region's due list, and an officer everyone", async () => {
    // assessor1 holds expired and turns80today (due30 moved to assessor1b, then ended)
    const s = await loginAs(app, 'assessor1');
    const list = await call(app, s, { method: 'GET', url: '/api/persons?pageSize=100' });
    expect(list.statusCode).toBe(200);
    const seen = list.json<{ items: { id: number }[]; total: number }>();
    expect(seen.items.map((i) => i.id).sort((a, b) => a - b)).toEqual([ids.expired!, ids.turns80today!].sort((a, b) => a - b));
    expect(seen.total).toBe(2);
    expect((await call(app, s, { method: 'GET', url: `/api/persons/${ids.never85}` })).statusCode).toBe(404);
    expect((await call(app, s, { method: 'GET', url: `/api/persons/${ids.expired}` })).statusCode).toBe(200);
    // the due list is the region's (town1), not only the assigned
    const dueRes = await call(app, s, { method: 'GET', url: '/api/assessments/due' });
    expect(dueRes.json<DueReply>().total).toBe(7);
    // an officer is unaffected
    const o = await loginAs(app, 'town1');
    const all = await call(app, o, { method: 'GET', url: '/api/persons?pageSize=100' });
    expect(all.json<{ total: number }>().total).toBe(11);
    // an ended assignment no longer reaches
    const hist = await personAssignments(ctx, town1, ids.turns80today!);
    await endAssignment(ctx, town1, hist.items[0]!.id);
    expect((await call(app, s, { method: 'GET', url: `/api/persons/${ids.turns80today}` })).statusCode).toBe(404);
  });

  it('counts 80+ coverage by hand: valid on today (reference date passed, level still counting), by child region', async () => {
    // town1's 80+ active: turns80today, never85, due30, due31, expired, graced (closed90 is closed) = 6;
    // covered: due30, due31, graced (expired's level ended 10 days ago) = 3
    const c = await coverage(ctx, town1, {});
    expect(c.region).toMatchObject({ code: town1.regionCode, older: 6, covered: 3, rate: 0.5 });
    expect(c.target).toBe(1);
    const v1 = c.children.find((r) => r.code === village1)!;
    const v1b = c.children.find((r) => r.code === village1b)!;
    expect(v1).toMatchObject({ older: 3, covered: 2 });
    expect(v1b).toMatchObject({ older: 3, covered: 1 });
    const whole = await coverage(ctx, county, {});
    expect(whole.region).toMatchObject({ older: 7, covered: 3 });
    expect(whole.children.find((r) => r.code === town2.regionCode)).toMatchObject({ older: 1, covered: 0, rate: 0 });
    expect(await codeOf(coverage(ctx, countyScope(ctx), { regionCode: village2 }))).toBe('resolved');
  });

  it('draws a reproducible quality sample, assigns a re-assessor, and reports the agreement', async () => {
    const a1 = assessorIds.assessor1!;
    const a1b = assessorIds.assessor1b!;
    const from = addDays(on, -60);
    const candidates: number[] = [];
    for (let i = 0; i < 30; i++) candidates.push(await reviewed(ids.due31!, village1, 'mild', addDays(on, -i), a1, a1b));
    // not candidates: a quality re-assessment, one outside the dates, one in town2
    await reviewed(ids.due31!, village1, 'mild', addDays(on, -3), a1, a1b, { reason: 'quality' });
    await reviewed(ids.due31!, village1, 'mild', addDays(on, -90), a1, a1b);
    await reviewed(ids.town2_85!, village2, 'mild', addDays(on, -3), assessorIds.assessor2t!, null);
    expect(await codeOf(createDraw(ctx, town1, { from: on, to: from }))).toBe('ASSESSMENT_DRAW_DATES');
    expect(await codeOf(createDraw(ctx, town1, { from: addDays(on, -400), to: addDays(on, -300) }))).toBe('ASSESSMENT_DRAW_EMPTY');
    const d = await createDraw(ctx, town1, { from, to: on, permille: 100 });
    expect(d).toMatchObject({ population: 30, sampleSize: 3, permille: 100, reassessed: 0, agreementRate: null });
    // anyone re-runs it from the seed and the candidates
    expect(d.samples.map((s) => s.assessmentId).sort()).toEqual(drawSample(d.seed, candidates, 100).sort());
    const dflt = await createDraw(ctx, town1, { from, to: on });
    expect(dflt).toMatchObject({ permille: 50, sampleSize: 2 });
    // the re-assessor is not one of the two original assessors, and of the person's region
    const s0 = d.samples[0]!;
    expect(await codeOf(assignSample(ctx, town1, s0.id, { assessorId: a1 }))).toBe('ASSESSMENT_SAMPLE_SAME_ASSESSOR');
    expect(await codeOf(assignSample(ctx, town1, s0.id, { assessorId: assessorIds.assessor2t! }))).toBe('ASSESSMENT_ASSESSOR_OUT_OF_REGION');
    // a third assessor of town1
    const hash = await hashPassword(DEMO_PASSWORD);
    await insertAccounts(
      ctx.db,
      [{ username: 'assessor1c', displayName: '评估员丁', role: 'assessor', regionCode: town1.regionCode, passwordHash: hash }],
      nowIso(),
    );
    const a1c = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'assessor1c').executeTakeFirstOrThrow()).id;
    const assigned = await assignSample(ctx, town1, s0.id, { assessorId: a1c });
    expect(assigned.reassessor).toEqual({ id: a1c, name: '评估员丁' });
    // the re-assessor reaches the person
    const reach = await userScope(ctx, 'assessor1c');
    const { personPermitted } = await import('../register/people.js');
    expect(await personPermitted(ctx.db, reach, s0.personId)).toBe(true);
    // a quality re-assessment reviewed after the draw: same level agrees
    await new Promise((r) => setTimeout(r, 5));
    await reviewed(s0.personId, village1, 'mild', on, a1c, null, { reason: 'quality' });
    const after = await getDraw(ctx, town1, d.id);
    // all samples are of the same person (due31): the first re-assessment counts for each
    expect(after.reassessed).toBe(3);
    expect(after.agreed).toBe(3);
    expect(after.agreementRate).toBe(1);
    expect(after.samples[0]).toMatchObject({ agreed: true, reassessment: { level: 'mild' }, original: { level: 'mild', assessor1: { id: a1 } } });
    const list = await listDraws(ctx, town1, { page: 1, pageSize: 20 });
    expect(list.total).toBe(2);
    expect(list.items[1]).toMatchObject({ id: d.id, agreementRate: 1 });
    expect((await listDraws(ctx, town2, { page: 1, pageSize: 20 })).total).toBe(0);
    expect(await codeOf(getDraw(ctx, town2, d.id))).toBe('ASSESSMENT_DRAW_NOT_FOUND');
  });

  it('re-dates the levels on record once when the schedule setting changes (grace 90 → 30 days)', async () => {
    const before = await ctx.db
      .selectFrom('persons')
      .select(['id', 'capability_due', 'capability_until'])
      .where('id', '=', ids.graced!)
      .executeTakeFirstOrThrow();
    expect(before.capability_until).toBe(addDays(on, 75));
    const code = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, county, code, 'assessment_schedule', { ...DEFAULT_SCHEDULE, graceDays: 30 }, '测试：宽限期改为30天');
    await due(town1);
    const after = await ctx.db
      .selectFrom('persons')
      .select(['capability_on', 'capability_due', 'capability_until', 'birth_date'])
      .where('id', '=', ids.graced!)
      .executeTakeFirstOrThrow();
    const s = { ...DEFAULT_SCHEDULE, graceDays: 30 };
    const dueDate = nextDue(after.birth_date, after.capability_on!, s);
    expect(after).toMatchObject({ capability_due: dueDate, capability_until: addDays(dueDate, 30) });
    // once per change: a marker, and one audit entry
    const audits = await ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'assessment.schedule_recompute').execute();
    await due(town1);
    await coverage(ctx, town1, {});
    expect(await ctx.db.selectFrom('audit_log').select('seq').where('action', '=', 'assessment.schedule_recompute').execute()).toHaveLength(audits.length);
    expect(audits).toHaveLength(1);
  });
});
