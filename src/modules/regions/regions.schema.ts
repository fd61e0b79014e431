import { z } from 'zod';

/** The GB/T 2260 regions a viewer may see (the console's region pickers and names). */
export const region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  kind: z.string(),
  parentCode: z.string().nullable(),
});
export const regionsReply = z.object({ regions: z.array(region) });

export type Region = z.infer<typeof region>;
export type RegionsReply = z.infer<typeof regionsReply>;
