import type { Transaction } from 'kysely';
import type { Database, RunRow } from '../../db/tables.js';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { Catalogue } from '../catalogue/catalogue.loader.js';
import type { Outcome } from '../catalogue/engine.js';

/**
 * Derived work of an entitlement run. The run hands each batch's decisions to every registered
 * sink inside the batch's transaction, so what a sink writes commits (or, after a crash, is redone)
 * with the decisions it derives from, and a resumed run ends with the same derived rows. Payment
 * rolls are the first sink (rolls.sink.ts); visit plans and service entitlements register theirs
 * the same way, from their own modules.
 */
export interface DecidedPerson {
  personId: number;
  regionCode: string;
  outcome: Outcome;
}

export interface RunSink {
  /** one batch's decisions, in the batch's transaction */
  batch(trx: Transaction<Database>, decided: readonly DecidedPerson[]): Promise<void>;
  /** the run's end, in its closing transaction; what it returns goes into the run's audit entry */
  finish?(trx: Transaction<Database>): Promise<Record<string, unknown>>;
}

/** Opens a sink for one execution of a run (a resumed run opens it again). */
export type RunSinkFactory = (ctx: AppContext, run: RunRow, cat: Catalogue) => Promise<RunSink>;

const sinks = new Map<string, RunSinkFactory>();

/** Registers a sink by name (registering a name again replaces it). */
export function registerRunSink(name: string, open: RunSinkFactory): void {
  sinks.set(name, open);
}

export async function openRunSinks(ctx: AppContext, run: RunRow, cat: Catalogue): Promise<RunSink[]> {
  const out: RunSink[] = [];
  for (const open of sinks.values()) out.push(await open(ctx, run, cat));
  return out;
}

/**
 * The other runs of a run's jurisdiction and month (a sink replaces what they derived, and only
 * that: a city's run over its counties' people leaves the counties' runs' rows alone).
 */
export async function sameMonthRuns(db: Executor, run: Pick<RunRow, 'id' | 'region_code' | 'period'>): Promise<number[]> {
  const rows = await db
    .selectFrom('entitlement_runs')
    .select('id')
    .where('region_code', '=', run.region_code)
    .where('period', '=', run.period)
    .where('id', '!=', run.id)
    .execute();
  return rows.map((r) => r.id);
}
