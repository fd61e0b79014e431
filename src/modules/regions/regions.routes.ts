import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';

export async function regionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  api.get('/regions', { config: { access: 'regions.read' } }, async (req) => ({
    regions: ctx.regions.inScope(viewer(req)).map((r) => ({ code: r.code, name: r.name, level: r.level, kind: r.kind, parentCode: r.parent_code })),
  }));
}
