import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import {
  answerBody,
  assignBody,
  classifyBody,
  closeBody,
  complaintDetail,
  complaintsQuery,
  complaintsReply,
  contactReply,
  drawBody,
  drawReply,
  fileBody,
  fileReply,
  noteBody,
  publicTargetsReply,
  replyBody,
  resultsQuery,
  resultsReply,
  surveysQuery,
  surveysReply,
  trackBody,
  trackReply,
} from './complaints.schema.js';
import {
  assignComplaint,
  classifyComplaint,
  closeComplaint,
  getComplaint,
  investigateComplaint,
  listComplaints,
  noteComplaint,
  replyComplaint,
  revealContact,
} from './handling.js';
import { fileComplaint, publicTargets, trackComplaint } from './intake.js';
import { answerSurvey, drawSurvey, listSurveys, surveyResults } from './surveys.js';

const investigateBody = z
  .object({ note: z.string().trim().min(1).max(2000).optional() })
  .strict()
  .nullish();
const answerReply = z.object({ id: z.number(), complaintId: z.number().nullable(), percent: z.number().nullable() });

/** Complaints: the public form and tracking page (no login, rate-limited), the officer's inbox and steps, satisfaction surveys. */
export async function complaintsRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  // ---- public (no login) ----
  r.get(
    '/complaints/public/targets',
    { config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { response: { 200: publicTargetsReply } } },
    async () => publicTargets(ctx),
  );
  r.post(
    '/complaints/public',
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { body: fileBody, response: { 201: fileReply } } },
    async (req, reply) => {
      const v = await fileComplaint(ctx, req.body, req.ip);
      void reply.code(201);
      return v;
    },
  );
  // a POST, so that the number never sits in a URL (logs, history)
  r.post(
    '/complaints/public/track',
    { config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { body: trackBody, response: { 200: trackReply } } },
    async (req) => trackComplaint(ctx, req.body.trackingNumber, req.ip),
  );

  // ---- satisfaction surveys (before /complaints/:id) ----
  r.post('/complaints/surveys/draw', { config: { access: 'complaints.survey' }, schema: { body: drawBody, response: { 200: drawReply } } }, async (req) =>
    drawSurvey(ctx, viewer(req), req.body.period),
  );
  r.get(
    '/complaints/surveys',
    { config: { access: 'complaints.survey' }, schema: { querystring: surveysQuery, response: { 200: surveysReply } } },
    async (req) => listSurveys(ctx, viewer(req), req.query),
  );
  r.get(
    '/complaints/surveys/results',
    { config: { access: 'complaints.read' }, schema: { querystring: resultsQuery, response: { 200: resultsReply } } },
    async (req) => surveyResults(ctx, viewer(req), req.query),
  );
  r.post(
    '/complaints/surveys/:id/answer',
    { config: { access: 'complaints.survey' }, schema: { params: idParam, body: answerBody, response: { 200: answerReply } } },
    async (req) => answerSurvey(ctx, viewer(req), req.params.id, req.body),
  );

  // ---- the officer's inbox ----
  r.get('/complaints', { config: { access: 'complaints.read' }, schema: { querystring: complaintsQuery, response: { 200: complaintsReply } } }, async (req) =>
    listComplaints(ctx, viewer(req), req.query),
  );
  r.get('/complaints/:id', { config: { access: 'complaints.read' }, schema: { params: idParam, response: { 200: complaintDetail } } }, async (req) =>
    getComplaint(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/complaints/:id/contact',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: emptyBody, response: { 200: contactReply } } },
    async (req) => revealContact(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/complaints/:id/assign',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: assignBody, response: { 200: complaintDetail } } },
    async (req) => assignComplaint(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/complaints/:id/investigate',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: investigateBody, response: { 200: complaintDetail } } },
    async (req) => investigateComplaint(ctx, viewer(req), req.params.id, req.body ?? {}),
  );
  r.post(
    '/complaints/:id/notes',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: noteBody, response: { 200: complaintDetail } } },
    async (req) => noteComplaint(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/complaints/:id/classify',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: classifyBody, response: { 200: complaintDetail } } },
    async (req) => classifyComplaint(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/complaints/:id/reply',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: replyBody, response: { 200: complaintDetail } } },
    async (req) => replyComplaint(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/complaints/:id/close',
    { config: { access: 'complaints.handle' }, schema: { params: idParam, body: closeBody, response: { 200: complaintDetail } } },
    async (req) => closeComplaint(ctx, viewer(req), req.params.id, req.body),
  );
}
