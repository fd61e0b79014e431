import type { Executor } from '../../db/database.js';
import type { JobRow, RegionRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { partHolds } from '../register/people.js';
import { jobsByKeyPrefix } from '../../platform/jobs.js';

/**
 * A run split by region, so that several processes sharing one PostgreSQL (app servers, `yiyang
 * worker`s) work on it at once. Each town or street of the jurisdiction (its children in the region
 * tree; the counties of a city) is a part: a job of its own (RUN_PART_JOB, key `<run id>:<town
 * code>`), created unclaimed with the run, with its own cursor, claimed by compare-and-set by
 * whichever process asks first, and claimed again from its last commit when that process dies. The
 * run's own job (RUN_JOB) coordinates: it works on parts as any worker does until none is left to
 * claim, waits for those others hold, then ends the run.
 *
 * A part is a slice [from, to) of the jurisdiction's region codes, the first from the jurisdiction's
 * prefix and the last to its end: the codes between towns (the county's own, a code no town holds)
 * fall in one part, and every person in exactly one — the part that holds their region on the
 * period's first day (a move within the month does not move them between parts).
 */
export const RUN_JOB = 'entitlement_run';
export const RUN_PART_JOB = 'entitlement_run_part';

export interface RunPart {
  /** the town's (or county's) code: the part job's key after the run's id */
  code: string;
  from?: string;
  to?: string;
  /** persons in it on the period's first day (as counted at the start) */
  total: number;
}

/**
 * Whether runs on SQLite are split too. Off: one process works a SQLite file (a second one would
 * only wait for its write lock), and each part reads the register in id order for its own slice,
 * so a split run reads it once a town. Tests turn it on to compare a split run with a whole one.
 */
export const runSplitting = { onSqlite: false };

/**
 * The parts of a jurisdiction's run, from the persons counted per region on the day. A run of one
 * batch or less, or of a jurisdiction with fewer than two children, or on SQLite (runSplitting), is
 * one part: the coordinator's own (no part jobs).
 */
export function planParts(ctx: AppContext, region: RegionRow, counts: ReadonlyMap<string, number>): RunPart[] | null {
  if (ctx.handle.dialect === 'sqlite' && !runSplitting.onSqlite) return null;
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  const children = ctx.regions
    .children(region.code)
    .filter((c) => c.prefix.startsWith(region.prefix) && c.prefix.length > region.prefix.length)
    .sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  if (children.length < 2 || total <= ctx.config.runBatchSize) return null;
  const parts: RunPart[] = children.map((c, i) => ({
    code: c.code,
    ...(i > 0 ? { from: c.prefix } : {}),
    ...(i < children.length - 1 ? { to: children[i + 1]!.prefix } : {}),
    total: 0,
  }));
  for (const [code, n] of counts) {
    const p = parts.find((x) => partHolds({ prefix: region.prefix, on: '', from: x.from, to: x.to }, code));
    if (p) p.total += n;
  }
  return parts;
}

export const partKey = (runId: number, code: string) => `${runId}:${code}`;
export const partKeyPrefix = (runId: number) => `${runId}:`;

/** The run of a part job. */
export const runOfPart = (job: Pick<JobRow, 'key'>) => Number(job.key.slice(0, job.key.indexOf(':')));

/** Every part job of a run, whatever its status (none: the run is not split). */
export function partJobs(db: Executor, runId: number): Promise<JobRow[]> {
  return jobsByKeyPrefix(db, RUN_PART_JOB, partKeyPrefix(runId));
}

/**
 * The parts this process works on at once (RUN_PARTS_PER_PROCESS), across every run it started and
 * its worker loop. Without a bound, a server whose bureaus started twenty counties' runs worked on
 * twenty towns at once: its one thread and its connection pool were shared twenty ways, a further
 * start waited half a minute for a connection, and a worker process beside it claimed a quarter of
 * the towns. Bounded, the parts a process does not take wait unclaimed for any process with a free
 * slot. Slots are granted in the order asked for.
 */
let partsAtWork = 0;
const askingForSlot: (() => void)[] = [];

/**
 * A slot for one part, within `waitMs` (null if none freed by then): call the returned function,
 * once, when the part has ended here.
 */
export function partSlot(limit: number, waitMs: number): Promise<(() => void) | null> {
  const granted = (): (() => void) => {
    partsAtWork++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      partsAtWork--;
      askingForSlot.shift()?.();
    };
  };
  if (partsAtWork < limit && askingForSlot.length === 0) return Promise.resolve(granted());
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      resolve(granted());
    };
    const timer = setTimeout(() => {
      const i = askingForSlot.indexOf(wake);
      if (i >= 0) askingForSlot.splice(i, 1);
      resolve(null);
    }, waitMs);
    askingForSlot.push(wake);
  });
}
