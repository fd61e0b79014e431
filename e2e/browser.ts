import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core. Where it is missing the browser suites are
 * skipped with a message — except in CI or with REQUIRE_BROWSER=1, where that is a failure.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.CI === 'true' || process.env.REQUIRE_BROWSER === '1';

export const browserAvailable = (() => {
  if (existsSync(CHROMIUM)) return true;
  if (required) throw new Error(`Chromium is required here but missing at ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
  console.warn(`Chromium missing at ${CHROMIUM}: browser suites are skipped (apt-get install -y chromium fonts-noto-cjk)`);
  return false;
})();

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
