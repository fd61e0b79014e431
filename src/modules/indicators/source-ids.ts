import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';

/**
 * Helpers for the capabilities' indicator sources (<module>/indicator-persons.ts): a source's query
 * returns one column of ids (or id and region), read as arrays, never as row objects (SQLite:
 * better-sqlite3's raw mode on the same connection, so inside the refresh's transaction too), and
 * an `only` list is read in chunks under the bound-variable limits.
 */

/**
 * Ids per chunk of an `only` list: under the bound parameters a statement may have (SQLite since
 * 3.32: 32,766; PostgreSQL: 65,535), with room for the query's own — a day's changes at a county's
 * million elders (~30,000 persons) in one or two statements per source, not 35.
 */
export const ONLY_CHUNK = 30_000;

/** Rows of a one- or two-column select as arrays, in the select list's order. */
export async function selectArrays(ctx: AppContext, db: Executor, query: Compilable | CompiledQuery): Promise<unknown[][]> {
  const compiled = 'compile' in query ? query.compile() : query;
  if (ctx.dialect === 'sqlite') return ctx.handle.selectArrays(compiled);
  // PostgreSQL: through the executor given (the refresh's transaction), not the root handle
  const res = await db.executeQuery<Record<string, unknown>>(compiled);
  return res.rows.map((r) => Object.values(r));
}

/** Prepared single-column statements in pluck mode, per SQLite connection and SQL text. */
const plucked = new WeakMap<object, Map<string, { all(...params: unknown[]): unknown[] }>>();

/** The first column of a select, as numbers (ids). */
export async function selectIds(ctx: AppContext, db: Executor, query: Compilable | CompiledQuery): Promise<number[]> {
  const sqlite = ctx.dialect === 'sqlite' ? ctx.handle.sqlite : undefined;
  if (sqlite) {
    // SQLite: the values themselves (pluck), not an array per row — a million ids in a few tens of ms
    const compiled = 'compile' in query ? query.compile() : query;
    let cache = plucked.get(sqlite);
    if (!cache) plucked.set(sqlite, (cache = new Map()));
    let stmt = cache.get(compiled.sql);
    if (!stmt) {
      if (cache.size >= 500) cache.clear(); // an `only` chunk's SQL varies with its length
      cache.set(compiled.sql, (stmt = sqlite.prepare(compiled.sql).pluck(true)));
    }
    return stmt.all(...(compiled.parameters as unknown[])) as number[];
  }
  const rows = await selectArrays(ctx, db, query);
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = Number(rows[i]![0]);
  return out;
}

/** Runs `read` over `only` in chunks (without `only`: once, over everyone) and concatenates the answers. */
export async function overIds<T>(only: readonly number[] | undefined, read: (chunk: readonly number[] | undefined) => Promise<T[]>): Promise<T[]> {
  if (only === undefined) return read(undefined);
  const out: T[] = [];
  for (let i = 0; i < only.length; i += ONLY_CHUNK) {
    const part = await read(only.slice(i, i + ONLY_CHUNK));
    for (const x of part) out.push(x);
  }
  return out;
}

/** Sorted distinct ids of several lists (a changedSince's union). */
export function unionIds(...lists: readonly (readonly number[])[]): number[] {
  const set = new Set<number>();
  for (const l of lists) for (const id of l) set.add(id);
  return [...set].sort((a, b) => a - b);
}

/** A civil date `days` days after (before, negative) another. */
export function addDays(on: string, days: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
