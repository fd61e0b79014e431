import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam, okReply } from '../../platform/paging.js';
import {
  assessmentDraft,
  assessmentView,
  assessmentsQuery,
  assessmentsReply,
  assessorsReply,
  conflictsReply,
  cosignBody,
  personCapabilityReply,
  resolveConflictBody,
  reviewBody,
  syncReply,
  verifyQuery,
  verifyReply,
  versionBody,
} from './assessment.schema.js';
import {
  assessmentConflicts,
  cosignAssessment,
  getAssessment,
  listAssessments,
  listAssessors,
  personCapability,
  resolveConflict,
  reviewAssessment,
  submitAssessment,
  syncAssessment,
  verifyReport,
} from './assessments.service.js';

/** The assessment records: sync from devices, submit, co-sign, review, conflicts, the public check, the profile's section. */
export async function recordRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/assessments/sync',
    { config: { access: 'assessments.write' }, schema: { body: assessmentDraft, response: { 200: syncReply, 201: syncReply } } },
    async (req, reply) => {
      const result = await syncAssessment(ctx, viewer(req), req.body);
      void reply.code(result.outcome === 'created' ? 201 : 200);
      return result;
    },
  );

  r.get(
    '/assessments',
    { config: { access: 'assessments.read' }, schema: { querystring: assessmentsQuery, response: { 200: assessmentsReply } } },
    async (req) => listAssessments(ctx, viewer(req), req.query),
  );

  r.get('/assessments/:id', { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: assessmentView } } }, async (req) =>
    getAssessment(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/assessments/:id/submit',
    { config: { access: 'assessments.write' }, schema: { params: idParam, body: versionBody, response: { 200: assessmentView } } },
    async (req) => submitAssessment(ctx, viewer(req), req.params.id, req.body.version),
  );

  r.post(
    '/assessments/:id/cosign',
    { config: { access: 'assessments.write' }, schema: { params: idParam, body: cosignBody, response: { 200: assessmentView } } },
    async (req) => cosignAssessment(ctx, viewer(req), req.params.id, req.body),
  );

  r.post(
    '/assessments/:id/review',
    { config: { access: 'assessments.review' }, schema: { params: idParam, body: reviewBody, response: { 200: assessmentView } } },
    async (req) => reviewAssessment(ctx, viewer(req), req.params.id, req.body),
  );

  r.get('/assessments/:id/conflicts', { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: conflictsReply } } }, async (req) =>
    assessmentConflicts(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/assessment-conflicts/:id/resolve',
    { config: { access: 'assessments.write' }, schema: { params: idParam, body: resolveConflictBody, response: { 200: okReply } } },
    async (req) => resolveConflict(ctx, viewer(req), req.params.id, req.body.resolution),
  );

  r.get('/assessors', { config: { access: 'assessments.read' }, schema: { response: { 200: assessorsReply } } }, async (req) =>
    listAssessors(ctx, viewer(req)),
  );

  r.get(
    '/persons/:id/capability',
    { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: personCapabilityReply } } },
    async (req) => personCapability(ctx, viewer(req), req.params.id),
  );

  // The public check of a printed report: no login; rate-limited like the other public endpoints.
  r.get(
    '/public/assessments/verify',
    { config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { querystring: verifyQuery, response: { 200: verifyReply } } },
    async (req) => verifyReport(ctx, req.query.code, req.ip),
  );
}
