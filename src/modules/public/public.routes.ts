import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { idParam } from '../../platform/paging.js';
import { facilityPageReply, placeQuery, portalReply, servicesReply } from './public.schema.js';
import { facilityPage, portal, services } from './public.service.js';

/** No login, rate-limited as the other public reads. */
const PUBLIC = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '1 minute' } };

/** The public pages' reads (R12): the portal, the catalogue in plain words, a facility's page. */
export async function publicRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get('/public/portal', { config: PUBLIC, schema: { querystring: placeQuery, response: { 200: portalReply } } }, async (req) => portal(ctx, req.query.place));
  r.get('/public/services', { config: PUBLIC, schema: { querystring: placeQuery, response: { 200: servicesReply } } }, async (req) =>
    services(ctx, req.query.place),
  );
  r.get('/public/facilities/:id', { config: PUBLIC, schema: { params: idParam, response: { 200: facilityPageReply } } }, async (req) =>
    facilityPage(ctx, req.params.id),
  );
}
