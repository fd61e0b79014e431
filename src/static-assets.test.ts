import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { createSeededContext, type TestContext } from './testing/harness.js';

/**
 * The console's files as a phone on a slow line gets them (issue 14): brotli written at build time
 * (web/vite.config.ts) and sent as it is, hashed assets cached for a year, index.html revalidated,
 * and a login page whose JavaScript stays small (no antd: it comes after, with the console's frame).
 */
describe('the console’s static files', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let index: string;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
    expect(built.status).toBe(0);
    ctx = await createSeededContext('sqlite');
    app = await buildApp(ctx, { serveWeb: true });
    index = (await app.inject({ method: 'GET', url: '/' })).body;
  });

  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('sends the precompressed brotli file of a hashed asset when asked, cached for a year', async () => {
    const bundle = /<script\b[^>]*\ssrc="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(bundle).toBeDefined();
    const plain = await app.inject({ method: 'GET', url: bundle! });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const br = await app.inject({ method: 'GET', url: bundle!, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // the file written at build time, not one compressed per request
    expect(br.rawPayload.equals(readFileSync(`web/dist${bundle}.br`))).toBe(true);
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true);
    // the security headers stay on files sent as they are
    expect(br.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('has index.html revalidated on every load, at / and at a console route', async () => {
    for (const url of ['/', '/index.html', '/register']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'br' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('gives the login page less than 128 KiB of JavaScript on the wire, with no antd and no charts', () => {
    const scripts = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).not.toMatch(/antd|charts|echarts/);
    // files under 1 KiB are sent as they are
    const wire = scripts.reduce((sum, s) => sum + statSync(existsSync(`web/dist${s}.br`) ? `web/dist${s}.br` : `web/dist${s}`).size, 0);
    expect(wire).toBeLessThan(128 * 1024);
  });
});
