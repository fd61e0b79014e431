import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createTestContext, dialects, type TestContext } from './testing/harness.js';

/**
 * Issue 12 item 1: with SQLite's one connection stuck, /api/health still said ok while every
 * request that touched the database hung. Health asks the database and answers within a second.
 */
describe.each(dialects)('health (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('says ok when the database answers', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, database: 'ok' });
  });
});

describe('health on SQLite', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  // the transaction is released only after the answer: a 503 shows health did not wait for it
  it('says the database does not answer while its connection is held, instead of waiting', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // a transaction that keeps SQLite's single connection (as the frozen roster download did)
    const trx = ctx.db.transaction().execute(async (t) => {
      await t.selectFrom('users').select('id').limit(1).execute();
      await held;
    });
    await new Promise((r) => setTimeout(r, 50));
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    release();
    await trx;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ ok: false, database: 'timeout' });
  });
});
