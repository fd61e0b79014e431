import type { Executor } from '../../db/database.js';
import type { Transaction } from 'kysely';
import type { Database, JobRow, RunRow } from '../../db/tables.js';
import { freshenStatistics } from '../../db/statistics.js';
import { recordAudit } from '../../platform/audit.js';
import { addSnapshotSource, publish, type LiveEvent } from '../../platform/events.js';
import { can } from '../../platform/policy.js';
import {
  claimableJobs,
  createJob,
  defineJob,
  executeJob,
  failJobsByKeyPrefix,
  latestJob,
  resumeJobs,
  runJob,
  runnerGone,
  runningJob,
  waitForJobs,
  type JobControl,
} from '../../platform/jobs.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { everywhere, requireAction, type Scope } from '../../platform/scope.js';
import { nextPeriod, nowIso, periodBounds, today } from '../../platform/time.js';
import { loadCatalogue, type Catalogue } from '../catalogue/catalogue.loader.js';
import { catalogueText, catalogueVersionId, overridesFor } from '../catalogue/catalogue.repository.js';
import { neededParams, paramsFor, type Outcome, type ResolvedParams } from '../catalogue/engine.js';
import { openRunSinks, type RunSink } from './decision-sinks.js';
import { getRun, goneDecisions, populationByRegion, previousRun, runningRun } from './runs.repository.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { isOwnBureau, jurisdictionFor, jurisdictionsFor, seesWhole } from '../catalogue/jurisdictions.js';
import { diff, populationFloor, trackedItems, workBatches, type BatchState } from './run-batches.js';
import { ensureRunPartitions, RUN_PARTITIONED, runPartitionName } from './partitions.js';
import { partJobs, partKey, partKeyPrefix, partSlot, planParts, runOfPart, RUN_JOB, RUN_PART_JOB } from './run-parts.js';

export { RUN_JOB, RUN_PART_JOB } from './run-parts.js';

/**
 * An entitlement run evaluates everyone in the jurisdiction against the catalogue in force for a
 * month and stores, per person, the facts read and what was granted. It works in batches in id
 * order (run-batches.ts); each batch's decisions, changes, roll lines and the cursor commit
 * together, so a run killed at any point resumes from its cursor and ends with the same decisions,
 * never duplicates. The run row is the domain record (period, catalogue, totals); its job
 * (platform/jobs.ts, kind 'entitlement_run', key the run's id) holds the claim and the heartbeat.
 * A run is split by town (run-parts.ts): each town's batches are a part job with its own cursor
 * that any process may claim (`yiyang worker`, another app server), and the run's own job works
 * on parts until none is left, waits for the others, and ends the run. Each batch writes the
 * decisions with their items (decision_items, what rosters and duties read) and the change list,
 * and hands the decisions to the registered sinks (decision-sinks.ts; payment rolls in
 * rolls.sink.ts) in the same transaction.
 */

export const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface StartedRun {
  run: RunRow;
  /** resolves when the run has finished (or failed); the HTTP route does not wait for it */
  done: Promise<void>;
}

/** The key a running run of a jurisdiction's month holds (unique: one run of a month at a time). */
export const runLockKey = (regionCode: string, period: string) => `${regionCode}:${period}`;

/**
 * Starts the run of a month for a jurisdiction (`regionCode`; default: the viewer's own, see
 * jurisdictionFor). Only the jurisdiction's own bureau starts it: a viewer whose region covers it.
 */
export async function startRun(ctx: AppContext, scope: Scope, period: string, regionCode?: string | null): Promise<StartedRun> {
  requireAction(scope, 'entitlements.run');
  if (!PERIOD_RE.test(period)) throw new AppError('PERIOD_FORMAT', { period });
  const latest = nextPeriod(today().slice(0, 7));
  if (period > latest) throw new AppError('PERIOD_TOO_FAR', { latest });
  const region = jurisdictionFor(ctx, scope, regionCode);
  // a jurisdiction's own bureau starts its runs: the city above watches its counties' runs
  if (!isOwnBureau(scope, region)) throw new AppError('RUN_NOT_YOURS', { name: region.name });
  const jurisdiction = catalogueOf(ctx, region.code);
  const cat = ctx.catalogues.forPeriod(jurisdiction, period);
  const params = paramsFor(cat, period, await overridesFor(ctx.db, jurisdiction));
  const needed = neededParams(cat);
  const unset = params.unset.filter((n) => needed.has(n));
  if (unset.length) {
    // parameter labels are catalogue data, in Chinese only: English names each by its label and id
    const labels = unset.map((n) => [cat.parameters.get(n)!.label, n] as const);
    throw new AppError(
      'PARAMETERS_UNSET',
      { period, names: { zh: labels.map(([l]) => l).join('、'), en: labels.map(([l, n]) => `${l} (${n})`).join(', ') } },
      { parameters: unset },
    );
  }
  const lockKey = runLockKey(region.code, period);
  // A run of the month whose runner is gone (its process died, its server stopped) would block the
  // month for good: starting the month again resumes it instead.
  const stuck = await runningRun(ctx.db, lockKey);
  const stuckJob = stuck && (await runningJob(ctx.db, RUN_JOB, String(stuck.id)));
  if (stuck && stuckJob && runnerGone(stuckJob.runner, stuckJob.heartbeat_at)) {
    await ctx.db.transaction().execute((trx) =>
      recordAudit(trx, scope, {
        action: 'entitlements.run_resume',
        entityType: 'run',
        entityId: stuck.id,
        detail: { period, runner: stuckJob.runner, cursor: (JSON.parse(stuckJob.state) as BatchState).cursor },
      }),
    );
    return { run: stuck, done: executeRun(ctx, stuck.id) };
  }
  // PostgreSQL: the register and last month's decisions, written in bulk since, get statistics
  // before the count below and the batches read them by ids (db/statistics.ts)
  const before = await previousRun(ctx.db, region.code, period);
  await freshenStatistics(ctx.db, ['persons', 'person_history', ...(before ? RUN_PARTITIONED.map((t) => runPartitionName(t, before.id)) : [])]);
  let run: RunRow;
  try {
    run = await ctx.db.transaction().execute(async (trx) => {
      const busy = await runningRun(trx, lockKey);
      if (busy) throw new AppError('RUN_BUSY', { period, id: busy.id });
      const versionId = await catalogueVersionId(trx, cat, nowIso());
      const prev = await previousRun(trx, region.code, period);
      const counts = await populationByRegion(ctx.handle, trx, populationFloor(period, prev), { prefix: region.prefix, on: periodBounds(period).start });
      const total = [...counts.values()].reduce((s, n) => s + n, 0);
      const parts = planParts(ctx, region, counts);
      const inserted = await trx
        .insertInto('entitlement_runs')
        .values({
          jurisdiction,
          region_code: region.code,
          period,
          catalogue_version_id: versionId,
          params: JSON.stringify(params),
          fact_names: JSON.stringify(cat.facts),
          status: 'running',
          lock_key: lockKey,
          previous_run_id: prev?.id ?? null,
          persons_total: total,
          persons_done: 0,
          granted: 0,
          changes: 0,
          started_by: scope.userId,
          started_by_name: scope.username,
          started_at: nowIso(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await createJob<BatchState>(trx, RUN_JOB, String(inserted.id), { total, state: { cursor: 0 } });
      // the town parts, for whichever process claims each first (this one included)
      for (const p of parts ?? [])
        await createJob<BatchState>(trx, RUN_PART_JOB, partKey(inserted.id, p.code), {
          total: p.total,
          state: { cursor: 0, from: p.from, to: p.to },
          unclaimed: true,
        });
      await recordAudit(trx, scope, {
        action: 'entitlements.run_start',
        entityType: 'run',
        entityId: inserted.id,
        regionCode: region.code,
        detail: {
          period,
          catalogue: `${cat.jurisdiction}/${cat.effective}`,
          jurisdiction: region.code,
          previous: prev?.id ?? null,
          persons: total,
          parts: parts?.length ?? 1,
        },
      });
      // PostgreSQL: the run's own partitions of decisions and decision_items, last, for the lock on
      // their DEFAULT partitions to be held briefly (partitions.ts)
      await ensureRunPartitions(trx, [inserted]);
      return inserted;
    });
  } catch (e) {
    // Two starts at once: the loser's insert fails on the unique lock key.
    if (e instanceof AppError) throw e;
    const busy = await runningRun(ctx.db, lockKey);
    if (busy) throw new AppError('RUN_BUSY', { period, id: busy.id });
    throw e;
  }
  return { run, done: executeRun(ctx, run.id) };
}

/**
 * The live event of a run (GET /api/events): to viewers who may read runs, for runs of the
 * catalogue in force; the persons counted are the whole jurisdiction's, so a viewer of a town or
 * village sees the progress only.
 */
function runEvent(ctx: AppContext, r: Pick<RunRow, 'id' | 'region_code' | 'period' | 'status' | 'persons_done' | 'persons_total'>): LiveEvent {
  return {
    name: 'run',
    for(scope) {
      if (scope.role === 'system' || scope.role === 'anonymous' || !can(scope.role, 'entitlements.read')) return null;
      const region = ctx.regions.get(r.region_code);
      if (!region || !jurisdictionsFor(ctx, scope).some((j) => j.code === r.region_code)) return null;
      const whole = seesWhole(scope, region);
      const progress = r.persons_total > 0 ? Math.min(100, Math.floor((r.persons_done / r.persons_total) * 100)) : r.status === 'finished' ? 100 : 0;
      return {
        id: r.id,
        jurisdiction: r.region_code,
        period: r.period,
        status: r.status,
        progress,
        personsDone: whole ? r.persons_done : null,
        personsTotal: whole ? r.persons_total : null,
      };
    },
  };
}

async function publishRun(ctx: AppContext, runId: number): Promise<void> {
  const r = await getRun(ctx.db, runId);
  if (r) publish(runEvent(ctx, r));
}

// a new stream starts from the runs running now
addSnapshotSource(async (ctx) =>
  (await ctx.db.selectFrom('entitlement_runs').selectAll().where('status', '=', 'running').orderBy('id').execute()).map((r) => runEvent(ctx, r)),
);

/**
 * The run's own job: its parts (or, a run not split, its whole population with the job's own
 * cursor), then its end. Its state is a BatchState: the cursor of a run not split.
 */
defineJob<BatchState>({
  kind: RUN_JOB,
  work: (ctx, control) => execute(ctx, Number(control.job.key), control),
  async failed(ctx, job, e) {
    const message = e instanceof Error ? e.message : String(e);
    const runId = Number(job.key);
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('entitlement_runs')
        .set({ status: 'failed', lock_key: null, finished_at: nowIso(), message })
        .where('id', '=', runId)
        .where('status', '=', 'running')
        .execute();
      // its parts end with it: a process working on one stops at its next commit (LostClaim)
      await failJobsByKeyPrefix(trx, RUN_PART_JOB, partKeyPrefix(runId), `run ${runId} failed`);
    });
    await publishRun(ctx, runId);
  },
});

/**
 * A town's part of a run: its batches from its cursor. How many a process works on at once, of one
 * run or of several, is its slots' bound (run-parts.ts): two overlap one's database round trips
 * with the other's evaluation.
 */
defineJob<BatchState>({
  kind: RUN_PART_JOB,
  async work(ctx, control) {
    const run = await getRun(ctx.db, runOfPart(control.job));
    // a run that failed meanwhile: nothing more to do (its job ended the parts)
    if (!run || run.status !== 'running') return;
    const cat = await runCatalogue(ctx, run);
    await workBatches(ctx, run, cat, runParams(run), control, (r) => publish(runEvent(ctx, r)));
  },
});

/**
 * Runs (or resumes) a run in the background through its job: one execution per run in a process,
 * one process per run; taken over from another process only when that one is gone.
 */
export async function executeRun(ctx: AppContext, runId: number): Promise<void> {
  const job = await latestJob(ctx.db, RUN_JOB, String(runId));
  if (job?.status === 'running') await executeJob(ctx, job.id);
}

/** Resolves when every run (and other job) executing in this process has ended. */
export const waitForRuns = waitForJobs;

/** Runs that were running when their process stopped carry on from their cursor (the CLI's `run`). */
export function resumeRuns(ctx: AppContext): Promise<number> {
  return resumeJobs(ctx, [RUN_JOB]);
}

/** The catalogue a run used, from the text stored with it (a later file edit cannot change it). */
export async function runCatalogue(ctx: AppContext, run: RunRow, db: Executor = ctx.db): Promise<Catalogue> {
  const stored = await catalogueText(db, run.catalogue_version_id);
  if (!stored) throw notFound('runCatalogue');
  return ctx.catalogues.bySha(stored.sha256) ?? loadCatalogue(stored.file, stored.text);
}

export function runParams(run: RunRow): ResolvedParams {
  return JSON.parse(run.params) as ResolvedParams;
}

/**
 * The run's own job: a run split by town works on its parts as any worker does until none is left
 * to claim (a part whose process died is claimable again), then waits, with a heartbeat, for the
 * parts other processes hold, and ends the run once all are finished. Taken over from a dead
 * process, it carries on the same way: finished parts are skipped.
 */
async function execute(ctx: AppContext, runId: number, control: JobControl<BatchState>): Promise<void> {
  const run = await getRun(ctx.db, runId);
  if (!run || run.status !== 'running') return;
  // a run started by a server of the version before partitions (a rolling upgrade) gets them here
  await ensureRunPartitions(ctx.db, [run]);
  const cat = await runCatalogue(ctx, run);
  const parts = await partJobs(ctx.db, runId);
  if (parts.length === 0) {
    // not split (one town, a small run, or started before runs were split): the job's own cursor
    await workBatches(ctx, run, cat, runParams(run), control, (r) => publish(runEvent(ctx, r)));
  } else {
    for (;;) {
      // one of this process's slots first (run-parts.ts): waiting for one is waiting, as below
      const slot = await partSlot(ctx.config.runPartsPerProcess, ctx.config.workerPollMs);
      if (slot) {
        let next: JobRow | undefined;
        try {
          [next] = await claimableJobs(ctx.db, RUN_PART_JOB, partKeyPrefix(runId));
          // a part that failed here fails the run (its error); a simulated crash stops the run here too
          if (next) await runJob(ctx, next.id);
        } finally {
          slot();
        }
        if (next) continue;
      }
      const now = await partJobs(ctx.db, runId);
      const failed = now.find((p) => p.status === 'failed');
      if (failed) throw new Error(`part ${failed.key} failed: ${failed.error ?? ''}`);
      if (now.every((p) => p.status === 'finished')) break;
      // parts held by other live processes, or no slot free here: wait, showing this process is alive
      await control.beat(ctx.db);
      if (slot) await new Promise((r) => setTimeout(r, ctx.config.workerPollMs));
    }
  }
  const sinks = await openRunSinks(ctx, run, cat);
  await finish(ctx, run, cat, control, sinks);
  await publishRun(ctx, runId);
}

/**
 * A re-run lists the month's changes again (against the month before): what officers already
 * followed up on the month's earlier runs stays ticked on the same change, by whom and when.
 */
async function keepFollowUps(trx: Transaction<Database>, run: RunRow): Promise<void> {
  const done = await trx
    .selectFrom('decision_changes')
    .innerJoin('entitlement_runs', 'entitlement_runs.id', 'decision_changes.run_id')
    .select([
      'decision_changes.person_id',
      'decision_changes.item_id',
      'decision_changes.kind',
      'decision_changes.old_value',
      'decision_changes.new_value',
      'decision_changes.handled_by',
      'decision_changes.handled_at',
    ])
    .where('entitlement_runs.period', '=', run.period)
    .where('entitlement_runs.jurisdiction', '=', run.jurisdiction)
    .where('entitlement_runs.id', '<', run.id)
    .where('decision_changes.handled_at', 'is not', null)
    .orderBy('decision_changes.run_id')
    .execute();
  for (const d of done) {
    await trx
      .updateTable('decision_changes')
      .set({ handled_by: d.handled_by, handled_at: d.handled_at })
      .where('run_id', '=', run.id)
      .where('person_id', '=', d.person_id)
      .where('item_id', '=', d.item_id)
      .where('kind', '=', d.kind)
      .where((eb) => (d.old_value === null ? eb('old_value', 'is', null) : eb('old_value', '=', d.old_value)))
      .where((eb) => (d.new_value === null ? eb('new_value', 'is', null) : eb('new_value', '=', d.new_value)))
      .where('handled_at', 'is', null)
      .execute();
  }
}

/** Decisions of the previous run read a page at a time at the end (those no longer in the population). */
const GONE_PAGE = 5000;

/**
 * Those granted last time who are not in this run's population at all (closed before its floor,
 * moved out of the jurisdiction): their items end. Set-wise at the end, once every part has
 * committed: the previous run's decisions whose person this run did not decide.
 */
async function endGone(ctx: AppContext, trx: Transaction<Database>, run: RunRow, cat: Catalogue): Promise<number> {
  if (!run.previous_run_id) return 0;
  const tracked = trackedItems(cat);
  let after = 0;
  let n = 0;
  for (;;) {
    const gone = await goneDecisions(trx, run.id, run.previous_run_id, after, GONE_PAGE);
    const changes: Omit<Database['decision_changes'], 'id'>[] = [];
    for (const g of gone) diff(run.id, g.person_id, g.region_code, JSON.parse(g.outcome) as Outcome, {}, tracked, changes);
    await ctx.handle.insertMany(trx, 'decision_changes', changes);
    n += changes.length;
    if (gone.length < GONE_PAGE) break;
    after = gone[gone.length - 1]!.person_id;
  }
  return n;
}

async function finish(ctx: AppContext, run: RunRow, cat: Catalogue, control: JobControl<BatchState>, sinks: RunSink[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const ended = await endGone(ctx, trx, run, cat);
    // each sink's end (the rolls become drafts replacing the month's earlier ones), with the run's
    const rolls: Record<string, unknown> = {};
    for (const sink of sinks) Object.assign(rolls, await sink.finish?.(trx));
    await keepFollowUps(trx, run);
    // only while this process holds the run's job (LostClaim otherwise, and nothing is written);
    // a run split by town counted its persons in its parts: the run's job ends with them all
    const counted = await trx.selectFrom('entitlement_runs').select('persons_done').where('id', '=', run.id).executeTakeFirstOrThrow();
    // the state last committed (a run not split: its cursor at the end), not the one it started from
    await control.progress(trx, { done: counted.persons_done, state: JSON.parse(control.job.state) as BatchState });
    await control.finish(trx);
    const done = await trx
      .updateTable('entitlement_runs')
      .set((eb) => ({ status: 'finished', lock_key: null, finished_at: nowIso(), changes: eb('changes', '+', ended) }))
      .where('id', '=', run.id)
      .where('status', '=', 'running')
      .returningAll()
      .executeTakeFirstOrThrow();
    const scope = { ...everywhere(), userId: run.started_by, username: run.started_by_name };
    await recordAudit(trx, scope, {
      action: 'entitlements.run_finish',
      entityType: 'run',
      entityId: run.id,
      detail: { period: run.period, persons: done.persons_done, granted: done.granted, changes: done.changes, ...rolls },
    });
  });
}
