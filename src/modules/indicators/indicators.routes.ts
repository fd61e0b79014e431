import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, localeOf, viewer } from '../../platform/http.js';
import { fileReply } from '../../platform/paging.js';
import { requireAction } from '../../platform/scope.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import {
  breakdownReply,
  definitionsReply,
  exportQuery,
  keyParam,
  membersExportQuery,
  membersQuery,
  membersReply,
  refreshBody,
  refreshReply,
  reportQuery,
  reportReply,
  seriesQuery,
  seriesReply,
  valuesQuery,
  valuesReply,
} from './indicators.schema.js';
import { indicatorMembers, indicatorMembersXlsx, indicatorsXlsx } from './members.js';
import { indicatorBreakdown, indicatorDefinitions, indicatorReport, indicatorSeries, indicatorValues } from './reads.js';
import { refreshIndicators } from './refresh.js';

const langOf = (req: FastifyRequest, lang: 'zh' | 'en' | undefined) => lang ?? (localeOf(req) === 'en' ? 'en' : 'zh');

/** Indicators: values, breakdowns, series, drill-down (and its XLSX), definitions, the quarterly report, refresh. */
export async function indicatorsRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/indicators', { config: { access: 'indicators.read' }, schema: { querystring: valuesQuery, response: { 200: valuesReply } } }, async (req) =>
    indicatorValues(ctx, viewer(req), req.query),
  );
  r.get('/indicators/definitions', { config: { access: 'indicators.read' }, schema: { response: { 200: definitionsReply } } }, async (req) =>
    indicatorDefinitions(ctx, viewer(req)),
  );
  r.get('/indicators/report', { config: { access: 'indicators.read' }, schema: { querystring: reportQuery, response: { 200: reportReply } } }, async (req) =>
    indicatorReport(ctx, viewer(req), req.query),
  );
  r.get(
    '/indicators/export.xlsx',
    { config: { access: 'indicators.read' }, schema: { querystring: exportQuery, response: fileReply(XLSX_TYPE, 'the values (XLSX)') } },
    async (req, reply) => {
      const { lang, ...q } = req.query;
      const out = await indicatorsXlsx(ctx, viewer(req), q, langOf(req, lang));
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(out.fileName));
      return out.file;
    },
  );
  r.post('/indicators/refresh', { config: { access: 'indicators.refresh' }, schema: { body: refreshBody, response: { 200: refreshReply } } }, async (req) => {
    const scope = viewer(req);
    requireAction(scope, 'indicators.refresh');
    return refreshIndicators(ctx, { full: req.body.full, period: req.body.period, scope });
  });
  r.get(
    '/indicators/:key/regions',
    { config: { access: 'indicators.read' }, schema: { params: keyParam, querystring: valuesQuery, response: { 200: breakdownReply } } },
    async (req) => indicatorBreakdown(ctx, viewer(req), req.params.key, req.query),
  );
  r.get(
    '/indicators/:key/series',
    { config: { access: 'indicators.read' }, schema: { params: keyParam, querystring: seriesQuery, response: { 200: seriesReply } } },
    async (req) => indicatorSeries(ctx, viewer(req), req.params.key, req.query),
  );
  r.get(
    '/indicators/:key/members',
    { config: { access: 'indicators.read' }, schema: { params: keyParam, querystring: membersQuery, response: { 200: membersReply } } },
    async (req) => indicatorMembers(ctx, viewer(req), req.params.key, req.query),
  );
  r.get(
    '/indicators/:key/members.xlsx',
    {
      config: { access: 'indicators.read' },
      schema: { params: keyParam, querystring: membersExportQuery, response: fileReply(XLSX_TYPE, 'the members (XLSX)') },
    },
    async (req, reply) => {
      const { lang, ...q } = req.query;
      const out = await indicatorMembersXlsx(ctx, viewer(req), req.params.key, q, langOf(req, lang));
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(out.fileName));
      return out.file;
    },
  );
}
