import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { personColumns } from '../register/history.queries.js';
import { makeResidentId } from '../register/resident-id.js';
import { insertAccounts } from '../users/accounts.js';
import type { AssessmentDraftInput, AssessmentView } from './assessment.schema.js';
import { reviewAssessment } from './assessments.service.js';
import { currentCapability } from './capability.js';
import { CURRENT_VERSION, INSTRUMENTS } from './instrument/index.js';
import { addDays } from './schedule.js';

/**
 * Assessment records (issue 15, "Assessments"): draft → submit → co-sign → approve, the level on the
 * person's row, every refusal the issue names (each leaving the records as they were), corrections,
 * sealing at rest and the public check of a report. Over HTTP, on both databases.
 */
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
const BIRTH = '1940-05-06';
const SIG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
const ITEMS = INSTRUMENTS[CURRENT_VERSION]!.indicators.flatMap((i) => i.items);
/** every item at its lowest option but one: a total of a few points, a severe or complete level */
const FULL: Record<string, number> = Object.fromEntries(ITEMS.map((it) => [it.code, Math.min(...it.options.map((o) => o.score))]));
const NOTES = 'NOTE-qz7-只在评估里写的备注';
const DIAGNOSES = 'DIAG-k3v-阿尔茨海默病早期';

describe.each(dialects)('assessment records (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const headers = new Map<string, Record<string, string>>();
  let persons: number[];
  let assessor1Id: number;
  let assessor2Id: number;

  async function login(username: string) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    // the second assessor this test creates is called 'B' below
    headers.set(username === 'rec_assessor_b' ? 'B' : username, {
      cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'x-csrf-token': res.json().csrfToken,
    });
  }
  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: headers.get(who)! });

  const draft = (personId: number, over: Partial<AssessmentDraftInput> = {}): AssessmentDraftInput => ({
    clientId: randomUUID(),
    baseVersion: null,
    personId,
    instrumentVersion: CURRENT_VERSION,
    referenceDate: today(),
    place: 'home',
    reason: 'first',
    assessor2Id,
    answers: { ...FULL },
    basic: { diagnoses: DIAGNOSES },
    health: {},
    notes: NOTES,
    signatures: { assessor1: SIG, elder: { image: SIG, signer: 'elder', name: '王一' } },
    ...over,
  });

  /** What a refused call must leave alone: the rows, their versions, the conflicts. */
  async function state() {
    const rows = await ctx.db.selectFrom('assessments').select(['id', 'version', 'status']).orderBy('id').execute();
    const conflicts = await ctx.db.selectFrom('assessment_conflicts').select('id').execute();
    return { rows, conflicts: conflicts.length };
  }
  async function refused(p: Promise<{ statusCode: number; json(): { error: { code: string; message: string } } }>, code: string) {
    const before = await state();
    const res = await p;
    expect(res.json().error?.code, JSON.stringify(res.json())).toBe(code);
    expect(await state()).toEqual(before);
    return res.json().error;
  }

  async function sync(d: AssessmentDraftInput, who = 'assessor1') {
    const res = await call(who, 'POST', '/api/assessments/sync', d);
    expect(res.statusCode, res.body).toBeLessThan(300);
    return res.json() as { outcome: string; assessment: AssessmentView };
  }
  /** A draft taken all the way to submitted and co-signed. */
  async function cosigned(d: AssessmentDraftInput) {
    const a = (await sync(d)).assessment;
    const s = await call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: a.version });
    expect(s.statusCode, s.body).toBe(200);
    const c = await call('B', 'POST', `/api/assessments/${a.id}/cosign`, { version: s.json().version, signature: SIG });
    expect(c.statusCode, c.body).toBe(200);
    return c.json() as AssessmentView;
  }
  async function approved(d: AssessmentDraftInput) {
    const c = await cosigned(d);
    const r = await call('town1', 'POST', `/api/assessments/${c.id}/review`, { version: c.version, decision: 'approve', note: '' });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as AssessmentView;
  }

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const town1 = ctx.regions.get(
      (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'assessor1').executeTakeFirstOrThrow()).region_code,
    )!;
    const villages = ctx.regions.all().filter((r) => r.level === 'village' && r.code.startsWith(town1.prefix));
    const rid = (n: number) => makeResidentId('990101', BIRTH, n, 'F');
    const csv = [PS_HEADER, ...[1, 2, 3, 4, 5].map((n) => `${rid(n)},王${'一二三四五'[n - 1]},女,${BIRTH},${villages[0]!.code},本地,,正常,`)].join('\n');
    await importText(ctx, 'public_security', csv, { asOf: today() });
    persons = (await ctx.db.selectFrom('persons').select('id').orderBy('id').execute()).map((r) => r.id);
    expect(persons).toHaveLength(5);
    await insertAccounts(
      ctx.db,
      [{ username: 'rec_assessor_b', displayName: '第二评估员', role: 'assessor', regionCode: town1.code, passwordHash: await hashPassword(DEMO_PASSWORD) }],
      nowIso(),
    );
    const ids = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['assessor1', 'rec_assessor_b']).execute();
    assessor1Id = ids.find((u) => u.username === 'assessor1')!.id;
    assessor2Id = ids.find((u) => u.username === 'rec_assessor_b')!.id;
    // both assessors are assigned every test person (an assessor sees only the persons assigned to them: reach.ts)
    for (const assessor of [assessor1Id, assessor2Id])
      for (const p of persons)
        await ctx.db
          .insertInto('assessment_assignments')
          .values({
            person_id: p,
            region_code: villages[0]!.code,
            assessor_id: assessor,
            note: null,
            assigned_by: assessor,
            assigned_at: nowIso(),
            ended_by: null,
            ended_at: null,
          })
          .execute();
    app = await buildApp(ctx, { serveWeb: false });
    for (const u of ['assessor1', 'rec_assessor_b', 'town1', 'admin', 'town2']) await login(u);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('takes a draft through submit, co-sign and approval; the level goes on the person’s row and currentCapability agrees', async () => {
    const person = persons[0]!;
    const created = await call('assessor1', 'POST', '/api/assessments/sync', draft(person));
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json().assessment as AssessmentView;
    expect(created.json().outcome).toBe('created');
    expect(a).toMatchObject({ status: 'draft', version: 1, personName: '王一', assessor1: { id: assessor1Id }, assessor2: { id: assessor2Id }, notes: NOTES });
    expect(a.scoring.answered).toBe(ITEMS.length);
    expect(a.scoring.final).not.toBeNull();
    expect(a.can).toMatchObject({ edit: true, submit: true, cosign: false, review: false });

    const submitted = await call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: 1 });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', version: 2 });
    // the second assessor finds it waiting for them; the officer not yet (not co-signed)
    const waiting = await call('B', 'GET', '/api/assessments?filter=cosign');
    expect(waiting.json().items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    expect((await call('town1', 'GET', '/api/assessments?filter=review')).json().items).toEqual([]);
    const early = await call('town1', 'POST', `/api/assessments/${a.id}/review`, { version: 2, decision: 'approve', note: '' });
    expect(early.json().error.code).toBe('ASSESSMENT_NOT_READY_FOR_REVIEW');
    await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/cosign`, { version: 2, signature: SIG }), 'ASSESSMENT_NOT_ASSESSOR2');

    const cos = await call('B', 'POST', `/api/assessments/${a.id}/cosign`, { version: 2, signature: SIG });
    expect(cos.statusCode, cos.body).toBe(200);
    expect(cos.json()).toMatchObject({ cosigned: true, version: 3, signatures: { assessor2: SIG } });
    await refused(call('B', 'POST', `/api/assessments/${a.id}/cosign`, { version: 3, signature: SIG }), 'ASSESSMENT_NOT_AWAITING_COSIGN');
    expect((await call('town1', 'GET', '/api/assessments?filter=review')).json().items.map((i: { id: number }) => i.id)).toEqual([a.id]);
    // another town's officer does not see it
    expect((await call('town2', 'GET', `/api/assessments/${a.id}`)).json().error.code).toBe('ASSESSMENT_NOT_FOUND');

    const view = (await call('town1', 'GET', `/api/assessments/${a.id}`)).json() as AssessmentView;
    // a change of condition asked for an assessment: the profile shows it open until the approval closes it
    const region = (await ctx.db.selectFrom('assessments').select('region_code').where('id', '=', a.id).executeTakeFirstOrThrow()).region_code;
    await ctx.db
      .insertInto('assessment_requests')
      .values({
        person_id: person,
        region_code: region,
        reason: 'change',
        note: '跌倒后行动不便',
        requested_by: assessor1Id,
        requested_at: nowIso(),
        closed_at: null,
        assessment_id: null,
      })
      .execute();
    expect((await call('town1', 'GET', `/api/persons/${person}/capability`)).json()).toMatchObject({ current: null, openRequest: { reason: 'change' } });
    expect(view.can.review).toBe(true);
    await refused(call('town1', 'POST', `/api/assessments/${a.id}/review`, { version: 2, decision: 'approve', note: '' }), 'ASSESSMENT_VERSION_STALE');
    const done = await call('town1', 'POST', `/api/assessments/${a.id}/review`, { version: 3, decision: 'approve', note: '' });
    expect(done.statusCode, done.body).toBe(200);
    const r = done.json() as AssessmentView;
    expect(r).toMatchObject({ status: 'reviewed', version: 4, reviewer: { name: expect.any(String) } });
    expect(r.verifyCode).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(r.nextDue).toBeTruthy();
    expect(r.validUntil! > r.nextDue!).toBe(true);

    const [row] = (await personColumns(ctx.db, ['capability_level', 'capability_assessment_id', 'capability_due', 'capability_until'], [person])) as Record<
      string,
      unknown
    >[];
    expect(row).toEqual({ capability_level: r.finalLevel, capability_assessment_id: a.id, capability_due: r.nextDue, capability_until: r.validUntil });
    expect(await currentCapability(ctx.db, person)).toEqual({
      assessmentId: a.id,
      level: r.finalLevel,
      referenceDate: today(),
      nextDue: r.nextDue,
      validUntil: r.validUntil,
    });
    expect(await currentCapability(ctx.db, person, addDays(r.validUntil!, 1))).toBeNull();
    const profile = await call('town1', 'GET', `/api/persons/${person}/capability`);
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json()).toMatchObject({ current: { assessmentId: a.id, level: r.finalLevel, expired: false }, due: r.nextDue });
    expect(profile.json().assessments.map((x: { id: number }) => x.id)).toEqual([a.id]);
    expect(profile.json().openRequest).toBeNull();
    const closed = await ctx.db.selectFrom('assessment_requests').select(['closed_at', 'assessment_id']).where('person_id', '=', person).execute();
    expect(closed).toEqual([{ closed_at: expect.any(String), assessment_id: a.id }]);

    // the public check of the printed report
    const v = await app.inject({ method: 'GET', url: `/api/public/assessments/verify?code=${r.verifyCode}` });
    expect(v.json()).toEqual({
      found: true,
      nameMasked: '王*',
      referenceDate: today(),
      finalLevel: r.finalLevel,
      instrument: 'GB/T 42195-2022',
      state: 'current',
      validUntil: r.validUntil,
    });
    const none = await app.inject({ method: 'GET', url: '/api/public/assessments/verify?code=ZZZZZZZZZZ' });
    expect(none.json()).toMatchObject({ found: false, nameMasked: null });

    // reviewed is final: an edit is refused, saying to make a correction
    const err = await refused(
      call('assessor1', 'POST', '/api/assessments/sync', { ...draft(person), clientId: a.clientId, baseVersion: 4, notes: 'changed' }),
      'ASSESSMENT_REVIEWED',
    );
    expect(err.message).toContain('更正');
  });

  it('refuses a score outside an item’s options and an unknown item, naming the item and the allowed scores', async () => {
    const item = ITEMS[0]!;
    const err = await refused(
      call('assessor1', 'POST', '/api/assessments/sync', draft(persons[1]!, { answers: { ...FULL, [item.code]: 7 } })),
      'ASSESSMENT_SCORE_INVALID',
    );
    expect(err.message).toContain(item.code);
    expect(err.message).toContain(
      item.options
        .map((o) => o.score)
        .sort((a, b) => a - b)
        .join(', '),
    );
    const unknown = await refused(
      call('assessor1', 'POST', '/api/assessments/sync', draft(persons[1]!, { answers: { ...FULL, 'B.9.9': 1 } })),
      'ASSESSMENT_ITEM_UNKNOWN',
    );
    expect(unknown.message).toContain('B.9.9');
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(persons[1]!, { instrumentVersion: '2013' })), 'ASSESSMENT_INSTRUMENT_UNKNOWN');
  });

  it('refuses a reference date in the future, before the birth, more than 90 days ago, or not a real date', async () => {
    const p = persons[1]!;
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { referenceDate: addDays(today(), 1) })), 'ASSESSMENT_DATE_FUTURE');
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { referenceDate: '1939-01-01' })), 'ASSESSMENT_DATE_BEFORE_BIRTH');
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { referenceDate: addDays(today(), -91) })), 'ASSESSMENT_DATE_TOO_OLD');
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { referenceDate: '2025-02-30' })), 'ASSESSMENT_DATE_INVALID');
    expect((await sync(draft(p, { referenceDate: addDays(today(), -90) }))).outcome).toBe('created');
  });

  it('refuses a single assessor, missing items and missing signatures at submit, naming what is missing', async () => {
    const p = persons[2]!;
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { assessor2Id: assessor1Id })), 'ASSESSMENT_ASSESSOR2_SELF');
    const officer = (await ctx.db.selectFrom('users').select('id').where('username', '=', 'town1').executeTakeFirstOrThrow()).id;
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(p, { assessor2Id: officer })), 'ASSESSMENT_ASSESSOR2_INVALID');

    const answers = { ...FULL };
    const [m1, m2] = [ITEMS[3]!.code, ITEMS[7]!.code];
    delete answers[m1];
    delete answers[m2];
    const d = draft(p, { assessor2Id: null, answers, signatures: { assessor1: null, elder: null } });
    const a = (await sync(d)).assessment;
    expect(a.scoring).toMatchObject({ answered: ITEMS.length - 2, final: null });
    const missing = await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: 1 }), 'ASSESSMENT_INCOMPLETE');
    expect(missing.message).toContain(m1);
    expect(missing.message).toContain(m2);

    const v2 = (await sync({ ...d, baseVersion: 1, answers: { ...FULL } })).assessment;
    expect(v2.version).toBe(2);
    await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: 2 }), 'ASSESSMENT_NEEDS_ASSESSOR2');
    const v3 = (await sync({ ...d, baseVersion: 2, answers: { ...FULL }, assessor2Id })).assessment;
    await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: v3.version }), 'ASSESSMENT_SIGNATURE_ASSESSOR1');
    const v4 = (await sync({ ...d, baseVersion: 3, answers: { ...FULL }, assessor2Id, signatures: { assessor1: SIG, elder: null } })).assessment;
    await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: v4.version }), 'ASSESSMENT_SIGNATURE_ELDER');
    await refused(call('B', 'POST', `/api/assessments/${a.id}/submit`, { version: v4.version }), 'ASSESSMENT_NOT_ASSESSOR1');
    await refused(call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: 1 }), 'ASSESSMENT_VERSION_STALE');
  });

  it('refuses a reviewer who assessed it; a return with a note sends it back to draft', async () => {
    const c = await cosigned(draft(persons[3]!));
    // the second assessor, later an officer, still may not review what they assessed
    await ctx.db.updateTable('users').set({ role: 'town_officer' }).where('id', '=', assessor2Id).execute();
    try {
      const asOfficer = await userScope(ctx, 'rec_assessor_b');
      expect(await codeOf(reviewAssessment(ctx, asOfficer, c.id, { version: c.version, decision: 'approve', note: '' }))).toBe(
        'ASSESSMENT_REVIEWER_IS_ASSESSOR',
      );
    } finally {
      await ctx.db.updateTable('users').set({ role: 'assessor' }).where('id', '=', assessor2Id).execute();
    }
    // an assessor may not review at all
    expect((await call('assessor1', 'POST', `/api/assessments/${c.id}/review`, { version: c.version, decision: 'approve', note: '' })).statusCode).toBe(403);
    await refused(call('town1', 'POST', `/api/assessments/${c.id}/review`, { version: c.version, decision: 'return', note: ' ' }), 'ASSESSMENT_RETURN_NOTE');
    const back = await call('town1', 'POST', `/api/assessments/${c.id}/review`, { version: c.version, decision: 'return', note: '洗澡项与照片不符，请复核' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({
      status: 'draft',
      version: c.version + 1,
      reviewNote: '洗澡项与照片不符，请复核',
      cosigned: false,
      can: { edit: false },
    });
    const mine = (await call('assessor1', 'GET', `/api/assessments/${c.id}`)).json() as AssessmentView;
    expect(mine.can).toMatchObject({ edit: true, submit: true });
    const [p] = (await personColumns(ctx.db, ['capability_level'], [persons[3]!])) as { capability_level: string | null }[];
    expect(p!.capability_level).toBeNull();
  });

  it('a correction replaces what it supersedes: currentCapability follows it and the old one shows supersededBy', async () => {
    const person = persons[4]!;
    const first = await approved(draft(person));
    expect((await currentCapability(ctx.db, person))?.assessmentId).toBe(first.id);
    // a correction needs a reason, and a reviewed record of the same person
    await refused(call('assessor1', 'POST', '/api/assessments/sync', draft(person, { supersedesId: first.id })), 'ASSESSMENT_CORRECTION_REASON');
    await refused(
      call('assessor1', 'POST', '/api/assessments/sync', draft(persons[0]!, { supersedesId: first.id, correctionReason: '录入错误' })),
      'ASSESSMENT_CORRECTION_TARGET',
    );
    const better = { ...FULL, [ITEMS[0]!.code]: Math.max(...ITEMS[0]!.options.map((o) => o.score)) };
    const corr = draft(person, { supersedesId: first.id, correctionReason: '进食项录入错误', reason: 'other', answers: better });
    const created = (await sync(corr)).assessment;
    await refused(
      call('assessor1', 'POST', '/api/assessments/sync', draft(person, { supersedesId: first.id, correctionReason: '再次更正' })),
      'ASSESSMENT_CORRECTION_OPEN',
    );
    // not yet reviewed: the first still counts
    expect((await currentCapability(ctx.db, person))?.assessmentId).toBe(first.id);
    const s = await call('assessor1', 'POST', `/api/assessments/${created.id}/submit`, { version: created.version });
    const c = await call('B', 'POST', `/api/assessments/${created.id}/cosign`, { version: s.json().version, signature: SIG });
    const r = await call('town1', 'POST', `/api/assessments/${created.id}/review`, { version: c.json().version, decision: 'approve', note: '' });
    expect(r.statusCode, r.body).toBe(200);
    const now = await currentCapability(ctx.db, person);
    expect(now?.assessmentId).toBe(created.id);
    const [row] = (await personColumns(ctx.db, ['capability_assessment_id'], [person])) as { capability_assessment_id: number }[];
    expect(row!.capability_assessment_id).toBe(created.id);
    const old = (await call('town1', 'GET', `/api/assessments/${first.id}`)).json() as AssessmentView;
    expect(old.supersededBy).toBe(created.id);
    expect(old.can.correct).toBe(false);
    const v = await app.inject({ method: 'GET', url: `/api/public/assessments/verify?code=${first.verifyCode!.toLowerCase()}` });
    expect(v.json()).toMatchObject({ found: true, state: 'superseded' });
    // time passes beyond the correction's validity (simulated): no current level, the report reads expired
    const code = (r.json() as AssessmentView).verifyCode!;
    await ctx.db
      .updateTable('assessments')
      .set({ valid_until: addDays(today(), -1) })
      .where('id', '=', created.id)
      .execute();
    expect(await currentCapability(ctx.db, person)).toBeNull();
    expect((await app.inject({ method: 'GET', url: `/api/public/assessments/verify?code=${code}` })).json()).toMatchObject({ found: true, state: 'expired' });
    expect((await call('town1', 'GET', `/api/persons/${person}/capability`)).json().current).toMatchObject({ assessmentId: created.id, expired: true });
  });

  it('keeps answers, notes, diagnoses and signatures sealed at rest', async () => {
    const rows = await ctx.db.selectFrom('assessments').select(['content_enc', 'signatures_enc']).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      for (const needle of [NOTES, DIAGNOSES, 'NOTE-qz7', 'DIAG-k3v', 'iVBORw0KGgo', 'B.1.1']) {
        expect(r.content_enc).not.toContain(needle);
        expect(r.signatures_enc ?? '').not.toContain(needle);
      }
    }
    const conflicts = await ctx.db.selectFrom('assessment_conflicts').select('payload_enc').execute();
    for (const c of conflicts) expect(c.payload_enc).not.toContain('NOTE-qz7');
    // the audit log names no answer either
    const audit = await ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(audit)).not.toContain('NOTE-qz7');
    expect(JSON.stringify(audit)).not.toContain('DIAG-k3v');
  });

  it('lists an assessor only their own records, newest first, and offers the second-assessor picker', async () => {
    const list = await call('B', 'GET', '/api/assessments?pageSize=100');
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { assessor1: { id: number }; assessor2: { id: number } | null; updatedAt: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.assessor1.id === assessor2Id || i.assessor2?.id === assessor2Id)).toBe(true);
    const admin = (await call('admin', 'GET', '/api/assessments?pageSize=100')).json();
    expect(admin.total).toBeGreaterThanOrEqual(items.length);
    expect(admin.items.map((i: { updatedAt: string }) => i.updatedAt)).toEqual(
      [...admin.items.map((i: { updatedAt: string }) => i.updatedAt)].sort().reverse(),
    );
    const picker = (await call('assessor1', 'GET', '/api/assessors')).json().items as { id: number; regionCode: string }[];
    expect(picker.map((i) => i.id)).toEqual(expect.arrayContaining([assessor1Id, assessor2Id]));
    // the town's assessors and those of the regions above it (the county's assessment organisation), no other town's
    const prefix = ctx.regions.get(picker.find((i) => i.id === assessor1Id)!.regionCode)!.prefix;
    expect(picker.every((i) => i.regionCode.startsWith(prefix) || prefix.startsWith(ctx.regions.get(i.regionCode)!.prefix))).toBe(true);
    const other = ((await call('town2', 'GET', '/api/assessors')).json().items as { id: number }[]).map((i) => i.id);
    expect(other).not.toContain(assessor1Id);
    expect(other).not.toContain(assessor2Id);
  });
});
