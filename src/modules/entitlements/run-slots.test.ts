import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRow } from '../../db/tables.js';
import { onJobChange } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import { nextPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, type TestContext } from '../../testing/harness.js';
import { catalogueSetting } from '../catalogue/catalogue.settings.js';
import { seedDemoEntitlements } from '../demo/entitlements.js';
import { writeDemoFiles } from '../demo/files.js';
import { DEMO_CITY, DEMO_COUNTY, DEMO_COUNTY2 } from '../demo/regions.js';
import { seedRegionsAndUsers } from '../demo/seed.js';
import { runImport } from '../register/imports/imports.service.js';
import { partJobs, RUN_PART_JOB, runSplitting } from './run-parts.js';
import { startRun } from './runs.service.js';
import { workOnRuns } from './run-worker.js';

const NEXT = nextPeriod(today().slice(0, 7));

/**
 * Issue 21: a process works on at most RUN_PARTS_PER_PROCESS towns at once, however many runs it
 * started. Before, each run a process started worked on its own town beside the others': the
 * province benchmark's server, whose twenty counties' bureaus started their runs one after another,
 * worked twenty towns at once, and a further start waited up to half a minute for a connection.
 * Two counties' runs are started back to back in one process; the parts at work in it at any
 * moment are counted from the job runner's start and end notices.
 */
describe.each(dialects)('the towns a process works on at once (%s)', (dialect) => {
  let ctx: TestContext;
  const countyScope = (code: string) => systemScope(code, ctx.regions.get(code)!.prefix, 'test');

  beforeAll(async () => {
    ctx = await createTestContext(dialect, { runBatchSize: 9 });
    await seedRegionsAndUsers(ctx, { second: true });
    await ctx.settings.set(ctx, countyScope(DEMO_CITY), DEMO_COUNTY2, catalogueSetting.name, 'daye', '石湖县执行大冶市清单');
    const dir = mkdtempSync(join(tmpdir(), 'yiyang-slots-'));
    try {
      for (const [county, seed] of [
        [DEMO_COUNTY, 1],
        [DEMO_COUNTY2, 2],
      ] as const) {
        const files = await writeDemoFiles(join(dir, county), { elders: 300, seed, asOf: today(), county });
        for (const f of files) await runImport(ctx, countyScope(county), { source: f.source, path: f.path, fileName: `${f.source}.csv` });
        await seedDemoEntitlements(ctx, countyScope(county));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    runSplitting.onSqlite = true;
  }, 240_000);
  afterAll(async () => {
    runSplitting.onSqlite = false;
    await ctx?.cleanup();
  });

  /** The most parts at work in this process at once while `fn` runs. */
  async function mostAtWork<T>(fn: () => Promise<T>): Promise<{ most: number; result: T }> {
    const atWork = new Set<number>();
    let most = 0;
    const stop = onJobChange((job: JobRow) => {
      if (job.kind !== RUN_PART_JOB) return;
      if (job.status === 'running') atWork.add(job.id);
      else atWork.delete(job.id);
      most = Math.max(most, atWork.size);
    });
    try {
      const result = await fn();
      return { most, result };
    } finally {
      stop();
    }
  }

  /** Both counties' runs of the month, started back to back; the most parts at work at once. */
  async function bothRuns(): Promise<{ most: number; runs: number[] }> {
    const { most, result } = await mostAtWork(async () => {
      const a = await startRun(ctx, countyScope(DEMO_COUNTY), NEXT);
      const b = await startRun(ctx, countyScope(DEMO_COUNTY2), NEXT);
      await Promise.all([a.done, b.done]);
      return [a.run.id, b.run.id];
    });
    return { most, runs: result };
  }

  async function expectDecidedOnce(runId: number) {
    const run = await ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    expect(run.status).toBe('finished');
    const parts = await partJobs(ctx.db, runId);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => p.status === 'finished')).toBe(true);
    const n = await ctx.db
      .selectFrom('decisions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('run_id', '=', runId)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(run.persons_total);
  }

  it('one town at a time with one slot, though it started two runs', async () => {
    ctx.config.runPartsPerProcess = 1;
    const { most, runs } = await bothRuns();
    expect(most).toBe(1);
    for (const id of runs) await expectDecidedOnce(id);
  }, 180_000);

  it('two at a time with two slots, the runs sharing them', async () => {
    ctx.config.runPartsPerProcess = 2;
    const { most, runs } = await bothRuns();
    expect(most).toBe(2);
    for (const id of runs) await expectDecidedOnce(id);
  }, 180_000);

  it('a worker loop with two slots works two towns of one run at once, each once', async () => {
    ctx.config.runPartsPerProcess = 2;
    // the run's coordinator shares the two slots with the worker's two loops, and ends the run
    const { most, result } = await mostAtWork(async () => {
      const a = await startRun(ctx, countyScope(DEMO_COUNTY), NEXT);
      const totals = await workOnRuns(ctx, { once: true });
      await a.done;
      return { run: a.run.id, parts: totals.parts };
    });
    expect(result.parts).toBeGreaterThan(0);
    await expectDecidedOnce(result.run);
    expect(most).toBe(2);
  }, 180_000);
});
