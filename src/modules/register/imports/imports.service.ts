import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlledTransaction, Transaction } from 'kysely';
import type { Database, ImportRow, NewPerson } from '../../../db/tables.js';
import { recordAudit } from '../../../platform/audit.js';
import type { AppContext } from '../../../platform/context.js';
import type { Sealed } from '../../../platform/crypto.js';
import { prefixUpperBound } from '../../../db/dialect.js';
import { AppError } from '../../../platform/errors.js';
import { requireAction, systemScope, type Scope } from '../../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../../platform/time.js';
import { findByHashes, openConflictKeys, updatePerson, type NewConflict, type NewHistory } from '../register.repository.js';
import { findDepartment, type Department } from '../sources/departments.js';
import type { FieldKey } from '../sources/fields.js';
import { createImport, importsToResume, insertImportErrors, updateImport } from './imports.repository.js';
import { mergeInto, newPerson, type MergeContext } from './merge.js';
import { inspectFile, readRows, type FileInfo, type RawRow } from './reader.js';
import { mapHeader, parseRow, type HeaderMap, type ParsedRow, type RowError } from './row-parser.js';

/**
 * A department file goes in whole or not at all:
 * 1. validate: stream every row, check it and the database facts it depends on; write nothing.
 *    Any bad row rejects the file (mode 'all'), with the per-row report kept.
 * 2. apply: stream the stored copy again and merge it in short batched transactions, so the
 *    server keeps answering during a large import. The import is 'applying' until the last
 *    batch; if the process stops, the next start resumes it from the stored file (merging is
 *    idempotent), so an accepted file is never left half-applied.
 */
export type ImportMode = 'all' | 'valid';

export interface ImportRequest {
  source: string;
  /** the uploaded file; it is moved into the data directory */
  path: string;
  fileName: string;
  asOf?: string;
  mode?: ImportMode;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  closed: number;
}

/** Rows validated per database look-up, and rows sealed and written together. */
const BATCH = 2000;
const APPLY_BATCH = 10_000;
/**
 * A transaction is committed once it has been open this long. Each commit writes every index
 * page the batch touched, and random keys (the lookup hash, names) touch pages all over the
 * index, so fewer commits mean far fewer page writes; bounding by time keeps the write lock
 * short for the people using the console meanwhile.
 */
const COMMIT_EVERY_MS = 1500;
/** Errors kept per import; beyond that they are counted, and the report says so. */
const MAX_KEPT_ERRORS = 100_000;

let queue: Promise<unknown> = Promise.resolve();
/** Imports run one at a time in a process: merges of the same person must not interleave. */
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

export function runImport(ctx: AppContext, scope: Scope, req: ImportRequest): Promise<ImportRow> {
  return serialised(() => importFile(ctx, scope, req));
}

async function importFile(ctx: AppContext, scope: Scope, req: ImportRequest): Promise<ImportRow> {
  requireAction(scope, 'register.import');
  const dept = findDepartment(req.source);
  if (!dept) throw new AppError('UNKNOWN_SOURCE', { source: req.source });
  const asOf = req.asOf || today();
  if (!isCivilDate(asOf) || asOf > today()) throw new AppError('VALIDATION', { detail: `数据日期 asOf “${asOf}” 应为不晚于今天的日期 YYYY-MM-DD` });
  const mode: ImportMode = req.mode ?? 'all';

  const base = {
    source: dept.key, file_name: req.fileName.slice(0, 255), as_of: asOf, imported_by: scope.userId,
    region_code: scope.regionCode, started_at: nowIso(),
  };
  let info: FileInfo;
  try {
    info = await inspectFile(req.path);
  } catch (e) {
    rmSync(req.path, { force: true });
    throw await rejectEarly(ctx, scope, e, { ...base, file_sha256: '', format: 'unknown', encoding: 'unknown' });
  }
  const dir = join(ctx.config.dataDir, 'imports');
  mkdirSync(dir, { recursive: true });
  const stored = join(dir, `${info.sha256}.${info.format}`);
  if (existsSync(stored)) rmSync(req.path, { force: true });
  else renameSync(req.path, stored);

  const importId = await createImport(ctx.db, {
    ...base, file_sha256: info.sha256, format: info.format, encoding: info.encoding, status: 'validating',
    rows_total: 0, rows_bad: 0, created: 0, updated: 0, unchanged: 0, conflicts: 0, closed: 0, message: null, finished_at: null,
  });
  let validation: Awaited<ReturnType<typeof validate>>;
  try {
    validation = await validate(ctx, scope, dept, stored, info);
  } catch (e) {
    throw await reject(ctx, scope, importId, dept, e);
  }
  const { rowsTotal, errors, badCount } = validation;
  await insertImportErrors(ctx.db, importId, errors);
  if (badCount > 0 && (mode === 'all' || badCount === rowsTotal)) {
    const err = new AppError('IMPORT_ROWS', { bad: badCount }, { importId, rowsBad: badCount, rowsTotal });
    await updateImport(ctx.db, importId, { rows_total: rowsTotal, rows_bad: badCount });
    throw await reject(ctx, scope, importId, dept, err);
  }
  await updateImport(ctx.db, importId, { status: 'applying', rows_total: rowsTotal, rows_bad: badCount });
  return apply(ctx, scope, importId);
}

/** A file refused before it got an import number (empty, unreadable): still recorded. */
async function rejectEarly(ctx: AppContext, scope: Scope, e: unknown, base: Omit<ImportRow, 'id' | 'status' | 'rows_total' | 'rows_bad' | 'created' | 'updated' | 'unchanged' | 'conflicts' | 'closed' | 'message' | 'finished_at'>) {
  if (!(e instanceof AppError)) return e;
  const importId = await createImport(ctx.db, {
    ...base, status: 'rejected', rows_total: 0, rows_bad: 0, created: 0, updated: 0, unchanged: 0, conflicts: 0, closed: 0,
    message: e.message, finished_at: nowIso(),
  });
  await ctx.db.transaction().execute((trx) => recordAudit(trx, scope, {
    action: 'register.import_rejected', entityType: 'import', entityId: importId, regionCode: scope.regionCode,
    detail: { source: base.source, file: base.file_name, code: e.code },
  }));
  return new AppError(e.code, e.params, { ...(e.details as object ?? {}), importId });
}

async function reject(ctx: AppContext, scope: Scope, importId: number, dept: Department, e: unknown) {
  const message = e instanceof AppError ? e.message : String(e);
  await ctx.db.transaction().execute(async (trx) => {
    await updateImport(trx, importId, { status: e instanceof AppError ? 'rejected' : 'failed', message, finished_at: nowIso() });
    await recordAudit(trx, scope, {
      action: 'register.import_rejected', entityType: 'import', entityId: importId, regionCode: scope.regionCode,
      detail: { source: dept.key, code: e instanceof AppError ? e.code : 'INTERNAL' },
    });
  });
  if (e instanceof AppError) return new AppError(e.code, e.params, { ...(e.details as object ?? {}), importId });
  return e;
}

interface RowStream {
  map: HeaderMap;
  batches: AsyncGenerator<RawRow[]>;
}

/** The header row mapped to the department's columns, and the data rows after it. */
async function openRows(dept: Department, path: string, info: FileInfo): Promise<RowStream> {
  const batches = readRows(path, info);
  const first = await batches.next();
  if (first.done || first.value.length === 0) throw new AppError('IMPORT_EMPTY');
  const map = mapHeader(dept, first.value[0]!.cells);
  async function* data(): AsyncGenerator<RawRow[]> {
    yield first.value!.slice(1);
    yield* batches;
  }
  return { map, batches: data() };
}

async function validate(ctx: AppContext, scope: Scope, dept: Department, path: string, info: FileInfo) {
  const { map, batches } = await openRows(dept, path, info);
  const todayDate = today();
  const errors: RowError[] = [];
  const badRows = new Set<number>();
  const seen = new Map<string, number>();
  let rowsTotal = 0;
  const fail = (e: RowError) => {
    badRows.add(e.row);
    if (errors.length < MAX_KEPT_ERRORS) errors.push(e);
  };
  const idHeader = map.columns.find((c) => c.field === 'idNumber')!.header;
  const regionHeader = map.columns.find((c) => c.field === 'regionCode')?.header ?? null;
  // Household registration creates persons: its rows need a look-up only to refuse someone
  // registered outside the importer's region, and there is nobody there to refuse when the
  // importer's region holds the whole register.
  const mustLookUp = !dept.createsPersons || (await ctx.db.selectFrom('persons').select('id')
    .where((eb) => eb.or([eb('region_code', '<', scope.regionPrefix), eb('region_code', '>=', prefixUpperBound(scope.regionPrefix))])).limit(1).executeTakeFirst()) !== undefined;
  let batch: ParsedRow[] = [];
  const checkBatch = async () => {
    if (batch.length === 0 || !mustLookUp) { batch = []; return; }
    const hashes = batch.map((r) => ctx.cipher.lookupHash(r.idNumber));
    // Existence is checked jurisdiction-wide: someone registered outside the importer's region
    // must not be created a second time.
    const everywhere = new Map((await findByHashes(ctx.db, systemScope('', ''), hashes)).map((p) => [p.id_hash, p]));
    batch.forEach((r, i) => {
      const existing = everywhere.get(hashes[i]!);
      if (existing && !existing.region_code.startsWith(scope.regionPrefix)) {
        fail({ row: r.row, column: idHeader, value: r.idNumber, code: 'out_of_scope', reason: '此人登记在您管辖范围以外的地区，不能由您导入' });
      } else if (!existing && !dept.createsPersons) {
        fail({ row: r.row, column: idHeader, value: r.idNumber, code: 'not_in_register', reason: '登记库中没有此人：请先导入公安户籍数据' });
      }
    });
    batch = [];
  };
  for await (const rows of batches) for (const { row, cells } of rows) {
    rowsTotal++;
    const parsed = parseRow(dept, map, row, cells, todayDate);
    if (Array.isArray(parsed)) { parsed.forEach(fail); continue; }
    const firstRow = seen.get(parsed.idNumber);
    if (firstRow !== undefined) {
      fail({ row, column: idHeader, value: parsed.idNumber, code: 'duplicate', reason: `与第 ${firstRow} 行的身份证号重复` });
      continue;
    }
    seen.set(parsed.idNumber, row);
    const region = parsed.values.regionCode;
    if (region !== undefined && region !== null) {
      const r = ctx.regions.get(region);
      if (!r || r.level !== 'village' || !region.startsWith(scope.regionPrefix)) {
        fail({ row, column: regionHeader, value: region, code: 'unknown_region', reason: `村（社区）代码 ${region} 不存在或不在您的管辖范围内` });
        continue;
      }
    }
    batch.push(parsed);
    if (batch.length >= BATCH) await checkBatch();
  }
  await checkBatch();
  if (rowsTotal === 0) throw new AppError('IMPORT_EMPTY');
  return { rowsTotal, errors, badCount: badRows.size };
}

/** Pass 2, also the resumption of an interrupted import. */
async function apply(ctx: AppContext, scope: Scope, importId: number): Promise<ImportRow> {
  const imp = await ctx.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
  const dept = findDepartment(imp.source)!;
  const path = join(ctx.config.dataDir, 'imports', `${imp.file_sha256}.${imp.format}`);
  const info: FileInfo = { format: imp.format as FileInfo['format'], encoding: imp.encoding, sha256: imp.file_sha256, bytes: 0 };
  const bad = new Set((await ctx.db.selectFrom('import_errors').select('row_no').where('import_id', '=', importId).execute()).map((r) => r.row_no));
  const earlier = new Map((await ctx.db.selectFrom('imports').select(['id', 'source', 'as_of']).where('status', 'in', ['applied', 'applying']).execute())
    .map((i) => [i.id, { source: i.source, asOf: i.as_of }]));
  const mctx: MergeContext = { source: dept.key, asOf: imp.as_of, importId, now: nowIso(), cipher: ctx.cipher, importOf: (id) => earlier.get(id) };
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, conflicts: 0, closed: 0 };
  const changed = new Set<FieldKey>();
  const { map, batches } = await openRows(dept, path, info);
  const todayDate = today();
  // Pipeline over two cores: a worker hashes and encrypts batch N+1 while this thread parses
  // rows and writes batch N.
  const sealer = ctx.cipher.sealer();
  let trx: ControlledTransaction<Database> | undefined;
  let openedAt = 0;
  const write = async (rows: ParsedRow[], sealed: Sealed[]) => {
    if (!trx) { trx = await ctx.db.startTransaction().execute(); openedAt = Date.now(); }
    await applyBatch(ctx, trx, mctx, rows, sealed, counts, changed);
    if (Date.now() - openedAt >= COMMIT_EVERY_MS) { await trx.commit().execute(); trx = undefined; }
  };
  let batch: ParsedRow[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    const sealed = sealer.seal(rows.map((r) => [r.idNumber, r.values.phone ?? null]));
    sealed.catch(() => undefined); // awaited below; a failure surfaces there
    await writing;
    writing = sealed.then((s) => write(rows, s));
    writing.catch(() => undefined);
  };
  try {
    for await (const rows of batches) for (const { row, cells } of rows) {
      if (bad.has(row)) continue;
      const parsed = parseRow(dept, map, row, cells, todayDate);
      // The stored file is content-addressed and was validated: a row failing now means the
      // rules changed in between. Stop rather than skip it silently.
      if (Array.isArray(parsed)) throw new Error(`row ${row} no longer passes validation: ${parsed.map((e) => e.reason).join('; ')}`);
      batch.push(parsed);
      if (batch.length >= APPLY_BATCH) await flush();
    }
    await flush();
    await writing;
    if (trx) await trx.commit().execute();
  } catch (e) {
    await writing.catch(() => undefined);
    if (trx) await trx.rollback().execute().catch(() => undefined);
    await updateImport(ctx.db, importId, { status: 'failed', message: `应用时出错，已停止，可重新导入同一文件继续：${(e as Error).message}` });
    throw e;
  } finally {
    await sealer.close();
  }
  return ctx.db.transaction().execute(async (trx) => {
    await updateImport(trx, importId, { status: 'applied', ...counts, finished_at: nowIso() });
    await recordAudit(trx, scope, {
      action: 'register.import', entityType: 'import', entityId: importId, regionCode: imp.region_code,
      fields: [...changed].sort(),
      detail: { source: dept.key, file: imp.file_name, sha256: imp.file_sha256, asOf: imp.as_of, rowsTotal: imp.rows_total, rowsBad: imp.rows_bad, ...counts },
    });
    return trx.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
  });
}

async function applyBatch(ctx: AppContext, trx: Transaction<Database>, mctx: MergeContext, batch: ParsedRow[], sealed: Sealed[], counts: ImportCounts, changed: Set<FieldKey>) {
  const hashes = sealed.map((s) => s[0]);
  const existing = new Map((await findByHashes(trx, systemScope('', ''), hashes)).map((p) => [p.id_hash, p]));
  const open = await openConflictKeys(trx, [...existing.values()].map((p) => p.id));
  const inserts: NewPerson[] = [];
  const history: NewHistory[] = [];
  const conflicts: NewConflict[] = [];
  for (let i = 0; i < batch.length; i++) {
    const row = batch[i]!;
    const person = existing.get(hashes[i]!);
    if (!person) {
      inserts.push(newPerson(row, mctx, sealed[i]!));
      counts.created++;
      if (row.values.status && row.values.status !== 'active') counts.closed++;
      continue;
    }
    const m = mergeInto(person, row, mctx, open);
    if (m.patch) await updatePerson(trx, person.id, m.patch);
    history.push(...m.history);
    conflicts.push(...m.conflicts);
    m.changedFields.forEach((f) => changed.add(f));
    if (m.changedFields.length) counts.updated++;
    else counts.unchanged++;
    counts.conflicts += m.conflicts.length;
    if (m.closed) counts.closed++;
  }
  await ctx.handle.insertMany(trx, 'persons', inserts);
  await ctx.handle.insertMany(trx, 'person_history', history);
  await ctx.handle.insertMany(trx, 'attribute_conflicts', conflicts);
}

/** At start-up: finish any import that was accepted but interrupted while applying. */
export async function resumeImports(ctx: AppContext): Promise<number> {
  const pending = await importsToResume(ctx.db);
  for (const imp of pending) {
    const region = ctx.regions.get(imp.region_code);
    await serialised(() => apply(ctx, systemScope(imp.region_code, region?.prefix ?? imp.region_code, 'system:resume'), imp.id));
  }
  return pending.length;
}
