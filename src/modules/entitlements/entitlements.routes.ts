import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, localeOf, viewer } from '../../platform/http.js';
import { fileReply, idParam } from '../../platform/paging.js';
import {
  changesQuery,
  paymentHistoryReply,
  handleBody,
  impactQuery,
  parameterImpactBody,
  lineBody,
  lineParams,
  noteBody,
  rollQuery,
  rollsQuery,
  rosterParams,
  runsQuery,
  selfCheckBody,
  startRunBody,
  changesReply,
  dutiesReply,
  handledReply,
  lineEditedReply,
  parameterImpactReply,
  personEntitlementsReply,
  publicCatalogueReply,
  publicPlaceQuery,
  publicPlacesReply,
  jurisdictionsReply,
  roll,
  rollDetailReply,
  rollsReply,
  rosterReply,
  runDetailReply,
  runImpactReply,
  runsReply,
  selfCheckReply,
  startedRunReply,
} from './entitlements.schema.js';
import { paymentHistory } from './payment-history.js';
import * as service from './entitlements.service.js';
import * as rolls from './rolls.service.js';
import { exportRoll } from './rolls.xlsx.js';
import { startRun } from './runs.service.js';
import { parameterImpact, runImpact } from './impact.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';
import { catalogueOwners, jurisdictionsFor } from '../catalogue/jurisdictions.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const xlsxFile = fileReply(XLSX, 'the XLSX file');

// Statuses and kinds are typed by the tables (db/tables.ts takes them from this module's schema), so
// the services return the values the reply schemas name; the serializer strips unlisted fields.
export async function entitlementRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/runs', { config: { access: 'entitlements.read' }, schema: { querystring: runsQuery, response: { 200: runsReply } } }, async (req) =>
    service.runs(ctx, viewer(req), req.query.page, req.query.pageSize, localeOf(req), req.query.jurisdiction),
  );

  // the jurisdictions the viewer works with that run a catalogue (a city officer's city and counties)
  r.get('/jurisdictions', { config: { access: 'entitlements.read' }, schema: { response: { 200: jurisdictionsReply } } }, async (req) => ({
    items: jurisdictionsFor(ctx, viewer(req)),
  }));

  r.post('/runs', { config: { access: 'entitlements.run' }, schema: { body: startRunBody, response: { 202: startedRunReply } } }, async (req, reply) => {
    const { run } = await startRun(ctx, viewer(req), req.body.period, req.body.jurisdiction);
    void reply.code(202);
    return { id: run.id, period: run.period, status: run.status, personsTotal: run.persons_total };
  });

  // What re-running a month would touch (the console names it before it starts), and what a
  // parameter change would make stale (named before it is saved).
  r.get(
    '/runs/impact',
    { config: { access: 'entitlements.run' }, schema: { querystring: impactQuery, response: { 200: runImpactReply } } },
    async (req) => await runImpact(ctx, viewer(req), req.query.period, req.query.jurisdiction),
  );

  r.post(
    '/runs/parameter-impact',
    { config: { access: 'catalogue.set_parameter' }, schema: { body: parameterImpactBody, response: { 200: parameterImpactReply } } },
    async (req) => parameterImpact(ctx, viewer(req), req.body, localeOf(req)),
  );

  r.get(
    '/runs/:id',
    { config: { access: 'entitlements.read' }, schema: { params: idParam, response: { 200: runDetailReply } } },
    async (req) => await service.runDetail(ctx, viewer(req), req.params.id, localeOf(req)),
  );

  r.get(
    '/runs/:id/changes',
    { config: { access: 'entitlements.read' }, schema: { params: idParam, querystring: changesQuery, response: { 200: changesReply } } },
    async (req) => {
      const { handled, ...rest } = req.query;
      return service.changeList(ctx, viewer(req), req.params.id, { ...rest, handled: handled === undefined ? undefined : handled === 'true' }, localeOf(req));
    },
  );

  r.post(
    '/changes/:id/handled',
    { config: { access: 'entitlements.handle_change' }, schema: { params: idParam, body: handleBody, response: { 200: handledReply } } },
    async (req) => service.handleChange(ctx, viewer(req), req.params.id, req.body.handled),
  );

  r.get('/runs/:id/duties', { config: { access: 'entitlements.read' }, schema: { params: idParam, response: { 200: dutiesReply } } }, async (req) =>
    service.duties(ctx, viewer(req), req.params.id, localeOf(req)),
  );

  r.get(
    '/runs/:id/rosters/:itemId',
    { config: { access: 'entitlements.read' }, schema: { params: rosterParams, querystring: rollQuery, response: { 200: rosterReply } } },
    async (req) => service.roster(ctx, viewer(req), req.params.id, req.params.itemId, req.query.page, req.query.pageSize),
  );

  r.get(
    '/runs/:id/rosters/:itemId/export',
    { config: { access: 'entitlements.read' }, schema: { params: rosterParams, response: xlsxFile } },
    async (req, reply) => {
      const file = await service.exportRoster(ctx, viewer(req), req.params.id, req.params.itemId);
      void reply.header('content-type', XLSX).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  r.get(
    '/persons/:id/entitlements',
    { config: { access: 'entitlements.read' }, schema: { params: idParam, response: { 200: personEntitlementsReply } } },
    async (req) => service.personEntitlements(ctx, viewer(req), req.params.id, localeOf(req)),
  );

  r.get(
    '/persons/:id/payments',
    { config: { access: 'entitlements.read' }, schema: { params: idParam, response: { 200: paymentHistoryReply } } },
    async (req) => paymentHistory(ctx, viewer(req), req.params.id, localeOf(req)),
  );

  r.get(
    '/rolls',
    { config: { access: 'rolls.read' }, schema: { querystring: rollsQuery, response: { 200: rollsReply } } },
    async (req) => await rolls.listRolls(ctx, viewer(req), req.query, localeOf(req)),
  );

  r.get(
    '/rolls/:id',
    { config: { access: 'rolls.read' }, schema: { params: idParam, querystring: rollQuery, response: { 200: rollDetailReply } } },
    async (req) => rolls.getRoll(ctx, viewer(req), req.params.id, req.query.page, req.query.pageSize, localeOf(req)),
  );

  r.post(
    '/rolls/:id/lines/:personId',
    { config: { access: 'rolls.prepare' }, schema: { params: lineParams, body: lineBody, response: { 200: lineEditedReply } } },
    async (req) => rolls.editLine(ctx, viewer(req), req.params.id, req.params.personId, req.body),
  );

  r.post(
    '/rolls/:id/submit',
    { config: { access: 'rolls.prepare' }, schema: { params: idParam, body: noteBody, response: { 200: roll } } },
    async (req) => await rolls.submitRoll(ctx, viewer(req), req.params.id, req.body.note),
  );

  r.post(
    '/rolls/:id/approve',
    { config: { access: 'rolls.approve' }, schema: { params: idParam, body: noteBody, response: { 200: roll } } },
    async (req) => await rolls.approveRoll(ctx, viewer(req), req.params.id, req.body.note),
  );

  r.post(
    '/rolls/:id/return',
    { config: { access: 'rolls.approve' }, schema: { params: idParam, body: noteBody, response: { 200: roll } } },
    async (req) => await rolls.returnRoll(ctx, viewer(req), req.params.id, req.body.note),
  );

  r.get('/rolls/:id/export', { config: { access: 'rolls.read' }, schema: { params: idParam, response: xlsxFile } }, async (req, reply) => {
    const file = await exportRoll(ctx, viewer(req), req.params.id);
    void reply.header('content-type', XLSX).header('content-disposition', attachment(file.fileName));
    return file.body;
  });

  // The public self-check (养老顾问): no login, nothing stored. Rate-limited like the login.
  r.post(
    '/public/self-check',
    {
      config: { access: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { body: selfCheckBody, response: { 200: selfCheckReply } },
    },
    async (req) => service.publicSelfCheck(ctx, req.body, localeOf(req)),
  );

  // the places to choose from first: each county whose people a catalogue covers
  r.get('/public/places', { config: { access: 'public' }, schema: { response: { 200: publicPlacesReply } } }, async () => ({
    items: ctx.regions.counties().flatMap((c) => {
      const catalogue = ctx.regions
        .jurisdictionChain(c.code)
        .map((j) => catalogueOf(ctx, j.code))
        .find(Boolean);
      const cat = catalogue ? ctx.catalogues.latest(catalogue) : undefined;
      return cat ? [{ code: c.code, name: c.name, parent: c.parent_code ? (ctx.regions.get(c.parent_code)?.name ?? null) : null, title: cat.title }] : [];
    }),
  }));

  r.get(
    '/public/catalogue',
    { config: { access: 'public' }, schema: { querystring: publicPlaceQuery, response: { 200: publicCatalogueReply } } },
    async (req) => {
      const name = service.publicCatalogue(ctx, req.query.place);
      const cat = ctx.catalogues.latest(name)!;
      const runs = catalogueOwners(ctx, name);
      return {
        title: cat.title,
        effective: cat.effective,
        county: (req.query.place ? ctx.regions.jurisdictionChain(req.query.place).find((j) => runs.some((o) => o.code === j.code)) : runs[0])?.name ?? '',
        partial: cat.partial,
        items: cat.items.map((i) => ({ id: i.id, no: i.no, name: i.name, target: i.target, content: i.content, types: i.types })),
      };
    },
  );
}
