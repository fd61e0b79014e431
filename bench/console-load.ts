/**
 * The console's cold load on a slow phone connection (issue 14): the built console (web/dist,
 * `npm run build:web` first) served by the app on a demo database, loaded in Chromium with
 * Lighthouse's "Fast 3G" (download 1.6 Mbit/s, upload 750 kbit/s, latency 562.5 ms) and a 4x
 * slower CPU, at a phone's 390 px, with an empty cache every run. Prints per run the time from
 * navigation to the login form, from pressing 登录 to the first page after login showing its data
 * (the workbench's to-dos; before the workbench existed, the landing page's table), and the bytes
 * transferred (compressed) and decoded (uncompressed), with the JavaScript apart. Then, in a new
 * context, the public self-check (/self-check, a phone page too): the time to its form.
 *
 *   npx tsx bench/console-load.ts [--runs 5] [--user grid1] [--elders 300]
 */
import type { FastifyInstance } from 'fastify';
import { chromium, type CDPSession } from 'playwright-core';
import { cpus } from 'node:os';
import { buildApp } from '../src/app.js';
import { seedDemo } from '../src/modules/demo/seed.js';
import { createTestContext } from '../src/testing/harness.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const RUNS = Number(arg('runs', '5'));
const USER = arg('user', 'grid1');
const ELDERS = Number(arg('elders', '300'));
const PASSWORD = 'Yiyang@2026';

/** Lighthouse's mobile throttling ("Fast 3G" / slow 4G of its devtools preset), in bytes per second. */
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const CPU_SLOWDOWN = 4;
/** The first page after login showing its data: the workbench's to-dos, or (before it) a table's first row. */
const AFTER_LOGIN = '[data-testid="workbench-todos"], .ant-table-tbody tr.ant-table-row, .ant-list-item, [data-testid="home"]';

interface Bytes {
  transferred: number;
  decoded: number;
  js: number;
  jsDecoded: number;
  requests: number;
}

/** Counts what the page fetched through the DevTools protocol (transfer size as on the wire). */
function meter(cdp: CDPSession) {
  const types = new Map<string, string>();
  const decoded = new Map<string, number>();
  const total: Bytes = { transferred: 0, decoded: 0, js: 0, jsDecoded: 0, requests: 0 };
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.dataReceived', (e) => decoded.set(e.requestId, (decoded.get(e.requestId) ?? 0) + e.dataLength));
  cdp.on('Network.loadingFinished', (e) => {
    const js = types.get(e.requestId) === 'Script';
    const d = decoded.get(e.requestId) ?? 0;
    total.requests++;
    total.transferred += e.encodedDataLength;
    total.decoded += d;
    if (js) {
      total.js += e.encodedDataLength;
      total.jsDecoded += d;
    }
  });
  return { snapshot: (): Bytes => ({ ...total }) };
}

async function main() {
  const ctx = await createTestContext('sqlite', { loginRatePerMinute: 10_000 });
  let app: FastifyInstance | undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    await seedDemo(ctx, { elders: ELDERS, seed: 14 });
    app = await buildApp(ctx);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    console.log(`console cold load: ${RUNS} runs as ${USER}, Fast 3G (1.6 Mbit/s down, 750 kbit/s up, 562.5 ms), CPU ${CPU_SLOWDOWN}x slower, 390x844`);
    console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}, Chromium ${browser.version()}`);
    const rows: { login: number; after: number; selfCheck: number; bytesLogin: Bytes; bytesAll: Bytes }[] = [];
    /** A phone with an empty cache on a slow line. */
    const phone = async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', FAST_3G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
      return { context, page, bytes: meter(cdp) };
    };
    for (let i = 0; i < RUNS; i++) {
      const { context, page, bytes } = await phone();

      const t0 = performance.now();
      await page.goto(base + '/', { waitUntil: 'commit', timeout: 120_000 });
      await page.getByTestId('login-username').waitFor({ state: 'visible', timeout: 120_000 });
      const login = performance.now() - t0;
      const bytesLogin = bytes.snapshot();

      await page.getByTestId('login-username').fill(USER);
      await page.getByTestId('login-password').fill(PASSWORD);
      const t1 = performance.now();
      await page.getByTestId('login-submit').click();
      await page.locator(AFTER_LOGIN).first().waitFor({ state: 'visible', timeout: 120_000 });
      const after = performance.now() - t1;
      // what arrives once the page shows (charts, prefetches) belongs to the load too
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      const url = page.url().replace(base, '');
      await context.close();

      // the public self-check, opened from a link on a phone: the time to its form
      const sc = await phone();
      const t2 = performance.now();
      await sc.page.goto(base + '/self-check', { waitUntil: 'commit', timeout: 120_000 });
      await sc.page.getByTestId('sc-privacy').waitFor({ state: 'visible', timeout: 120_000 });
      const selfCheck = performance.now() - t2;
      const bytesSc = sc.bytes.snapshot();
      await sc.context.close();

      rows.push({ login, after, selfCheck, bytesLogin, bytesAll: bytes.snapshot() });
      console.log(
        `run ${i + 1}: login form ${(login / 1000).toFixed(2)} s, page after login ${(after / 1000).toFixed(2)} s (${url}), self-check ${(selfCheck / 1000).toFixed(2)} s; ` +
          `to the login form ${kb(bytesLogin.transferred)} transferred (JS ${kb(bytesLogin.js)}, ${kb(bytesLogin.jsDecoded)} uncompressed, ${bytesLogin.requests} requests); ` +
          `whole session ${kb(bytes.snapshot().transferred)} (JS ${kb(bytes.snapshot().js)}, ${kb(bytes.snapshot().jsDecoded)} uncompressed, ${bytes.snapshot().requests} requests); ` +
          `to the self-check's form ${kb(bytesSc.transferred)} (JS ${kb(bytesSc.jsDecoded)} uncompressed, ${bytesSc.requests} requests)`,
      );
    }
    const range = (xs: number[]) => `${(Math.min(...xs) / 1000).toFixed(2)}–${(Math.max(...xs) / 1000).toFixed(2)} s`;
    console.log(
      `login form: ${range(rows.map((r) => r.login))}; page after login: ${range(rows.map((r) => r.after))}; total ${range(rows.map((r) => r.login + r.after))}; ` +
        `self-check: ${range(rows.map((r) => r.selfCheck))}`,
    );
  } finally {
    await browser.close();
    await app?.close();
    await ctx.cleanup();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

await main();
