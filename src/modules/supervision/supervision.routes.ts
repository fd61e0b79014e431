import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { emptyBody, idParam } from '../../platform/paging.js';
import { createAdHoc, followUpInspection, getInspection, listInspections, publicResults, signOffInspection, submitInspection } from './inspections.js';
import { addConflict, endConflict, inspectorPool, listConflicts, targetPool } from './pools.js';
import { computeRatings, listRatings, publicFormula } from './ratings.js';
import { announceRound, drandSuggestion, drawRound, getRound, listRounds } from './rounds.js';
import {
  adHocBody,
  announceBody,
  announceReply,
  computeReply,
  conflictBody,
  conflictsReply,
  conflictView,
  drandHint,
  drawBody,
  followUpBody,
  formulaReply,
  inspectionsQuery,
  inspectionsReply,
  inspectionView,
  poolsReply,
  publicResultsReply,
  publicRoundsReply,
  ratingsReply,
  roundsReply,
  roundView,
  signOffBody,
  submitBody,
} from './supervision.schema.js';

const PUBLIC = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '1 minute' } };

/** Supervision's routes: pools and conflicts, rounds (announce, draw), inspections, ratings, and the public pages' reads. */
export async function supervisionRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/supervision/pools', { config: { access: 'supervision.read' }, schema: { response: { 200: poolsReply } } }, async (req) => {
    // the pools of the viewer's jurisdiction
    const region = viewer(req).regionCode;
    const [targets, inspectors] = await Promise.all([targetPool(ctx, region), inspectorPool(ctx, region)]);
    return { targets, inspectors: inspectors.map((i) => ({ id: i.id, name: i.name, regionCode: i.regionCode })) };
  });

  r.get('/supervision/conflicts', { config: { access: 'supervision.manage' }, schema: { response: { 200: conflictsReply } } }, async () =>
    listConflicts(ctx.db),
  );
  r.post(
    '/supervision/conflicts',
    { config: { access: 'supervision.manage' }, schema: { body: conflictBody, response: { 201: conflictView } } },
    async (req, reply) => {
      const v = await addConflict(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.post(
    '/supervision/conflicts/:id/end',
    { config: { access: 'supervision.manage' }, schema: { params: idParam, body: emptyBody, response: { 200: z.object({ id: z.number() }) } } },
    async (req) => endConflict(ctx, viewer(req), req.params.id),
  );

  r.get('/supervision/drand', { config: { access: 'supervision.read' }, schema: { response: { 200: drandHint } } }, async () => drandSuggestion());
  r.get('/supervision/rounds', { config: { access: 'supervision.read' }, schema: { response: { 200: roundsReply } } }, async () => listRounds(ctx));
  r.post(
    '/supervision/rounds',
    { config: { access: 'supervision.manage' }, schema: { body: announceBody, response: { 201: announceReply } } },
    async (req, reply) => {
      const v = await announceRound(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.get('/supervision/rounds/:id', { config: { access: 'supervision.read' }, schema: { params: idParam, response: { 200: roundView } } }, async (req) =>
    getRound(ctx, req.params.id),
  );
  r.post(
    '/supervision/rounds/:id/draw',
    { config: { access: 'supervision.manage' }, schema: { params: idParam, body: drawBody, response: { 200: roundView } } },
    async (req) => drawRound(ctx, viewer(req), req.params.id, req.body),
  );

  r.get(
    '/supervision/inspections',
    { config: { access: 'supervision.read' }, schema: { querystring: inspectionsQuery, response: { 200: inspectionsReply } } },
    async (req) => listInspections(ctx, viewer(req), req.query),
  );
  r.post(
    '/supervision/inspections',
    { config: { access: 'supervision.manage' }, schema: { body: adHocBody, response: { 201: inspectionView } } },
    async (req, reply) => {
      const v = await createAdHoc(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.get(
    '/supervision/inspections/:id',
    { config: { access: 'supervision.read' }, schema: { params: idParam, response: { 200: inspectionView } } },
    async (req) => getInspection(ctx, viewer(req), req.params.id),
  );
  r.post(
    '/supervision/inspections/:id/submit',
    { config: { access: 'supervision.inspect' }, schema: { params: idParam, body: submitBody, response: { 200: inspectionView } } },
    async (req) => submitInspection(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/supervision/inspections/:id/sign-off',
    { config: { access: 'supervision.manage' }, schema: { params: idParam, body: signOffBody, response: { 200: inspectionView } } },
    async (req) => signOffInspection(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/supervision/inspections/:id/follow-up',
    { config: { access: 'supervision.manage' }, schema: { params: idParam, body: followUpBody, response: { 200: inspectionView } } },
    async (req) => followUpInspection(ctx, viewer(req), req.params.id, req.body),
  );

  r.get('/supervision/ratings', { config: { access: 'supervision.read' }, schema: { response: { 200: ratingsReply } } }, async (req) =>
    listRatings(ctx, viewer(req)),
  );
  r.post(
    '/supervision/ratings/compute',
    { config: { access: 'supervision.manage' }, schema: { body: emptyBody, response: { 201: computeReply } } },
    async (req, reply) => {
      const v = await computeRatings(ctx, viewer(req));
      void reply.code(201);
      return v;
    },
  );

  // public (no login): 双随机一公开 — the rounds with everything needed to re-run them, the results, the formula
  r.get('/supervision/public/rounds', { config: PUBLIC, schema: { response: { 200: publicRoundsReply } } }, async () => listRounds(ctx));
  r.get('/supervision/public/rounds/:id', { config: PUBLIC, schema: { params: idParam, response: { 200: roundView } } }, async (req) =>
    getRound(ctx, req.params.id),
  );
  r.get('/supervision/public/results', { config: PUBLIC, schema: { response: { 200: publicResultsReply } } }, async () => publicResults(ctx));
  r.get('/supervision/public/formula', { config: PUBLIC, schema: { response: { 200: formulaReply } } }, async () =>
    // the public page is the platform's: the formula of its top region (a county's own, or a city's)
    publicFormula(ctx, ctx.regions.top()?.code ?? ''),
  );
}
