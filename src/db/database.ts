import SQLite from 'better-sqlite3';
import pg from 'pg';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Database } from './tables.js';
import { guardDriver, guardTransactions } from './guard.js';

export type Db = Kysely<Database>;
/** Either the database or an open transaction: repository functions accept both. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type DialectName = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: DialectName;
  /**
   * Inserts many rows into a table inside the caller's open transaction. SQLite: one cached
   * prepared single-row statement on the same connection (the transaction's), 2-3x faster than
   * compiling multi-row statements; PostgreSQL: multi-row inserts within the parameter limit.
   */
  insertMany<T extends keyof Database & string>(trx: Executor, table: T, rows: Insertable<Database[T]>[]): Promise<void>;
  /**
   * Updates many rows by id inside the caller's open transaction, each with its own columns (an
   * import's patches), leaving what the same UPDATEs one by one in order would. SQLite: a cached
   * prepared statement per set of columns; PostgreSQL: one UPDATE … FROM json_populate_recordset
   * per set of columns and chunk, instead of a round trip per row.
   */
  updateMany<T extends keyof Database & string>(trx: Executor, table: T, rows: ({ id: number } & Updateable<Database[T]>)[]): Promise<void>;
  /**
   * Runs a compiled read and returns its rows as arrays in the order of its select list. Bulk
   * readers (an entitlement run reads every person) use it: SQLite builds no row objects for it.
   */
  selectArrays(query: CompiledQuery): Promise<unknown[][]>;
  /**
   * Loads many rows (objects with the same keys) into a table outside any transaction, committed
   * when it resolves: PostgreSQL's COPY (its bulk path; one statement, no bound parameters),
   * SQLite's multi-row inserts in one transaction. A staging table's writer uses it.
   */
  load(table: string, rows: Record<string, unknown>[]): Promise<void>;
  /** The raw better-sqlite3 handle (SQLite only): online backup uses it. */
  sqlite?: SQLite.Database;
  /** PostgreSQL schema the connection is confined to, if any */
  schema?: string;
  close(): Promise<void>;
}

/** Both dialects refuse a root-handle query from inside an open transaction (see guard.ts). */
class GuardedSqliteDialect extends SqliteDialect {
  override createDriver() {
    return guardDriver(super.createDriver());
  }
}
class GuardedPostgresDialect extends PostgresDialect {
  override createDriver() {
    return guardDriver(super.createDriver());
  }
}

/**
 * updateMany's rows as one patch an id (a later patch of the same id over an earlier one), grouped
 * by their set of columns.
 */
function patchesByColumns(rows: Record<string, unknown>[]): Map<string, { cols: string[]; rows: Record<string, unknown>[] }> {
  const byId = new Map<number, Record<string, unknown>>();
  for (const row of rows) {
    const id = row.id;
    if (typeof id !== 'number') throw new Error('updateMany: every row needs its numeric id');
    const prev = byId.get(id);
    byId.set(id, prev ? Object.assign(prev, row) : { ...row });
  }
  const groups = new Map<string, { cols: string[]; rows: Record<string, unknown>[] }>();
  for (const row of byId.values()) {
    const cols = Object.keys(row)
      .filter((c) => c !== 'id' && row[c] !== undefined)
      .sort();
    if (!cols.length) continue;
    const key = cols.join(',');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cols, rows: [] }));
    g.rows.push(row);
  }
  return groups;
}

/** Whether a row has exactly these columns, in this order. */
function sameKeys(row: object, cols: string[]): boolean {
  const keys = Object.keys(row);
  if (keys.length !== cols.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== cols[i]) return false;
  return true;
}

/** chmod 0600 the database file and its -wal/-shm companions where they exist. */
export function privateFiles(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      chmodSync(p, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

// PostgreSQL returns int8 (count(*), sums) as strings; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/** `cacheMb`: SQLite's page cache; large imports insert into random-key indexes, which want it to hold them. */
export function openSqlite(path: string, cacheMb = 256): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(path);
  // personal data: the file is the owner's alone. Set before WAL mode, whose -wal and -shm files
  // SQLite creates with the database file's mode; older installs' files are tightened here too.
  if (path !== ':memory:') privateFiles(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma(`cache_size = -${cacheMb * 1024}`);
  if (path !== ':memory:') privateFiles(path);
  const db = guardTransactions(new Kysely<Database>({ dialect: new GuardedSqliteDialect({ database: sqlite }) }));
  const statements = new Map<string, SQLite.Statement>();
  const insertMany: DbHandle['insertMany'] = async (_trx, table, rows) => {
    if (rows.length === 0) return;
    if (!sqlite.inTransaction) throw new Error('insertMany runs inside a transaction');
    // Rows may leave out columns that have defaults: each run of rows with the same columns is
    // written by statements of up to ~500 values (many rows a statement: far fewer calls into SQLite).
    let i = 0;
    while (i < rows.length) {
      const cols = Object.keys(rows[i]!);
      let j = i + 1;
      while (j < rows.length && sameKeys(rows[j]!, cols)) j++;
      const chunk = Math.max(1, Math.floor(500 / cols.length));
      for (let k = i; k < j; k += chunk) {
        const n = Math.min(chunk, j - k);
        const key = `${table}(${cols.join(',')})x${n}`;
        let stmt = statements.get(key);
        if (!stmt) {
          const one = `(${cols.map(() => '?').join(',')})`;
          stmt = sqlite.prepare(
            `insert into ${quoteName(table)} (${cols.map((c) => `"${c}"`).join(',')}) values ${Array.from({ length: n }, () => one).join(',')}`,
          );
          statements.set(key, stmt);
        }
        const params: unknown[] = new Array(n * cols.length);
        let p = 0;
        for (let r = k; r < k + n; r++) {
          const row = rows[r] as Record<string, unknown>;
          for (const c of cols) params[p++] = row[c];
        }
        stmt.run(params);
      }
      i = j;
    }
  };
  const updateMany: DbHandle['updateMany'] = async (_trx, table, rows) => {
    if (rows.length === 0) return;
    if (!sqlite.inTransaction) throw new Error('updateMany runs inside a transaction');
    for (const { cols, rows: group } of patchesByColumns(rows as Record<string, unknown>[]).values()) {
      const key = `update ${table}(${cols.join(',')})`;
      let stmt = statements.get(key);
      if (!stmt) {
        stmt = sqlite.prepare(`update ${quoteName(table)} set ${cols.map((c) => `"${c}" = ?`).join(', ')} where id = ?`);
        statements.set(key, stmt);
      }
      for (const row of group) stmt.run([...cols.map((c) => row[c]), row.id]);
    }
  };
  const selectArrays: DbHandle['selectArrays'] = async (query) => {
    let stmt = statements.get(query.sql);
    if (!stmt) {
      stmt = sqlite.prepare(query.sql).raw(true);
      statements.set(query.sql, stmt);
    }
    return stmt.all(...(query.parameters as unknown[])) as unknown[][];
  };
  // a table of the moment (an import's staging table) is not in the typed schema: same statements
  const load: DbHandle['load'] = (table, rows) => db.transaction().execute((trx) => insertMany(trx, table as keyof Database, rows as never[]));
  return { db, dialect: 'sqlite', sqlite, insertMany, updateMany, selectArrays, load, close: () => db.destroy() };
}

export function openPostgres(connectionString: string, searchPath?: string): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  });
  const db = guardTransactions(new Kysely<Database>({ dialect: new GuardedPostgresDialect({ pool }) }));
  const insertMany: DbHandle['insertMany'] = async (trx, table, rows) => {
    if (rows.length === 0) return;
    // stay below PostgreSQL's 65,535 bound parameters
    const per = Math.max(1, Math.floor(60_000 / Object.keys(rows[0]!).length));
    for (let i = 0; i < rows.length; i += per) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table is generic here; rows are typed by the caller
      const batch = rows.slice(i, i + per) as any;
      await trx.insertInto(table).values(batch).execute();
    }
  };
  const updateMany: DbHandle['updateMany'] = async (trx, table, rows) => {
    for (const { cols, rows: group } of patchesByColumns(rows as Record<string, unknown>[]).values()) {
      // the table's own row type converts each JSON value to its column's type
      const set = sql.raw(cols.map((c) => `"${c}" = r."${c}"`).join(', '));
      const name = sql.raw(quoteName(table));
      for (let i = 0; i < group.length; i += UPDATE_CHUNK) {
        const json = JSON.stringify(group.slice(i, i + UPDATE_CHUNK));
        await sql`update ${name} as t set ${set} from json_populate_recordset(null::${name}, ${json}::json) as r where t.id = r.id`.execute(trx);
      }
    }
  };
  const selectArrays: DbHandle['selectArrays'] = async (query) => (await db.executeQuery<Record<string, unknown>>(query)).rows.map((r) => Object.values(r));
  const load: DbHandle['load'] = async (table, rows) => {
    if (rows.length === 0) return;
    const cols = Object.keys(rows[0]!);
    const client = await pool.connect();
    try {
      const copy = client.query(copyFrom(`COPY ${quoteName(table)} (${cols.map((c) => `"${c}"`).join(',')}) FROM STDIN`));
      await pipeline(Readable.from(copyLines(rows, cols)), copy);
    } finally {
      client.release();
    }
  };
  return { db, dialect: 'postgres', schema: searchPath, insertMany, updateMany, selectArrays, load, close: () => db.destroy() };
}

/** Rows an UPDATE … FROM json_populate_recordset takes at once (one JSON parameter of ~1-2 MB for persons). */
const UPDATE_CHUNK = 2000;

/** A table's name quoted for SQL, `schema.table` as two names. */
const quoteName = (name: string) =>
  name
    .split('.')
    .map((n) => `"${n}"`)
    .join('.');

/** One value in COPY's text format: \N for null; backslash, tab, newline and carriage return escaped. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/** Rows as COPY text lines, a few hundred to a chunk. */
function* copyLines(rows: Record<string, unknown>[], cols: string[]): Generator<string> {
  let chunk = '';
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    chunk += cols.map((c) => copyValue(row[c])).join('\t') + '\n';
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

export function openDatabase(opts: { databaseUrl?: string; databaseSchema?: string; sqlitePath: string; sqliteCacheMb: number }): DbHandle {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.databaseSchema) : openSqlite(opts.sqlitePath, opts.sqliteCacheMb);
}
