import type { ChangeKind } from './entitlements.schema.js';
import { sql } from 'kysely';
import type { DbHandle, Executor } from '../../db/database.js';
import { inIds } from '../../db/dialect.js';
import { FACT_COLUMNS, type FactSource } from '../catalogue/facts.js';
import type { RunRow } from '../../db/tables.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import * as register from '../register/people.js';

/** Person columns a run reads: the id and the columns the declared facts are loaded from. */
export const PERSON_COLUMNS = ['id', ...FACT_COLUMNS] as readonly string[];

// Rows come as arrays (no row objects from the driver); one object literal per person, generated
// from the column list, keeps every person the same shape: this read is a run's largest cost.
// a Function built from the declared column names only, never from input
const decodeRow = new Function('r', `return { ${PERSON_COLUMNS.map((c, i) => `${JSON.stringify(c)}: r[${i}]`).join(', ')} };`) as (r: unknown[]) => PersonFacts;

/**
 * The run's population, one batch after `cursor` in id order, read through the register: the
 * jurisdiction's people on the period's first day (register/people.ts PopulationPart; `moved`: the
 * region on that day of those who moved since, from regionsOn), and those closed (died, moved away)
 * on or after `floor`, so that their "no longer eligible" is recorded. A person who moved away
 * since is decided where they lived on the day. Runs cover the whole jurisdiction; they are
 * started by the bureau, not by a viewer. `last`: the last id read (the cursor moves past those
 * read and left out), null once the population is read to the end.
 */
export async function populationBatch(
  handle: DbHandle,
  cursor: number,
  floor: string,
  limit: number,
  part: register.PopulationPart,
  moved: ReadonlyMap<number, string>,
): Promise<{ persons: PersonFacts[]; last: number | null; read: number }> {
  const wereHere: number[] = [];
  for (const [id, r] of moved) if (register.partHolds(part, r)) wereHere.push(id);
  // the declared columns are checked against the table at start (register/sources/owned-columns.ts)
  const rows = await register.populationBatch(handle, PERSON_COLUMNS, cursor, floor, limit, part, wereHere);
  const persons: PersonFacts[] = [];
  for (let i = 0; i < rows.length; i++) {
    const p = decodeRow(rows[i]!);
    const then = moved.get(p.id);
    if (then !== undefined) {
      if (!register.partHolds(part, then)) continue;
      p.region_code = then;
    }
    persons.push(p);
  }
  const lastRead = rows.length ? (rows[rows.length - 1]![0] as number) : cursor;
  return { persons, last: rows.length === limit ? lastRead : null, read: lastRead };
}

export type PersonFacts = FactSource & { id: number; region_code: string };

export const populationByRegion = register.populationByRegion;
export const regionsOn = register.regionsOn;

/**
 * The previous run's decisions of the given persons (a batch's): by id, not by an id range, since a
 * part of a run holds one town's people and a person who moved between towns was decided in
 * another part last month.
 */
export async function previousDecisions(handle: DbHandle, runId: number, personIds: readonly number[]) {
  if (personIds.length === 0) return [];
  return handle.db
    .selectFrom('decisions')
    .select(['person_id', 'region_code', 'outcome'])
    .where('run_id', '=', runId)
    .where(inIds(handle.dialect, 'person_id', personIds))
    .execute();
}

/**
 * The previous run's decisions whose person this run did not decide: they left the population
 * altogether (closed before its floor, moved out of the jurisdiction), read at the run's end once
 * every part has committed, in person order after `after`.
 */
export function goneDecisions(db: Executor, runId: number, previousRunId: number, after: number, limit: number) {
  return db
    .selectFrom('decisions as p')
    .select(['p.person_id', 'p.region_code', 'p.outcome'])
    .where('p.run_id', '=', previousRunId)
    .where('p.person_id', '>', after)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('decisions as d').select('d.person_id').where('d.run_id', '=', runId).whereRef('d.person_id', '=', 'p.person_id'))),
    )
    .orderBy('p.person_id')
    .limit(limit)
    .execute();
}

export function getRun(db: Executor, id: number): Promise<RunRow | undefined> {
  return db.selectFrom('entitlement_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function runningRun(db: Executor, lockKey: string): Promise<RunRow | undefined> {
  return db.selectFrom('entitlement_runs').selectAll().where('lock_key', '=', lockKey).executeTakeFirst();
}

/** The run a new one is compared with: the latest finished run of the jurisdiction for a month before its period. */
export function previousRun(db: Executor, regionCode: string, period: string): Promise<RunRow | undefined> {
  return (
    db
      .selectFrom('entitlement_runs')
      .selectAll()
      .where('region_code', '=', regionCode)
      .where('status', '=', 'finished')
      // an earlier month: a re-run of this month compares with the same month before as its first run did
      .where('period', '<', period)
      .orderBy('period', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
  );
}

/** The last run started, in any jurisdiction (the command line reports it). */
export function latestRun(db: Executor): Promise<RunRow | undefined> {
  return db.selectFrom('entitlement_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** A jurisdiction's runs (its region code), newest first, whichever catalogue each ran. */
export function listRuns(db: Executor, regionCode: string, limit: number, offset: number) {
  return db.selectFrom('entitlement_runs').selectAll().where('region_code', '=', regionCode).orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

export async function countRuns(db: Executor, regionCode: string): Promise<number> {
  const r = await db
    .selectFrom('entitlement_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('region_code', '=', regionCode)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A person's decision in a run, if the viewer may see the person. */
export function decisionFor(db: Executor, scope: Scope, runId: number, personId: number) {
  return db
    .selectFrom('decisions')
    .selectAll()
    .where('run_id', '=', runId)
    .where('person_id', '=', personId)
    .where(inRegion(scope, 'decisions.region_code'))
    .executeTakeFirst();
}

export interface ChangeFilter {
  kind?: ChangeKind;
  itemId?: string;
  handled?: boolean;
}

/** The change list of a run within the viewer's region: the officers' work queue. */
export function changes(db: Executor, scope: Scope, runId: number, f: ChangeFilter) {
  let q = db.selectFrom('decision_changes').where('decision_changes.run_id', '=', runId).where(inRegion(scope, 'decision_changes.region_code'));
  if (f.kind) q = q.where('decision_changes.kind', '=', f.kind);
  if (f.itemId) q = q.where('decision_changes.item_id', '=', f.itemId);
  if (f.handled !== undefined) q = q.where('decision_changes.handled_at', f.handled ? 'is not' : 'is', null);
  return q;
}

/**
 * The rows to verify (待核实) of each run, over its whole jurisdiction: listed with the changes but
 * not counted in `changes` (they recur every month until resolved). The runs list shows them beside
 * the changes, as a run's header does (changeCounts), so the two add up to the change list.
 */
export async function verifyCounts(db: Executor, runIds: readonly number[]): Promise<Map<number, number>> {
  if (!runIds.length) return new Map();
  const rows = await db
    .selectFrom('decision_changes')
    .select(['run_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('run_id', 'in', runIds)
    .where('kind', '=', 'verify')
    .groupBy('run_id')
    .execute();
  return new Map(rows.map((r) => [r.run_id, Number(r.n)]));
}

export async function changeCounts(db: Executor, scope: Scope, runId: number) {
  const rows = await db
    .selectFrom('decision_changes')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n'), sql<number>`sum(case when handled_at is null then 0 else 1 end)`.as('handled')])
    .where('run_id', '=', runId)
    .where(inRegion(scope, 'decision_changes.region_code'))
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n), handled: Number(r.handled ?? 0) }));
}
