import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam } from '../../platform/paging.js';
import { today } from '../../platform/time.js';
import { correctOrder } from './corrections.js';
import { entitlementOf } from './entitlements.js';
import { listServiceFollowups } from './intake.js';
import { assignOrder, cancelOrder, listOrders, orderDetail, placeOrder, rateOrder } from './orders.js';
import {
  assignBody,
  cancelBody,
  correctBody,
  createOrderBody,
  entitlementQuery,
  entitlementReply,
  followupsQuery,
  followupsReply,
  orderDetail as orderDetailReply,
  ordersQuery,
  ordersReply,
  personIdParam,
  rateBody,
} from './orders.schema.js';

/** Orders of home services: the entitlement a person draws from, orders and their changes before check-in, ratings, the visits' follow-ups to dispatch. */
export async function orderRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/services/entitlements/:personId',
    { config: { access: 'services.read' }, schema: { params: personIdParam, querystring: entitlementQuery, response: { 200: entitlementReply } } },
    async (req) => entitlementOf(ctx, viewer(req), req.params.personId, req.query.period ?? today().slice(0, 7)),
  );

  r.get('/services/orders', { config: { access: 'services.read' }, schema: { querystring: ordersQuery, response: { 200: ordersReply } } }, async (req) =>
    listOrders(ctx, viewer(req), req.query),
  );

  r.post(
    '/services/orders',
    { config: { access: 'services.order' }, schema: { body: createOrderBody, response: { 201: orderDetailReply } } },
    async (req, reply) => {
      const v = await placeOrder(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );

  r.get('/services/orders/:id', { config: { access: 'services.read' }, schema: { params: idParam, response: { 200: orderDetailReply } } }, async (req) =>
    orderDetail(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/services/orders/:id/assign',
    { config: { access: 'services.order' }, schema: { params: idParam, body: assignBody, response: { 200: orderDetailReply } } },
    async (req) => assignOrder(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/orders/:id/cancel',
    { config: { access: 'services.order' }, schema: { params: idParam, body: cancelBody, response: { 200: orderDetailReply } } },
    async (req) => cancelOrder(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/orders/:id/correct',
    { config: { access: 'services.review' }, schema: { params: idParam, body: correctBody, response: { 200: orderDetailReply } } },
    async (req) => correctOrder(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/services/orders/:id/rate',
    { config: { access: 'services.rate' }, schema: { params: idParam, body: rateBody, response: { 200: orderDetailReply } } },
    async (req) => rateOrder(ctx, viewer(req), req.params.id, req.body),
  );

  r.get(
    '/services/followups',
    { config: { access: 'services.order' }, schema: { querystring: followupsQuery, response: { 200: followupsReply } } },
    async (req) => listServiceFollowups(ctx, viewer(req), req.query),
  );
}
