import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from '../../platform/audit.js';
import { verifyAuditAnchored } from '../../platform/audit-anchor.js';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { fileReply } from '../../platform/paging.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { auditExportQuery, auditQuery, auditReply, auditVerifyReply, emptyBody } from './audit.schema.js';
import * as service from './audit.service.js';

/**
 * The audit log is the jurisdiction's: only roles with audit.read (the bureau, and the inspector
 * for oversight) read it, filtered by date range, operator, action and person, and export it.
 */
export async function auditRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: { querystring: auditQuery, response: { 200: auditReply } },
    },
    async (req) => {
      const { page, pageSize, ...filter } = req.query;
      const { rows, total } = await service.list(ctx, viewer(req), filter, page, pageSize);
      return {
        items: rows.map((a) => ({
          seq: a.seq,
          at: a.at,
          actor: a.actor,
          role: a.role,
          ip: a.ip,
          action: a.action,
          entityType: a.entity_type,
          entityId: a.entity_id,
          fields: a.fields ? (JSON.parse(a.fields) as string[]) : null,
          detail: a.detail ? (JSON.parse(a.detail) as Record<string, unknown>) : null,
        })),
        total,
      };
    },
  );

  r.get(
    '/audit/export',
    { config: { access: 'audit.read' }, schema: { querystring: auditExportQuery, response: fileReply(XLSX_TYPE, 'the XLSX file') } },
    async (req, reply) => {
      const file = await service.exportLog(ctx, viewer(req), req.query);
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  r.post('/audit/verify', { config: { access: 'audit.read' }, schema: { body: emptyBody, response: { 200: auditVerifyReply } } }, async (req) => {
    // the keyed chain, and the database against the anchor file outside it
    const result = await verifyAuditAnchored(ctx);
    await ctx.db
      .transaction()
      .execute((trx) => recordAudit(trx, viewer(req), { action: 'audit.verify', detail: { entries: result.entries, problems: result.problems.length } }));
    return { ok: result.problems.length === 0, ...result };
  });
}
