import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

export { emptyBody } from '../../platform/paging.js';

export const auditQuery = z.object({
  action: z.string().max(60).optional(),
  entityType: z.string().max(40).optional(),
  entityId: z.string().max(40).optional(),
  ...paging,
});

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
export type AuditVerify = z.infer<typeof auditVerifyReply>;
