import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { tagInfos } from '../register/tags.js';
import { factInfos } from './facts.js';
import { factsReply } from './facts.schema.js';

/**
 * `GET /api/facts`: the person facts rules read, as declared by the modules that own them (labels
 * in both languages, value labels, whether a fact may be unknown), and the register search tags
 * they give. Public: the self-check builds its form from it, and it holds nothing about any person.
 */
export async function factsRoutes(api: FastifyInstance): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/facts', { config: { access: 'public' }, schema: { response: { 200: factsReply } } }, async () => ({ facts: factInfos(), tags: tagInfos() }));
}
