import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DialectName } from './database.js';

/**
 * The few places where SQLite and PostgreSQL must be written differently. Modules call these
 * helpers instead of branching on the dialect themselves.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema
export function dialectOf(db: Kysely<any>): DialectName {
  const name = db.getExecutor().adapter.constructor.name;
  return name.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

/** An auto-incrementing integer primary key. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withId<T extends string>(db: Kysely<any>, tb: CreateTableBuilder<T, never>, column = 'id') {
  return dialectOf(db) === 'postgres'
    ? tb.addColumn(column, 'serial', (c) => c.primaryKey())
    : tb.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Makes a table refuse UPDATE and DELETE at the database level (append-only). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function makeAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`CREATE OR REPLACE FUNCTION yiyang_append_only() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'append-only table: % refused', TG_OP; END; $$ LANGUAGE plpgsql`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(table + '_append_only')} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION yiyang_append_only()`.execute(db);
  } else {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql`CREATE TRIGGER ${sql.raw(`${table}_no_${op.toLowerCase()}`)} BEFORE ${sql.raw(op)} ON ${sql.table(table)}
        BEGIN SELECT RAISE(ABORT, ${sql.lit(`append-only table: ${op} refused`)}); END`.execute(db);
    }
  }
}

/**
 * `column` among many integer ids, as one parameter: an IN list of a province's ids would pass the
 * databases' parameter limits (SQLite json_each, PostgreSQL an int array).
 */
export function inIds(dialect: DialectName, column: string, ids: readonly number[]) {
  return dialect === 'sqlite'
    ? sql<boolean>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(ids)}))`
    : sql<boolean>`${sql.ref(column)} = any(${`{${ids.join(',')}}`}::int[])`;
}

/** Case-sensitive prefix range on a text column: `col >= p AND col < p || U+FFFF`. */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\uffff';
}

/** Removes what makeAppendOnly added (only for a rewrite that re-adds it in the same transaction). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function dropAppendOnly(db: Kysely<any>, table: string): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(table + '_append_only')} ON ${sql.table(table)}`.execute(db);
  } else {
    for (const op of ['update', 'delete']) await sql`DROP TRIGGER IF EXISTS ${sql.raw(`${table}_no_${op}`)}`.execute(db);
  }
}
