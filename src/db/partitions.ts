import { sql, type Kysely, type Transaction } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Monthly range partitions on PostgreSQL (docs/postgresql.md, "Partitioning"): a table partitioned
 * by RANGE on a text column holding an ISO instant or date or a 'YYYY-MM' period has one partition
 * per month, `<table>_pYYYYMM`, bounded FROM ('YYYY-MM') TO ('<next month>'), and a DEFAULT
 * partition `<table>_default` so that no insert ever fails for want of a partition. The column
 * is declared COLLATE "C" so that the bounds compare as bytes whatever the database's collation.
 * SQLite has no partitions: there every function here does nothing.
 */

/** 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The month an instant falls in (UTC), as 'YYYY-MM'. */
export function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

export const partitionName = (table: string, month: string) => `${table}_p${month.replace('-', '')}`;
export const defaultPartitionName = (table: string) => `${table}_default`;

/** Whether `table` is partitioned (PostgreSQL; never on SQLite). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema (migrations run before the typed one exists)
export async function isPartitioned(db: Kysely<any>, table: string): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') return false;
  const r = await sql<{ n: number }>`select count(*)::int as n from pg_partitioned_table where partrelid = to_regclass(${table})`.execute(db);
  return r.rows[0]!.n > 0;
}

/**
 * Makes sure `table` has a partition for each month and a DEFAULT partition; returns the
 * partitions created. Rows of such a month that went to the DEFAULT partition meanwhile are moved
 * into the new partition in the same transaction (with the session setting `yiyang.moving_rows`
 * on, which a table's delete guard lets through: the rows are put back at once). Runs in the
 * caller's transaction, or in one of its own; callers on several servers are serialised by an
 * advisory lock per schema and table. Nothing on SQLite or on a table that is not partitioned.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export async function ensureMonthPartitions(db: Kysely<any>, table: string, months: readonly string[]): Promise<string[]> {
  if (dialectOf(db) !== 'postgres') return [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const work = async (trx: Transaction<any> | Kysely<any>) => {
    if (!(await isPartitioned(trx, table))) return [];
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${'.' + table}))`.execute(trx);
    const created: string[] = [];
    const exists = async (name: string) => (await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(trx)).rows[0]!.r !== null;
    const def = defaultPartitionName(table);
    const hasDefault = await exists(def);
    for (const month of [...new Set(months)].sort()) {
      if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`partition month ${month}: expected YYYY-MM`);
      const name = partitionName(table, month);
      if (await exists(name)) continue;
      const lo = month;
      const hi = addMonths(month, 1);
      const key = sql.ref(await partitionKey(trx, table));
      const inMonth = sql`${key} >= ${sql.lit(lo)} and ${key} < ${sql.lit(hi)}`;
      const moving = hasDefault && (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(def)} where ${inMonth}`.execute(trx)).rows[0]!.n > 0;
      if (moving) {
        await sql`select set_config('yiyang.moving_rows', 'on', true)`.execute(trx);
        await sql`create temp table yiyang_moving_rows on commit drop as select * from ${sql.table(def)} where ${inMonth}`.execute(trx);
        await sql`delete from ${sql.table(def)} where ${inMonth}`.execute(trx);
      }
      await sql`create table ${sql.table(name)} partition of ${sql.table(table)} for values from (${sql.lit(lo)}) to (${sql.lit(hi)})`.execute(trx);
      if (moving) {
        await sql`insert into ${sql.table(table)} select * from yiyang_moving_rows`.execute(trx);
        await sql`drop table yiyang_moving_rows`.execute(trx);
        await sql`select set_config('yiyang.moving_rows', 'off', true)`.execute(trx);
      }
      created.push(name);
    }
    if (!hasDefault) {
      await sql`create table ${sql.table(def)} partition of ${sql.table(table)} default`.execute(trx);
      created.push(def);
    }
    return created;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** The (single) column a table is range-partitioned on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function partitionKey(db: Kysely<any>, table: string): Promise<string> {
  const r = await sql<{ col: string }>`select a.attname as col from pg_partitioned_table p
      join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
      where p.partrelid = to_regclass(${table})`.execute(db);
  if (r.rows.length !== 1) throw new Error(`${table} is not partitioned on one column`);
  return r.rows[0]!.col;
}

/** The current month and `ahead` months after it (UTC), for ensureMonthPartitions. */
export function monthsAhead(ahead: number, now: Date = new Date()): string[] {
  const first = monthOf(now);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(first, i));
}
