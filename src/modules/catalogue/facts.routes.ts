import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tagInfos } from '../register/tags.js';
import { factInfos } from './facts.js';

const words = z.object({ zh: z.string(), en: z.string() });
export const factsReply = z.object({
  facts: z.array(z.object({
    name: z.string(), type: z.enum(['bool', 'int', 'money', 'text', 'enum', 'list']), label: z.string(), labelEn: z.string(),
    values: z.record(z.string(), words).nullable(), owner: z.string(), unknown: z.boolean(), ask: z.boolean(),
    default: z.union([z.boolean(), z.number(), z.string(), z.array(z.union([z.number(), z.string()])).readonly()]).nullable(),
    unknownWith: z.array(z.string()),
  })),
  /** the register's search tags, from the same declarations: key, the fact that gives it, labels */
  tags: z.array(z.object({ key: z.string(), fact: z.string(), label: z.string(), labelEn: z.string() })),
});
export type FactsReply = z.infer<typeof factsReply>;

/**
 * `GET /api/facts`: the person facts rules read, as declared by the modules that own them (labels
 * in both languages, value labels, whether a fact may be unknown), and the register search tags
 * they give. Public: the self-check builds its form from it, and it holds nothing about any person.
 */
export async function factsRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/facts', { config: { access: 'public' }, schema: { response: { 200: factsReply } } }, async () => ({ facts: factInfos(), tags: tagInfos() }));
}
