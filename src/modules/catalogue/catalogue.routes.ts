import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import * as service from './catalogue.service.js';
import { factsRoutes } from './facts.routes.js';
import { catalogueQuery, catalogueView, jurisdictionParams, parameterParams, setParameterBody, setParameterReply } from './catalogue.schema.js';
import { catalogueInForce } from './catalogue.settings.js';

export async function catalogueRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  await factsRoutes(api);

  r.get('/catalogue', { config: { access: 'catalogue.read' }, schema: { response: { 200: catalogueView } } }, async (req) =>
    service.viewCatalogue(ctx, viewer(req), catalogueInForce(ctx)),
  );

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
