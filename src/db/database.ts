import SQLite from 'better-sqlite3';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;
/** Either the database or an open transaction: repository functions accept both. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: DialectName;
  /** The raw better-sqlite3 handle (SQLite only): online backup uses it. */
  sqlite?: SQLite.Database;
  /** PostgreSQL schema the connection is confined to, if any */
  schema?: string;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (count(*), sums) as strings; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function openSqlite(path: string): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

export function openPostgres(connectionString: string, searchPath?: string): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', schema: searchPath, close: () => db.destroy() };
}

export function openDatabase(opts: { databaseUrl?: string; sqlitePath: string }): DbHandle {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(opts.sqlitePath);
}
