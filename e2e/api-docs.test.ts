import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createTestContext, type TestContext } from '../src/testing/harness.js';
import { browserAvailable, launch } from './browser.js';

/**
 * The API's browsable page (/api/docs, swagger-ui) under the app's Content-Security-Policy: it
 * renders the operations of /api/openapi.json and the browser reports no CSP violation.
 */
describe.skipIf(!browserAvailable)('API document page in Chromium', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = await buildApp(ctx, { serveWeb: false });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.cleanup();
  });

  it('renders the operations with no CSP violation, without logging in', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    const res = await page.goto(`${base}/api/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    // one folded section per capability; opening the register's shows its operations
    await page.locator('.opblock-tag-section').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock-tag-section').count()).toBeGreaterThan(10);
    await page
      .locator('.opblock-tag', { hasText: /^persons/ })
      .first()
      .click();
    await page.locator('.opblock-summary-path', { hasText: '/api/persons/{id}/entitlements' }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(5);
    expect(violations).toEqual([]);
  });
});
