import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { listDevices, readDevice, registerDevice, retireDevice } from './devices.js';
import {
  createVendorBody,
  deviceDetail,
  devicesQuery,
  devicesReply,
  deviceView,
  registerDeviceBody,
  rejectsQuery,
  rejectsReply,
  vendorSecretView,
  vendorsReply,
  vendorView,
} from './devices.schema.js';
import { createVendor, disableVendor, listRejects, listVendors, rotateVendor } from './vendors.js';

/**
 * Devices, vendors' keys and the refusals (issue 18). Reading devices is alarms.read (the desk and
 * the officers; lists and details are audited); registering and retiring is alarms.devices
 * (officers, the shift supervisor, a provider's staff for their own installations); vendors' keys
 * are alarms.vendors; the refusals are the supervisor's (alarms.supervise).
 */
export async function deviceRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  /* ---- devices ---- */
  r.get('/alarms/devices', { config: { access: 'alarms.read' }, schema: { querystring: devicesQuery, response: { 200: devicesReply } } }, async (req) =>
    listDevices(ctx, viewer(req), req.query),
  );
  r.post(
    '/alarms/devices',
    { config: { access: 'alarms.devices' }, schema: { body: registerDeviceBody, response: { 201: deviceView } } },
    async (req, reply) => {
      const v = await registerDevice(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.get('/alarms/devices/:id', { config: { access: 'alarms.read' }, schema: { params: idParam, response: { 200: deviceDetail } } }, async (req) =>
    readDevice(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/devices/:id/retire',
    { config: { access: 'alarms.devices' }, schema: { params: idParam, body: emptyBody, response: { 200: deviceView } } },
    async (req) => retireDevice(ctx, viewer(req), req.params.id),
  );

  /* ---- vendors ---- */
  r.get('/alarms/vendors', { config: { access: 'alarms.vendors' }, schema: { response: { 200: vendorsReply } } }, async () => listVendors(ctx));
  r.post(
    '/alarms/vendors',
    { config: { access: 'alarms.vendors' }, schema: { body: createVendorBody, response: { 201: vendorSecretView } } },
    async (req, reply) => {
      const v = await createVendor(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.post(
    '/alarms/vendors/:id/rotate',
    { config: { access: 'alarms.vendors' }, schema: { params: idParam, body: emptyBody, response: { 200: vendorSecretView } } },
    async (req) => rotateVendor(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/alarms/vendors/:id/disable',
    { config: { access: 'alarms.vendors' }, schema: { params: idParam, body: emptyBody, response: { 200: vendorView } } },
    async (req) => disableVendor(ctx, viewer(req), req.params.id),
  );

  /* ---- refusals ---- */
  r.get('/alarms/rejects', { config: { access: 'alarms.supervise' }, schema: { querystring: rejectsQuery, response: { 200: rejectsReply } } }, async (req) =>
    listRejects(ctx, req.query),
  );
}
