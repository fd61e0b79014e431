import { z } from 'zod';

/** The answer of GET /api/facts (facts.routes.ts), which the console's self-check and register tags read. */
const words = z.object({ zh: z.string(), en: z.string() });
export const factsReply = z.object({
  facts: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['bool', 'int', 'money', 'text', 'enum', 'list']),
      label: z.string(),
      labelEn: z.string(),
      values: z.record(z.string(), words).nullable(),
      owner: z.string(),
      unknown: z.boolean(),
      ask: z.boolean(),
      default: z.union([z.boolean(), z.number(), z.string(), z.array(z.union([z.number(), z.string()])).readonly()]).nullable(),
      unknownWith: z.array(z.string()),
    }),
  ),
  /** the register's search tags, from the same declarations: key, the fact that gives it, labels */
  tags: z.array(z.object({ key: z.string(), fact: z.string(), label: z.string(), labelEn: z.string() })),
});
export type FactsReply = z.infer<typeof factsReply>;
