import { sql } from 'kysely';
import type { Executor } from './database.js';
import { dialectOf } from './dialect.js';

/**
 * PostgreSQL plans each query by the statistics of its tables, and a table written in bulk (an
 * import, a run's partition, a restore) has none or old ones until autovacuum analyses it: a minute
 * later at best, never where autovacuum is off (as on the machine the benchmarks ran on). Without
 * them a batch read by a list of ids, `id = any($1)`, is planned as if every row matched: on a
 * 1,000,000-elder register each batch of a run read a town's whole slice of `persons` and the whole
 * previous run's partition of `decisions` (45,000 and 37,000 pages, 180-280 ms) where an index read
 * 5,000 rows (6-13 ms), and runs A / B took 78 / 121 s instead of 36 / 40 s (bench/README.md,
 * issue 21).
 *
 * So this is called where bulk writes are read next: at a run's start (the register, the previous
 * run's partitions) and at an import's end (the register, vacuumed too: vacuumTables). Each of
 * `tables` (plain tables or partitions; a missing one is skipped) is analysed if it was never
 * analysed or if it grew by more than a tenth since: its pages on disk against those the statistics counted (an update in place
 * grows a table too, by the rows' new versions). Read from the catalogue, not from the activity
 * counters (n_mod_since_analyze): a writer reports those up to seconds after its commit, so they
 * still grow after an ANALYZE that has seen the rows. Two processes asking at once: one analyses,
 * the other goes on (a transaction-level advisory lock on the table's oid). Nothing on SQLite, whose
 * queries name their index where the choice matters. Returns the tables analysed.
 */
export async function freshenStatistics(db: Executor, tables: readonly string[], opts: { vacuum?: boolean } = {}): Promise<string[]> {
  if (tables.length === 0 || dialectOf(db) !== 'postgres') return [];
  if (opts.vacuum && !db.isTransaction) return vacuumTables(db, tables);
  const analysed: string[] = [];
  for (const table of tables) {
    const work = async (trx: Executor) => {
      const got = await sql<{ ok: boolean | null }>`select pg_try_advisory_xact_lock(${LOCK_CLASS}, ${lockKey(table)}) as ok`.execute(trx);
      if (!got.rows[0]?.ok || !(await staleness(trx, table)).stale) return false;
      await sql`analyze ${sql.table(table)}`.execute(trx);
      return true;
    };
    // in a caller's transaction, its lock is held to the caller's end
    if (await (db.isTransaction ? work(db) : db.transaction().execute(work))) analysed.push(table);
  }
  return analysed;
}

/**
 * `{ vacuum: true }` (an import's end: it updated its rows in place): VACUUM (ANALYZE) those of the
 * tables whose statistics are stale or whose pages are less than half marked all-visible. A count
 * or a page of ids read from a covering index (the register's searches) visits the table for every
 * row on a page not so marked: on a 1,000,000-elder register just imported, never vacuumed, the
 * county's surname count read 53,000 rows from the table (p50 308 ms). VACUUM runs outside a
 * transaction, so the lock is a session one on one connection, released after.
 */
async function vacuumTables(db: Executor, tables: readonly string[]): Promise<string[]> {
  const vacuumed: string[] = [];
  for (const table of tables)
    await db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean | null }>`select pg_try_advisory_lock(${LOCK_CLASS}, ${lockKey(table)}) as ok`.execute(conn);
      if (!got.rows[0]?.ok) return;
      try {
        const s = await staleness(conn, table);
        if (!s.stale && s.allVisible >= 0.5 * s.pages) return;
        await sql`vacuum (analyze) ${sql.table(table)}`.execute(conn);
        vacuumed.push(table);
      } finally {
        await sql`select pg_advisory_unlock(${LOCK_CLASS}, ${lockKey(table)})`.execute(conn);
      }
    });
  return vacuumed;
}

// the locks are keyed by the table itself (its oid), not its name: schemas of the same database do not wait on each other
const LOCK_CLASS = sql<number>`hashtext('yiyang.analyze')`;
const lockKey = (table: string) => sql<number>`(to_regclass(${table})::oid::bigint % 2147483647)::int`;

/** Whether a table's statistics are missing or stale (freshenStatistics), and its pages now and all-visible; not stale if there is no such table. */
async function staleness(db: Executor, table: string): Promise<{ stale: boolean; pages: number; allVisible: number }> {
  const r = await sql<{ tuples: number; pages: number; now_pages: number; all_visible: number }>`
    select c.reltuples::float8 as tuples, c.relpages as pages, c.relallvisible as all_visible,
           (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as now_pages
      from pg_class c where c.oid = to_regclass(${table})`.execute(db);
  const row = r.rows[0];
  if (!row) return { stale: false, pages: 0, allVisible: 0 };
  // never analysed (nor vacuumed): stale once it holds a page
  const stale = row.tuples < 0 ? row.now_pages > 0 : row.now_pages > row.pages * 1.1 + 8;
  return { stale, pages: row.now_pages, allVisible: row.all_visible };
}
