import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { hashPassword } from '../../platform/auth.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { verifyRound, type DrawPools } from '../../lib/draw.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { createFacility } from '../facilities/facilities.service.js';
import { createProvider } from '../services/providers.js';
import { insertAccounts } from '../users/accounts.js';
import { createAdHoc, publicResults, signOffInspection, submitInspection } from './inspections.js';
import { addConflict } from './pools.js';
import { rate } from './rating.js';
import { computeRatings, listRatings } from './ratings.js';
import { announceRound, drandRoundAfter, drawRound } from './rounds.js';
import { DEFAULT_SUPERVISION } from './supervision.settings.js';
import type { RoundView } from './supervision.schema.js';

const F = DEFAULT_SUPERVISION.formula;
const none = { findings: { minor: 0, major: 0, serious: 0 }, complaints: { received: 0, substantiated: 0, overdue: 0 }, anomalies: null, satisfaction: null };

describe('the credit-rating formula (pure)', () => {
  it('takes each term’s points up to its cap and explains every term', () => {
    const x = rate(
      {
        ...none,
        findings: { minor: 3, major: 10, serious: 0 },
        complaints: { received: 4, substantiated: 2, overdue: 1 },
        anomalies: 6,
        satisfaction: { responses: 20, meanPercent: 80 },
      },
      F,
    );
    const pts = Object.fromEntries(x.terms.map((t) => [t.key, t.points]));
    // major: 10 × 4 = 40, capped at 24; satisfaction 10 points short × 0.5 = 5
    expect(pts).toEqual({
      finding_minor: 3,
      finding_major: 24,
      finding_serious: 0,
      complaint_substantiated: 6,
      complaint_overdue: 1,
      service_anomaly: 3,
      satisfaction_shortfall: 5,
    });
    expect(x.rawScore).toBe(100 - 42);
    expect(x.grade).toBe('D');
    expect(x.cap).toBeNull();
    // a facility has no anomalies term; too few survey answers weigh nothing
    const f = rate({ ...none, satisfaction: { responses: 3, meanPercent: 10 } }, F);
    expect(f.terms.find((t) => t.key === 'service_anomaly')!.applies).toBe(false);
    expect(f.terms.find((t) => t.key === 'satisfaction_shortfall')!.applies).toBe(false);
    expect([f.score, f.grade]).toEqual([100, 'A']);
  });

  it('caps the grade at C after a serious finding whatever the rest (the score below B’s band)', () => {
    const x = rate({ ...none, findings: { minor: 0, major: 0, serious: 1 } }, F);
    expect(x.rawScore).toBe(90);
    expect(x.rawGrade).toBe('A');
    // the cap is explained with its figures: from the raw score to the top of C's band
    expect(x.cap).toEqual({ reason: 'serious_finding', maxGrade: 'C', applied: true, scoreBefore: 90, scoreAfter: 74, seriousFindings: [] });
    expect([x.score, x.grade]).toEqual([74, 'C']);
    // already below the cap: the cap is noted, not applied
    const y = rate({ ...none, findings: { minor: 0, major: 6, serious: 2 } }, F);
    expect(y.cap?.applied).toBe(false);
    expect(y.grade).toBe('D');
  });
});

describe.each(dialects)('supervision on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Scope;
  let insp: Scope[] = [];
  const facilityKeys: string[] = [];
  let providerKey = '';
  const later = (r: RoundView) => new Date(Date.parse(r.externalAt) + 1000);
  const EXTERNAL = '3c'.repeat(32);

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    admin = await userScope(ctx, 'admin');
    const town = ctx.regions.all().find((r) => r.level === 'town')!.code;
    const hash = await hashPassword(DEMO_PASSWORD);
    await insertAccounts(
      ctx.db,
      ['insp2', 'insp3'].map((u) => ({ username: u, displayName: `检查员${u}`, role: 'inspector', regionCode: admin.regionCode, passwordHash: hash })),
      nowIso(),
    );
    insp = [await userScope(ctx, 'inspector1'), await userScope(ctx, 'insp2'), await userScope(ctx, 'insp3')];
    for (let i = 0; i < 4; i++) {
      const f = await createFacility(ctx, admin, {
        name: `测试养老院${i}`,
        kind: 'institution',
        ownership: 'public',
        regionCode: town,
        address: '测试路 1 号',
        lat: null,
        lng: null,
        grade: null,
        governmentWork: false,
        providerId: null,
        hardshipHome: false,
        active: true,
      });
      facilityKeys.push(`facility:${f.id}`);
    }
    const p = await createProvider(ctx, admin, {
      name: '测试居家服务社',
      kind: 'home_service',
      regionCode: town,
      creditCode: null,
      contactName: null,
      contactPhone: null,
    } as never);
    providerKey = `provider:${p.id}`;
    app = await buildApp(ctx, { serveWeb: false });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const rounds = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('supervision_rounds')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const inspections = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('supervision_inspections')
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('announces a round with frozen pools, digest and commitment, draws it after the drand round, and anyone re-runs it to the same result', async () => {
    const insp1 = insp[0]!.userId!;
    await addConflict(ctx, admin, { inspectorId: insp1, targetKey: facilityKeys[0]!, relation: 'worked_there' });
    const { round, secret } = await announceRound(ctx, admin, { name: '第一轮', checklistKey: 'comprehensive', drandRound: drandRoundAfter(new Date()) + 10 });
    expect(round.status).toBe('announced');
    expect(round.secret).toBeNull();
    expect(round.pools.targets.map((t) => t.key).sort()).toEqual([...facilityKeys, providerKey].sort());
    expect(round.pools.conflicts).toContainEqual([insp1, facilityKeys[0]]);
    // all unrated: 30 % of 5, rounded up
    expect(round.pools.counts).toEqual({ unrated: 2 });
    // too early: drand has not published the round
    expect(await codeOf(drawRound(ctx, admin, round.id, { secret, externalValue: EXTERNAL }))).toBe('SUPERVISION_DRAW_TOO_EARLY');
    // a secret that is not the committed one: nothing drawn
    expect(await codeOf(drawRound(ctx, admin, round.id, { secret: 'f'.repeat(64), externalValue: EXTERNAL }, later(round)))).toBe(
      'SUPERVISION_SECRET_MISMATCH',
    );
    expect(await inspections()).toBe(0);
    const drawn = await drawRound(ctx, admin, round.id, { secret, externalValue: EXTERNAL }, later(round));
    expect(drawn.result!.targets).toHaveLength(2);
    expect(await inspections()).toBe(2);
    for (const t of drawn.result!.targets) if (t.key === facilityKeys[0]) expect(t.inspectors).not.toContain(insp1);
    // the public page's document, re-run by the shared algorithm outside the server
    const res = await call(app, null, { method: 'GET', url: `/api/supervision/public/rounds/${round.id}` });
    expect(res.statusCode).toBe(200);
    const published = res.json<RoundView>();
    expect((await verifyRound(published)).ok).toBe(true);
    const tampered = structuredClone(published);
    tampered.pools.targets[0]!.name = '另一家';
    expect((await verifyRound(tampered)).ok).toBe(false);
    // drawn once only
    expect(await codeOf(drawRound(ctx, admin, round.id, { secret, externalValue: EXTERNAL }, later(round)))).toBe('SUPERVISION_ALREADY_DRAWN');
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['supervision.round_announce', 'supervision.round_draw'])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['supervision.round_announce', 'supervision.round_draw']);
  });

  it('refuses a round whose target every inspector but one is linked to, naming it; a drand round already out; nothing announced', async () => {
    const before = await rounds();
    for (const s of insp.slice(1)) await addConflict(ctx, admin, { inspectorId: s.userId!, targetKey: facilityKeys[1]!, relation: 'relative_works' });
    const session = await loginAs(app, 'admin');
    const res = await call(app, session, {
      method: 'POST',
      url: '/api/supervision/rounds',
      payload: { name: '第二轮', checklistKey: 'comprehensive', drandRound: drandRoundAfter(new Date()) + 10 },
      headers: { 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('SUPERVISION_ALL_CONFLICTED');
    expect(res.json<{ error: { message: string } }>().error.message).toContain(`Target "${facilityKeys[1]}" has only 1 inspectors`);
    expect(await codeOf(announceRound(ctx, admin, { name: '第三轮', checklistKey: 'comprehensive', drandRound: 1000 }))).toBe('SUPERVISION_DRAND_ROUND_PAST');
    expect(await codeOf(announceRound(ctx, admin, { name: '第三轮', checklistKey: 'nope', drandRound: drandRoundAfter(new Date()) + 10 }))).toBe(
      'SUPERVISION_CHECKLIST_UNKNOWN',
    );
    expect(await rounds()).toBe(before);
    // a bad hex secret is refused at the edge, naming the field
    const bad = await call(app, session, { method: 'POST', url: '/api/supervision/rounds/1/draw', payload: { secret: 'xyz', externalValue: EXTERNAL } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('secret');
    // an ad-hoc inspection refuses a linked inspector too
    expect(await codeOf(createAdHoc(ctx, admin, { targetKey: facilityKeys[1]!, checklistKey: 'comprehensive', inspectorIds: [insp[1]!.userId!] }))).toBe(
      'SUPERVISION_CONFLICTED_INSPECTOR',
    );
  });

  it('records an inspection item by item, publishes it once signed off, and rates the target with the serious-finding cap', async () => {
    const ins = await createAdHoc(ctx, admin, { targetKey: facilityKeys[2]!, checklistKey: 'comprehensive', inspectorIds: [insp[0]!.userId!] });
    const items = DEFAULT_SUPERVISION.checklists[0]!.items.map((i) => ({ itemKey: i.key, result: 'pass' as const }));
    // incomplete, a failure without a note, someone not assigned: refused, nothing written
    expect(await codeOf(submitInspection(ctx, insp[0]!, ins.id, { inspectedOn: '2026-11-20', items: items.slice(1) }))).toBe('SUPERVISION_ITEMS_INCOMPLETE');
    const failing = items.map((i) => (i.itemKey === 'fire_exits' ? { ...i, result: 'fail' as const } : i));
    expect(await codeOf(submitInspection(ctx, insp[0]!, ins.id, { inspectedOn: '2026-11-20', items: failing }))).toBe('SUPERVISION_NOTE_REQUIRED');
    expect(await codeOf(submitInspection(ctx, insp[1]!, ins.id, { inspectedOn: '2026-11-20', items }))).toBe('SUPERVISION_INSPECTION_NOT_FOUND');
    expect(await ctx.db.selectFrom('supervision_items').select('id').where('inspection_id', '=', ins.id).execute()).toHaveLength(0);
    // not published before sign-off
    const noted = failing.map((i) => (i.itemKey === 'fire_exits' ? { ...i, note: '二楼安全出口上锁' } : i));
    const sub = await submitInspection(ctx, insp[0]!, ins.id, { inspectedOn: '2026-11-20', items: noted, findings: '二楼安全出口上锁，已当场要求打开。' });
    expect(sub.status).toBe('submitted');
    expect((await publicResults(ctx)).items.map((r) => r.inspectionId)).not.toContain(ins.id);
    const signed = await signOffInspection(ctx, admin, ins.id, {});
    // serious: 7 days to rectify
    expect(signed.rectificationDue).toBe('2026-11-27');
    const pub = (await publicResults(ctx)).items.find((r) => r.inspectionId === ins.id)!;
    expect(pub.failed).toEqual([{ label: DEFAULT_SUPERVISION.checklists[0]!.items[0]!.label, severity: 'serious' }]);
    expect(pub.passed).toBe(items.length - 1);
    await computeRatings(ctx, admin, '2026-12-01');
    const r = (await listRatings(ctx, admin)).items.find((x) => x.targetKey === facilityKeys[2])!;
    expect(r.explanation.terms.find((t) => t.key === 'finding_serious')).toMatchObject({ input: 1, points: 10 });
    expect([r.score, r.grade, r.capped]).toEqual([74, 'C', true]);
    // the cap names the inspection and the item that caused it, with the score it moved
    expect(r.explanation.cap).toMatchObject({
      applied: true,
      scoreBefore: 90,
      scoreAfter: 74,
      seriousFindings: [{ inspectionId: ins.id, itemKey: 'fire_exits' }],
    });
    const clean = (await listRatings(ctx, admin)).items.find((x) => x.targetKey === facilityKeys[3])!;
    expect([clean.score, clean.grade]).toEqual([100, 'A']);
    // the next round's strata follow the grades: C draws 50 % of 1 → 1, A draws 10 % of 4 → 1
    for (const s of insp.slice(1))
      await ctx.db.updateTable('supervision_conflicts').set({ ended_at: nowIso() }).where('inspector_id', '=', s.userId!).execute();
    const { round } = await announceRound(ctx, admin, { name: '第四轮', checklistKey: 'comprehensive', drandRound: drandRoundAfter(new Date()) + 10 });
    expect((round.pools as DrawPools).counts).toEqual({ A: 1, C: 1 });
  });
});
