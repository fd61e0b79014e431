import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { idParam } from '../../platform/paging.js';
import { closeBed, listBeds, openBed, patchBed } from './beds.js';
import { createPoint, listMeals, listPoints, mealCoverage, mealsDaily, patchPoint, quoteMeal, recordMeal } from './meals.js';
import {
  bedsQuery,
  bedsReply,
  bedView,
  closeBedBody,
  dailyQuery,
  dailyReply,
  mealBody,
  mealCoverageReply,
  mealPointBody,
  mealPointsReply,
  mealPointView,
  mealsQuery,
  mealsReply,
  mealView,
  openBedBody,
  patchBedBody,
  patchMealPointBody,
  quoteBody,
  quoteReply,
} from './beds-meals.schema.js';

/** Family care beds and meal aid (issue 17): beds, meal points, meals served, daily counts, coverage. */
export async function bedsMealsRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/services/beds', { config: { access: 'services.read' }, schema: { querystring: bedsQuery, response: { 200: bedsReply } } }, async (req) =>
    listBeds(ctx, viewer(req), req.query),
  );
  r.post('/services/beds', { config: { access: 'services.beds' }, schema: { body: openBedBody, response: { 201: bedView } } }, async (req, reply) => {
    const v = await openBed(ctx, viewer(req), req.body);
    void reply.code(201);
    return v;
  });
  r.patch(
    '/services/beds/:id',
    { config: { access: 'services.beds' }, schema: { params: idParam, body: patchBedBody, response: { 200: bedView } } },
    async (req) => patchBed(ctx, viewer(req), req.params.id, req.body),
  );
  r.post(
    '/services/beds/:id/close',
    { config: { access: 'services.beds' }, schema: { params: idParam, body: closeBedBody, response: { 200: bedView } } },
    async (req) => closeBed(ctx, viewer(req), req.params.id, req.body),
  );

  r.get('/services/meal-points', { config: { access: 'services.read' }, schema: { response: { 200: mealPointsReply } } }, async (req) =>
    listPoints(ctx, viewer(req)),
  );
  r.post(
    '/services/meal-points',
    { config: { access: 'services.manage' }, schema: { body: mealPointBody, response: { 201: mealPointView } } },
    async (req, reply) => {
      const v = await createPoint(ctx, viewer(req), req.body);
      void reply.code(201);
      return v;
    },
  );
  r.patch(
    '/services/meal-points/:id',
    { config: { access: 'services.manage' }, schema: { params: idParam, body: patchMealPointBody, response: { 200: mealPointView } } },
    async (req) => patchPoint(ctx, viewer(req), req.params.id, req.body),
  );

  r.post('/services/meals/quote', { config: { access: 'services.meals' }, schema: { body: quoteBody, response: { 200: quoteReply } } }, async (req) =>
    quoteMeal(ctx, viewer(req), req.body),
  );
  r.post('/services/meals', { config: { access: 'services.meals' }, schema: { body: mealBody, response: { 201: mealView } } }, async (req, reply) => {
    const v = await recordMeal(ctx, viewer(req), req.body);
    void reply.code(201);
    return v;
  });
  r.get('/services/meals', { config: { access: 'services.read' }, schema: { querystring: mealsQuery, response: { 200: mealsReply } } }, async (req) =>
    listMeals(ctx, viewer(req), req.query),
  );
  r.get('/services/meals/daily', { config: { access: 'services.read' }, schema: { querystring: dailyQuery, response: { 200: dailyReply } } }, async (req) =>
    mealsDaily(ctx, viewer(req), req.query),
  );
  r.get('/services/meals/coverage', { config: { access: 'services.read' }, schema: { response: { 200: mealCoverageReply } } }, async (req) =>
    mealCoverage(ctx, viewer(req)),
  );
}
