import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ImportRow } from '../../../db/tables.js';
import type { AppContext } from '../../../platform/context.js';
import { CSV_BOM, csvLine } from '../../../platform/csv.js';
import { AppError, notFound } from '../../../platform/errors.js';
import { attachment, localeOf, viewer } from '../../../platform/http.js';
import { maskText } from '../../../platform/mask.js';
import { fileReply, idParam } from '../../../platform/paging.js';
import {
  conflictSummaryReply,
  importReply,
  importsReply,
  importUploadBody,
  pagingQuery,
  resolveAllBody,
  resolveAllReply,
  rowErrorsReply,
  sourceParams,
  sourcesReply,
} from './imports.schema.js';
import { conflictSummary, resolveAll } from './conflicts-bulk.js';
import { recordAudit } from '../../../platform/audit.js';
import { departments, findDepartment } from '../sources/departments.js';
import { fields } from '../sources/fields.js';
import { findImport, listImportErrors, listImports } from './imports.repository.js';
import { runImport, type ImportMode } from './imports.service.js';
import { sealStream } from './sealed-file.js';
import { templateCsv, templateFor, templateXlsx } from './templates.js';
import { XLSX_TYPE } from '../../../platform/xlsx.js';
import { reportHeader, reportMoreRows, reportQuery, storedRowReason } from './row-reasons.js';

export function importSummary(i: ImportRow & { imported_by_name?: string | null }) {
  return {
    id: i.id,
    source: i.source,
    sourceLabel: findDepartment(i.source)?.label ?? i.source,
    sourceLabelEn: findDepartment(i.source)?.labelEn ?? i.source,
    fileName: i.file_name,
    format: i.format,
    encoding: i.encoding,
    asOf: i.as_of,
    status: i.status,
    rowsTotal: i.rows_total,
    rowsBad: i.rows_bad,
    created: i.created,
    updated: i.updated,
    unchanged: i.unchanged,
    conflicts: i.conflicts,
    closed: i.closed,
    message: i.message,
    importedBy: i.imported_by,
    importedByName: i.imported_by_name ?? null,
    startedAt: i.started_at,
    finishedAt: i.finished_at,
  };
}

const CSV_FILE = fileReply('text/csv; charset=utf-8', 'a CSV file (UTF-8 with BOM)');
const XLSX_FILE = fileReply(XLSX_TYPE, 'an XLSX workbook');

export async function importRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/sources', { config: { access: 'register.import' }, schema: { response: { 200: sourcesReply } } }, async () => ({
    sources: departments.map((d) => ({
      key: d.key,
      label: d.label,
      labelEn: d.labelEn,
      createsPersons: d.createsPersons,
      columns: d.columns.map((c) => ({
        field: c.field,
        header: c.headers[0] ?? c.field,
        required: c.required,
        label: fields[c.field].label,
        labelEn: fields[c.field].labelEn,
      })),
    })),
  }));

  // Templates that teach (templates.ts): the header, a sample row that imports cleanly, and in the
  // XLSX the allowed values of each column and the region codes of the viewer's scope.
  r.get('/sources/:key/template.csv', { config: { access: 'register.import' }, schema: { params: sourceParams, response: CSV_FILE } }, async (req, reply) => {
    const d = findDepartment(req.params.key);
    if (!d) throw new AppError('UNKNOWN_SOURCE', { source: req.params.key });
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(`${d.label}-模板.csv`));
    return templateCsv(templateFor(d, viewer(req), ctx.regions));
  });

  r.get('/sources/:key/template.xlsx', { config: { access: 'register.import' }, schema: { params: sourceParams, response: XLSX_FILE } }, async (req, reply) => {
    const d = findDepartment(req.params.key);
    if (!d) throw new AppError('UNKNOWN_SOURCE', { source: req.params.key });
    void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(`${d.label}-模板.xlsx`));
    return templateXlsx(d, templateFor(d, viewer(req), ctx.regions));
  });

  // Conflicts in bulk (conflicts-bulk.ts): the open ones by department, then accept or keep them all.
  r.get('/conflicts/summary', { config: { access: 'register.read' }, schema: { response: { 200: conflictSummaryReply } } }, async (req) =>
    conflictSummary(ctx, viewer(req)),
  );
  r.post(
    '/conflicts/resolve-all',
    { config: { access: 'register.resolve_conflict' }, schema: { body: resolveAllBody, response: { 200: resolveAllReply } } },
    async (req) => resolveAll(ctx, viewer(req), req.body),
  );

  // The body is multipart, read as it streams (never validated as a whole): the form is described
  // for the contract only, by config.multipartBody.
  r.post(
    '/imports',
    {
      config: { access: 'register.import', uploadLimitBytes: ctx.config.uploadLimitBytes, multipartBody: importUploadBody },
      schema: { consumes: ['multipart/form-data'], response: { 200: importReply } },
    },
    async (req) => {
      const scope = viewer(req);
      const form: Record<string, string> = {};
      let upload: { path: string; fileName: string } | undefined;
      const tmpDir = join(ctx.config.dataDir, 'tmp');
      mkdirSync(tmpDir, { recursive: true, mode: 0o700 });
      // The upload is sealed as it arrives (never on disk in plain text) and removed on every path.
      // multipart's size and count limits (too large, a second file) are named by the error handler
      try {
        for await (const part of req.parts()) {
          if (part.type === 'field') {
            form[part.fieldname] = String(part.value);
            continue;
          }
          if (upload) throw new AppError('UPLOAD_ONE_FILE');
          upload = { path: join(tmpDir, `${randomUUID()}.upload`), fileName: part.filename || 'upload' };
          await pipeline(part.file, sealStream(ctx.config.masterKey), createWriteStream(upload.path, { mode: 0o600 }));
        }
        if (!upload) throw new AppError('UPLOAD_MISSING');
        const mode = form.mode === 'valid' ? 'valid' : form.mode === undefined || form.mode === 'all' ? 'all' : null;
        if (!mode) throw new AppError('IMPORT_MODE', { mode: String(form.mode) });
        const done = await runImport(ctx, scope, {
          source: form.source ?? '',
          path: upload.path,
          sealed: true,
          fileName: upload.fileName,
          asOf: form.asOf,
          mode: mode as ImportMode,
        });
        const withName = await findImport(ctx.db, scope, done.id);
        return { import: importSummary(withName ?? done) };
      } finally {
        if (upload) rmSync(upload.path, { force: true });
      }
    },
  );

  r.get('/imports', { config: { access: 'register.import' }, schema: { querystring: pagingQuery, response: { 200: importsReply } } }, async (req) => {
    const { rows, total } = await listImports(ctx.db, viewer(req), req.query.pageSize, (req.query.page - 1) * req.query.pageSize);
    return { items: rows.map(importSummary), total };
  });

  r.get('/imports/:id', { config: { access: 'register.import' }, schema: { params: idParam, response: { 200: importReply } } }, async (req) => {
    const i = await findImport(ctx.db, viewer(req), req.params.id);
    if (!i) throw notFound('import');
    return { import: importSummary(i) };
  });

  r.get(
    '/imports/:id/errors',
    { config: { access: 'register.import' }, schema: { params: idParam, querystring: pagingQuery, response: { 200: rowErrorsReply } } },
    async (req) => {
      const i = await findImport(ctx.db, viewer(req), req.params.id);
      if (!i) throw notFound('import');
      const { rows, total } = await listImportErrors(ctx.db, i.id, req.query.pageSize, (req.query.page - 1) * req.query.pageSize);
      return {
        items: rows.map((e) => ({
          row: e.row_no,
          column: e.column_name,
          value: e.value === null ? null : maskText(e.value),
          reason: storedRowReason(e, localeOf(req)),
        })),
        total,
      };
    },
  );

  r.get(
    '/imports/:id/errors.csv',
    { config: { access: 'register.import' }, schema: { params: idParam, querystring: reportQuery, response: CSV_FILE } },
    async (req, reply) => {
      const scope = viewer(req);
      const i = await findImport(ctx.db, scope, req.params.id);
      if (!i) throw notFound('import');
      const { rows, total } = await listImportErrors(ctx.db, i.id, 1_000_000, 0);
      await ctx.db
        .transaction()
        .execute((trx) => recordAudit(trx, scope, { action: 'register.error_report', entityType: 'import', entityId: i.id, detail: { rows: total } }));
      // a download link cannot set Accept-Language: the console names its language in ?lang=
      const locale = req.query.lang ?? localeOf(req);
      let out = CSV_BOM + csvLine(reportHeader(locale));
      for (const e of rows)
        out += csvLine([String(e.row_no), e.column_name ?? '', e.value === null ? '' : maskText(e.value), storedRowReason(e, locale)], true);
      if (i.rows_bad > total) out += csvLine(['', '', '', reportMoreRows(i.rows_bad - total, locale)]);
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(`导入错误报告-${i.id}.csv`));
      return out;
    },
  );
}
