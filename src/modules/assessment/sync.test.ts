import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, importText, type TestContext } from '../../testing/harness.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { makeResidentId } from '../register/resident-id.js';
import { insertAccounts } from '../users/accounts.js';
import type { AssessmentDraftInput, AssessmentView } from './assessment.schema.js';
import { CURRENT_VERSION, INSTRUMENTS } from './instrument/index.js';

/**
 * The offline tablet's sync (issue 15): the whole draft sent every time, merged once when sent
 * again (even ten times at once), an edit against an older version kept as a visible conflict and
 * never applied, and the conflict resolved by the first assessor. Over HTTP, on both databases.
 */
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
const BIRTH = '1941-03-09';
const SIG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
const ITEMS = INSTRUMENTS[CURRENT_VERSION]!.indicators.flatMap((i) => i.items);
const FULL: Record<string, number> = Object.fromEntries(ITEMS.map((it) => [it.code, Math.max(...it.options.map((o) => o.score))]));

describe.each(dialects)('assessment sync (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const headers = new Map<string, Record<string, string>>();
  let persons: number[];
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
  const send = (d: AssessmentDraftInput, who = 'assessor1') => call(who, 'POST', '/api/assessments/sync', d);

  const draft = (personId: number, over: Partial<AssessmentDraftInput> = {}): AssessmentDraftInput => ({
    clientId: randomUUID(),
    baseVersion: null,
    personId,
    instrumentVersion: CURRENT_VERSION,
    referenceDate: today(),
    place: 'home',
    reason: 'first',
    assessor2Id,
    answers: { [ITEMS[0]!.code]: FULL[ITEMS[0]!.code]! },
    basic: {},
    health: {},
    notes: 'first visit',
    ...over,
  });

  const rowsOf = (clientId: string) => ctx.db.selectFrom('assessments').selectAll().where('client_id', '=', clientId).execute();
  const conflictsOf = (id: number) => ctx.db.selectFrom('assessment_conflicts').selectAll().where('assessment_id', '=', id).execute();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const town1 = ctx.regions.get(
      (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'assessor1').executeTakeFirstOrThrow()).region_code,
    )!;
    const village = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town1.prefix))!;
    const rid = (n: number) => makeResidentId('990101', BIRTH, n, 'M');
    const csv = [PS_HEADER, ...['一', '二', '三', '四'].map((n, i) => `${rid(i + 1)},赵${n},男,${BIRTH},${village.code},本地,,正常,`)].join('\n');
    await importText(ctx, 'public_security', csv, { asOf: today() });
    persons = (await ctx.db.selectFrom('persons').select('id').orderBy('id').execute()).map((r) => r.id);
    await insertAccounts(
      ctx.db,
      [
        { username: 'rec_assessor_b', displayName: '第二评估员', role: 'assessor', regionCode: town1.code, passwordHash: await hashPassword(DEMO_PASSWORD) },
        {
          username: 'rec_assessor_c',
          displayName: '未分派的评估员',
          role: 'assessor',
          regionCode: town1.code,
          passwordHash: await hashPassword(DEMO_PASSWORD),
        },
      ],
      nowIso(),
    );
    const users = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['assessor1', 'rec_assessor_b']).execute();
    assessor2Id = users.find((u) => u.username === 'rec_assessor_b')!.id;
    for (const u of users)
      for (const p of persons)
        await ctx.db
          .insertInto('assessment_assignments')
          .values({
            person_id: p,
            region_code: village.code,
            assessor_id: u.id,
            note: null,
            assigned_by: u.id,
            assigned_at: nowIso(),
            ended_by: null,
            ended_at: null,
          })
          .execute();
    app = await buildApp(ctx, { serveWeb: false });
    for (const u of ['assessor1', 'rec_assessor_b', 'rec_assessor_c', 'town1']) await login(u);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('merges the same offline create sent ten times at once into one record', async () => {
    const d = draft(persons[0]!);
    const replies = await Promise.all(Array.from({ length: 10 }, () => send(d)));
    for (const r of replies) expect(r.statusCode, r.body).toBeLessThan(300);
    const outcomes = replies.map((r) => r.json().outcome as string).sort();
    expect(outcomes).toEqual(['created', ...Array<string>(9).fill('unchanged')]);
    expect(replies.find((r) => r.json().outcome === 'created')!.statusCode).toBe(201);
    const rows = await rowsOf(d.clientId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(1);
    expect(new Set(replies.map((r) => r.json().assessment.id))).toEqual(new Set([rows[0]!.id]));
    const creates = await ctx.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'assessment.create')
      .where('entity_id', '=', String(rows[0]!.id))
      .execute();
    expect(creates).toHaveLength(1);
  });

  it('merges a resend once; the same device id with other content is kept as a conflict, not applied', async () => {
    const d = draft(persons[1]!);
    expect((await send(d)).statusCode).toBe(201);
    const again = await send(d);
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('unchanged');
    const [row] = await rowsOf(d.clientId);
    const other = await send({ ...d, notes: 'something else' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('ASSESSMENT_DUPLICATE_CLIENT');
    const [after] = await rowsOf(d.clientId);
    expect(after).toEqual(row);
    expect(await conflictsOf(row!.id)).toHaveLength(1);
  });

  it('applies an edit of the current version, merges its resend, and keeps a stale edit as a conflict (409) without touching the record', async () => {
    const d = draft(persons[2]!);
    const a = (await send(d)).json().assessment as AssessmentView;
    // device A edits version 1: applied
    const editA = { ...d, baseVersion: 1, answers: { ...d.answers, [ITEMS[1]!.code]: FULL[ITEMS[1]!.code]! }, notes: 'A' };
    const ra = await send(editA);
    expect(ra.statusCode, ra.body).toBe(200);
    expect(ra.json()).toMatchObject({ outcome: 'updated', assessment: { version: 2, notes: 'A' } });
    expect(ra.json().assessment.scoring.answered).toBe(2);
    // the same edit sent again (the reply was lost): merged
    const rr = await send(editA);
    expect(rr.json().outcome).toBe('unchanged');
    expect(rr.json().assessment.version).toBe(2);
    // device B, still on version 1, sends its own edit: stale
    const [before] = await rowsOf(d.clientId);
    const editB = { ...d, baseVersion: 1, notes: 'B' };
    const rb = await send(editB);
    expect(rb.statusCode).toBe(409);
    const err = rb.json().error;
    expect(err.code).toBe('ASSESSMENT_STALE');
    expect(err.message).toContain('第 1 版');
    expect(err.message).toContain('第 2 版');
    expect(err.details).toEqual({ conflictId: expect.any(Number), serverVersion: 2 });
    const [after] = await rowsOf(d.clientId);
    expect(after).toEqual(before);
    // visible beside the record, as sent
    const list = await call('assessor1', 'GET', `/api/assessments/${a.id}/conflicts`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: err.details.conflictId,
        baseVersion: 1,
        serverVersion: 2,
        resolvedAt: null,
        draft: expect.objectContaining({ notes: 'B' }),
      }),
    ]);
    const en = await app.inject({
      method: 'POST',
      url: '/api/assessments/sync',
      payload: editB,
      headers: { ...headers.get('assessor1')!, 'accept-language': 'en' },
    });
    expect(en.json().error.message).toContain('based on version 1');
    const audits = await ctx.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'assessment.conflict')
      .where('entity_id', '=', String(a.id))
      .execute();
    expect(audits).toHaveLength(2);
    expect((await call('town1', 'GET', '/api/assessments?filter=conflicts')).json().items.map((i: { id: number }) => i.id)).toContain(a.id);
    const view = (await call('assessor1', 'GET', `/api/assessments/${a.id}`)).json() as AssessmentView;
    expect(view.openConflicts).toBe(2);

    // only the first assessor resolves; once
    const second = await call('B', 'POST', `/api/assessment-conflicts/${err.details.conflictId}/resolve`, { resolution: 'kept_server' });
    expect(second.json().error.code).toBe('ASSESSMENT_NOT_ASSESSOR1');
    const ok = await call('assessor1', 'POST', `/api/assessment-conflicts/${err.details.conflictId}/resolve`, { resolution: 'reapplied' });
    expect(ok.statusCode, ok.body).toBe(200);
    const twice = await call('assessor1', 'POST', `/api/assessment-conflicts/${err.details.conflictId}/resolve`, { resolution: 'kept_server' });
    expect(twice.json().error.code).toBe('CONFLICT_RESOLVED');
    const [c] = (await call('assessor1', 'GET', `/api/assessments/${a.id}/conflicts`))
      .json()
      .items.filter((i: { id: number }) => i.id === err.details.conflictId);
    expect(c).toMatchObject({ resolution: 'reapplied', resolvedAt: expect.any(String) });
  });

  it('refuses an edit by anyone but the first assessor, of a submitted record, or of another person', async () => {
    const d = draft(persons[3]!, { answers: { ...FULL }, signatures: { assessor1: SIG, elder: { image: SIG, signer: 'guardian', name: '赵小四' } } });
    const a = (await send(d)).json().assessment as AssessmentView;
    const byOther = await send({ ...d, baseVersion: 1, notes: 'not mine' }, 'B');
    expect(byOther.json().error.code).toBe('ASSESSMENT_NOT_ASSESSOR1');
    const moved = await send({ ...d, baseVersion: 1, personId: persons[2]! });
    expect(moved.json().error.code).toBe('ASSESSMENT_PERSON_CHANGED');
    const s = await call('assessor1', 'POST', `/api/assessments/${a.id}/submit`, { version: 1 });
    expect(s.statusCode, s.body).toBe(200);
    const [before] = await rowsOf(d.clientId);
    const late = await send({ ...d, baseVersion: 2, notes: 'after submitting' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ASSESSMENT_SUBMITTED');
    expect(late.json().error.message).toContain('已提交');
    const [after] = await rowsOf(d.clientId);
    expect(after).toEqual(before);
    expect(await conflictsOf(a.id)).toHaveLength(0);
  });

  it('refuses a person not assigned to the sending assessor, and hides records they took no part in', async () => {
    const d = draft(persons[0]!);
    const res = await send(d, 'rec_assessor_c');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
    expect(await rowsOf(d.clientId)).toHaveLength(0);
    const mine = (await send(draft(persons[0]!))).json().assessment as AssessmentView;
    expect((await call('rec_assessor_c', 'GET', `/api/assessments/${mine.id}`)).json().error.code).toBe('ASSESSMENT_NOT_FOUND');
    expect((await call('rec_assessor_c', 'GET', '/api/assessments')).json().items).toEqual([]);
  });
});
