import { sql, type Insertable, type Updateable } from 'kysely';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { privateFiles, type Executor } from '../../../db/database.js';
import type { AppContext } from '../../../platform/context.js';
import type { ImportRow, ImportTable, PersonRow } from '../../../db/tables.js';
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

// -- the staging table: an accepted file's rows, sealed, between validation and the merge ------

/**
 * An import's staging table, made when its file is validated and dropped when it ends: the
 * register's person columns (a new person's row as it will be inserted, sealed: lookup hash,
 * encrypted ID, phone and account), plus the row number, whether the row closes the person, and
 * the row's values to merge into a registered person (sensitive ones encrypted). A table of its own
 * per import: typed columns that the merge copies set-wise with no parsing, a bulk load with no
 * index but its row number's, and an end that drops it whole.
 * - PostgreSQL: `import_rows_<id>` in the platform's schema, loaded by COPY.
 * - SQLite: `import_rows` in a database file of its own, `<dataDir>/staging/<id>.sqlite`, attached
 *   as `staging_<id>`: a million staged rows written into the register's own file would push the
 *   register's index pages out of its page cache while the merge needs them, and leave the file a
 *   gigabyte larger; a file of its own is deleted whole.
 */
type StagingContext = Pick<AppContext, 'handle' | 'config'>;

const PG_PREFIX = 'import_rows_';
const stagingDir = (ctx: StagingContext) => join(ctx.config.dataDir, 'staging');
const stagingFile = (ctx: StagingContext, importId: number) => join(stagingDir(ctx), `${importId}.sqlite`);
const attachedAs = (importId: number) => `staging_${importId}`;

/** The staging table's name for SQL (schema-qualified on SQLite). */
export function stagingRef(ctx: StagingContext, importId: number): string {
  return ctx.handle.dialect === 'postgres' ? `${PG_PREFIX}${importId}` : `${attachedAs(importId)}.import_rows`;
}

function attached(ctx: StagingContext, importId: number): boolean {
  const list = ctx.handle.sqlite!.prepare('pragma database_list').all() as Array<{ name: string }>;
  return list.some((d) => d.name === attachedAs(importId));
}

/** SQLite: attaches an import's staging file (after a restart, to resume). Outside any transaction. */
export function openStaging(ctx: StagingContext, importId: number): void {
  if (ctx.handle.dialect !== 'sqlite' || attached(ctx, importId)) return;
  const file = stagingFile(ctx, importId);
  if (!existsSync(file)) throw new Error(`the staged rows of import ${importId} are missing`);
  ctx.handle.sqlite!.prepare(`attach database ? as "${attachedAs(importId)}"`).run(file);
}

export async function createStaging(ctx: StagingContext, importId: number): Promise<void> {
  await dropStaging(ctx, importId);
  const t = sql.table(stagingRef(ctx, importId));
  const db = ctx.handle.db;
  if (ctx.handle.dialect === 'sqlite') {
    mkdirSync(stagingDir(ctx), { recursive: true, mode: 0o700 });
    const file = stagingFile(ctx, importId);
    ctx.handle.sqlite!.prepare(`attach database ? as "${attachedAs(importId)}"`).run(file);
    privateFiles(file);
    ctx.handle.sqlite!.pragma(`"${attachedAs(importId)}".journal_mode = WAL`);
    privateFiles(file);
    await sql`create table ${t} as select * from main.persons where 1 = 0`.execute(db);
  } else {
    await sql`create table ${t} as select * from persons where 1 = 0`.execute(db);
  }
  for (const col of [sql`row_no integer`, sql`closing integer`, sql`merge_values text`, sql`row_digest text`])
    await sql`alter table ${t} add column ${col}`.execute(db);
  if (ctx.handle.dialect === 'sqlite') await sql`create index ${sql.table(`${attachedAs(importId)}.import_rows_row`)} on import_rows (row_no)`.execute(db);
  else await sql`create index ${sql.id(`${PG_PREFIX}${importId}_row`)} on ${t} (row_no)`.execute(db);
}

/** Drops an import's staged rows (it was applied, rejected or failed). Outside any transaction. */
export async function dropStaging(ctx: StagingContext, importId: number): Promise<void> {
  if (ctx.handle.dialect === 'postgres') {
    await sql`drop table if exists ${sql.table(stagingRef(ctx, importId))}`.execute(ctx.handle.db);
    return;
  }
  if (attached(ctx, importId)) ctx.handle.sqlite!.prepare(`detach database "${attachedAs(importId)}"`).run();
  const file = stagingFile(ctx, importId);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

/** Writes staged rows, committed when it resolves (PostgreSQL: COPY; SQLite: multi-row inserts). */
export function stageRows(ctx: StagingContext, importId: number, rows: Record<string, unknown>[]): Promise<void> {
  return ctx.handle.load(stagingRef(ctx, importId), rows);
}

/** The next `limit` staged rows after row `after`: the last one's number and how many. */
export async function stagedSpan(
  ctx: StagingContext,
  db: Executor,
  importId: number,
  after: number,
  limit: number,
): Promise<{ through: number; rows: number; closing: number } | null> {
  const r = await sql<{
    through: number | null;
    n: number;
    closing: number | null;
  }>`select max(row_no) as through, count(*) as n, sum(closing) as closing from (select row_no, closing from ${sql.table(
    stagingRef(ctx, importId),
  )} where row_no > ${after} order by row_no limit ${limit}) s`.execute(db);
  const x = r.rows[0];
  return x && x.through !== null && Number(x.n) > 0 ? { through: Number(x.through), rows: Number(x.n), closing: Number(x.closing ?? 0) } : null;
}

/** The digest a person keeps of the row `source` last delivered (persons.source_digests), in SQL. */
function recordedDigest(ctx: StagingContext, source: string) {
  return ctx.handle.dialect === 'postgres' ? sql`(p.source_digests::json ->> ${source})` : sql`json_extract(p.source_digests, ${`$."${source}"`})`;
}

/** How many staged rows in (after, through] are the row their person's `source` last delivered, with the same date. */
export async function stagedUnchanged(ctx: StagingContext, db: Executor, importId: number, source: string, after: number, through: number) {
  const r = await sql<{
    n: number;
  }>`select count(*) as n from ${sql.table(stagingRef(ctx, importId))} s join persons p on p.id_hash = s.id_hash where s.row_no > ${after} and s.row_no <= ${through} and ${recordedDigest(
    ctx,
    source,
  )} = s.row_digest`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Staged rows in (after, through] whose person is registered, with that person (the merge's
 * input), but for those stagedUnchanged counts.
 */
export async function stagedExisting(ctx: StagingContext, db: Executor, importId: number, source: string, after: number, through: number) {
  const r = await sql<
    PersonRow & { staged_values: string; staged_digest: string | null }
  >`select p.*, s.merge_values as staged_values, s.row_digest as staged_digest from ${sql.table(
    stagingRef(ctx, importId),
  )} s join persons p on p.id_hash = s.id_hash where s.row_no > ${after} and s.row_no <= ${through} and (s.row_digest is null or ${recordedDigest(
    ctx,
    source,
  )} is null or ${recordedDigest(ctx, source)} <> s.row_digest) order by s.row_no`.execute(db);
  return r.rows;
}

/**
 * Creates, set-wise, the persons of staged rows in (after, through] who are not registered: one
 * INSERT … SELECT of the staged columns. Returns how many were created and how many of them closed.
 */
export async function insertStagedPersons(
  ctx: StagingContext,
  db: Executor,
  importId: number,
  after: number,
  through: number,
  columns: string[],
  anyClosing: boolean,
): Promise<{ created: number; closed: number }> {
  const range = sql`s.row_no > ${after} and s.row_no <= ${through} and not exists (select 1 from persons p where p.id_hash = s.id_hash)`;
  const from = sql.table(stagingRef(ctx, importId));
  const closing = anyClosing ? await sql<{ n: number }>`select count(*) as n from ${from} s where ${range} and s.closing = 1`.execute(db) : { rows: [] };
  const r = await sql`insert into persons (${sql.join(columns.map((c) => sql.ref(c)))}) select ${sql.join(
    columns.map((c) => sql.ref(`s.${c}`)),
  )} from ${from} s where ${range} order by s.row_no`.execute(db);
  return { created: Number(r.numAffectedRows ?? 0), closed: Number(closing.rows[0]?.n ?? 0) };
}

/** The imports that have staged rows now. */
export async function stagingIds(ctx: StagingContext): Promise<number[]> {
  const names =
    ctx.handle.dialect === 'sqlite'
      ? existsSync(stagingDir(ctx))
        ? readdirSync(stagingDir(ctx)).map((n) => /^(\d+)\.sqlite$/.exec(n)?.[1])
        : []
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_name like ${`${PG_PREFIX}%`}`.execute(
            ctx.handle.db,
          )
        ).rows.map((r) => /^import_rows_(\d+)$/.exec(r.name)?.[1]);
  return names.filter((n): n is string => n !== undefined).map(Number);
}

/**
 * Staged rows no import will read: of imports that ended, or were left validating by a process
 * that stopped (`staleBefore`: their start); imports validating now, here or on another server,
 * keep theirs.
 */
export async function dropOrphanStaging(ctx: StagingContext, staleBefore: string): Promise<void> {
  const ids = await stagingIds(ctx);
  if (ids.length === 0) return;
  const live = new Set(
    (
      await ctx.handle.db
        .selectFrom('imports')
        .select('id')
        .where('id', 'in', ids)
        .where((w) => w.or([w('status', '=', 'applying'), w.and([w('status', '=', 'validating'), w('started_at', '>=', staleBefore)])]))
        .execute()
    ).map((r) => r.id),
  );
  for (const id of ids) if (!live.has(id)) await dropStaging(ctx, id);
}
