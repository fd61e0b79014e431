import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import { createTestContext, type TestContext } from './testing/harness.js';
import { routesOf } from './testing/routes.js';

/**
 * The typed API contract (issue 13 seam 4): the OpenAPI document generated from the routes' zod
 * schemas is valid OpenAPI 3, covers every API route, and every operation declares its answers
 * (and its request body when it takes one). The browsable page works under the app's CSP.
 */

// Every route the app registers, recorded as it is added (as in authorization.test.ts), so a
// route left out of the document fails here.
vi.mock('fastify', async (importOriginal) => (await import('./testing/routes.js')).trackRoutes(importOriginal as () => Promise<typeof import('fastify')>));

interface Operation {
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** '/api/runs/:id/rosters/:itemId' as OpenAPI writes it: '/api/runs/{id}/rosters/{itemId}' */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('API contract', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let doc: Document;
  let operations: Array<{ method: string; path: string; op: Operation }>;

  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<Document>();
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('the document at /api/openapi.json validates as OpenAPI 3, its references resolved', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every API route; only the document and its page are left out', () => {
    const seen = routesOf(app).filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD');
    const documented = new Set(operations.map((o) => `${o.method} ${o.path}`));
    const missing = seen.filter((r) => !documented.has(`${r.method} ${openApiPath(r.url)}`)).map((r) => `${r.method} ${r.url}`);
    expect(missing.filter((r) => !/^GET \/api\/(openapi\.json|docs(\/.*)?)$/.test(r))).toEqual([]);
    expect(
      seen
        .filter((r) => r.hidden)
        .map((r) => r.url)
        .every((u) => u === '/api/openapi.json' || u.startsWith('/api/docs')),
    ).toBe(true);
    // and nothing in the document that the app does not serve
    expect(operations.length).toBe(seen.filter((r) => !r.hidden).length);
    expect(operations.length).toBeGreaterThan(40);
  });

  it('every operation declares its success answer with a schema, and the one error shape for 4xx and 5xx', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations) {
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (!success.length) problems.push(`${method} ${path}: no 2xx answer`);
      for (const [status, r] of success) {
        const content = Object.entries(r.content ?? {});
        if (!content.length || content.some(([, c]) => !c.schema)) problems.push(`${method} ${path} ${status}: no content schema`);
      }
      for (const status of ['4XX', '5XX']) {
        const schema = op.responses[status]?.content?.['application/json']?.schema as { properties?: { error?: { properties?: object } } } | undefined;
        if (!schema?.properties?.error?.properties || Object.keys(schema.properties.error.properties).sort().join() !== 'code,details,message') {
          problems.push(`${method} ${path}: no ${status} error shape`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every POST declares its request body; downloads declare their content type', () => {
    const posts = operations.filter((o) => o.method === 'POST' || o.method === 'PUT');
    expect(posts.length).toBeGreaterThan(15);
    const noBody = posts.filter((o) => !Object.values(o.op.requestBody?.content ?? {}).some((c) => c.schema)).map((o) => `${o.method} ${o.path}`);
    expect(noBody).toEqual([]);
    const upload = doc.paths['/api/imports']!.post!;
    expect(Object.keys(upload.requestBody!.content)).toEqual(['multipart/form-data']);
    const typeOf = (path: string) => Object.keys(doc.paths[path]!.get!.responses['200']!.content ?? {});
    expect(typeOf('/api/rolls/{id}/export')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(typeOf('/api/runs/{id}/rosters/{itemId}/export')).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(typeOf('/api/imports/{id}/errors.csv')).toEqual(['text/csv; charset=utf-8']);
    expect(typeOf('/api/sources/{key}/template.csv')).toEqual(['text/csv; charset=utf-8']);
    expect(typeOf('/api/events')).toEqual(['text/event-stream']);
  });

  it('the page at /api/docs loads its scripts and styles as files, which the CSP allows', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    // no inline script: every <script> has a same-origin src, and each is served
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attrs!)?.[1];
      expect(src).toMatch(/^\.\/static\//);
      const res = await app.inject({ method: 'GET', url: `/api/docs/${src!.slice(2)}` });
      expect(res.statusCode, src).toBe(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
    }
    // the page reads the same document
    const json = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(json.json()).toEqual(doc);
  });
});
