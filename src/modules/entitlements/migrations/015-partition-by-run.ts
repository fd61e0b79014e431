import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect.js';
import { ensureListPartitions } from '../../../db/partitions.js';
import { runPartitionName } from '../partitions.js';

/**
 * PostgreSQL only: `decisions` and `decision_items` become tables partitioned by LIST (run_id), a
 * partition per run and a DEFAULT one, their rows moved in this migration's transaction
 * (docs/postgresql.md, "Partitioning the decisions by run"). SQLite keeps the tables as they are.
 *
 * Their keys, (run_id, person_id) and (run_id, item_id, person_id), already hold the partition
 * key and keep their names; every read names its run (plan-time pruning to one partition). No
 * foreign key refers to either table or from them, so none is dropped and no trigger replaces one.
 * The tables' columns are copied from the tables themselves (LIKE), not restated here.
 *
 * `decision_changes` stays one table: it grows with the changes between two runs (a few in a
 * hundred persons a month), not with persons × runs; officers tick its rows by id, and its
 * unique id could not stay a key of its own on a partitioned table (a key must hold run_id).
 *
 * A partition for every run recorded, and for any run id found in the rows without a run (kept
 * whole, nothing dropped). Each new partition locks a few relations until the end of the
 * transaction (the table, its TOAST table and index, its key's index): a database with more than
 * about a thousand runs needs max_locks_per_transaction raised for this migration (the error's
 * hint says so; nothing is changed until it passes). Recorded as 'entitlements/015-partition-by-run'.
 */
const TABLES = [
  { table: 'decisions', key: 'decisions_pk', columns: ['run_id', 'person_id'] },
  { table: 'decision_items', key: 'decision_items_pk', columns: ['run_id', 'item_id', 'person_id'] },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  const runs = await sql<{ id: number; label: string | null }>`select id, max(label) as label from (
        select id, 'run ' || id || ': ' || region_code || ' ' || period as label from entitlement_runs
        union all select distinct run_id, null from decisions
        union all select distinct run_id, null from decision_items) r
      group by id order by id`.execute(db);
  for (const { table, key, columns } of TABLES) {
    const old = `${table}_unpartitioned`;
    await sql`alter table ${sql.table(table)} rename to ${sql.table(old)}`.execute(db);
    await sql`create table ${sql.table(table)} (like ${sql.table(old)} including defaults including constraints including storage)
        partition by list (run_id)`.execute(db);
    await ensureListPartitions(
      db,
      table,
      runs.rows.map((r) => ({ value: r.id, name: runPartitionName(table, r.id), comment: r.label ?? `run ${r.id}` })),
    );
    await sql`insert into ${sql.table(table)} select * from ${sql.table(old)}`.execute(db);
    await sql`drop table ${sql.table(old)}`.execute(db);
    // built after the rows are in: one sorted build per partition, not an insert per row
    await sql`alter table ${sql.table(table)} add constraint ${sql.id(key)} primary key (${sql.join(columns.map((c) => sql.id(c)))})`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The partition-by-run migration cannot be reverted: decisions are records.');
}
