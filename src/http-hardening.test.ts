import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { call, loginAs } from './testing/http.js';
import { createSeededContext, type TestContext } from './testing/harness.js';

/**
 * Security headers (@fastify/helmet) on the console and the API, no-store on every API answer,
 * and compression (@fastify/compress) when the client asks for it. The console is built first
 * (as `npm test` does) so that its real index.html and bundle are what is served.
 */
describe('security headers and compression', () => {
  let ctx: TestContext;
  let app: FastifyInstance;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
    expect(built.status).toBe(0);
    ctx = await createSeededContext('sqlite', { loginRatePerMinute: 1000 });
    app = await buildApp(ctx, { serveWeb: true });
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const csp = (res: LightMyRequestResponse) =>
    Object.fromEntries(
      String(res.headers['content-security-policy'])
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );

  function expectSecurityHeaders(res: LightMyRequestResponse) {
    const policy = csp(res);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    // plain HTTP on a LAN must keep working: no upgrade of requests, no HSTS without COOKIE_SECURE
    expect(policy['upgrade-insecure-requests']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  }

  it('the console page carries the CSP, frame and sniffing headers, and its scripts are all files', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expectSecurityHeaders(res);
    // script-src 'self' allows no inline script: every script of the built page has a src
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\ssrc="\//);
      expect(body!.trim()).toBe('');
    }
    // a console route (single-page app) too
    expectSecurityHeaders(await app.inject({ method: 'GET', url: '/register' }));
  });

  it('API answers carry the headers and Cache-Control: no-store, errors included', async () => {
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expectSecurityHeaders(health);
    expect(health.headers['cache-control']).toBe('no-store');
    const s = await loginAs(app, 'admin');
    const users = await call(app, s, { method: 'GET', url: '/api/users' });
    expect(users.statusCode).toBe(200);
    expect(users.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(users);
    const refused = await app.inject({ method: 'GET', url: '/api/users' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const missing = await app.inject({ method: 'GET', url: '/api/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('compresses the console bundle and API answers with gzip when asked, and not otherwise', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    const bundle = /<script\b[^>]*\ssrc="(\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(bundle).toBeDefined();
    const plain = await app.inject({ method: 'GET', url: bundle! });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await app.inject({ method: 'GET', url: bundle!, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    const unzipped = gunzipSync(gz.rawPayload);
    expect(unzipped.equals(plain.rawPayload)).toBe(true);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(existsSync(`web/dist${bundle}`) && readFileSync(`web/dist${bundle}`).equals(unzipped)).toBe(true);

    const s = await loginAs(app, 'admin');
    const regions = await call(app, s, { method: 'GET', url: '/api/regions', headers: { 'accept-encoding': 'gzip' } });
    expect(regions.statusCode).toBe(200);
    expect(regions.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(regions.rawPayload).toString('utf8')).regions.length).toBeGreaterThan(50);
  });
});
