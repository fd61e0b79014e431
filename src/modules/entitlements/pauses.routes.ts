import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { localeOf, viewer } from '../../platform/http.js';
import { idParam } from '../../platform/paging.js';
import { liftPauseBody, pauseView, pausedQuery, pausedReply, personPausesReply, setPauseBody } from './entitlements.schema.js';
import { liftPause, pausedQueue, personPauses, setPause } from './pauses.js';

/** Paused entitlements: the work queue, and the pauses officers set on a person and lift (pauses.ts). */
export async function pauseRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/paused', { config: { access: 'rolls.read' }, schema: { querystring: pausedQuery, response: { 200: pausedReply } } }, async (req) =>
    pausedQueue(ctx, viewer(req), req.query, localeOf(req)),
  );

  r.get('/persons/:id/pauses', { config: { access: 'entitlements.read' }, schema: { params: idParam, response: { 200: personPausesReply } } }, async (req) =>
    personPauses(ctx, viewer(req), req.params.id, localeOf(req)),
  );

  r.post(
    '/persons/:id/pauses',
    { config: { access: 'rolls.pause' }, schema: { params: idParam, body: setPauseBody, response: { 201: pauseView } } },
    async (req, reply) => {
      const p = await setPause(ctx, viewer(req), req.params.id, req.body, localeOf(req));
      void reply.code(201);
      return p;
    },
  );

  r.post(
    '/pauses/:id/lift',
    { config: { access: 'rolls.pause' }, schema: { params: idParam, body: liftPauseBody, response: { 200: pauseView } } },
    async (req) => liftPause(ctx, viewer(req), req.params.id, req.body, localeOf(req)),
  );
}
