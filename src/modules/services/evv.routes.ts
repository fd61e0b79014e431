import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { fileBody, idParam } from '../../platform/paging.js';
import { addPhoto, checkIn, checkOut, myOrderDetail, myOrders, orderPhoto } from './evv.js';
import { checkInBody, checkOutBody, myOrdersQuery, myOrdersReply, orderPhotoParams, photoBody, photoReply } from './evv.schema.js';
import { orderDetail } from './orders.schema.js';
import { serviceSettings } from './services.settings.js';

/**
 * The largest body POST /api/services/orders/:id/photo takes: the largest photo the setting may
 * allow (photoMaxBytes' own bound, so a raised setting needs no restart), as base64, and a little
 * room. A photo above the jurisdiction's current limit reaches care-events, which names the limit.
 */
export const PHOTO_BODY_LIMIT = Math.ceil(((serviceSettings.shape.photoMaxBytes.maxValue ?? 20_000_000) * 4) / 3) + 64 * 1024;

const photoFile = {
  200: {
    description: 'the check-out photo as stored (location metadata stripped unless the caregiver kept it)',
    content: { 'image/jpeg': { schema: fileBody }, 'image/png': { schema: fileBody }, 'image/webp': { schema: fileBody } },
  },
};

/** The caregiver's phone (issue 17, services-evv): the day's orders, check-in, check-out, the photo; the photo for the console. */
export async function evvRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/services/my/orders',
    { config: { access: 'services.visit' }, schema: { querystring: myOrdersQuery, response: { 200: myOrdersReply } } },
    async (req) => myOrders(ctx, viewer(req), req.query.date),
  );

  // the phone's read of one of its orders (a caregiver has no services.read)
  r.get('/services/my/orders/:id', { config: { access: 'services.visit' }, schema: { params: idParam, response: { 200: orderDetail } } }, async (req) =>
    myOrderDetail(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/services/orders/:id/check-in',
    { config: { access: 'services.visit' }, schema: { params: idParam, body: checkInBody, response: { 200: orderDetail } } },
    async (req) => checkIn(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/orders/:id/check-out',
    { config: { access: 'services.visit' }, schema: { params: idParam, body: checkOutBody, response: { 200: orderDetail } } },
    async (req) => checkOut(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/orders/:id/photo',
    { bodyLimit: PHOTO_BODY_LIMIT, config: { access: 'services.visit' }, schema: { params: idParam, body: photoBody, response: { 200: photoReply } } },
    async (req) => addPhoto(ctx, viewer(req), req.params.id, req.body),
  );

  r.get(
    '/services/orders/:id/photos/:photoId',
    { config: { access: 'services.read' }, schema: { params: orderPhotoParams, response: photoFile } },
    async (req, reply) => {
      const p = await orderPhoto(ctx, viewer(req), req.params.id, req.params.photoId);
      void reply.header('content-type', p.mime).header('cache-control', 'no-store').header('content-disposition', 'inline');
      return p.bytes;
    },
  );
}
