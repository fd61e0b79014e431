import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import { defaultPartitionName, ensureListPartitions, isPartitioned } from '../../db/partitions.js';
import type { RunRow } from '../../db/tables.js';
import { defineDaily } from '../../platform/daily.js';

/**
 * On PostgreSQL a run's decisions and its per-item rows are partitioned by run
 * (migrations/015-partition-by-run; docs/postgresql.md, "Partitioning the decisions by run"): a
 * partition of each table per run, `decisions_r<id>` and `decision_items_r<id>`, made in the
 * transaction that creates the run, so that its batches append to indexes of its own and a year
 * of a county is detached run by run. A row of a run without a partition (a run started by a
 * server of the version before, during a rolling upgrade) lands in the DEFAULT partition and moves
 * into its run's partition when that is made: when the run is worked on again, at start and daily.
 * `decision_changes` is not partitioned (see the migration). Nothing on SQLite.
 */
export const RUN_PARTITIONED = ['decisions', 'decision_items'] as const;

/** A run's partition of a table: part of the schema, never renamed (the migration made the first ones). */
export const runPartitionName = (table: string, runId: number) => `${table}_r${runId}`;

type RunKey = Pick<RunRow, 'id' | 'region_code' | 'period'>;

/** Makes the partitions of these runs that do not exist yet; returns those created. */
export async function ensureRunPartitions(db: Executor, runs: readonly RunKey[]): Promise<string[]> {
  if (runs.length === 0 || dialectOf(db) !== 'postgres') return [];
  const work = async (trx: Executor) => {
    const created: string[] = [];
    // always in this order: two callers lock the tables one after the other, never crosswise
    for (const table of RUN_PARTITIONED)
      created.push(
        ...(await ensureListPartitions(
          trx,
          table,
          runs.map((r) => ({ value: r.id, name: runPartitionName(table, r.id), comment: `run ${r.id}: ${r.region_code} ${r.period}` })),
        )),
      );
    return created;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * The runs with rows in a DEFAULT partition get their partitions, and their rows move there. The
 * DEFAULT partitions hold nothing but such strays, so reading them whole is cheap.
 */
export async function movePartitionlessRuns(db: Executor): Promise<string[]> {
  if (!(await isPartitioned(db, 'decisions'))) return [];
  const strays = RUN_PARTITIONED.map((t) => sql`select run_id from ${sql.table(defaultPartitionName(t))}`);
  const runs = await db
    .selectFrom('entitlement_runs')
    .select(['id', 'region_code', 'period'])
    .where('id', 'in', sql<number>`(${sql.join(strays, sql` union `)})`)
    .orderBy('id')
    .execute();
  return ensureRunPartitions(db, runs);
}

defineDaily({
  name: 'decision-partitions',
  run: async (ctx) => {
    await movePartitionlessRuns(ctx.db);
  },
});
