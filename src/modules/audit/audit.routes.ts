import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listAudit, recordAudit } from '../../platform/audit.js';
import { verifyAuditAnchored } from '../../platform/audit-anchor.js';
import type { AppContext } from '../../platform/context.js';
import { viewer } from '../../platform/http.js';
import { auditQuery, auditReply, auditVerifyReply, emptyBody } from './audit.schema.js';

/** The audit log is the jurisdiction's: only roles with audit.read (the bureau) read it. */
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
      const { rows, total } = await listAudit(ctx.db, { ...filter, limit: pageSize, offset: (page - 1) * pageSize });
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

  r.post('/audit/verify', { config: { access: 'audit.read' }, schema: { body: emptyBody, response: { 200: auditVerifyReply } } }, async (req) => {
    // the keyed chain, and the database against the anchor file outside it
    const result = await verifyAuditAnchored(ctx);
    await ctx.db
      .transaction()
      .execute((trx) => recordAudit(trx, viewer(req), { action: 'audit.verify', detail: { entries: result.entries, problems: result.problems.length } }));
    return { ok: result.problems.length === 0, ...result };
  });
}
