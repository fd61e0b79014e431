import type { AppContext } from '../../platform/context.js';
import { claimableJobs, executeJob, jobById, RUNNER } from '../../platform/jobs.js';
import { getRun } from './runs.repository.js';
import { partSlot, runOfPart, RUN_JOB, RUN_PART_JOB } from './run-parts.js';
// the job kinds this loop executes
import './runs.service.js';

export interface WorkerOptions {
  /** stop once nothing is left to claim (else wait for work, looking every `workerPollMs`) */
  once?: boolean;
  /** asked to stop: ends between parts */
  signal?: AbortSignal;
  /** one line per part worked on */
  log?: (line: string) => void;
}

export interface WorkerTotals {
  parts: number;
  persons: number;
  /** time spent working on parts (ms), not waiting */
  busyMs: number;
}

/**
 * A worker for entitlement runs split by town (`yiyang worker`, and an app server on PostgreSQL
 * beside its requests): claims any part no live process holds — never claimed, or held by one
 * that died — and works it from its cursor, one part at a time; a run whose own job lost its
 * process (the one that would end the run) is taken over first. Any number of processes may run
 * this against one database: every claim is a compare-and-set on the job's runner. A part is
 * claimed only in one of the process's slots (RUN_PARTS_PER_PROCESS, shared with the runs it
 * started).
 */
export async function workOnRuns(ctx: AppContext, opts: WorkerOptions = {}): Promise<WorkerTotals> {
  const totals: WorkerTotals = { parts: 0, persons: 0, busyMs: 0 };
  const log = opts.log ?? (() => undefined);
  // parts one of this process's loops has picked: another loop picks a different one
  const picked = new Set<number>();
  // as many loops as the process has slots: a worker works on that many parts at once
  await Promise.all(Array.from({ length: ctx.config.runPartsPerProcess }, () => loop()));
  return totals;

  async function loop(): Promise<void> {
    while (!opts.signal?.aborted) {
      let worked: boolean;
      try {
        worked = await step();
      } catch (e) {
        // the database away for a moment: a worker waiting for work looks again later
        if (opts.once) throw e;
        log(`${RUNNER}: ${(e as Error).message}; trying again`);
        worked = false;
      }
      if (worked) continue;
      if (opts.once) break;
      await pause(ctx.config.workerPollMs, opts.signal);
    }
  }

  /** One part (or one orphaned run) worked on; false when nothing was left to claim. */
  async function step(): Promise<boolean> {
    // a run nobody is ending: its process died (its parts may all be done)
    const [orphan] = (await claimableJobs(ctx.db, RUN_JOB)).filter((j) => j.runner !== null && j.runner !== RUNNER);
    if (orphan) {
      log(`${RUNNER}: taking over run ${orphan.key} (its process ${orphan.runner} is gone)`);
      await executeJob(ctx, orphan.id);
      return true;
    }
    // a part only in a slot of this process's (run-parts.ts): none free is nothing to claim now
    const slot = await partSlot(ctx.config.runPartsPerProcess, ctx.config.workerPollMs);
    if (!slot) return false;
    try {
      return await claimAndWork();
    } finally {
      slot();
    }
  }

  async function claimAndWork(): Promise<boolean> {
    const part = (await claimableJobs(ctx.db, RUN_PART_JOB)).find((p) => !picked.has(p.id));
    if (part) {
      picked.add(part.id);
      const t = performance.now();
      const before = part.done;
      await executeJob(ctx, part.id).finally(() => picked.delete(part.id));
      const after = await jobById(ctx.db, part.id);
      // counted only where this process did the work (another may have claimed it first)
      if (after?.runner === RUNNER) {
        const ms = performance.now() - t;
        const persons = after.done - before;
        totals.parts++;
        totals.persons += persons;
        totals.busyMs += ms;
        const run = await getRun(ctx.db, runOfPart(part));
        const town = ctx.regions.get(part.key.slice(part.key.indexOf(':') + 1))?.name ?? part.key;
        log(`${RUNNER}: run ${run?.id ?? '?'} ${run?.period ?? ''} ${town}: ${persons} persons in ${(ms / 1000).toFixed(1)} s (${after.status})`);
      }
      return true;
    }
    return false;
  }
}

/** Waits `ms`, or less if the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
