import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { attachment, viewer } from '../../platform/http.js';
import { fileReply, idParam } from '../../platform/paging.js';
import { okReply } from '../../platform/paging.js';
import { XLSX_TYPE } from '../../platform/xlsx.js';
import {
  conflictExportQuery,
  conflictQuery,
  conflictsReply,
  profileReply,
  resolveBody,
  revealBody,
  revealReply,
  searchExportQuery,
  searchQuery,
  searchReply,
} from './register.schema.js';
import { can } from '../../platform/policy.js';
import * as service from './register.service.js';

export async function registerRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/persons', { config: { access: 'register.read' }, schema: { querystring: searchQuery, response: { 200: searchReply } } }, async (req) => {
    const { tags, ...rest } = req.query;
    return service.search(ctx, viewer(req), { ...rest, tags: tags ? tags.split(',').filter(Boolean) : [] });
  });

  // Every match of the search as XLSX (masked; full=true for roles that may reveal), audited with the filter and count.
  r.get(
    '/persons/export',
    { config: { access: 'register.read' }, schema: { querystring: searchExportQuery, response: fileReply(XLSX_TYPE, 'the XLSX file') } },
    async (req, reply) => {
      const { tags, ...rest } = req.query;
      const file = await service.exportSearch(ctx, viewer(req), { ...rest, tags: tags ? tags.split(',').filter(Boolean) : [] });
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  r.get('/persons/:id', { config: { access: 'register.read' }, schema: { params: idParam, response: { 200: profileReply } } }, async (req) => {
    const scope = viewer(req);
    return service.profile(ctx, scope, req.params.id, scope.role !== 'system' && scope.role !== 'anonymous' && can(scope.role, 'audit.read'));
  });

  r.post(
    '/persons/:id/reveal',
    {
      config: { access: 'register.reveal' },
      schema: { params: idParam, body: revealBody, response: { 200: revealReply } },
    },
    async (req) => service.reveal(ctx, viewer(req), req.params.id, req.body.field),
  );

  r.get(
    '/conflicts',
    {
      config: { access: 'register.read' },
      schema: { querystring: conflictQuery, response: { 200: conflictsReply } },
    },
    async (req) => service.conflicts(ctx, viewer(req), req.query.status, req.query.page, req.query.pageSize),
  );

  r.get(
    '/conflicts/export',
    { config: { access: 'register.read' }, schema: { querystring: conflictExportQuery, response: fileReply(XLSX_TYPE, 'the XLSX file') } },
    async (req, reply) => {
      const file = await service.exportConflicts(ctx, viewer(req), req.query);
      void reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(file.fileName));
      return file.body;
    },
  );

  r.post(
    '/conflicts/:id/resolve',
    {
      config: { access: 'register.resolve_conflict' },
      schema: { params: idParam, body: resolveBody, response: { 200: okReply } },
    },
    async (req) => service.resolve(ctx, viewer(req), req.params.id, req.body.choice),
  );
}
