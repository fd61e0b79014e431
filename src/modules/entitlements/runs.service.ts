import type { Executor } from '../../db/database.js';
import type { Transaction } from 'kysely';
import type { Database, RunRow } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { addSnapshotSource, publish, type LiveEvent } from '../../platform/events.js';
import { can } from '../../platform/policy.js';
import { createJob, defineJob, executeJob, latestJob, resumeJobs, runnerGone, runningJob, waitForJobs, type JobControl } from '../../platform/jobs.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { everywhere, requireAction, type Scope } from '../../platform/scope.js';
import { nextPeriod, nowIso, periodBounds, previousPeriod, today } from '../../platform/time.js';
import { loadCatalogue, type Catalogue } from '../catalogue/catalogue.loader.js';
import { catalogueText, catalogueVersionId, overridesFor } from '../catalogue/catalogue.repository.js';
import { evaluator, neededParams, paramsFor, type Outcome, type ResolvedParams, type Verify } from '../catalogue/engine.js';
import { factBuilder } from '../catalogue/facts.js';
import type { Facts } from '../../lib/rules/compile.js';
import { openRunSinks, type DecidedPerson, type RunSink } from './decision-sinks.js';
// the entitlements module's own sink: payment rolls
import { getRun, populationBatch, populationCount, previousDecisions, previousRun, regionsOn, runningRun } from './runs.repository.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { isOwnBureau, jurisdictionFor, jurisdictionsFor, seesWhole } from '../catalogue/jurisdictions.js';
import { listedItems } from './listed-items.js';

/**
 * An entitlement run evaluates everyone in the jurisdiction against the catalogue in force for a
 * month and stores, per person, the facts read and what was granted. It works in batches in id
 * order; each batch's decisions, changes, roll lines and the cursor commit together, so a run
 * killed at any point resumes from its cursor and ends with the same decisions, never duplicates.
 * The run row is the domain record (period, catalogue, totals); its job (platform/jobs.ts, kind
 * 'entitlement_run', key the run's id) holds the claim, the heartbeat, the progress and the cursor.
 * Each batch writes the decisions with their items (decision_items, what rosters and duties read)
 * and the change list, and hands the decisions to the registered sinks (decision-sinks.ts; payment
 * rolls in rolls.sink.ts) in the same transaction.
 */

export const PERIOD_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Who the run considers: the register, plus those closed since the start of the previous month. */
function populationFloor(period: string, previous?: { period: string }): string {
  const a = periodBounds(previousPeriod(period)).start;
  const b = previous ? periodBounds(previous.period).start : a;
  return a < b ? a : b;
}

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
        detail: { period, runner: stuckJob.runner, cursor: (JSON.parse(stuckJob.state) as RunState).cursor },
      }),
    );
    return { run: stuck, done: executeRun(ctx, stuck.id) };
  }
  let run: RunRow;
  try {
    run = await ctx.db.transaction().execute(async (trx) => {
      const busy = await runningRun(trx, lockKey);
      if (busy) throw new AppError('RUN_BUSY', { period, id: busy.id });
      const versionId = await catalogueVersionId(trx, cat, nowIso());
      const prev = await previousRun(trx, region.code, period);
      const total = await populationCount(ctx.handle, trx, populationFloor(period, prev), { prefix: region.prefix, on: periodBounds(period).start });
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
      await createJob<RunState>(trx, RUN_JOB, String(inserted.id), { total, state: { cursor: 0 } });
      await recordAudit(trx, scope, {
        action: 'entitlements.run_start',
        entityType: 'run',
        entityId: inserted.id,
        regionCode: region.code,
        detail: { period, catalogue: `${cat.jurisdiction}/${cat.effective}`, jurisdiction: region.code, previous: prev?.id ?? null, persons: total },
      });
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

export const RUN_JOB = 'entitlement_run';
/** What a run's job keeps to resume: the last person id committed. */
interface RunState {
  cursor: number;
}

defineJob<RunState>({
  kind: RUN_JOB,
  work: (ctx, control) => execute(ctx, Number(control.job.key), control),
  async failed(ctx, job, e) {
    const message = e instanceof Error ? e.message : String(e);
    await ctx.db
      .updateTable('entitlement_runs')
      .set({ status: 'failed', lock_key: null, finished_at: nowIso(), message })
      .where('id', '=', Number(job.key))
      .where('status', '=', 'running')
      .execute();
    await publishRun(ctx, Number(job.key));
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

async function execute(ctx: AppContext, runId: number, control: JobControl<RunState>): Promise<void> {
  const run = await getRun(ctx.db, runId);
  if (!run || run.status !== 'running') return;
  const cat = await runCatalogue(ctx, run);
  const params = runParams(run);
  const evaluate = evaluator(cat, run.period, params.values);
  const urban = new Map<string, boolean>();
  const isUrban = (code: string) => {
    let u = urban.get(code);
    if (u === undefined) {
      u = ctx.regions.get(code)?.kind === 'community';
      urban.set(code, u);
    }
    return u;
  };
  const build = factBuilder(run.period, isUrban);
  const factNames = JSON.parse(run.fact_names) as string[];
  const tracked = new Set(cat.items.filter((i) => i.when === 'monthly').map((i) => i.id));
  // per item, only what is read per item: the calendar duties and insurers' rosters (monthly cash
  // is on the rolls); ten rows a person for every item doubled a run's time
  const listed = listedItems(cat);
  const prevRun = run.previous_run_id ? await getRun(ctx.db, run.previous_run_id) : undefined;
  const floor = populationFloor(run.period, prevRun);
  const region = ctx.regions.get(run.region_code);
  if (!region) throw new Error(`run ${run.id}: jurisdiction ${run.region_code} is not in the region tree`);
  const part = { prefix: region.prefix, on: periodBounds(run.period).start };
  // who moved region since the period's first day, and where they were then (a few in a hundred)
  const moved = await regionsOn(ctx.db, part.on);

  // derived work (payment rolls first), handed each batch's decisions in the batch's transaction
  const sinks = await openRunSinks(ctx, run, cat);
  let cursor = control.state.cursor;
  let done = control.job.done;
  for (;;) {
    const { persons, last, read } = await populationBatch(ctx.handle, cursor, floor, ctx.config.runBatchSize, part, moved);
    const before = prevRun ? await previousDecisions(ctx.db, prevRun.id, cursor, last) : [];
    const prevBy = new Map(before.map((d) => [d.person_id, d]));

    const decisions: Database['decisions'][] = [];
    const items: Database['decision_items'][] = [];
    const changes: Omit<Database['decision_changes'], 'id'>[] = [];
    // 待核实: listed with the changes but not counted as one (they are listed every month until resolved)
    const toVerify: Omit<Database['decision_changes'], 'id'>[] = [];
    let verify: Verify = {};
    const decided: DecidedPerson[] = [];
    let granted = 0;
    for (const p of persons) {
      const f: Facts = build(p);
      const out = evaluate(f, verify);
      let undecided = false;
      for (const id in verify) {
        undecided = true;
        toVerify.push({
          run_id: runId,
          person_id: p.id,
          region_code: p.region_code,
          item_id: id,
          kind: 'verify',
          old_value: null,
          new_value: null,
          missing: verify[id]!.join(','),
          handled_by: null,
          handled_at: null,
        });
      }
      // one map for the whole batch, replaced only after a person left something in it
      if (undecided) verify = {};
      const ids = Object.keys(out);
      granted += ids.length;
      const outcome = JSON.stringify(out);
      decisions.push({ run_id: runId, person_id: p.id, region_code: p.region_code, facts: JSON.stringify(factNames.map((n) => f[n])), outcome });
      for (const id of ids) if (listed.has(id)) items.push({ run_id: runId, item_id: id, region_code: p.region_code, person_id: p.id, value: out[id]! });
      if (prevRun) {
        const was = prevBy.get(p.id);
        prevBy.delete(p.id);
        // Most people's outcome is the same as last month: compare the text before parsing it.
        if (was?.outcome !== outcome) diff(runId, p.id, p.region_code, was ? (JSON.parse(was.outcome) as Outcome) : {}, out, tracked, changes);
      }
      decided.push({ personId: p.id, regionCode: p.region_code, outcome: out });
    }
    // Granted last time but no longer in the population at all (closed before this run's floor).
    for (const gone of prevBy.values()) diff(runId, gone.person_id, gone.region_code, JSON.parse(gone.outcome) as Outcome, {}, tracked, changes);

    const nextCursor = read;
    await ctx.db.transaction().execute(async (trx) => {
      // First, in the same transaction: advance the cursor only while this process still holds
      // the run's job (on PostgreSQL this also locks the job's row against another runner).
      await control.progress(trx, { done: done + persons.length, state: { cursor: nextCursor } });
      await trx
        .updateTable('entitlement_runs')
        .set((eb) => ({
          persons_done: eb('persons_done', '+', persons.length),
          granted: eb('granted', '+', granted),
          changes: eb('changes', '+', changes.length),
        }))
        .where('id', '=', runId)
        .execute();
      await ctx.handle.insertMany(trx, 'decisions', decisions);
      // in the key's order: each item's rows of the batch go at the end of its range
      items.sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : a.person_id - b.person_id));
      await ctx.handle.insertMany(trx, 'decision_items', items);
      await ctx.handle.insertMany(trx, 'decision_changes', changes);
      await ctx.handle.insertMany(trx, 'decision_changes', toVerify);
      for (const sink of sinks) await sink.batch(trx, decided);
    });
    cursor = nextCursor;
    done += persons.length;
    publish(runEvent(ctx, { ...run, status: 'running', persons_done: done }));
    if (last === null) break;
    // Let requests in between batches: the console stays responsive during a run.
    await new Promise((r) => setImmediate(r));
  }
  await finish(ctx, run, control, sinks);
  await publishRun(ctx, runId);
}

/** `tracked`: items whose change month to month is news; birthday and 重阳 items come and go by the calendar. */
function diff(
  runId: number,
  personId: number,
  region: string,
  was: Outcome,
  now: Outcome,
  tracked: Set<string>,
  out: Omit<Database['decision_changes'], 'id'>[],
): void {
  for (const id in now) {
    if (!tracked.has(id)) continue;
    if (!(id in was))
      out.push({
        run_id: runId,
        person_id: personId,
        region_code: region,
        item_id: id,
        kind: 'new',
        old_value: null,
        new_value: now[id]!,
        missing: null,
        handled_by: null,
        handled_at: null,
      });
    else if (was[id] !== now[id])
      out.push({
        run_id: runId,
        person_id: personId,
        region_code: region,
        item_id: id,
        kind: 'amount',
        old_value: was[id]!,
        new_value: now[id]!,
        missing: null,
        handled_by: null,
        handled_at: null,
      });
  }
  for (const id in was) {
    if (tracked.has(id) && !(id in now))
      out.push({
        run_id: runId,
        person_id: personId,
        region_code: region,
        item_id: id,
        kind: 'ended',
        old_value: was[id]!,
        new_value: null,
        missing: null,
        handled_by: null,
        handled_at: null,
      });
  }
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

async function finish(ctx: AppContext, run: RunRow, control: JobControl<RunState>, sinks: RunSink[]): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    // each sink's end (the rolls become drafts replacing the month's earlier ones), with the run's
    const rolls: Record<string, unknown> = {};
    for (const sink of sinks) Object.assign(rolls, await sink.finish?.(trx));
    await keepFollowUps(trx, run);
    // only while this process holds the run's job (LostClaim otherwise, and nothing is written)
    await control.finish(trx);
    const done = await trx
      .updateTable('entitlement_runs')
      .set({ status: 'finished', lock_key: null, finished_at: nowIso() })
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
