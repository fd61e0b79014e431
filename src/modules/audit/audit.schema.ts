import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { isCivilDate } from '../../platform/time.js';

export { emptyBody } from '../../platform/paging.js';

const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isCivilDate, 'not a calendar date');

/** The log's filter: a date range (days in Asia/Shanghai, both ends included), the operator, the action, the person. */
export const auditFilter = z.object({
  from: civilDate.optional(),
  to: civilDate.optional(),
  /** the operator's username */
  actor: z.string().trim().max(64).optional(),
  action: z.string().max(60).optional(),
  personId: z.coerce.number().int().positive().optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(40).optional(),
});
export const auditQuery = auditFilter.extend(paging);
export const auditExportQuery = auditFilter;

export const auditItem = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  role: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  fields: z.array(z.string()).nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export const auditReply = pageOf(auditItem);

/** The keyed chain checked, and the database against the anchor file outside it. */
export const auditVerifyReply = z.object({
  ok: z.boolean(),
  entries: z.number(),
  /** the last entry of the log as walked (null when empty) */
  last: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  problems: z.array(z.object({ seq: z.number(), problem: z.string(), message: z.string() })),
});

export type AuditItem = z.infer<typeof auditItem>;
export type AuditFilterQuery = z.input<typeof auditFilter>;
export type AuditVerify = z.infer<typeof auditVerifyReply>;
