import { hostname } from 'node:os';
import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Database, JobRow } from '../db/tables.js';
import type { AppContext } from './context.js';
import { flushEvents, withEventContext } from './events.js';
import { nowIso } from './time.js';

/**
 * One job runner for the platform's background work (imports, entitlement runs, and every later
 * batch). A job row (`jobs`) is the claim and the progress; the domain keeps its own record (the
 * run, the import) and reads or writes the job only through this file.
 *
 * - claim: the process executing a job holds it as 'host:pid' with a heartbeat at every commit of
 *   progress; progress commits in the caller's transaction, with the work it describes, and only
 *   while this process still holds the job (compare-and-set on the runner), so a job taken over
 *   elsewhere stops here with LostClaim and no write.
 * - take-over: another process takes a job over only when its runner is gone: a process of this
 *   host that no longer exists, or no heartbeat for RUNNER_STALE_MS (a runner on another server
 *   that stopped).
 * - resume: at start `resumeJobs` carries every running job of a defined kind on from its
 *   committed state.
 * - queues: jobs of one queue (a kind's `queue`, e.g. an import's jurisdiction) run one after
 *   another in a process.
 * - live events: a job's work publishes them on its context's database (withEventContext: on
 *   PostgreSQL they reach the servers of other processes too), and a job has ended here only once
 *   its events have left (the command line may exit right after).
 */
export const RUNNER = `${hostname()}:${process.pid}`;
export const RUNNER_STALE_MS = 120_000;

/**
 * Thrown by a job's work to stop dead as a killed process would (tests of resumption): the job is
 * left running, held by this process, with its committed progress.
 */
export class SimulatedCrash extends Error {}

export class LostClaim extends Error {
  constructor(jobId: number) {
    super(`job ${jobId} is being executed by another process`);
  }
}

export function runnerGone(runner: string | null, heartbeat: string | null, now = Date.now()): boolean {
  if (!runner) return true;
  const [host, pid] = runner.split(':');
  if (host === hostname()) {
    if (Number(pid) === process.pid) return false;
    try {
      process.kill(Number(pid), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
    }
  }
  return !heartbeat || now - Date.parse(heartbeat) > RUNNER_STALE_MS;
}

export interface JobProgress<S> {
  done: number;
  total?: number;
  state: S;
}

/** What the work of a job receives. */
export interface JobControl<S> {
  readonly job: JobRow;
  /** the state last committed (the job's own resumption point) */
  readonly state: S;
  /** Commits progress in `trx`, with the work it describes; throws LostClaim if another process holds the job. */
  progress(trx: Transaction<Database>, p: JobProgress<S>): Promise<void>;
  /** Marks the job finished in `trx` (with the domain's own end); throws LostClaim as progress. */
  finish(trx: Transaction<Database>): Promise<void>;
  /** A heartbeat with no progress (a job waiting on others); throws LostClaim as progress. */
  beat(db: Executor): Promise<void>;
}

export interface JobKind<S> {
  kind: string;
  /** jobs of one queue run one after another in this process */
  queue?: (ctx: AppContext, job: JobRow) => string;
  work(ctx: AppContext, control: JobControl<S>): Promise<void>;
  /** the job failed on `error` (not LostClaim): record it in the domain's own row */
  failed?(ctx: AppContext, job: JobRow, error: unknown): Promise<void>;
}

export type ProgressListener = (job: JobRow) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- kinds of every state type
const kinds = new Map<string, JobKind<any>>();
const listeners = new Set<ProgressListener>();

export function defineJob<S>(def: JobKind<S>): JobKind<S> {
  kinds.set(def.kind, def);
  return def;
}

/** Called after each committed progress, start and end of a job in this process (live events). */
export function onJobChange(listener: ProgressListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(job: JobRow): void {
  for (const l of listeners) {
    try {
      l(job);
    } catch {
      /* a listener never stops a job */
    }
  }
}

const lockKey = (kind: string, key: string) => `${kind}:${key}`;

/**
 * A new running job held by this process; fails on the unique lock key if the key is running.
 * `unclaimed`: held by no process yet, for any process to claim (claimJob), as the parts of a
 * job that several processes share.
 */
export async function createJob<S>(db: Executor, kind: string, key: string, p: { total: number; state: S; unclaimed?: boolean }): Promise<JobRow> {
  const now = nowIso();
  return db
    .insertInto('jobs')
    .values({
      kind,
      key,
      lock_key: lockKey(kind, key),
      status: 'running',
      runner: p.unclaimed ? null : RUNNER,
      heartbeat_at: p.unclaimed ? null : now,
      done: 0,
      total: p.total,
      state: JSON.stringify(p.state),
      error: null,
      created_at: now,
      finished_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The running job of a kind and key, if any. */
export function runningJob(db: Executor, kind: string, key: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('lock_key', '=', lockKey(kind, key)).executeTakeFirst();
}

/** Every running job of a kind (a live stream's first state). */
export function runningJobs(db: Executor, kind: string): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('status', '=', 'running').orderBy('id').execute();
}

/** Jobs that failed since a time (the command line's resume reports them). */
export function failedJobsSince(db: Executor, since: string): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().where('status', '=', 'failed').where('finished_at', '>=', since).orderBy('id').execute();
}

/** The latest job of a kind and key, running or ended. */
export function latestJob(db: Executor, kind: string, key: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('key', '=', key).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The latest job of a kind whatever its key, running or ended (a page's "last run"). */
export function latestJobOfKind(db: Executor, kind: string): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/**
 * The running jobs of a kind (and key prefix) that this process may claim: held by no process, or
 * by one that is gone. Largest first (total), then oldest: the long parts start first.
 */
export async function claimableJobs(db: Executor, kind: string, keyPrefix?: string): Promise<JobRow[]> {
  let q = db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('status', '=', 'running');
  if (keyPrefix !== undefined) q = q.where('key', '>=', keyPrefix).where('key', '<', keyPrefix + '\uffff');
  const rows = await q.orderBy('total', 'desc').orderBy('id').execute();
  const now = Date.now();
  // one of this process's own that it no longer executes (a simulated crash) is claimable here too
  return rows.filter((r) => (r.runner === RUNNER ? !executing.has(r.id) : runnerGone(r.runner, r.heartbeat_at, now)));
}

/** Every job of a kind whose key starts with `keyPrefix`, whatever its status, in id order. */
export function jobsByKeyPrefix(db: Executor, kind: string, keyPrefix: string): Promise<JobRow[]> {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', kind)
    .where('key', '>=', keyPrefix)
    .where('key', '<', keyPrefix + '\uffff')
    .orderBy('id')
    .execute();
}

/** One job by its id, as it stands now. */
export function jobById(db: Executor, id: number): Promise<JobRow | undefined> {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Ends, as failed, the running jobs of a kind whose key starts with `keyPrefix` (the parts of a run
 * that failed): a process working on one stops at its next commit (LostClaim).
 */
export async function failJobsByKeyPrefix(db: Executor, kind: string, keyPrefix: string, error: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'failed', lock_key: null, finished_at: nowIso(), error })
    .where('kind', '=', kind)
    .where('key', '>=', keyPrefix)
    .where('key', '<', keyPrefix + '\uffff')
    .where('status', '=', 'running')
    .execute();
}

/** Takes a running job over for this process if its runner is gone; compare-and-set on the old runner. */
export async function claimJob(db: Executor, id: number): Promise<JobRow | undefined> {
  const job = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job || job.status !== 'running') return undefined;
  if (job.runner === RUNNER) return job;
  if (!runnerGone(job.runner, job.heartbeat_at)) return undefined;
  let q = db.updateTable('jobs').set({ runner: RUNNER, heartbeat_at: nowIso() }).where('id', '=', id).where('status', '=', 'running');
  q = job.runner === null ? q.where('runner', 'is', null) : q.where('runner', '=', job.runner);
  return q.returningAll().executeTakeFirst();
}

/** Per job executing in this process: how it ended (the error if it failed). */
const executing = new Map<number, Promise<{ error?: unknown }>>();
const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` in a kind's queue in this process: after everything queued before it. */
export function inQueue<T>(kind: string, queue: string, fn: () => Promise<T>): Promise<T> {
  const key = `${kind}:${queue}`;
  const run = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

function control<S>(job: JobRow): JobControl<S> {
  let current = job;
  const held = async (trx: Executor, set: Partial<JobRow>, quiet = false) => {
    const row = await trx
      .updateTable('jobs')
      .set({ ...set, heartbeat_at: nowIso() })
      .where('id', '=', job.id)
      .where('status', '=', 'running')
      .where('runner', '=', RUNNER)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LostClaim(job.id);
    current = row;
    if (quiet) return row;
    // progress only (counts, status): heard as the transaction commits it, a rolled-back one is
    // followed by the failure or by the same progress again
    notify(row);
    return row;
  };
  return {
    get job() {
      return current;
    },
    state: JSON.parse(job.state) as S,
    async progress(trx, p) {
      await held(trx, { done: p.done, ...(p.total !== undefined ? { total: p.total } : {}), state: JSON.stringify(p.state) });
    },
    async finish(trx) {
      await held(trx, { status: 'finished', lock_key: null, finished_at: nowIso() });
    },
    async beat(db) {
      await held(db, {}, true);
    },
  };
}

/**
 * Runs (or resumes) a job in the background; one execution per job in a process, one process per
 * job. Resolves when the job has ended here (finished, failed, or left to the process that holds
 * it); a failure is recorded in the job (and by the kind's `failed`), never thrown.
 * `queueHeld`: the caller already runs in the job's queue (it must not wait for itself).
 */
export function executeJob(ctx: AppContext, id: number, opts: { queueHeld?: boolean } = {}): Promise<void> {
  return execution(ctx, id, opts).then(() => undefined);
}

/** As executeJob, but rejects with the error the job failed on (or a SimulatedCrash). */
export async function runJob(ctx: AppContext, id: number, opts: { queueHeld?: boolean } = {}): Promise<void> {
  const { error } = await execution(ctx, id, opts);
  if (error !== undefined) throw error;
}

function execution(ctx: AppContext, id: number, opts: { queueHeld?: boolean }): Promise<{ error?: unknown }> {
  let p = executing.get(id);
  if (p) return p;
  p = withEventContext(ctx, () =>
    (async () => {
      const job = await claimJob(ctx.db, id);
      if (!job) return;
      const def = kinds.get(job.kind);
      if (!def) throw new Error(`no job kind '${job.kind}' is defined in this process`);
      const work = async () => {
        const c = control(job);
        notify(job);
        await def.work(ctx, c);
        // work that did not end the job itself: it ended when the work returned
        if (c.job.status === 'running') await ctx.db.transaction().execute((trx) => c.finish(trx));
      };
      const queue = def.queue?.(ctx, job);
      return queue === undefined || opts.queueHeld ? work() : inQueue(job.kind, queue, work);
    })()
      .then(
        () => ({}),
        async (e: unknown) => {
          // Another process took the job over: it carries on; this one stops without a mark.
          if (e instanceof LostClaim) return {};
          if (e instanceof SimulatedCrash) return { error: e };
          const message = e instanceof Error ? e.message : String(e);
          const row = await ctx.db
            .updateTable('jobs')
            .set({ status: 'failed', lock_key: null, finished_at: nowIso(), error: message.slice(0, 2000) })
            .where('id', '=', id)
            .where('status', '=', 'running')
            .where('runner', '=', RUNNER)
            .returningAll()
            .executeTakeFirst()
            .catch(() => undefined);
          if (row) {
            notify(row);
            await kinds
              .get(row.kind)
              ?.failed?.(ctx, row, e)
              .catch(() => undefined);
          }
          return { error: e };
        },
      )
      .finally(async () => {
        await flushEvents(ctx).catch(() => undefined);
        executing.delete(id);
      }),
  );
  executing.set(id, p);
  return p;
}

/** Resolves when every job executing in this process has ended. */
export async function waitForJobs(): Promise<void> {
  while (executing.size) await Promise.all([...executing.values()]);
}

/**
 * At start: every running job of a defined kind (or of `only`) carries on from its committed
 * state, in id order within a queue. Returns how many were found; they run in the background.
 */
export async function resumeJobs(ctx: AppContext, only?: string[]): Promise<number> {
  const rows = await ctx.db.selectFrom('jobs').select(['id', 'kind']).where('status', '=', 'running').orderBy('id').execute();
  const mine = rows.filter((r) => kinds.has(r.kind) && (!only || only.includes(r.kind)));
  for (const r of mine) void executeJob(ctx, r.id);
  return mine.length;
}
