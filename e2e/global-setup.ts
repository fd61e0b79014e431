import { spawnSync } from 'node:child_process';

/**
 * The browser suites drive the built console (web/dist). `npm test` builds it first (pretest);
 * a direct `npx vitest run e2e` did not, and then tested an old console. Build it here, once per
 * test run, when it is missing or older than its sources (scripts/ensure-web.mjs decides), and
 * stop with the reason when it cannot be built.
 */
export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/ensure-web.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(
      `The browser suites need the console built in web/dist, and building it failed (${r.error?.message ?? `exit ${r.status}`}): run \`npm run build:web\` to see why.`,
    );
  }
}
