import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam } from '../../platform/paging.js';
import { anomalyCodes, listAnomalies, resolveAnomaly, reviewAnomaly } from './anomalies.js';
import { anomaliesQuery, anomaliesReply, anomalyCodesReply, anomalyView, resolveBody, reviewBody } from './anomalies.schema.js';

/** EVV exceptions: the queue, the codes, the provider's resolution and the officer's review. */
export async function anomalyRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/services/anomalies',
    { config: { access: 'services.read' }, schema: { querystring: anomaliesQuery, response: { 200: anomaliesReply } } },
    async (req) => listAnomalies(ctx, viewer(req), req.query),
  );

  r.get('/services/anomalies/codes', { config: { access: 'services.read' }, schema: { response: { 200: anomalyCodesReply } } }, async () => anomalyCodes());

  r.post(
    '/services/anomalies/:id/resolve',
    { config: { access: 'services.resolve' }, schema: { params: idParam, body: resolveBody, response: { 200: anomalyView } } },
    async (req) => resolveAnomaly(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/anomalies/:id/review',
    { config: { access: 'services.review' }, schema: { params: idParam, body: reviewBody, response: { 200: anomalyView } } },
    async (req) => reviewAnomaly(ctx, viewer(req), req.params.id, req.body),
  );
}
