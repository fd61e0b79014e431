import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import { seedDemo } from './modules/demo/seed.js';
import { createTestContext, dialects, type TestContext } from './testing/harness.js';
import { call, loginAs, type Session } from './testing/http.js';
import { routesOf } from './testing/routes.js';

vi.mock('fastify', async (importOriginal) => (await import('./testing/routes.js')).trackRoutes(importOriginal as () => Promise<typeof import('fastify')>));

/**
 * Issue 13 seam 5: every answer that shows personal data (a person's name beside a masked ID, a
 * profile, a decision) writes an audit entry in the same transaction as the read. Checked for
 * every GET route the app has, whatever it is: a route added later that shows people without
 * auditing fails here without anyone remembering to list it.
 */
const PERSONAL_KEYS = new Set(['idMasked', 'phoneMasked', 'personName', 'idNumber']);

function showsPeople(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(showsPeople);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).some((k) => PERSONAL_KEYS.has(k))) return true;
    // a person's name with their id (roll lines, change lists, rosters)
    if ('name' in o && ('personId' in o || 'birthDate' in o)) return true;
    return Object.values(o).some(showsPeople);
  }
  return false;
}

describe.each(dialects)('reads of personal data are audited (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: Session;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { loginRatePerMinute: 10_000 });
    await seedDemo(ctx, { elders: 300, seed: 3 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    admin = await loginAs(app, 'admin');
    const run = await ctx.db.selectFrom('entitlement_runs').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    const roll = await ctx.db.selectFrom('payment_rolls').select('id').where('run_id', '=', run.id).limit(1).executeTakeFirstOrThrow();
    const person = await ctx.db
      .selectFrom('decisions')
      .select('person_id')
      .where('run_id', '=', run.id)
      .where('outcome', 'like', '%"nx-8":%')
      .limit(1)
      .executeTakeFirstOrThrow();
    const imp = await ctx.db.selectFrom('imports').select('id').limit(1).executeTakeFirstOrThrow();
    const assessment = await ctx.db.selectFrom('assessments').select(['id', 'person_id']).where('status', '=', 'reviewed').limit(1).executeTakeFirstOrThrow();
    Object.assign(ids, {
      run: String(run.id),
      roll: String(roll.id),
      person: String(person.person_id),
      import: String(imp.id),
      assessment: String(assessment.id),
      assessed: String(assessment.person_id),
    });
    // one open conflict, so the conflict list shows someone
    await ctx.db
      .insertInto('attribute_conflicts')
      .values({
        person_id: person.person_id,
        field: 'hardship',
        current_value: 'none',
        current_source: 'civil_affairs',
        current_as_of: '2026-01-01',
        incoming_value: 'dibao',
        incoming_source: 'civil_affairs',
        incoming_as_of: '2026-02-01',
        import_id: imp.id,
        status: 'open',
        resolved_by: null,
        resolved_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const urlOf = (url: string) => {
    let u = url.replace(':itemId', 'nx-8').replace(':key', 'public_security').replace(':jurisdiction', 'nanxun');
    if (u.startsWith('/api/runs/:id')) u = u.replace(':id', ids.run!);
    else if (u.startsWith('/api/rolls/:id')) u = u.replace(':id', ids.roll!);
    // a person with assessments, so that their section and assignments show someone
    else if (u.startsWith('/api/persons/:id/capability') || u.startsWith('/api/persons/:id/assessment')) u = u.replace(':id', ids.assessed!);
    else if (u.startsWith('/api/persons/:id')) u = u.replace(':id', ids.person!);
    else if (u.startsWith('/api/imports/:id')) u = u.replace(':id', ids.import!);
    else if (u.startsWith('/api/assessments/:id')) u = u.replace(':id', ids.assessment!);
    if (u === '/api/runs/impact') u += '?period=2026-01';
    // the live stream never ends: its snapshot answers and ends
    if (u === '/api/events') u += '?snapshot=true';
    return u;
  };
  const auditCount = async () =>
    Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('every GET route whose answer shows people wrote an audit entry for it', async () => {
    const gets = routesOf(app).filter((r) => r.method === 'GET' && r.url.startsWith('/api') && !r.url.includes('*'));
    expect(gets.length).toBeGreaterThan(20);
    const checked: string[] = [];
    const missing: string[] = [];
    for (const r of gets) {
      const url = urlOf(r.url);
      const before = await auditCount();
      const res = await call(app, admin, { method: 'GET', url });
      if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('json')) continue;
      const body = res.json<Record<string, unknown>>();
      // the API's own description names the fields, it shows nobody
      if ('openapi' in body || 'swagger' in body) continue;
      if (!showsPeople(body)) continue;
      checked.push(r.url);
      if ((await auditCount()) === before) missing.push(`${r.url} (${url})`);
    }
    // the routes known to show people are among those checked
    expect(missing).toEqual([]);
    expect(checked).toEqual(
      expect.arrayContaining([
        '/api/persons',
        '/api/persons/:id',
        '/api/rolls/:id',
        '/api/runs/:id/changes',
        '/api/runs/:id/rosters/:itemId',
        '/api/conflicts',
        '/api/assessments',
        '/api/assessments/:id',
        '/api/assessments/due',
        '/api/persons/:id/capability',
      ]),
    );
  });

  it('the entry of a list names the persons it showed', async () => {
    const res = await call(app, admin, { method: 'GET', url: `/api/rolls/${ids.roll}?pageSize=5` });
    const shown = res.json<{ lines: { personId: number }[] }>().lines.map((l) => l.personId);
    const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor: 'admin', entity_type: 'roll', entity_id: ids.roll });
    expect((JSON.parse(entry.detail!) as { persons: number[] }).persons).toEqual(shown);
  });
});
