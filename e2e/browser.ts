import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/**
 * Every context asks for reduced motion unless a suite says otherwise, so the console's dialogs and
 * lists appear without animating (antd-frame.tsx): on a loaded machine a click could land on a
 * dialog's OK button while it was still zooming in, hit the mask behind it and close the dialog
 * with nothing done (CI: an approval never made, the roll not frozen after 30 s).
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
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
  const newContext = browser.newContext.bind(browser);
  // newPage opens its context through newContext
  browser.newContext = (options) => newContext({ reducedMotion: 'reduce', ...options });
  return browser;
}

/**
 * Picks an option of an Ant Design select by its title, from the open list only (a list left
 * from an earlier dialog may still be in the page, hidden), and makes sure it was taken: on a
 * loaded machine a click can land while the list is still animating in and choose nothing
 * (CI saw the time bank's reward stay empty), so the pick is checked and tried again.
 */
export async function choose(page: Page, testId: string, title: string, search?: string): Promise<void> {
  const select = page.getByTestId(testId);
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  for (let attempt = 1; ; attempt++) {
    await select.click();
    if (search) await page.keyboard.type(search);
    await open.locator(`.ant-select-item-option[title="${title}"]`).last().click();
    // the list closes once chosen; if an animation left it open it is closed by Escape, so it
    // cannot lie over the dialog's buttons (CI saw an option intercept the OK click)
    try {
      await open.waitFor({ state: 'hidden', timeout: 3_000 });
    } catch {
      await page.keyboard.press('Escape');
      await open.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    const shown = await select.innerText();
    if (shown.includes(title)) return;
    if (attempt === 3) throw new Error(`the select ${testId} shows "${shown}" after choosing "${title}" three times`);
  }
}
