import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { fileReply, idParam } from '../../platform/paging.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import { changesExportQuery, pausedExportQuery } from './entitlements.schema.js';
import { exportChanges, exportPaused, exportPayments } from './exports.js';

const xlsxFile = fileReply(XLSX_TYPE, 'the XLSX file');

/** The entitlements lists as XLSX (exports.ts): each with its list's access and filters. */
export async function exportRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  // A run's change list for the list's filters (masked; full=true for roles that may reveal), audited with the count.
  r.get(
    '/runs/:id/changes/export',
    { config: { access: 'entitlements.read' }, schema: { params: idParam, querystring: changesExportQuery, response: xlsxFile } },
    async (req, reply) => {
      const { handled, ...rest } = req.query;
      const file = await exportChanges(ctx, viewer(req), req.params.id, { ...rest, handled: handled === undefined ? undefined : handled === 'true' });
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  // A person's payment history (the profile's 发放记录), masked, audited.
  r.get('/persons/:id/payments/export', { config: { access: 'entitlements.read' }, schema: { params: idParam, response: xlsxFile } }, async (req, reply) => {
    const file = await exportPayments(ctx, viewer(req), req.params.id);
    void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
    return file.body;
  });

  // The paused list for the page's filters, every entry up to the cap, masked, audited.
  r.get('/paused/export', { config: { access: 'rolls.read' }, schema: { querystring: pausedExportQuery, response: xlsxFile } }, async (req, reply) => {
    const file = await exportPaused(ctx, viewer(req), req.query);
    void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
    return file.body;
  });
}
