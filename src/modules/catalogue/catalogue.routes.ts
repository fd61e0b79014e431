import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import * as service from './catalogue.service.js';
import { factsRoutes } from './facts.routes.js';
import { inForceQuery, catalogueQuery, catalogueView, jurisdictionParams, parameterParams, setParameterBody, setParameterReply } from './catalogue.schema.js';
import { catalogueOf } from './catalogue.settings.js';
import { jurisdictionFor } from './jurisdictions.js';

export async function catalogueRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  await factsRoutes(api);

  // the catalogue in force in a jurisdiction of the viewer's (default: their own, see jurisdictionFor)
  r.get('/catalogue', { config: { access: 'catalogue.read' }, schema: { querystring: inForceQuery, response: { 200: catalogueView } } }, async (req) => {
    const scope = viewer(req);
    return service.viewCatalogue(ctx, scope, catalogueOf(ctx, jurisdictionFor(ctx, scope, req.query.jurisdiction).code));
  });

  r.get(
    '/catalogues/:jurisdiction',
    {
      config: { access: 'catalogue.read' },
      schema: { params: jurisdictionParams, querystring: catalogueQuery, response: { 200: catalogueView } },
    },
    async (req) => service.viewCatalogue(ctx, viewer(req), req.params.jurisdiction, req.query.effective),
  );

  r.post(
    '/catalogues/:jurisdiction/parameters/:name',
    {
      config: { access: 'catalogue.set_parameter' },
      schema: { params: parameterParams, body: setParameterBody, response: { 200: setParameterReply } },
    },
    async (req) => service.setParameter(ctx, viewer(req), { jurisdiction: req.params.jurisdiction, name: req.params.name, ...req.body }),
  );
}
