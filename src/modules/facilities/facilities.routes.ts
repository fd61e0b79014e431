import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam, okReply } from '../../platform/paging.js';
import { AppError } from '../../platform/errors.js';
import { requireAction } from '../../platform/scope.js';
import { addBeds, bedsOf, retireBed } from './beds.js';
import { facilityChecks, failingFacilities, failingKeys } from './checks.js';
import { facilityInScope } from './directory.js';
import {
  addBedsBody,
  admitBody,
  checksReply,
  endStayBody,
  facilitiesQuery,
  facilitiesReply,
  facilityBody,
  facilityDetail,
  facilityView,
  failingReply,
  publicQuery,
  publicReply,
  residentsReply,
  retireBedBody,
  staffBody,
  staffReply,
  staffView,
  stayReply,
  transferBody,
} from './facilities.schema.js';
import { createFacility, facilityRows, getFacilityView, updateFacility } from './facilities.service.js';
import { publicFacilities } from './public.js';
import { admit, endStay, residentsOf, transfer } from './residents.js';
import { addStaff, staffOf, updateStaff } from './staff.js';

const PUBLIC = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '1 minute' } };
const twoIds = z.object({ id: z.coerce.number().int().positive(), sub: z.coerce.number().int().positive() });

/** A read that finds no facility answers the plain "not found": nothing was asked to change, so it does not say nothing was changed. */
async function asRead<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof AppError && e.code === 'FACILITY_NOT_FOUND') {
      const id = (e.params as { id: string }).id;
      throw new AppError('NOT_FOUND', {
        what: { zh: `养老服务设施（编号 ${id}），或其不在您的管辖范围内`, en: `Facility ${id} (or it is outside your area)` },
      });
    }
    throw e;
  }
}

/** The facilities' routes: facilities, beds, staff, residents, checks, and the public map. */
export async function facilitiesRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/facilities/public/map', { config: PUBLIC, schema: { querystring: publicQuery, response: { 200: publicReply } } }, async (req) =>
    publicFacilities(ctx, req.query),
  );

  r.get('/facilities', { config: { access: 'facilities.read' }, schema: { querystring: facilitiesQuery, response: { 200: facilitiesReply } } }, async (req) => {
    const rows = await facilityRows(ctx, viewer(req), req.query);
    const failing = await failingKeys(
      ctx,
      rows.map((f) => f.id),
    );
    let items = rows.map((f) => ({ ...f, failing: failing.get(f.id) ?? [] }));
    if (req.query.failing === '1') items = items.filter((f) => f.failing.length > 0);
    if (req.query.failing === '0') items = items.filter((f) => f.failing.length === 0);
    return { items, total: items.length };
  });

  r.get('/facilities/failing', { config: { access: 'facilities.read' }, schema: { response: { 200: failingReply } } }, async (req) => ({
    items: await failingFacilities(ctx, viewer(req)),
  }));

  r.post('/facilities', { config: { access: 'facilities.manage' }, schema: { body: facilityBody, response: { 201: facilityView } } }, async (req, reply) => {
    const v = await createFacility(ctx, viewer(req), req.body);
    void reply.code(201);
    return v;
  });

  r.get('/facilities/:id', { config: { access: 'facilities.read' }, schema: { params: idParam, response: { 200: facilityDetail } } }, async (req) =>
    asRead(async () => {
      const scope = viewer(req);
      const facility = await getFacilityView(ctx, scope, req.params.id);
      const checks = await facilityChecks(ctx.db, ctx, facility.id);
      return {
        facility: { ...facility, failing: checks.items.filter((c) => c.status === 'fail').map((c) => c.key) },
        beds: await bedsOf(ctx, scope, facility.id),
        checks,
      };
    }),
  );

  r.post(
    '/facilities/:id',
    { config: { access: 'facilities.manage' }, schema: { params: idParam, body: facilityBody, response: { 200: facilityView } } },
    async (req) => updateFacility(ctx, viewer(req), req.params.id, req.body),
  );

  r.get('/facilities/:id/checks', { config: { access: 'facilities.read' }, schema: { params: idParam, response: { 200: checksReply } } }, async (req) => {
    const scope = viewer(req);
    requireAction(scope, 'facilities.read');
    if (!(await facilityInScope(ctx.db, scope, req.params.id)))
      throw new AppError('NOT_FOUND', {
        what: { zh: `养老服务设施（编号 ${req.params.id}），或其不在您的管辖范围内`, en: `Facility ${req.params.id} (or it is outside your area)` },
      });
    return facilityChecks(ctx.db, ctx, req.params.id);
  });

  r.post(
    '/facilities/:id/beds',
    {
      config: { access: 'facilities.operate' },
      schema: { params: idParam, body: addBedsBody, response: { 201: z.object({ added: z.number(), labels: z.array(z.string()) }) } },
    },
    async (req, reply) => {
      const v = await addBeds(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.post(
    '/facilities/:id/beds/:sub/retire',
    { config: { access: 'facilities.operate' }, schema: { params: twoIds, body: retireBedBody, response: { 200: okReply } } },
    async (req) => {
      await retireBed(ctx, viewer(req), req.params.id, req.params.sub, req.body.on);
      return { ok: true };
    },
  );

  r.get('/facilities/:id/staff', { config: { access: 'facilities.read' }, schema: { params: idParam, response: { 200: staffReply } } }, async (req) => ({
    items: await asRead(() => staffOf(ctx, viewer(req), req.params.id)),
  }));

  r.post(
    '/facilities/:id/staff',
    { config: { access: 'facilities.operate' }, schema: { params: idParam, body: staffBody, response: { 201: staffView } } },
    async (req, reply) => {
      const v = await addStaff(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.post(
    '/facilities/:id/staff/:sub',
    { config: { access: 'facilities.operate' }, schema: { params: twoIds, body: staffBody, response: { 200: staffView } } },
    async (req) => updateStaff(ctx, viewer(req), req.params.id, req.params.sub, req.body),
  );

  r.get(
    '/facilities/:id/residents',
    { config: { access: 'facilities.residents' }, schema: { params: idParam, response: { 200: residentsReply } } },
    async (req) => ({
      items: await asRead(() => residentsOf(ctx, viewer(req), req.params.id)),
    }),
  );

  r.post(
    '/facilities/:id/residents',
    { config: { access: 'facilities.residents' }, schema: { params: idParam, body: admitBody, response: { 201: stayReply } } },
    async (req, reply) => {
      const v = await admit(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.post(
    '/facilities/:id/residents/:sub/transfer',
    { config: { access: 'facilities.residents' }, schema: { params: twoIds, body: transferBody, response: { 201: stayReply } } },
    async (req, reply) => {
      const v = await transfer(ctx, viewer(req), req.params.id, req.params.sub, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.post(
    '/facilities/:id/residents/:sub/discharge',
    { config: { access: 'facilities.residents' }, schema: { params: twoIds, body: endStayBody, response: { 200: stayReply } } },
    async (req) => endStay(ctx, viewer(req), req.params.id, req.params.sub, 'discharge', req.body),
  );

  r.post(
    '/facilities/:id/residents/:sub/death',
    { config: { access: 'facilities.residents' }, schema: { params: twoIds, body: endStayBody, response: { 200: stayReply } } },
    async (req) => endStay(ctx, viewer(req), req.params.id, req.params.sub, 'death', req.body),
  );
}
