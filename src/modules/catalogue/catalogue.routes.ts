import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import * as service from './catalogue.service.js';
import { factsRoutes } from './facts.routes.js';

const jurisdictionParams = z.object({ jurisdiction: z.string().regex(/^[a-z][a-z0-9_]*$/) });

export async function catalogueRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  await factsRoutes(api);

  r.get('/catalogue', { config: { access: 'catalogue.read' } }, async (req) => service.viewCatalogue(ctx, viewer(req), ctx.config.catalogue));

  r.get('/catalogues/:jurisdiction', {
    config: { access: 'catalogue.read' },
    schema: { params: jurisdictionParams, querystring: z.object({ effective: z.string().optional() }) },
  }, async (req) => service.viewCatalogue(ctx, viewer(req), req.params.jurisdiction, req.query.effective));

  r.post('/catalogues/:jurisdiction/parameters/:name', {
    config: { access: 'catalogue.set_parameter' },
    schema: {
      params: jurisdictionParams.extend({ name: z.string().regex(/^[a-z][a-z0-9_]*$/) }),
      body: z.object({ from: z.string(), value: z.union([z.string().max(200), z.number()]), note: z.string().max(500) }),
    },
  }, async (req) => service.setParameter(ctx, viewer(req), { jurisdiction: req.params.jurisdiction, name: req.params.name, ...req.body }));
}
