import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { acceptOffer, applyFor, declineOffer, detail, offerBed, queueFacilities, queueOf, refreshQueues, withdraw } from './applications.js';
import {
  acceptBody,
  applyBody,
  applyReply,
  detailReply,
  facilitiesReply,
  offerBody,
  queueQuery,
  queueReply,
  refreshReply,
  trackBody,
  trackReply,
} from './admission.schema.js';
import { track } from './tracking.js';

/** The admission queue's routes: institutions, a queue, applications and their offers, the public tracking look-up. */
export async function admissionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/admission/facilities', { config: { access: 'admission.read' }, schema: { response: { 200: facilitiesReply } } }, async (req) =>
    queueFacilities(ctx, viewer(req)),
  );
  r.get('/admission/queue', { config: { access: 'admission.read' }, schema: { querystring: queueQuery, response: { 200: queueReply } } }, async (req) =>
    queueOf(ctx, viewer(req), req.query),
  );
  r.post(
    '/admission/applications',
    { config: { access: 'admission.apply' }, schema: { body: applyBody, response: { 201: applyReply } } },
    async (req, reply) => {
      const out = await applyFor(ctx, viewer(req), req.body);
      void reply.code(201);
      return out;
    },
  );
  r.get('/admission/applications/:id', { config: { access: 'admission.read' }, schema: { params: idParam, response: { 200: detailReply } } }, async (req) =>
    detail(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/admission/applications/:id/withdraw',
    { config: { access: 'admission.apply' }, schema: { params: idParam, body: emptyBody, response: { 200: detailReply } } },
    async (req) => withdraw(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/admission/applications/:id/offer',
    { config: { access: 'admission.offer' }, schema: { params: idParam, body: offerBody, response: { 200: detailReply } } },
    async (req) => offerBed(ctx, viewer(req), req.params.id, req.body.bedId),
  );
  r.post(
    '/admission/applications/:id/accept',
    { config: { access: 'admission.offer' }, schema: { params: idParam, body: acceptBody, response: { 200: detailReply } } },
    async (req) => acceptOffer(ctx, viewer(req), req.params.id, req.body?.on),
  );
  r.post(
    '/admission/applications/:id/decline',
    { config: { access: 'admission.offer' }, schema: { params: idParam, body: emptyBody, response: { 200: detailReply } } },
    async (req) => declineOffer(ctx, viewer(req), req.params.id),
  );
  r.post('/admission/refresh', { config: { access: 'admission.refresh' }, schema: { body: emptyBody, response: { 200: refreshReply } } }, async (req) =>
    refreshQueues(ctx, viewer(req)),
  );

  // The public tracking look-up (no login): a POST so the code stays out of URLs and logs; rate-limited.
  r.post(
    '/admission/public/track',
    { config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { body: trackBody, response: { 200: trackReply } } },
    async (req) => track(ctx, req.body.code, req.ip),
  );
}
