import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, importText, userScope, type TestContext } from '../../testing/harness.js';
import type { AssessmentDraftInput, AssessmentView } from '../assessment/assessment.schema.js';
import { CURRENT_VERSION, INSTRUMENTS } from '../assessment/instrument/index.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { makeResidentId } from '../register/resident-id.js';
import { insertAccounts } from '../users/accounts.js';
import { listFollowups, raiseFollowupNow } from './followups.js';

/**
 * Follow-ups tracked to closure (issue 16): a reassessment follow-up asks the assessment module for
 * an assessment on a change of condition; when the person's next assessment is approved, the
 * request closes and so does the follow-up, with a resolution naming the assessment. Over the
 * assessment's own routes (draft → submit → co-sign → approve), on both databases.
 */
const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
const BIRTH = '1941-02-03';
const SIG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
const ITEMS = INSTRUMENTS[CURRENT_VERSION]!.indicators.flatMap((i) => i.items);
const ANSWERS: Record<string, number> = Object.fromEntries(ITEMS.map((it) => [it.code, Math.min(...it.options.map((o) => o.score))]));

describe.each(dialects)('follow-ups closed by what they asked for on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let persons: number[];
  let assessor2Id: number;
  const headers = new Map<string, Record<string, string>>();

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: headers.get(who)! });

  async function approved(personId: number): Promise<AssessmentView> {
    const draft: AssessmentDraftInput = {
      clientId: randomUUID(),
      baseVersion: null,
      personId,
      instrumentVersion: CURRENT_VERSION,
      referenceDate: today(),
      place: 'home',
      reason: 'change',
      assessor2Id,
      answers: { ...ANSWERS },
      basic: {},
      health: {},
      signatures: { assessor1: SIG, elder: { image: SIG, signer: 'elder', name: '王' } },
    };
    const a = await call('assessor1', 'POST', '/api/assessments/sync', draft);
    expect(a.statusCode, a.body).toBeLessThan(300);
    const created = a.json<{ assessment: AssessmentView }>().assessment;
    const s = await call('assessor1', 'POST', `/api/assessments/${created.id}/submit`, { version: created.version });
    expect(s.statusCode, s.body).toBe(200);
    const c = await call('B', 'POST', `/api/assessments/${created.id}/cosign`, { version: s.json().version, signature: SIG });
    expect(c.statusCode, c.body).toBe(200);
    const r = await call('town1', 'POST', `/api/assessments/${created.id}/review`, { version: c.json().version, decision: 'approve', note: '' });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<AssessmentView>();
  }

  const followupsOf = async (personId: number) => (await listFollowups(ctx, town1, { personId, status: 'all', page: 1, pageSize: 50 })).items;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    town1 = await userScope(ctx, 'town1');
    const villages = ctx.regions.all().filter((r) => r.level === 'village' && r.code.startsWith(town1.regionPrefix));
    const rid = (n: number) => makeResidentId('990102', BIRTH, n, 'F');
    const csv = [PS_HEADER, ...[1, 2].map((n) => `${rid(n)},李${'一二'[n - 1]},女,${BIRTH},${villages[0]!.code},本地,,正常,`)].join('\n');
    await importText(ctx, 'public_security', csv, { asOf: today() });
    persons = (await ctx.db.selectFrom('persons').select('id').orderBy('id').execute()).map((r) => r.id);
    await insertAccounts(
      ctx.db,
      [
        {
          username: 'fc_assessor_b',
          displayName: '第二评估员',
          role: 'assessor',
          regionCode: town1.regionCode,
          passwordHash: await hashPassword(DEMO_PASSWORD),
        },
      ],
      nowIso(),
    );
    const ids = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['assessor1', 'fc_assessor_b']).execute();
    assessor2Id = ids.find((u) => u.username === 'fc_assessor_b')!.id;
    for (const u of ids)
      for (const p of persons)
        await ctx.db
          .insertInto('assessment_assignments')
          .values({
            person_id: p,
            region_code: villages[0]!.code,
            assessor_id: u.id,
            note: null,
            assigned_by: u.id,
            assigned_at: nowIso(),
            ended_by: null,
            ended_at: null,
          })
          .execute();
    app = await buildApp(ctx, { serveWeb: false });
    for (const username of ['assessor1', 'fc_assessor_b', 'town1']) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      headers.set(username === 'fc_assessor_b' ? 'B' : username, {
        cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
        'x-csrf-token': res.json().csrfToken,
      });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('closes a reassessment follow-up when the person’s next assessment is approved, naming the assessment; another person’s stays open', async () => {
    const [p, other] = persons as [number, number];
    const f = await raiseFollowupNow(ctx, town1, { personId: p, eventId: null, kind: 'reassessment', finding: 'health.fall', note: '上周跌倒' });
    const g = await raiseFollowupNow(ctx, town1, { personId: other, eventId: null, kind: 'reassessment', finding: 'health.worse', note: null });
    // a second follow-up of the same person is linked to the same open request
    const h = await raiseFollowupNow(ctx, town1, { personId: p, eventId: null, kind: 'reassessment', finding: 'health.worse', note: null });
    expect(f.assessmentRequestId).not.toBeNull();
    expect(h.assessmentRequestId).toBe(f.assessmentRequestId);
    expect(f.status).toBe('open');
    const a = await approved(p);
    const after = await followupsOf(p);
    for (const id of [f.id, h.id]) {
      const v = after.find((x) => x.id === id)!;
      expect(v.status).toBe('closed');
      expect(v.closedBy?.id).toBe(town1.userId);
      expect(v.resolution).toContain(`评估记录 ${a.id}`);
      expect(v.resolution).toContain(`assessment ${a.id}`);
    }
    const audits = await ctx.db.selectFrom('audit_log').select(['entity_id', 'detail']).where('action', '=', 'visits.followup_close').execute();
    expect(audits.map((r) => r.entity_id).sort()).toEqual([String(f.id), String(h.id)].sort());
    expect((await followupsOf(other)).find((x) => x.id === g.id)!.status).toBe('open');
  });
});
