import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { emptyBody, fileReply, idParam } from '../../platform/paging.js';
import { today } from '../../platform/time.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { coverage } from './coverage.js';
import { drawFeedback, listFeedback, recordFeedback } from './feedback.js';
import { closeSettlement, listSettlements, settlementDetail, statementFile } from './settlement.js';
import {
  coverageQuery,
  coverageReply,
  drawReply,
  feedbackBody,
  feedbackQuery,
  feedbackReply,
  feedbackView,
  monthParams,
  settlementDetail as settlementDetailReply,
  settlementHeader,
  settlementsQuery,
  settlementsReply,
} from './settlement.schema.js';

/** Settlements of providers' months, their statements, feedback calls and coverage (issue 17). */
export async function settlementRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/services/settlements',
    { config: { access: 'services.read' }, schema: { querystring: settlementsQuery, response: { 200: settlementsReply } } },
    async (req) => listSettlements(ctx, viewer(req), req.query.period),
  );

  r.get(
    '/services/settlements/:providerId/:period',
    { config: { access: 'services.read' }, schema: { params: monthParams, response: { 200: settlementDetailReply } } },
    async (req) => settlementDetail(ctx, viewer(req), req.params.providerId, req.params.period),
  );

  r.get(
    '/services/settlements/:providerId/:period/statement.xlsx',
    { config: { access: 'services.read' }, schema: { params: monthParams, response: fileReply(XLSX_TYPE, 'the statement (XLSX)') } },
    async (req, reply) => {
      const file = await statementFile(ctx, viewer(req), req.params.providerId, req.params.period);
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName)).header('x-statement-sha256', file.sha256);
      return file.body;
    },
  );

  r.post(
    '/services/settlements/:providerId/:period/close',
    { config: { access: 'services.settle' }, schema: { params: monthParams, body: emptyBody, response: { 200: settlementHeader } } },
    async (req) => closeSettlement(ctx, viewer(req), req.params.providerId, req.params.period),
  );

  r.post(
    '/services/settlements/:providerId/:period/draw',
    { config: { access: 'services.feedback' }, schema: { params: monthParams, body: emptyBody, response: { 200: drawReply } } },
    async (req) => drawFeedback(ctx, viewer(req), req.params.providerId, req.params.period),
  );

  // the sample is not shown to the providers' staff (they would know which elders will be asked)
  r.get(
    '/services/feedback',
    { config: { access: 'services.feedback' }, schema: { querystring: feedbackQuery, response: { 200: feedbackReply } } },
    async (req) => listFeedback(ctx, viewer(req), req.query),
  );

  r.post(
    '/services/feedback/:id',
    { config: { access: 'services.feedback' }, schema: { params: idParam, body: feedbackBody, response: { 200: feedbackView } } },
    async (req) => recordFeedback(ctx, viewer(req), req.params.id, req.body),
  );

  r.get('/services/coverage', { config: { access: 'services.read' }, schema: { querystring: coverageQuery, response: { 200: coverageReply } } }, async (req) =>
    coverage(ctx, viewer(req), req.query.year ?? Number(today().slice(0, 4)), req.query.regionCode),
  );
}
