import { z } from 'zod';

/** Page and page size as every list endpoint takes them. */
export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export const idParam = z.object({ id: z.coerce.number().int().positive() });
