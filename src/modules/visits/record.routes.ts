import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam } from '../../platform/paging.js';
import { recordVisit } from './record.js';
import { findingsReply, personVisitsReply, recordBody, recordReply, todayReply } from './record.schema.js';
import { personVisits, visitFindings, visitsToday } from './today.js';
import { visitSettings } from './visits.settings.js';

/**
 * The largest body POST /api/visits/record takes: the largest photo the setting may allow
 * (photoMaxBytes' own bound, so a raised setting needs no restart), as base64 (4 characters per
 * 3 bytes), and room for the rest of the visit. A photo above the jurisdiction's current limit
 * then reaches care-events, which names the limit (PHOTO_TOO_LARGE).
 */
export const RECORD_BODY_LIMIT = Math.ceil(((visitSettings.shape.photoMaxBytes.maxValue ?? 20_000_000) * 4) / 3) + 256 * 1024;

/** The phone's visits: today's list, the checklist, recording a visit; a person's visits for the profile. */
export async function recordRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/visits/today', { config: { access: 'visits.record' }, schema: { response: { 200: todayReply } } }, async (req) => visitsToday(ctx, viewer(req)));

  r.get('/visits/findings', { config: { access: 'visits.read' }, schema: { response: { 200: findingsReply } } }, async (req) =>
    visitFindings(ctx, viewer(req)),
  );

  r.post(
    '/visits/record',
    { bodyLimit: RECORD_BODY_LIMIT, config: { access: 'visits.record' }, schema: { body: recordBody, response: { 200: recordReply } } },
    async (req) => recordVisit(ctx, viewer(req), req.body),
  );

  r.get('/persons/:id/visits', { config: { access: 'visits.read' }, schema: { params: idParam, response: { 200: personVisitsReply } } }, async (req) =>
    personVisits(ctx, viewer(req), req.params.id),
  );
}
