import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { fileReply } from '../../platform/paging.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { alarmReport, qualitySample } from './reports.js';
import { alarmReport as alarmReportReply, qualityQuery, qualityReply, reportQuery } from './reports.schema.js';
import { reportXlsx } from './reports.xlsx.js';

/** Alarm and hotline reports against the targets, their workbook, and the monthly quality sample (issue 18, reports part). */
export async function reportRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/alarms/reports', { config: { access: 'alarms.reports' }, schema: { querystring: reportQuery, response: { 200: alarmReportReply } } }, async (req) =>
    alarmReport(ctx, viewer(req), req.query),
  );

  r.get(
    '/alarms/reports/export.xlsx',
    { config: { access: 'alarms.reports' }, schema: { querystring: reportQuery, response: fileReply(XLSX_TYPE, 'the report (XLSX)') } },
    async (req, reply) => {
      const scope = viewer(req);
      const report = await alarmReport(ctx, scope, req.query);
      const lang = req.query.lang ?? 'zh';
      const body = await reportXlsx(report, lang, scope.username);
      // counts only, but who took the county's figures away and when is worth a line
      await ctx.db.transaction().execute((trx) =>
        recordAudit(trx, scope, {
          action: 'alarms.report_exported',
          entityType: 'alarm_report',
          regionCode: report.regionCode,
          detail: { from: report.from, to: report.to, regionCode: report.regionCode },
        }),
      );
      const name =
        lang === 'zh'
          ? `告警与热线报表-${report.regionName}-${report.from}至${report.to}.xlsx`
          : `alarm-report-${report.regionCode}-${report.from}-${report.to}.xlsx`;
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(name));
      return body;
    },
  );

  r.get(
    '/alarms/reports/quality',
    { config: { access: 'alarms.reports' }, schema: { querystring: qualityQuery, response: { 200: qualityReply } } },
    async (req) => qualitySample(ctx, viewer(req), req.query),
  );
}
