import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { attachment, viewer } from '../../platform/http.js';
import { fileBody } from '../../platform/paging.js';
import { exportQuery, paymentsQuery, paymentsReply, returnReply, returnUploadBody, rollIdParam, rollPaymentsReply } from './payments.schema.js';
import * as service from './payments.service.js';

const disbursementFile = {
  200: {
    description: 'the disbursement file in the bank’s layout (CSV or XLSX)',
    content: { 'text/csv': { schema: fileBody }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: fileBody } },
  },
};

export async function paymentRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/payments', { config: { access: 'payments.read' }, schema: { querystring: paymentsQuery, response: { 200: paymentsReply } } }, async (req) => ({
    items: await service.listPayments(ctx, viewer(req), req.query.period),
  }));

  r.get('/payments/:rollId', { config: { access: 'payments.read' }, schema: { params: rollIdParam, response: { 200: rollPaymentsReply } } }, async (req) =>
    service.rollPayments(ctx, viewer(req), req.params.rollId),
  );

  // A download like the roll's own export (GET, so the console fetches it as a file); the first
  // export records the batch sent to the bank, every export is audited.
  r.get(
    '/payments/:rollId/disbursement',
    { config: { access: 'payments.read' }, schema: { params: rollIdParam, querystring: exportQuery, response: disbursementFile } },
    async (req, reply) => {
      const file = await service.exportDisbursement(ctx, viewer(req), req.params.rollId, req.query.bank);
      void reply.header('content-type', file.contentType).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  // A bank's return file is small: read in memory, never written to disk.
  r.post(
    '/payments/:rollId/returns',
    {
      config: { access: 'payments.reconcile', uploadLimitBytes: ctx.config.uploadLimitBytes, multipartBody: returnUploadBody },
      schema: { params: rollIdParam, consumes: ['multipart/form-data'], response: { 200: returnReply } },
    },
    async (req) => {
      let file: { name: string; body: Buffer } | undefined;
      for await (const part of req.parts()) {
        if (part.type === 'field') continue;
        if (file) throw new AppError('UPLOAD_ONE_FILE');
        file = { name: part.filename || 'return', body: await part.toBuffer() };
      }
      if (!file) throw new AppError('UPLOAD_MISSING');
      return service.importReturn(ctx, viewer(req), req.params.rollId, file);
    },
  );
}
