import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    setupFiles: ['./web/src/test-setup.ts'],
    // builds the console the browser suites drive when it is missing or stale
    globalSetup: ['./e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits 1 s by default: on a shared 2-core machine a browser suite's request
    // (submitting a roll while the database suites run) can take longer than that
    expect: { poll: { timeout: 15_000 } },
    // Browser and database suites share one machine with 2 cores: keep parallelism modest.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
