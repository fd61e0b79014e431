import type { Database, RunRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import type { JobControl } from '../../platform/jobs.js';
import { periodBounds, previousPeriod } from '../../platform/time.js';
import type { Facts } from '../../lib/rules/compile.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import { evaluator, type Outcome, type ResolvedParams, type Verify } from '../catalogue/engine.js';
import { factBuilder } from '../catalogue/facts.js';
import { openRunSinks, type DecidedPerson } from './decision-sinks.js';
import { listedItems } from './listed-items.js';
import { getRun, populationBatch, previousDecisions, regionsOn } from './runs.repository.js';

/**
 * The batches of a run: its population (or one part of it, a slice of the jurisdiction's region
 * codes, see run-parts.ts) in person-id order from a cursor. Each batch's decisions, items,
 * changes against the previous run, the sinks' rows and the cursor commit in one transaction, only
 * while this process holds the job (control.progress), so a part taken over by another process
 * carries on from the last commit and nothing is written twice. Those granted last time and absent
 * from the whole population this time are the run's end's (runs.service.ts finish): no part can
 * tell them apart from people decided in another part.
 */

/** Where a run's batches resume: the last person id committed, and the part's slice of region codes. */
export interface BatchState {
  cursor: number;
  /** [from, to) of region codes within the jurisdiction; absent: the whole jurisdiction */
  from?: string;
  to?: string;
}

type ChangeRow = Omit<Database['decision_changes'], 'id'>;

/** Who the run considers: the register, plus those closed since the start of the previous month. */
export function populationFloor(period: string, previous?: { period: string }): string {
  const a = periodBounds(previousPeriod(period)).start;
  const b = previous ? periodBounds(previous.period).start : a;
  return a < b ? a : b;
}

/** Items whose change month to month is news: birthday and 重阳 items come and go by the calendar. */
export function trackedItems(cat: Catalogue): Set<string> {
  return new Set(cat.items.filter((i) => i.when === 'monthly').map((i) => i.id));
}

/**
 * Runs a run's batches from the control's cursor to the end of its slice. `published`: each batch's
 * run row as committed (live progress).
 */
export async function workBatches(
  ctx: AppContext,
  run: RunRow,
  cat: Catalogue,
  params: ResolvedParams,
  control: JobControl<BatchState>,
  published: (run: RunRow) => void,
): Promise<void> {
  const runId = run.id;
  const evaluate = evaluator(cat, run.period, params.values);
  const isUrban = (code: string) => ctx.regions.isUrban(code);
  const build = factBuilder(run.period, isUrban);
  const factNames = JSON.parse(run.fact_names) as string[];
  const tracked = trackedItems(cat);
  // per item, only what is read per item: the calendar duties and insurers' rosters (monthly cash
  // is on the rolls); ten rows a person for every item doubled a run's time
  const listed = listedItems(cat);
  const prevRun = run.previous_run_id ? await getRun(ctx.db, run.previous_run_id) : undefined;
  const floor = populationFloor(run.period, prevRun);
  const region = ctx.regions.get(run.region_code);
  if (!region) throw new Error(`run ${run.id}: jurisdiction ${run.region_code} is not in the region tree`);
  const { from, to } = control.state;
  const part = { prefix: region.prefix, on: periodBounds(run.period).start, from, to };
  // who moved region since the period's first day, and where they were then (a few in a hundred)
  const moved = await regionsOn(ctx.db, part.on);

  // derived work (payment rolls first), handed each batch's decisions in the batch's transaction
  const sinks = await openRunSinks(ctx, run, cat);
  let cursor = control.state.cursor;
  let done = control.job.done;
  for (;;) {
    const { persons, last, read } = await populationBatch(ctx.handle, cursor, floor, ctx.config.runBatchSize, part, moved);
    const before = prevRun
      ? await previousDecisions(
          ctx.handle,
          prevRun.id,
          persons.map((p) => p.id),
        )
      : [];
    const prevBy = new Map(before.map((d) => [d.person_id, d]));

    const decisions: Database['decisions'][] = [];
    const items: Database['decision_items'][] = [];
    const changes: ChangeRow[] = [];
    // 待核实: listed with the changes but not counted as one (they are listed every month until resolved)
    const toVerify: ChangeRow[] = [];
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
        // Most people's outcome is the same as last month: compare the text before parsing it.
        if (was?.outcome !== outcome) diff(runId, p.id, p.region_code, was ? (JSON.parse(was.outcome) as Outcome) : {}, out, tracked, changes);
      }
      decided.push({ personId: p.id, regionCode: p.region_code, outcome: out });
    }

    const nextCursor = read;
    const row = await ctx.db.transaction().execute(async (trx) => {
      // First, in the same transaction: advance the cursor only while this process still holds
      // the job (on PostgreSQL this also locks the job's row against another runner).
      await control.progress(trx, { done: done + persons.length, state: { cursor: nextCursor, from, to } });
      const counted = await trx
        .updateTable('entitlement_runs')
        .set((eb) => ({
          persons_done: eb('persons_done', '+', persons.length),
          granted: eb('granted', '+', granted),
          changes: eb('changes', '+', changes.length),
        }))
        .where('id', '=', runId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await ctx.handle.insertMany(trx, 'decisions', decisions);
      // in the key's order: each item's rows of the batch go at the end of its range
      items.sort((a, b) => (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : a.person_id - b.person_id));
      await ctx.handle.insertMany(trx, 'decision_items', items);
      await ctx.handle.insertMany(trx, 'decision_changes', changes);
      await ctx.handle.insertMany(trx, 'decision_changes', toVerify);
      for (const sink of sinks) await sink.batch(trx, decided);
      return counted;
    });
    cursor = nextCursor;
    done += persons.length;
    published(row);
    if (last === null) break;
    // Let requests in between batches: the console stays responsive during a run.
    await new Promise((r) => setImmediate(r));
  }
}

/** A person's changes from `was` (last run) to `now`, of the tracked items. */
export function diff(runId: number, personId: number, region: string, was: Outcome, now: Outcome, tracked: Set<string>, out: ChangeRow[]): void {
  const change = (item: string, kind: ChangeRow['kind'], old: number | null, value: number | null): ChangeRow => ({
    run_id: runId,
    person_id: personId,
    region_code: region,
    item_id: item,
    kind,
    old_value: old,
    new_value: value,
    missing: null,
    handled_by: null,
    handled_at: null,
  });
  for (const id in now) {
    if (!tracked.has(id)) continue;
    if (!(id in was)) out.push(change(id, 'new', null, now[id]!));
    else if (was[id] !== now[id]) out.push(change(id, 'amount', was[id]!, now[id]!));
  }
  for (const id in was) if (tracked.has(id) && !(id in now)) out.push(change(id, 'ended', was[id]!, null));
}
