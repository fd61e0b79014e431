import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { fileBody, idParam } from '../../platform/paging.js';
import { getEvent, getPhoto, listEvents } from './care-events.reads.js';
import { confirmBody, eventDetail, eventsQuery, eventsReply, eventSummary, photoParams, voidBody } from './care-events.schema.js';
import { confirmEvent, voidEvent } from './care-events.service.js';

const photoReply = {
  200: {
    description: 'the photo as stored (location metadata stripped unless the worker kept it)',
    content: { 'image/jpeg': { schema: fileBody }, 'image/png': { schema: fileBody }, 'image/webp': { schema: fileBody } },
  },
};

/** The verified-event record: the list, one event, its photos, confirming and voiding. */
export async function careEventRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/care-events', { config: { access: 'care_events.read' }, schema: { querystring: eventsQuery, response: { 200: eventsReply } } }, async (req) =>
    listEvents(ctx, viewer(req), req.query),
  );

  r.get('/care-events/:id', { config: { access: 'care_events.read' }, schema: { params: idParam, response: { 200: eventDetail } } }, async (req) =>
    getEvent(ctx, viewer(req), req.params.id),
  );

  r.get(
    '/care-events/:id/photos/:photoId',
    { config: { access: 'care_events.read' }, schema: { params: photoParams, response: photoReply } },
    async (req, reply) => {
      const p = await getPhoto(ctx, viewer(req), req.params.id, req.params.photoId);
      void reply.header('content-type', p.mime).header('cache-control', 'no-store').header('content-disposition', 'inline');
      return p.bytes;
    },
  );

  r.post(
    '/care-events/:id/confirm',
    { config: { access: 'care_events.confirm' }, schema: { params: idParam, body: confirmBody, response: { 200: eventSummary } } },
    async (req) => confirmEvent(ctx, viewer(req), req.params.id, { kind: req.body.kind, note: req.body.note ?? null }),
  );

  r.post(
    '/care-events/:id/void',
    { config: { access: 'care_events.void' }, schema: { params: idParam, body: voidBody, response: { 200: eventSummary } } },
    async (req) => voidEvent(ctx, viewer(req), req.params.id, req.body.reason),
  );
}
