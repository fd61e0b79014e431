import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { createClient, endClient, listClients } from './clients.js';
import { createItem, listItems, updateItem } from './items.js';
import { addCertificate, createCaregiver, createProvider, listCaregivers, readProviders, updateCaregiver, updateProvider } from './providers.js';
import {
  caregiversQuery,
  caregiversReply,
  caregiverView,
  certificateBody,
  clientsQuery,
  clientsReply,
  clientView,
  createCaregiverBody,
  createClientBody,
  createItemBody,
  createProviderBody,
  itemsReply,
  providersReply,
  providerView,
  serviceItemView,
  updateCaregiverBody,
  updateItemBody,
  updateProviderBody,
} from './providers.schema.js';

/** Providers, caregivers and their certificates, service items, clients (issue 17). */
export async function providerRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  /* ---- providers ---- */
  r.get('/services/providers', { config: { access: 'services.read' }, schema: { response: { 200: providersReply } } }, async (req) =>
    readProviders(ctx, viewer(req)),
  );
  r.post(
    '/services/providers',
    { config: { access: 'services.manage' }, schema: { body: createProviderBody, response: { 201: providerView } } },
    async (req, reply) => {
      const v = await createProvider(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/services/providers/:id',
    { config: { access: 'services.manage' }, schema: { params: idParam, body: updateProviderBody, response: { 200: providerView } } },
    async (req) => updateProvider(ctx, viewer(req), req.params.id, req.body),
  );

  /* ---- caregivers ---- */
  r.get(
    '/services/caregivers',
    { config: { access: 'services.read' }, schema: { querystring: caregiversQuery, response: { 200: caregiversReply } } },
    async (req) => listCaregivers(ctx, viewer(req), req.query),
  );
  r.post(
    '/services/caregivers',
    { config: { access: 'services.staff' }, schema: { body: createCaregiverBody, response: { 201: caregiverView } } },
    async (req, reply) => {
      const v = await createCaregiver(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/services/caregivers/:id',
    { config: { access: 'services.staff' }, schema: { params: idParam, body: updateCaregiverBody, response: { 200: caregiverView } } },
    async (req) => updateCaregiver(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/services/caregivers/:id/certificates',
    { config: { access: 'services.staff' }, schema: { params: idParam, body: certificateBody, response: { 201: caregiverView } } },
    async (req, reply) => {
      const v = await addCertificate(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  /* ---- service items ---- */
  r.get('/services/items', { config: { access: 'services.read' }, schema: { response: { 200: itemsReply } } }, async (req) => listItems(ctx, viewer(req)));
  r.post(
    '/services/items',
    { config: { access: 'services.manage' }, schema: { body: createItemBody, response: { 201: serviceItemView } } },
    async (req, reply) => {
      const v = await createItem(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/services/items/:id',
    { config: { access: 'services.manage' }, schema: { params: idParam, body: updateItemBody, response: { 200: serviceItemView } } },
    async (req) => updateItem(ctx, viewer(req), req.params.id, req.body),
  );

  /* ---- clients ---- */
  r.get('/services/clients', { config: { access: 'services.read' }, schema: { querystring: clientsQuery, response: { 200: clientsReply } } }, async (req) =>
    listClients(ctx, viewer(req), req.query),
  );
  r.post(
    '/services/clients',
    { config: { access: 'services.staff' }, schema: { body: createClientBody, response: { 201: clientView } } },
    async (req, reply) => {
      const v = await createClient(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.post(
    '/services/clients/:id/end',
    { config: { access: 'services.staff' }, schema: { params: idParam, body: emptyBody, response: { 200: clientView } } },
    async (req) => endClient(ctx, viewer(req), req.params.id),
  );
}
