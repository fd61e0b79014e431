import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { dialectOf } from './dialect.js';

/**
 * Partitions on PostgreSQL (docs/postgresql.md, "Partitioning the verified events" and "Partitioning
 * the decisions by run"). Two shapes:
 * - monthly range partitions: a table partitioned by RANGE on a text column holding an ISO instant
 *   or date or a 'YYYY-MM' period has one partition per month, `<table>_pYYYYMM`, bounded FROM
 *   ('YYYY-MM') TO ('<next month>'). The column is declared COLLATE "C" so that the bounds compare
 *   as bytes whatever the database's collation;
 * - list partitions of one integer value each (a run's decisions), named by the caller.
 * Either has a DEFAULT partition `<table>_default`, so that no insert ever fails for want of a
 * partition. SQLite has no partitions: there every function here does nothing.
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
 * partitions created (see ensurePartitions). Nothing on SQLite or on a table that is not
 * partitioned.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export async function ensureMonthPartitions(db: Kysely<any>, table: string, months: readonly string[]): Promise<string[]> {
  for (const month of months) if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`partition month ${month}: expected YYYY-MM`);
  return ensurePartitions(db, table, async (trx) => {
    const key = sql.ref(await partitionKey(trx, table));
    return [...new Set(months)].sort().map((month) => ({
      name: partitionName(table, month),
      bound: sql`for values from (${sql.lit(month)}) to (${sql.lit(addMonths(month, 1))})`,
      holds: sql`${key} >= ${sql.lit(month)} and ${key} < ${sql.lit(addMonths(month, 1))}`,
    }));
  });
}

/** A partition of a LIST-partitioned table holding one value of its key. */
export interface ListPartition {
  value: number;
  name: string;
  /** what a DBA reads in `\d+` (COMMENT ON TABLE) */
  comment?: string;
}

/**
 * Makes sure a table partitioned by LIST on an integer column has a partition for each value and
 * a DEFAULT partition; returns the partitions created (see ensurePartitions). Nothing on SQLite or
 * on a table that is not partitioned.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export async function ensureListPartitions(db: Kysely<any>, table: string, parts: readonly ListPartition[]): Promise<string[]> {
  for (const p of parts) if (!Number.isSafeInteger(p.value)) throw new Error(`partition value ${p.value}: expected an integer`);
  return ensurePartitions(db, table, async (trx) => {
    const key = sql.ref(await partitionKey(trx, table));
    return parts.map((p) => ({ name: p.name, bound: sql`for values in (${sql.lit(p.value)})`, holds: sql`${key} = ${sql.lit(p.value)}`, comment: p.comment }));
  });
}

interface PartitionPlan {
  name: string;
  /** `for values …` */
  bound: RawBuilder<unknown>;
  /** the condition on the partition key that the partition's rows meet */
  holds: RawBuilder<unknown>;
  comment?: string;
}

/**
 * Makes the planned partitions of `table` that do not exist yet, and its DEFAULT partition if it
 * has none; returns the partitions created. Each is made as a table of its own and attached
 * (ATTACH PARTITION locks the parent in SHARE UPDATE EXCLUSIVE mode, which inserts and reads of the
 * other partitions do not wait for; CREATE TABLE … PARTITION OF would lock the parent exclusively
 * and wait for every open transaction writing to it). Rows of the new partition that went to the
 * DEFAULT partition meanwhile are moved into it in the same transaction, with the session setting
 * `yiyang.moving_rows` on, which a table's delete guard lets through (the rows are put back at
 * once). Runs in the caller's transaction, or in one of its own; callers on several servers are
 * serialised by an advisory lock per schema and table, taken only when a partition is missing.
 */
async function ensurePartitions(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
  db: Kysely<any>,
  table: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  plan: (trx: Kysely<any>) => Promise<PartitionPlan[]>,
): Promise<string[]> {
  if (dialectOf(db) !== 'postgres') return [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const exists = async (trx: Kysely<any>, name: string) =>
    (await sql<{ r: string | null }>`select to_regclass(${name})::text as r`.execute(trx)).rows[0]!.r !== null;
  const def = defaultPartitionName(table);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const missing = async (trx: Kysely<any>) => {
    const out: PartitionPlan[] = [];
    for (const p of await plan(trx)) if (!(await exists(trx, p.name))) out.push(p);
    return out;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const work = async (trx: Transaction<any> | Kysely<any>) => {
    if (!(await isPartitioned(trx, table))) return [];
    // the common case, every partition there: no lock taken
    if ((await exists(trx, def)) && (await missing(trx)).length === 0) return [];
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${'.' + table}))`.execute(trx);
    const created: string[] = [];
    const hasDefault = await exists(trx, def);
    for (const p of await missing(trx)) {
      await sql`create table ${sql.table(p.name)} (like ${sql.table(table)} including defaults including constraints including storage)`.execute(trx);
      const moving = hasDefault && (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(def)} where ${p.holds}`.execute(trx)).rows[0]!.n > 0;
      if (moving) {
        await sql`insert into ${sql.table(p.name)} select * from ${sql.table(def)} where ${p.holds}`.execute(trx);
        await sql`select set_config('yiyang.moving_rows', 'on', true)`.execute(trx);
        await sql`delete from ${sql.table(def)} where ${p.holds}`.execute(trx);
        await sql`select set_config('yiyang.moving_rows', 'off', true)`.execute(trx);
      }
      await sql`alter table ${sql.table(table)} attach partition ${sql.table(p.name)} ${p.bound}`.execute(trx);
      if (p.comment) await sql`comment on table ${sql.table(p.name)} is ${sql.lit(p.comment)}`.execute(trx);
      created.push(p.name);
    }
    if (!hasDefault) {
      await sql`create table ${sql.table(def)} partition of ${sql.table(table)} default`.execute(trx);
      created.push(def);
    }
    return created;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** The (single) column a table is partitioned on. */
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
