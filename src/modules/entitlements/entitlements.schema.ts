import { z } from 'zod';
import { paging } from '../../platform/paging.js';
import { profileSchema } from '../catalogue/catalogue.schema.js';

export const startRunBody = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为 YYYY-MM') });
export const runsQuery = z.object(paging);
export const impactQuery = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '期间应为 YYYY-MM') });
export const parameterImpactBody = z.object({
  jurisdiction: z.string().min(1).max(40), name: z.string().min(1).max(60),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD'), value: z.union([z.string().max(100), z.number()]),
});
export const changesQuery = z.object({
  ...paging,
  kind: z.enum(['new', 'ended', 'amount']).optional(),
  itemId: z.string().max(20).optional(),
  handled: z.enum(['true', 'false']).optional(),
});
export const handleBody = z.object({ handled: z.boolean() });
export const rollsQuery = z.object({
  runId: z.coerce.number().int().positive().optional(),
  period: z.string().regex(/^\d{4}-\d{2}$/).optional(),
  status: z.enum(['draft', 'submitted', 'returned', 'approved']).optional(),
  itemId: z.string().max(20).optional(),
});
export const rollQuery = z.object({ ...paging, pageSize: z.coerce.number().int().min(1).max(500).default(50) });
export const noteBody = z.object({ note: z.string().max(500).default('') });
export const lineParams = z.object({ id: z.coerce.number().int().positive(), personId: z.coerce.number().int().positive() });
export const lineBody = z.object({ excluded: z.boolean(), remark: z.string().max(200).default('') });
export const rosterParams = z.object({ id: z.coerce.number().int().positive(), itemId: z.string().regex(/^[a-z]+-[0-9]+[a-z]?$/) });
/** The public self-check form: a hypothetical profile, optionally for another month. */
export const selfCheckBody = profileSchema.extend({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() });
