import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { regionsReply } from './regions.schema.js';

export async function regionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/regions', { config: { access: 'regions.read' }, schema: { response: { 200: regionsReply } } }, async (req) => ({
    regions: ctx.regions.inScope(viewer(req)).map((g) => ({ code: g.code, name: g.name, level: g.level, kind: g.kind, parentCode: g.parent_code })),
  }));
}
