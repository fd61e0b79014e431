import { z } from 'zod';
import { pageOf, paging } from '../../../platform/paging.js';

/** The department files an officer may import, with their columns (what the template holds). */
export const sourceColumn = z.object({ field: z.string(), header: z.string(), required: z.boolean(), label: z.string(), labelEn: z.string() });
export const source = z.object({ key: z.string(), label: z.string(), labelEn: z.string(), createsPersons: z.boolean(), columns: z.array(sourceColumn) });
export const sourcesReply = z.object({ sources: z.array(source) });
export const sourceParams = z.object({ key: z.string().max(40) });
export const pagingQuery = z.object(paging);

export const importSummary = z.object({
  id: z.number(),
  source: z.string(),
  sourceLabel: z.string(),
  sourceLabelEn: z.string(),
  fileName: z.string(),
  format: z.string(),
  encoding: z.string().nullable(),
  asOf: z.string(),
  status: z.string(),
  rowsTotal: z.number(),
  rowsBad: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  conflicts: z.number(),
  closed: z.number(),
  message: z.string().nullable(),
  /** the importer's user id (null for the system: command line, demo, resumption) */
  importedBy: z.number().nullable(),
  /** the importer's display name, shown as 导入人 */
  importedByName: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export const importReply = z.object({ import: importSummary });
export const importsReply = pageOf(importSummary);
/** A bad row of an import: its value masked and capped. */
export const rowError = z.object({ row: z.number(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() });
export const rowErrorsReply = pageOf(rowError);
/**
 * The upload form (multipart, read by the route as it streams; described here for the contract):
 * the department, the data date, all-or-nothing or valid rows only, and one file.
 */
export const importUploadBody = z.object({
  source: z.string().describe('department key, see GET /api/sources'),
  asOf: z.string().optional().describe('data date YYYY-MM-DD'),
  mode: z.enum(['all', 'valid']).optional(),
  file: z.string().meta({ format: 'binary', description: 'the CSV (UTF-8 or GBK) or XLSX file' }),
});

/** Open conflicts by the department whose value came in (what the bulk buttons count). */
export const conflictSummaryReply = z.object({
  total: z.number(),
  sources: z.array(z.object({ source: z.string(), label: z.string(), labelEn: z.string(), open: z.number() })),
});
/** Accept every open conflict from one department, or keep every current value (of one department, or all); `expected`: the count the officer confirmed. */
export const resolveAllBody = z
  .object({ choice: z.enum(['accept', 'keep']), source: z.string().max(40).optional(), expected: z.number().int().min(0) })
  .refine((b) => b.choice === 'keep' || b.source !== undefined, { message: 'accepting in bulk names the department', path: ['source'] });
export const resolveAllReply = z.object({ resolved: z.number() });

export type SourceColumn = z.infer<typeof sourceColumn>;
export type Source = z.infer<typeof source>;
export type ImportSummary = z.infer<typeof importSummary>;
export type RowError = z.infer<typeof rowError>;
export type SourcesReply = z.infer<typeof sourcesReply>;
export type ImportReply = z.infer<typeof importReply>;
export type ConflictSummary = z.infer<typeof conflictSummaryReply>;
export type ResolveAllBody = z.infer<typeof resolveAllBody>;
