import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createSeededContext, type TestContext } from '../testing/harness.js';
import { call, loginAs } from '../testing/http.js';

/** Collects what the server logs, line by line, instead of writing it to stderr. */
function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('server logging', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext('sqlite');
  });
  afterAll(async () => ctx.cleanup());

  it('logs an internal error with the reference the 500 answer gives, even without request logging', async () => {
    const sink = logSink();
    const app = await buildApp(ctx, { logStream: sink.stream });
    try {
      const admin = await loginAs(app, 'admin');
      // the head row of the audit chain is gone: every audited request fails
      await ctx.db.deleteFrom('audit_head').execute();
      const res = await call(app, admin, { method: 'POST', url: '/api/audit/verify' });
      expect(res.statusCode).toBe(500);
      const ref = /(?:ref|编号) (\w+)/.exec(res.json<{ error: { message: string } }>().error.message)?.[1];
      expect(ref).toBeTruthy();
      const logged = sink.lines.map((l) => JSON.parse(l) as { ref?: string; level: number; err?: { message: string } });
      const line = logged.find((l) => l.ref === ref);
      expect(line).toBeDefined();
      expect(line!.level).toBeGreaterThanOrEqual(50);
      expect(line!.err?.message).toMatch(/audit_head.*missing/);
      // request logging is off by default: no 'request completed' lines
      expect(sink.lines.some((l) => l.includes('request completed'))).toBe(false);
    } finally {
      await app.close();
      await ctx.db
        .insertInto('audit_head')
        .values({ id: 1, seq: 0, hash: '0'.repeat(64) })
        .execute()
        .catch(() => undefined);
    }
  });

  it('masks resident IDs and phone numbers in logged request URLs', async () => {
    const sink = logSink();
    const app = await buildApp(ctx, { logRequests: true, logStream: sink.stream });
    try {
      const res = await app.inject({ method: 'GET', url: '/api/persons/990101194005061005?phone=13812345678&old=990101400506100' });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      const text = sink.lines.join('\n');
      expect(text).toContain('990101************');
      expect(text).toContain('138****5678');
      expect(text).not.toContain('990101194005061005');
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('990101400506100');
      expect(sink.lines.some((l) => l.includes('incoming request'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
