import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { viewer } from '../../platform/http.js';
import type { RoutePlugin } from '../../platform/module.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { assign, listMemberAssignments, personAssignmentHistory, reassignVillage } from './assignments.js';
import { acknowledgeEscalation, closeEscalation, listEscalations } from './escalation.js';
import { closeFollowup, listFollowups, raiseFollowupNow, takeFollowup } from './followups.js';
import type { FollowupKind } from './findings.js';
import { regionFilter } from './assignments.js';
import { listOverdue, listWorkers, overdueSummary } from './overdue.js';
import {
  assignBody,
  assignmentHistoryReply,
  assignmentsQuery,
  assignmentsReply,
  assignReply,
  escalationsQuery,
  escalationsReply,
  escalationView,
  followupBody,
  followupsQuery,
  followupsReply,
  followupView,
  overdueQuery,
  overdueReply,
  overdueSummaryQuery,
  overdueSummaryReply,
  resolutionBody,
  villageBody,
  workersQuery,
  workersReply,
} from './work.schema.js';

/** Visits work: assignment, overdue lists, escalations and follow-ups (issue 16). */
export const workRoutes: RoutePlugin = async (api, ctx) => {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/visits/workers', { config: { access: 'visits.read' }, schema: { querystring: workersQuery, response: { 200: workersReply } } }, async (req) =>
    listWorkers(ctx, viewer(req), req.query),
  );

  r.get(
    '/visits/assignments',
    { config: { access: 'visits.read' }, schema: { querystring: assignmentsQuery, response: { 200: assignmentsReply } } },
    async (req) => listMemberAssignments(ctx, viewer(req), req.query),
  );

  r.post('/visits/assignments', { config: { access: 'visits.assign' }, schema: { body: assignBody, response: { 200: assignReply } } }, async (req) =>
    assign(ctx, viewer(req), req.body),
  );

  r.post('/visits/assignments/village', { config: { access: 'visits.assign' }, schema: { body: villageBody, response: { 200: assignReply } } }, async (req) =>
    reassignVillage(ctx, viewer(req), req.body),
  );

  r.get(
    '/persons/:id/visit-assignments',
    { config: { access: 'visits.read' }, schema: { params: idParam, response: { 200: assignmentHistoryReply } } },
    async (req) => personAssignmentHistory(ctx, viewer(req), req.params.id),
  );

  r.get('/visits/overdue', { config: { access: 'visits.read' }, schema: { querystring: overdueQuery, response: { 200: overdueReply } } }, async (req) =>
    listOverdue(ctx, viewer(req), req.query),
  );

  r.get(
    '/visits/overdue/summary',
    { config: { access: 'visits.read' }, schema: { querystring: overdueSummaryQuery, response: { 200: overdueSummaryReply } } },
    async (req) => {
      const scope = viewer(req);
      return overdueSummary(ctx, ctx.db, regionFilter(ctx, scope, req.query.region));
    },
  );

  r.get(
    '/visits/escalations',
    { config: { access: 'visits.read' }, schema: { querystring: escalationsQuery, response: { 200: escalationsReply } } },
    async (req) => listEscalations(ctx, viewer(req), req.query),
  );

  r.post(
    '/visits/escalations/:id/acknowledge',
    { config: { access: 'visits.followup_handle' }, schema: { params: idParam, body: emptyBody, response: { 200: escalationView } } },
    async (req) => acknowledgeEscalation(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/visits/escalations/:id/close',
    { config: { access: 'visits.followup_handle' }, schema: { params: idParam, body: resolutionBody, response: { 200: escalationView } } },
    async (req) => closeEscalation(ctx, viewer(req), req.params.id, req.body.resolution),
  );

  r.get('/visits/followups', { config: { access: 'visits.read' }, schema: { querystring: followupsQuery, response: { 200: followupsReply } } }, async (req) =>
    listFollowups(ctx, viewer(req), req.query),
  );

  r.post(
    '/visits/followups',
    { config: { access: 'visits.followup_raise' }, schema: { body: followupBody, response: { 201: followupView } } },
    async (req, reply) => {
      const v = await raiseFollowupNow(ctx, viewer(req), {
        personId: req.body.personId,
        eventId: req.body.eventId ?? null,
        kind: req.body.kind as FollowupKind,
        finding: req.body.finding,
        note: req.body.note ?? null,
      });
      void reply.code(201);
      return v;
    },
  );

  r.post(
    '/visits/followups/:id/take',
    { config: { access: 'visits.followup_handle' }, schema: { params: idParam, body: emptyBody, response: { 200: followupView } } },
    async (req) => takeFollowup(ctx, viewer(req), req.params.id),
  );

  r.post(
    '/visits/followups/:id/close',
    { config: { access: 'visits.followup_handle' }, schema: { params: idParam, body: resolutionBody, response: { 200: followupView } } },
    async (req) => closeFollowup(ctx, viewer(req), req.params.id, req.body.resolution),
  );
};
