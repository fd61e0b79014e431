import { sql, type Insertable, type Updateable } from 'kysely';
import type { Executor } from '../../../db/database.js';
import type { ImportRow, ImportTable } from '../../../db/tables.js';
import { inRegion, type Scope } from '../../../platform/scope.js';
import type { RowError } from './row-parser.js';
import { rowReasonText } from './row-reasons.js';
import { displayNames } from '../../users/accounts.js';
import { maskText } from '../../../platform/mask.js';
import { maskCard } from '../sources/payee.js';

export type NewImport = Insertable<ImportTable>;

export async function createImport(db: Executor, row: NewImport): Promise<number> {
  const r = await db.insertInto('imports').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateImport(db: Executor, id: number, patch: Updateable<ImportTable>): Promise<void> {
  await db.updateTable('imports').set(patch).where('id', '=', id).execute();
}

/** Longest error value and message kept: masked first, then cut. */
const MAX_STORED_VALUE = 100;
export const MAX_STORED_MESSAGE = 1000;
/** A run of 14 or more digits (an ID, 15 or 18 digits, possibly mistyped longer) keeps only its region. */
const LONG_DIGITS = /(?<!\d)(\d{6})\d{8,}[\dXx]?/g;

/** Digits in groups (a card number as printed, 6222 0212 3456 7890): 12 or more are masked like a card. */
const GROUPED_DIGITS = /(?<![\dXx])\d{2,6}(?:[ -]\d{2,6}){2,}(?![\dXx])/g;

/** What may be stored of a value or message taken from a file: no full ID, phone or card number, and short. */
export function storable(text: string, max = MAX_STORED_VALUE): string {
  const masked = maskText(text)
    .replace(GROUPED_DIGITS, (m) => {
      const d = m.replace(/\D/g, '');
      return d.length >= 12 ? maskCard(d) : m;
    })
    .replace(LONG_DIGITS, (m, region: string) => region + '*'.repeat(m.length - 6));
  return masked.length > max ? masked.slice(0, max) + '…' : masked;
}

export async function insertImportErrors(db: Executor, importId: number, errors: RowError[]): Promise<void> {
  for (let i = 0; i < errors.length; i += 500) {
    await db
      .insertInto('import_errors')
      .values(
        errors.slice(i, i + 500).map((e) => ({
          import_id: importId,
          row_no: e.row,
          column_name: e.column === null ? null : storable(e.column),
          value: e.value === null ? null : storable(e.value),
          reason: storable(rowReasonText(e, 'zh-CN'), 500),
          code: e.code,
          params: JSON.stringify(Object.fromEntries(Object.entries(e.params ?? {}).map(([k, v]) => [k, typeof v === 'string' ? storable(v) : v]))),
        })),
      )
      .execute();
  }
}

/** An import with the display name of who imported it (null for the system: CLI, demo, resume). */
export type ImportWithImporter = ImportRow & { imported_by_name: string | null };

/** The importers' names come from the users module, not its table. */
async function withImporter(db: Executor, rows: ImportRow[]): Promise<ImportWithImporter[]> {
  const names = await displayNames(
    db,
    rows.map((r) => r.imported_by),
  );
  return rows.map((r) => ({ ...r, imported_by_name: r.imported_by === null ? null : (names.get(r.imported_by) ?? null) }));
}

/** Imports are visible to viewers whose region contains the importer's region. */
export async function findImport(db: Executor, scope: Scope, id: number): Promise<ImportWithImporter | undefined> {
  const row = await db.selectFrom('imports').selectAll().where('imports.id', '=', id).where(inRegion(scope, 'imports.region_code')).executeTakeFirst();
  return row && (await withImporter(db, [row]))[0];
}

export async function listImports(db: Executor, scope: Scope, limit: number, offset: number) {
  const q = db.selectFrom('imports').where(inRegion(scope, 'imports.region_code'));
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('imports.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute()
      .then((rows) => withImporter(db, rows)),
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

/** Open conflicts in the viewer's region, counted by the department whose value came in. */
export async function openConflictsBySource(db: Executor, scope: Scope): Promise<{ source: string; n: number }[]> {
  const rows = await db
    .selectFrom('attribute_conflicts')
    .innerJoin('persons', 'persons.id', 'attribute_conflicts.person_id')
    .where(inRegion(scope, 'persons.region_code'))
    .where('attribute_conflicts.status', '=', 'open')
    .groupBy('attribute_conflicts.incoming_source')
    .select(['attribute_conflicts.incoming_source as source', sql<number>`count(*)`.as('n')])
    .orderBy('attribute_conflicts.incoming_source')
    .execute();
  return rows.map((r) => ({ source: r.source, n: Number(r.n) }));
}

/** The ids of the open conflicts in the viewer's region (from one department's files, when given), oldest first. */
export async function openConflictIds(db: Executor, scope: Scope, source: string | null): Promise<number[]> {
  let q = db
    .selectFrom('attribute_conflicts')
    .innerJoin('persons', 'persons.id', 'attribute_conflicts.person_id')
    .where(inRegion(scope, 'persons.region_code'))
    .where('attribute_conflicts.status', '=', 'open');
  if (source !== null) q = q.where('attribute_conflicts.incoming_source', '=', source);
  const rows = await q.select('attribute_conflicts.id').orderBy('attribute_conflicts.id').execute();
  return rows.map((r) => r.id);
}
