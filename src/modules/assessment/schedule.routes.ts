import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { emptyBody, fileReply, idParam } from '../../platform/paging.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { assign, endAssignment, personAssignments } from './assignments.js';
import { coverage } from './coverage.js';
import { dueList, exportDue } from './due.js';
import { assignSample, createDraw, getDraw, listDraws } from './quality.js';
import { personRequests, requestAssessment } from './requests.js';
import {
  assignBody,
  assignmentsReply,
  assignmentView,
  assignReply,
  assignSampleBody,
  coverageQuery,
  coverageReply,
  drawBody,
  drawsQuery,
  drawsReply,
  drawView,
  dueExportQuery,
  dueQuery,
  dueReply,
  requestBody,
  requestsReply,
  requestView,
  sampleView,
} from './schedule.schema.js';

/** The schedule: due lists, assignments, requests, coverage and quality draws. */
export async function scheduleRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/assessments/due', { config: { access: 'assessments.read' }, schema: { querystring: dueQuery, response: { 200: dueReply } } }, async (req) =>
    dueList(ctx, viewer(req), req.query),
  );

  r.get(
    '/assessments/due/export',
    { config: { access: 'assessments.read' }, schema: { querystring: dueExportQuery, response: fileReply(XLSX_TYPE, 'the XLSX file') } },
    async (req, reply) => {
      const file = await exportDue(ctx, viewer(req), req.query);
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  r.post(
    '/assessments/assignments',
    { config: { access: 'assessments.schedule' }, schema: { body: assignBody, response: { 200: assignReply } } },
    async (req) => assign(ctx, viewer(req), req.body),
  );

  r.post(
    '/assessments/assignments/:id/end',
    { config: { access: 'assessments.schedule' }, schema: { params: idParam, body: emptyBody, response: { 200: assignmentView } } },
    async (req) => endAssignment(ctx, viewer(req), req.params.id),
  );

  r.get(
    '/persons/:id/assessment-assignments',
    { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: assignmentsReply } } },
    async (req) => personAssignments(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/persons/:id/assessment-requests',
    { config: { access: 'assessments.request' }, schema: { params: idParam, body: requestBody, response: { 201: requestView } } },
    async (req, reply) => {
      const v = await requestAssessment(ctx, viewer(req), req.params.id, req.body);
      void reply.code(201);
      return v;
    },
  );

  r.get(
    '/persons/:id/assessment-requests',
    { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: requestsReply } } },
    async (req) => personRequests(ctx, viewer(req), req.params.id),
  );

  r.get(
    '/assessments/coverage',
    { config: { access: 'assessments.read' }, schema: { querystring: coverageQuery, response: { 200: coverageReply } } },
    async (req) => coverage(ctx, viewer(req), req.query),
  );

  r.post(
    '/assessments/quality-draws',
    { config: { access: 'assessments.schedule' }, schema: { body: drawBody, response: { 201: drawView } } },
    async (req, reply) => {
      const v = await createDraw(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );

  r.get(
    '/assessments/quality-draws',
    { config: { access: 'assessments.read' }, schema: { querystring: drawsQuery, response: { 200: drawsReply } } },
    async (req) => listDraws(ctx, viewer(req), req.query),
  );

  r.get('/assessments/quality-draws/:id', { config: { access: 'assessments.read' }, schema: { params: idParam, response: { 200: drawView } } }, async (req) =>
    getDraw(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/assessments/quality-samples/:id/assign',
    { config: { access: 'assessments.schedule' }, schema: { params: idParam, body: assignSampleBody, response: { 200: sampleView } } },
    async (req) => assignSample(ctx, viewer(req), req.params.id, req.body),
  );
}
