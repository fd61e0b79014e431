import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { workbenchReply } from './workbench.schema.js';
import { workbench } from './workbench.service.js';

/** GET /api/workbench: every signed-in role has one; what it holds follows the role's actions. */
export async function workbenchRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/workbench', { config: { access: 'authenticated' }, schema: { response: { 200: workbenchReply } } }, async (req) => workbench(ctx, viewer(req)));
}
