import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ControlledTransaction, Transaction } from 'kysely';
import type { Database, ImportRow, PersonUpdate } from '../../../db/tables.js';
import { recordAudit } from '../../../platform/audit.js';
import type { AppContext } from '../../../platform/context.js';
import type { Sealed } from '../../../platform/crypto.js';
import { prefixUpperBound } from '../../../db/dialect.js';
import { freshenStatistics } from '../../../db/statistics.js';
import { AppError } from '../../../platform/errors.js';
import { addSnapshotSource, publish, type LiveEvent } from '../../../platform/events.js';
import { can } from '../../../platform/policy.js';
import {
  createJob,
  defineJob,
  inQueue,
  resumeJobs,
  runJob,
  runningJob,
  runningJobs,
  SimulatedCrash,
  waitForJobs,
  type JobControl,
} from '../../../platform/jobs.js';
import { regionInScope, requireAction, systemScope, type Scope } from '../../../platform/scope.js';
import { isCivilDate, nowIso, today } from '../../../platform/time.js';
import { openConflictKeys, registeredRegions, type NewConflict, type NewHistory } from '../register.repository.js';
import { findDepartment, type Department } from '../sources/departments.js';
import { IdRows } from './id-rows.js';
import type { FieldKey } from '../sources/fields.js';
import {
  createImport,
  createStaging,
  dropOrphanStaging,
  dropStaging,
  importsToResume,
  insertImportErrors,
  insertStagedPersons,
  openStaging,
  MAX_STORED_MESSAGE,
  stagedExisting,
  stagedUnchanged,
  stagedSpan,
  stageRows,
  storable,
  updateImport,
} from './imports.repository.js';
import { mergeInto, newPerson, rowText, sourceDigest, stagedValues, unstagedValues, type MergeContext } from './merge.js';
import { FileProbe, readRows, type FileInfo, type OpenFile, type RawRow } from './reader.js';
import { readSealed, sealStream, writeSealed } from './sealed-file.js';
import { mapHeader, parseRow, type HeaderMap, type ParsedRow, type RowError } from './row-parser.js';
import { rowReasonText } from './row-reasons.js';

/**
 * A department file goes in whole or not at all, and is parsed once:
 * 1. validate: stream every row, check it and the database facts it depends on, and write each
 *    good row, sealed, to the import's staging table (imports.repository.ts stagingTable;
 *    PostgreSQL loads it by COPY). Nothing in the register changes. Any bad row rejects the file
 *    (mode 'all'), with the per-row report kept, and its staging table is dropped.
 * 2. apply: merge the staging table into the register a span of rows at a time, in short batched
 *    transactions, so the server keeps answering during a large import: persons not yet
 *    registered are created set-wise (INSERT … SELECT), registered ones merged field by field
 *    (merge.ts), a row that changes nothing writing nothing. The import is 'applying' until the
 *    last span; each commit also records the last row it applied and the counts so far, so if the
 *    process stops, the next start resumes after that row from the staging table and the final
 *    counts are those of an uninterrupted import. An accepted file is never left half-applied.
 *    Apply is a job of the platform's runner (platform/jobs.ts, kind 'import', key the import's
 *    id): the job holds the claim and heartbeat, the progress (rows applied of rows total) and the
 *    last row applied; the import row keeps the counts, committed with the same batches.
 * Imports of one jurisdiction run one at a time (the runner's queue for the kind): merges of the
 * same person must not interleave, and a file is validated against the register as it stands.
 *
 * The file is read once as it arrives and kept only sealed (sealed-file.ts), as
 * `<dataDir>/imports/<import id>.sealed`, 0600, until its rows are staged: it is deleted the
 * moment the import is accepted (its staged rows are what apply reads), rejected or failed. The
 * caller's file is read, never moved or deleted: the caller removes its own upload.
 */
export type ImportMode = 'all' | 'valid';

export interface ImportRequest {
  source: string;
  /** the uploaded file; read, never moved or deleted (the caller removes it) */
  path: string;
  /** true when `path` is already sealed with the master key (the console's upload) */
  sealed?: boolean;
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

/**
 * How apply commits, adjustable by tests: rows sealed and written together, and how long a
 * transaction stays open. `crashAfterCommits` makes apply stop dead after that many commits,
 * leaving the import 'applying' with its stored file exactly as a killed process would.
 */
export const applyTuning: { batchRows: number; commitEveryMs: number; crashAfterCommits?: number } = {
  batchRows: APPLY_BATCH,
  commitEveryMs: COMMIT_EVERY_MS,
};
export { SimulatedCrash };

export function importsDir(ctx: AppContext): string {
  return join(ctx.config.dataDir, 'imports');
}
/** Where an accepted import's file is kept, sealed, until the import ends. */
export function storedFile(ctx: AppContext, importId: number): string {
  return join(importsDir(ctx), `${importId}.sealed`);
}
const openStored =
  (ctx: AppContext, importId: number): OpenFile =>
  () =>
    readSealed(ctx.config.masterKey, storedFile(ctx, importId));
const dropStored = (ctx: AppContext, importId: number) => rmSync(storedFile(ctx, importId), { force: true });

export const IMPORT_JOB = 'import';
/**
 * What an import's job keeps: the last row applied, who imported the file (signs the audit entry),
 * and the person columns its staged rows carry (absent for an import accepted before staging).
 */
interface ImportState {
  appliedThrough: number;
  by: Scope;
  columns?: string[];
}

/** Imports queue per jurisdiction: the importer's county's (or city's) run one after another. */
const queueOf = (ctx: AppContext, regionCode: string) => ctx.regions.jurisdictionOf(regionCode)?.code ?? '';

type ImportStatus = 'applying' | 'applied' | 'failed';

/**
 * The live event of an import being applied (GET /api/events), as its job's progress commits:
 * to viewers who may import and whose region holds the import's (as the list of imports).
 */
function importEvent(imp: Pick<ImportRow, 'id' | 'source' | 'region_code'>, status: ImportStatus, done: number, total: number): LiveEvent {
  const progress = status === 'applied' ? 100 : total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
  const data = { id: imp.id, source: imp.source, status, progress, rowsDone: done, rowsTotal: total };
  return {
    name: 'import',
    for(scope) {
      if (scope.role === 'system' || scope.role === 'anonymous' || !can(scope.role, 'register.import')) return null;
      return regionInScope(scope, imp.region_code) ? data : null;
    },
  };
}

// a new stream starts from the imports being applied now, at their committed progress
addSnapshotSource(async (ctx) => {
  const applying = await ctx.db.selectFrom('imports').select(['id', 'source', 'region_code']).where('status', '=', 'applying').orderBy('id').execute();
  if (applying.length === 0) return [];
  const jobs = new Map((await runningJobs(ctx.db, IMPORT_JOB)).map((j) => [j.key, j]));
  return applying.flatMap((imp) => {
    const job = jobs.get(String(imp.id));
    return job ? [importEvent(imp, 'applying', job.done, job.total)] : [];
  });
});

defineJob<ImportState>({
  kind: IMPORT_JOB,
  queue: (ctx, job) => queueOf(ctx, (JSON.parse(job.state) as ImportState).by.regionCode),
  work: (ctx, control) => apply(ctx, Number(control.job.key), control),
  async failed(ctx, job, e) {
    const importId = Number(job.key);
    dropStored(ctx, importId);
    await dropStaging(ctx, importId);
    await updateImport(ctx.db, importId, {
      status: 'failed',
      finished_at: nowIso(),
      message: storable(
        `应用时出错，已停止；请重新导入同一文件 / applying stopped on an error; import the same file again: ${(e as Error).message}`,
        MAX_STORED_MESSAGE,
      ),
    });
    const imp = await ctx.db.selectFrom('imports').select(['id', 'source', 'region_code']).where('id', '=', importId).executeTakeFirst();
    if (imp) publish(importEvent(imp, 'failed', job.done, job.total));
  },
});

/** Validates a file and applies it, in the jurisdiction's import queue; resolves when it is applied. */
export function runImport(ctx: AppContext, scope: Scope, req: ImportRequest): Promise<ImportRow> {
  return inQueue(IMPORT_JOB, queueOf(ctx, scope.regionCode), () => importFile(ctx, scope, req));
}

async function importFile(ctx: AppContext, scope: Scope, req: ImportRequest): Promise<ImportRow> {
  requireAction(scope, 'register.import');
  const dept = findDepartment(req.source);
  if (!dept) throw new AppError('UNKNOWN_SOURCE', { source: req.source });
  const asOf = req.asOf || today();
  if (!isCivilDate(asOf) || asOf > today()) throw new AppError('IMPORT_AS_OF', { asOf });
  const mode: ImportMode = req.mode ?? 'all';

  const base = {
    source: dept.key,
    file_name: req.fileName.slice(0, 255),
    as_of: asOf,
    imported_by: scope.userId,
    region_code: scope.regionCode,
    started_at: nowIso(),
  };
  // One pass over the input: hash, size and first bytes, while it is sealed into the data dir.
  const dir = importsDir(ctx);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = join(dir, `${randomUUID()}.partial`);
  let info: FileInfo;
  try {
    const probe = new FileProbe();
    const input = req.sealed ? readSealed(ctx.config.masterKey, req.path) : createReadStream(req.path);
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        probe.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(input, tap, sealStream(ctx.config.masterKey), createWriteStream(partial, { mode: 0o600 }));
    info = probe.info();
  } catch (e) {
    rmSync(partial, { force: true });
    throw await rejectEarly(ctx, scope, e, { ...base, file_sha256: '', format: 'unknown', encoding: 'unknown' });
  }

  let importId: number;
  try {
    importId = await createImport(ctx.db, {
      ...base,
      file_sha256: info.sha256,
      format: info.format,
      encoding: info.encoding,
      status: 'validating',
      rows_total: 0,
      rows_bad: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      conflicts: 0,
      closed: 0,
      message: null,
      finished_at: null,
    });
    renameSync(partial, storedFile(ctx, importId));
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
  let jobId: number;
  try {
    const mctx: MergeContext = { source: dept.key, asOf, importId, now: nowIso(), cipher: ctx.cipher, importOf: () => undefined };
    const { rowsTotal, errors, badCount, columns } = await validate(ctx, scope, dept, openStored(ctx, importId), info, mctx, { mode });
    await insertImportErrors(ctx.db, importId, errors);
    if (badCount > 0 && (mode === 'all' || badCount === rowsTotal)) {
      await updateImport(ctx.db, importId, { rows_total: rowsTotal, rows_bad: badCount });
      throw new AppError('IMPORT_ROWS', { bad: badCount }, { importId, rowsBad: badCount, rowsTotal });
    }
    const job = await ctx.db.transaction().execute(async (trx) => {
      await updateImport(trx, importId, { status: 'applying', rows_total: rowsTotal, rows_bad: badCount });
      return createJob<ImportState>(trx, IMPORT_JOB, String(importId), { total: rowsTotal - badCount, state: { appliedThrough: 0, by: scope, columns } });
    });
    // the staged rows are what apply reads: the sealed copy of the file is no longer needed
    dropStored(ctx, importId);
    jobId = job.id;
  } catch (e) {
    throw await reject(ctx, scope, importId, dept, e);
  }
  // this call already holds the jurisdiction's import queue
  await runJob(ctx, jobId, { queueHeld: true });
  return ctx.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
}

/** A file refused before it got an import number (empty, unreadable): still recorded. */
async function rejectEarly(
  ctx: AppContext,
  scope: Scope,
  e: unknown,
  base: Pick<ImportRow, 'source' | 'file_name' | 'as_of' | 'imported_by' | 'region_code' | 'started_at' | 'file_sha256' | 'format' | 'encoding'>,
) {
  if (!(e instanceof AppError)) return e;
  const importId = await createImport(ctx.db, {
    ...base,
    status: 'rejected',
    rows_total: 0,
    rows_bad: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: 0,
    closed: 0,
    message: storable(e.message, MAX_STORED_MESSAGE),
    finished_at: nowIso(),
  });
  await ctx.db.transaction().execute((trx) =>
    recordAudit(trx, scope, {
      action: 'register.import_rejected',
      entityType: 'import',
      entityId: importId,
      regionCode: scope.regionCode,
      detail: { source: base.source, file: base.file_name, code: e.code },
    }),
  );
  return e.withDetails({ ...((e.details as object) ?? {}), importId });
}

async function reject(ctx: AppContext, scope: Scope, importId: number, dept: Department, e: unknown) {
  dropStored(ctx, importId);
  await dropStaging(ctx, importId);
  const message = storable(e instanceof AppError ? e.message : String(e), MAX_STORED_MESSAGE);
  await ctx.db.transaction().execute(async (trx) => {
    await updateImport(trx, importId, { status: e instanceof AppError ? 'rejected' : 'failed', message, finished_at: nowIso() });
    await recordAudit(trx, scope, {
      action: 'register.import_rejected',
      entityType: 'import',
      entityId: importId,
      regionCode: scope.regionCode,
      detail: { source: dept.key, code: e instanceof AppError ? e.code : 'INTERNAL' },
    });
  });
  if (e instanceof AppError) return e.withDetails({ ...((e.details as object) ?? {}), importId });
  return e;
}

interface RowStream {
  map: HeaderMap;
  batches: AsyncGenerator<RawRow[]>;
}

/** The header row mapped to the department's columns, and the data rows after it. */
async function openRows(dept: Department, open: OpenFile, info: FileInfo): Promise<RowStream> {
  const batches = readRows(open, info);
  const first = await batches.next();
  if (first.done || first.value.length === 0) throw new AppError('IMPORT_EMPTY');
  const map = mapHeader(dept, first.value[0]!.cells);
  async function* data(): AsyncGenerator<RawRow[]> {
    yield first.value!.slice(1);
    yield* batches;
  }
  return { map, batches: data() };
}

/** What validating a file found, and the staged person columns (the merge's column list). */
interface Validated {
  rowsTotal: number;
  errors: RowError[];
  badCount: number;
  columns: string[];
}

/**
 * The one pass over a file: every row parsed and checked, with the database facts it depends on;
 * each good row sealed (a worker hashes and encrypts a batch while this thread parses the next)
 * and written to the staging table (import_rows) with the person columns it would create. A file
 * rejected after this leaves only staged rows, removed with the rejection; the register is not
 * touched until apply. `after`/`skip`: resuming an import staged by an earlier version, rows
 * already applied and rows found bad are not staged again.
 */
async function validate(
  ctx: AppContext,
  scope: Scope,
  dept: Department,
  open: OpenFile,
  info: FileInfo,
  mctx: MergeContext,
  opts: { mode: ImportMode; resume?: { after: number; skip: Set<number> } },
): Promise<Validated> {
  const { mode, resume } = opts;
  const { map, batches } = await openRows(dept, open, info);
  const todayDate = today();
  const errors: RowError[] = [];
  const badRows = new Set<number>();
  const seen = new IdRows();
  const columns = new Set<string>();
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
  const mustLookUp =
    !dept.createsPersons ||
    (await ctx.db
      .selectFrom('persons')
      .select('id')
      .where((eb) => eb.or([eb('region_code', '<', scope.regionPrefix), eb('region_code', '>=', prefixUpperBound(scope.regionPrefix))]))
      .limit(1)
      .executeTakeFirst()) !== undefined;
  // In a register that holds anyone, a row of a registered person stages only what its merge
  // reads, not a new person's image (a file delivered again is mostly such rows). Persons are
  // never deleted, so whoever is registered now is still registered when the rows are applied.
  const lookUp = mustLookUp || (await ctx.db.selectFrom('persons').select('id').limit(1).executeTakeFirst()) !== undefined;
  const check = async (rows: ParsedRow[], sealed: Sealed[]) => {
    const hashes = sealed.map((x) => x[0]);
    // Existence is checked jurisdiction-wide: someone registered outside the importer's region
    // must not be created a second time.
    const registered = lookUp ? await registeredRegions(ctx.db, hashes) : new Map<string, string>();
    let created = false;
    const staged: Record<string, unknown>[] = [];
    // a file that is refused whole stages nothing more once its first bad row is known
    const refused = mode === 'all' && badRows.size > 0;
    rows.forEach((r, i) => {
      const region = registered.get(hashes[i]!);
      if (region !== undefined && !region.startsWith(scope.regionPrefix)) {
        fail({ row: r.row, column: idHeader, value: r.idNumber, code: 'out_of_scope' });
        return;
      }
      if (region === undefined && !dept.createsPersons && mustLookUp) {
        fail({ row: r.row, column: idHeader, value: r.idNumber, code: 'not_in_register' });
        return;
      }
      if (refused) return;
      const x = sealed[i]!;
      // a department that creates persons stages a new person's row; the others, and rows of
      // registered persons, only what the merge reads
      const creates = dept.createsPersons && region === undefined;
      const n: Record<string, unknown> = creates ? newPerson(r, mctx, x) : { id_hash: x[0] };
      if (creates) for (const k in n) columns.add(k);
      created ||= creates;
      n.row_no = r.row;
      n.closing = r.values.status && r.values.status !== 'active' ? 1 : 0;
      n.merge_values = JSON.stringify(stagedValues(r, x[2], ctx.cipher));
      n.row_digest = sourceDigest(mctx.asOf, x);
      staged.push(n);
    });
    // every row of a staged batch has the same columns: new persons' optional ones as null
    if (created) for (const row of staged) for (const c of columns) if (!(c in row)) row[c] = null;
    await stageRows(ctx, mctx.importId, staged);
  };
  await createStaging(ctx, mctx.importId);
  const sealer = ctx.cipher.sealer();
  let batch: ParsedRow[] = [];
  let checking: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    // a file refused whole, with nothing to look up: the rest is only checked row by row
    if (mode === 'all' && badRows.size > 0 && !mustLookUp) return;
    const sealed = sealer.seal(rows.map((r) => [r.idNumber, r.values.phone ?? null, rowText(r.values)]));
    sealed.catch(() => undefined); // awaited below; a failure surfaces there
    await checking;
    checking = sealed.then((x) => check(rows, x));
    checking.catch(() => undefined);
  };
  try {
    for await (const rows of batches)
      for (const { row, cells } of rows) {
        rowsTotal++;
        const parsed = parseRow(dept, map, row, cells, todayDate);
        if (Array.isArray(parsed)) {
          parsed.forEach(fail);
          continue;
        }
        const firstRow = seen.firstRowOr(parsed.idNumber, row);
        if (firstRow !== undefined) {
          fail({ row, column: idHeader, value: parsed.idNumber, code: 'duplicate', params: { firstRow } });
          continue;
        }
        const region = parsed.values.regionCode;
        if (region !== undefined && region !== null) {
          const r = ctx.regions.get(region);
          if (!r || r.level !== 'village' || !region.startsWith(scope.regionPrefix)) {
            fail({ row, column: regionHeader, value: region, code: 'unknown_region', params: { region } });
            continue;
          }
        }
        if (resume && (row <= resume.after || resume.skip.has(row))) continue;
        batch.push(parsed);
        if (batch.length >= BATCH) await flush();
      }
    await flush();
    await checking;
  } finally {
    await checking.catch(() => undefined);
    await sealer.close();
  }
  if (rowsTotal === 0) throw new AppError('IMPORT_EMPTY');
  return { rowsTotal, errors, badCount: badRows.size, columns: [...columns].sort() };
}

/**
 * Pass 2, also the resumption of an interrupted import (after the last row it committed): the
 * staged rows merged into the register a span at a time. Persons not yet registered are created
 * set-wise from their staged columns (one INSERT … SELECT); rows of registered persons are merged
 * field by field (merge.ts: provenance, history, conflicts), and a row that changes nothing
 * writes nothing.
 */
async function apply(ctx: AppContext, importId: number, control: JobControl<ImportState>): Promise<void> {
  const { by: scope } = control.state;
  const imp = await ctx.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
  const dept = findDepartment(imp.source)!;
  const earlier = new Map(
    (await ctx.db.selectFrom('imports').select(['id', 'source', 'as_of']).where('status', 'in', ['applied', 'applying']).execute()).map((i) => [
      i.id,
      { source: i.source, asOf: i.as_of },
    ]),
  );
  const mctx: MergeContext = { source: dept.key, asOf: imp.as_of, importId, now: nowIso(), cipher: ctx.cipher, importOf: (id) => earlier.get(id) };
  // Progress committed before an interruption: rows up to `applied_through` are in, counted.
  const resumeAfter = control.state.appliedThrough;
  const counts: ImportCounts =
    resumeAfter > 0
      ? { created: imp.created, updated: imp.updated, unchanged: imp.unchanged, conflicts: imp.conflicts, closed: imp.closed }
      : { created: 0, updated: 0, unchanged: 0, conflicts: 0, closed: 0 };
  const changed = new Set<FieldKey>(resumeAfter > 0 && imp.applied_fields ? (JSON.parse(imp.applied_fields) as FieldKey[]) : []);
  let columns = control.state.columns;
  if (!columns) {
    // accepted by a version that did not stage: stage the stored file's remaining good rows now
    await ensureStored(ctx, imp);
    await dropStaging(ctx, importId);
    const bad = new Set((await ctx.db.selectFrom('import_errors').select('row_no').where('import_id', '=', importId).execute()).map((r) => r.row_no));
    const info: FileInfo = { format: imp.format as FileInfo['format'], encoding: imp.encoding, sha256: imp.file_sha256, bytes: 0 };
    const again = await validate(ctx, scope, dept, openStored(ctx, importId), info, mctx, { mode: 'valid', resume: { after: resumeAfter, skip: bad } });
    // The stored file was validated: a row failing now means the rules changed in between.
    // Stop rather than skip it silently.
    const failing = again.errors.find((e) => !bad.has(e.row));
    if (failing) throw new Error(`row ${failing.row} no longer passes validation: ${rowReasonText(failing, 'en')}`);
    columns = again.columns;
  } else openStaging(ctx, importId);
  let trx: ControlledTransaction<Database> | undefined;
  let openedAt = 0;
  let commits = 0;
  let applied = control.job.done;
  let cursor = resumeAfter;
  // the progress committed, as a live event (published after the commit, never before)
  const total = control.job.total;
  const progressed = (status: ImportStatus) => publish(importEvent(imp, status, applied, total));
  progressed('applying');
  try {
    for (;;) {
      const span = await stagedSpan(ctx, trx ?? ctx.db, importId, cursor, applyTuning.batchRows);
      if (!span) break;
      if (!trx) {
        trx = await ctx.db.startTransaction().execute();
        openedAt = Date.now();
      }
      await applySpan(ctx, trx, mctx, cursor, span, columns, dept.createsPersons, counts, changed);
      cursor = span.through;
      applied += span.rows;
      // the progress commits with the rows it describes
      await control.progress(trx, { done: applied, state: { appliedThrough: cursor, by: scope, columns } });
      await updateImport(trx, importId, { ...counts, applied_through: cursor, applied_fields: JSON.stringify([...changed].sort()) });
      if (Date.now() - openedAt >= applyTuning.commitEveryMs) {
        await trx.commit().execute();
        trx = undefined;
        progressed('applying');
        if (applyTuning.crashAfterCommits !== undefined && ++commits >= applyTuning.crashAfterCommits)
          throw new SimulatedCrash(`stopped after ${commits} commits`);
      }
    }
    if (trx) await trx.commit().execute();
    trx = undefined;
  } catch (e) {
    if (trx)
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
    // the runner marks the job failed and the import with it (its `failed`), or leaves a crash as it is
    throw e;
  }
  await ctx.db.transaction().execute(async (trx) => {
    await control.finish(trx);
    await updateImport(trx, importId, { status: 'applied', ...counts, finished_at: nowIso() });
    await recordAudit(trx, scope, {
      action: 'register.import',
      entityType: 'import',
      entityId: importId,
      regionCode: imp.region_code,
      fields: [...changed].sort(),
      detail: { source: dept.key, file: imp.file_name, sha256: imp.file_sha256, asOf: imp.as_of, rowsTotal: imp.rows_total, rowsBad: imp.rows_bad, ...counts },
    });
  });
  progressed('applied');
  dropStored(ctx, importId);
  await dropStaging(ctx, importId);
  // PostgreSQL: statistics and a visibility map of what the import wrote, for the searches and runs
  // that read it next (db/statistics.ts); the import is applied whatever becomes of this, and a
  // run's start asks again
  await freshenStatistics(ctx.db, ['persons', 'person_history'], { vacuum: true }).catch(() => []);
}

/**
 * An import left 'applying' by an earlier version kept its file in plain text as
 * `<sha256>.<format>`: seal it under the new name and remove the plain copy.
 */
async function ensureStored(ctx: AppContext, imp: ImportRow): Promise<void> {
  const sealed = storedFile(ctx, imp.id);
  if (existsSync(sealed)) return;
  const legacy = join(importsDir(ctx), `${imp.file_sha256}.${imp.format}`);
  if (!existsSync(legacy)) throw new Error(`the stored file of import ${imp.id} is missing`);
  const partial = join(importsDir(ctx), `${randomUUID()}.partial`);
  await writeSealed(ctx.config.masterKey, createReadStream(legacy), partial);
  renameSync(partial, sealed);
  rmSync(legacy, { force: true });
}

/** Staged rows (after, through]: registered persons merged row by row, the others created set-wise. */
async function applySpan(
  ctx: AppContext,
  trx: Transaction<Database>,
  mctx: MergeContext,
  after: number,
  span: { through: number; rows: number; closing: number },
  columns: string[],
  createsPersons: boolean,
  counts: ImportCounts,
  changed: Set<FieldKey>,
) {
  const { through } = span;
  // rows their source delivered before, the same and with the same date, are passed over unread
  const same = await stagedUnchanged(ctx, trx, mctx.importId, mctx.source, after, through);
  counts.unchanged += same;
  const existing = await stagedExisting(ctx, trx, mctx.importId, mctx.source, after, through);
  const open = await openConflictKeys(
    trx,
    existing.map((p) => p.id),
  );
  const history: NewHistory[] = [];
  const conflicts: NewConflict[] = [];
  const patches: ({ id: number } & PersonUpdate)[] = [];
  for (const { staged_values, staged_digest, ...person } of existing) {
    const values = unstagedValues(JSON.parse(staged_values) as ParsedRow['values'], ctx.cipher);
    const m = mergeInto(person, { values, digest: staged_digest }, mctx, open);
    if (m.patch) patches.push({ ...m.patch, id: person.id });
    history.push(...m.history);
    conflicts.push(...m.conflicts);
    m.changedFields.forEach((f) => changed.add(f));
    if (m.changedFields.length) counts.updated++;
    else counts.unchanged++;
    counts.conflicts += m.conflicts.length;
    if (m.closed) counts.closed++;
  }
  // every row of the span is a registered person's (a file imported again): nobody to create
  if (createsPersons && same + existing.length < span.rows) {
    const made = await insertStagedPersons(ctx, trx, mctx.importId, after, through, columns, span.closing > 0);
    counts.created += made.created;
    counts.closed += made.closed;
  }
  // the span's updates set-wise (PostgreSQL: a statement per set of columns, not a round trip a person)
  await ctx.handle.updateMany(trx, 'persons', patches);
  await ctx.handle.insertMany(trx, 'person_history', history);
  await ctx.handle.insertMany(trx, 'attribute_conflicts', conflicts);
}

/**
 * At start-up, before the runner resumes jobs: removes files a crash left, and gives an import left
 * applying without a job (by a version before the runner) one, to resume from its committed row.
 */
export async function prepareImportResume(ctx: AppContext): Promise<void> {
  const pending = await importsToResume(ctx.db);
  await sweepStoredFiles(ctx, new Set(pending.map((i) => `${i.file_sha256}.${i.format}`)));
  await dropOrphanStaging(ctx, new Date(Date.now() - 6 * 3600_000).toISOString());
  for (const imp of pending) {
    if (await runningJob(ctx.db, IMPORT_JOB, String(imp.id))) continue;
    const region = ctx.regions.get(imp.region_code);
    const by = systemScope(imp.region_code, region?.prefix ?? imp.region_code, 'system:resume');
    await createJob<ImportState>(ctx.db, IMPORT_JOB, String(imp.id), {
      total: imp.rows_total - imp.rows_bad,
      state: { appliedThrough: imp.applied_through, by },
    });
  }
}

/** Finishes every import that was accepted but interrupted while applying; resolves when they have ended. */
export async function resumeImports(ctx: AppContext): Promise<number> {
  await prepareImportResume(ctx);
  const n = await resumeJobs(ctx, [IMPORT_JOB]);
  await waitForJobs();
  return n;
}

/**
 * Removes what a crash (or an earlier version) left: sealed files of imports that ended (or were
 * left 'validating' by a process that died hours ago), half-written ones, plain-text copies
 * kept by earlier versions, and uploads in <dataDir>/tmp. Younger files are left alone: they may
 * belong to an import in progress on another server sharing the directory (and are sealed).
 */
async function sweepStoredFiles(ctx: AppContext, legacyNeeded: Set<string>): Promise<void> {
  const now = Date.now();
  const olderThan = (path: string, ms: number) => {
    try {
      return statSync(path).mtimeMs < now - ms;
    } catch {
      return false;
    }
  };
  const dir = importsDir(ctx);
  if (existsSync(dir)) {
    const names = readdirSync(dir);
    const ids = names
      .map((n) => /^(\d+)\.sealed$/.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .map(Number);
    const status = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await ctx.db
        .selectFrom('imports')
        .select(['id', 'status'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute())
        status.set(r.id, r.status);
    }
    for (const name of names) {
      const path = join(dir, name);
      const id = /^(\d+)\.sealed$/.exec(name)?.[1];
      let drop: boolean;
      if (id !== undefined) {
        const s = status.get(Number(id));
        drop = s === undefined || !(s === 'applying' || (s === 'validating' && !olderThan(path, 6 * 3600_000)));
      } else if (name.endsWith('.partial')) drop = olderThan(path, 3600_000);
      else drop = /^[0-9a-f]{64}\.(csv|xlsx)$/.test(name) && !legacyNeeded.has(name);
      if (drop) rmSync(path, { force: true });
    }
  }
  const tmp = join(ctx.config.dataDir, 'tmp');
  if (existsSync(tmp)) {
    for (const name of readdirSync(tmp)) {
      const path = join(tmp, name);
      if (olderThan(path, 3600_000)) rmSync(path, { force: true, recursive: true });
    }
  }
}
