import { sql } from 'kysely';
import type { Executor } from '../../../db/database.js';
import type { Database, ImportRow } from '../../../db/tables.js';
import { inRegion, type Scope } from '../../../platform/scope.js';
import type { RowError } from './row-parser.js';

export type NewImport = Omit<Database['imports'], 'id'>;

export async function createImport(db: Executor, row: NewImport): Promise<number> {
  const r = await db.insertInto('imports').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateImport(db: Executor, id: number, patch: Partial<NewImport>): Promise<void> {
  await db.updateTable('imports').set(patch).where('id', '=', id).execute();
}

export async function insertImportErrors(db: Executor, importId: number, errors: RowError[]): Promise<void> {
  for (let i = 0; i < errors.length; i += 500) {
    await db.insertInto('import_errors').values(errors.slice(i, i + 500).map((e) => ({
      import_id: importId, row_no: e.row, column_name: e.column, value: e.value, reason: e.reason, code: e.code,
    }))).execute();
  }
}

/** Imports are visible to viewers whose region contains the importer's region. */
export async function findImport(db: Executor, scope: Scope, id: number): Promise<ImportRow | undefined> {
  return db.selectFrom('imports').selectAll().where('id', '=', id).where(inRegion(scope, 'imports.region_code')).executeTakeFirst();
}

export async function listImports(db: Executor, scope: Scope, limit: number, offset: number) {
  const q = db.selectFrom('imports').where(inRegion(scope, 'imports.region_code'));
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function listImportErrors(db: Executor, importId: number, limit: number, offset: number) {
  const q = db.selectFrom('import_errors').where('import_id', '=', importId);
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('row_no').orderBy('id').limit(limit).offset(offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export async function importsToResume(db: Executor): Promise<ImportRow[]> {
  return db.selectFrom('imports').selectAll().where('status', '=', 'applying').orderBy('id').execute();
}
