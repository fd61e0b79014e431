import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { seedDemo } from '../demo/seed.js';

const TABLES = [
  'persons',
  'audit_log',
  'decisions',
  'decision_changes',
  'entitlement_runs',
  'parameter_values',
  'payment_rolls',
  'roll_lines',
  'sessions',
  'catalogue_versions',
];

describe.each(dialects)('entitlements over HTTP (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  let hotline: Session;

  beforeAll(async () => {
    // one person per batch: a run takes many steps, so a second start arrives while it is running
    ctx = await createTestContext(dialect, { loginRatePerMinute: 10_000, runBatchSize: 1 });
    await seedDemo(ctx, { elders: 400, seed: 21 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    hotline = await loginAs(app, 'hotline1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t) => [t, Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(ctx.db)).rows[0]!.n)] as const),
      ),
    );

  it('the public self-check answers without a login, explains, suggests what-ifs, and stores nothing', async () => {
    const before = await counts();
    const res = await call(app, null, {
      method: 'POST',
      url: '/api/public/self-check',
      payload: { birthDate: '1940-03-01', hardship: 'dibao', ltcGrade: 'mild', living: ['alone'], period: '2026-03' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      entitlements: { id: string; text: string }[];
      explanation: { items: { id: string; granted: boolean; rule: { text: string; value: unknown } }[] };
      whatIf: { fact: string; to: unknown; gained: { id: string; text: string }[] }[];
    }>();
    expect(body.entitlements.map((e) => e.id)).toEqual(expect.arrayContaining(['nx-10', 'nx-15', 'nx-25']));
    expect(body.entitlements.find((e) => e.id === 'nx-10')!.text).toBe('60.00 元/月');
    expect(body.explanation.items.find((i) => i.id === 'nx-19')).toMatchObject({ granted: false, rule: { value: false } });
    // "if assessed 重度失能 → + 护理补贴 (demo standard 200 元/月)": the item reads 失能程度
    const severe = body.whatIf.find((w) => w.fact === 'disablement' && w.to === 'severe')!;
    expect(severe.gained).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'nx-19', text: '200.00 元/月' })]));
    expect(await counts()).toEqual(before);
  });

  it('answers in English when the console is switched to English', async () => {
    const res = await call(app, null, {
      method: 'POST',
      url: '/api/public/self-check',
      headers: { 'accept-language': 'en' },
      payload: { birthDate: '1940-03-01', period: '2026-10' },
    });
    const body = res.json<{ entitlements: { id: string; text: string }[]; explanation: { items: { id: string; schedule: { note: string } }[] } }>();
    expect(body.entitlements.find((e) => e.id === 'nx-10')!.text).toBe('60.00 yuan a month');
    expect(body.entitlements.find((e) => e.id === 'nx-6')!.text).toBe('free');
    expect(body.explanation.items.find((i) => i.id === 'nx-14')!.schedule.note).toBe('Double Ninth Festival on 2026-10-18, in this period');
  });

  it('a malformed profile is refused with the field named', async () => {
    const res = await call(app, null, { method: 'POST', url: '/api/public/self-check', payload: { birthDate: '1940-02-30', hardship: 'rich' } });
    expect(res.statusCode).toBe(400);
    expect(errorCode(res)).toBe('VALIDATION');
    expect(res.body).toMatch(/birthDate|hardship/);
  });

  it('runs, their change lists and a person’s decisions as the console reads them', async () => {
    const runs = (await call(app, admin, { method: 'GET', url: '/api/runs' })).json<{ items: { id: number; status: string }[] }>();
    expect(runs.items.map((r) => r.status)).toEqual(['finished', 'finished']);
    const latest = runs.items[0]!.id;
    const detail = (await call(app, admin, { method: 'GET', url: `/api/runs/${latest}` })).json<{ params: { name: string; value: unknown }[] }>();
    expect(detail.params.find((p) => p.name === 'nx_high_age')).toMatchObject({ value: 6000 });
    const changes = await call(app, admin, { method: 'GET', url: `/api/runs/${latest}/changes?pageSize=5` });
    expect(changes.statusCode).toBe(200);
    const duties = (await call(app, admin, { method: 'GET', url: `/api/runs/${latest}/duties` })).json<{ duties: { itemId: string }[] }>();
    expect(duties.duties.map((d) => d.itemId)).toEqual(['nx-8', 'nx-12', 'nx-13', 'nx-14', 'nx-16']);
    const someone = await ctx.db.selectFrom('decisions').select('person_id').where('run_id', '=', latest).limit(1).executeTakeFirstOrThrow();
    const mine = await call(app, hotline, { method: 'GET', url: `/api/persons/${someone.person_id}/entitlements` });
    expect(mine.statusCode).toBe(200);
    expect(mine.json<{ decision: { explanation: unknown } }>().decision.explanation).toBeTruthy();
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'entitlements.person_read').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('starting a run for a month already running is refused; a bad period names the field', async () => {
    const bad = await call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2026-13' } });
    expect(bad.statusCode).toBe(400);
    const [a, b] = await Promise.all([
      call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2026-01' } }),
      call(app, admin, { method: 'POST', url: '/api/runs', payload: { period: '2026-01' } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([202, 409]);
    expect(errorCode(a.statusCode === 409 ? a : b)).toBe('RUN_BUSY');
  });
});
