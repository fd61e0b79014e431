import { z } from 'zod';
import { paging } from '../../platform/paging.js';

/** Inputs of the register's HTTP API. */
export const searchQuery = z.object({
  /** a name prefix, or a full 18-character resident ID */
  q: z.string().max(40).optional(),
  regionCode: z.string().regex(/^\d{6,12}$/).optional(),
  /** comma-separated tag keys */
  tags: z.string().max(400).optional(),
  status: z.enum(['active', 'closed', 'all']).default('active'),
  ...paging,
});

export const revealBody = z.object({ field: z.enum(['idNumber', 'phone']) });

export const conflictQuery = z.object({ status: z.enum(['open', 'kept', 'accepted']).default('open'), ...paging });

export const resolveBody = z.object({ choice: z.enum(['keep', 'accept']) });
