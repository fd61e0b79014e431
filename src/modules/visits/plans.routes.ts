import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { listMembers, personVisitPlan, plansOverview, rateOfRegion, startRefresh } from './plans.js';
import { membersQuery, membersReply, personPlanReply, plansReply, rateQuery, rateReply, refreshReply } from './plans.schema.js';

/** The visit plans: the rules in words, the refresh (a job), members, a person's plan, the monthly rate. */
export async function planRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/visits/plans', { config: { access: 'visits.read' }, schema: { response: { 200: plansReply } } }, async (req) => plansOverview(ctx, viewer(req)));

  r.post(
    '/visits/plans/refresh',
    { config: { access: 'visits.refresh' }, schema: { body: emptyBody, response: { 202: refreshReply } } },
    async (req, reply) => {
      const { jobId, done } = await startRefresh(ctx, viewer(req));
      // the job records its own failure; the answer does not wait for it
      void done.catch(() => undefined);
      void reply.code(202);
      return { jobId };
    },
  );

  r.get('/visits/members', { config: { access: 'visits.read' }, schema: { querystring: membersQuery, response: { 200: membersReply } } }, async (req) =>
    listMembers(ctx, viewer(req), req.query),
  );

  r.get('/persons/:id/visit-plan', { config: { access: 'visits.read' }, schema: { params: idParam, response: { 200: personPlanReply } } }, async (req) =>
    personVisitPlan(ctx, viewer(req), req.params.id),
  );

  r.get('/visits/rate', { config: { access: 'visits.read' }, schema: { querystring: rateQuery, response: { 200: rateReply } } }, async (req) =>
    rateOfRegion(ctx, viewer(req), req.query),
  );
}
