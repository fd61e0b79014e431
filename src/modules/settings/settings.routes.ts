import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { viewer } from '../../platform/http.js';
import type { Scope } from '../../platform/scope.js';
import { settingBody, settingParams, settingReply, settingsQuery, settingsReply } from './settings.schema.js';
// the settings the modules declare
import '../catalogue/catalogue.settings.js';

/**
 * The jurisdictions whose settings a bureau administrator manages: their own (their region is a
 * county's, a city's or a province's) and those below it (a city's counties, which take the city's
 * values until they set their own). An officer of a town manages none.
 */
function managed(ctx: AppContext, scope: Scope) {
  const own = ctx.regions.jurisdictionOf(scope.regionCode);
  if (!own || own.code !== scope.regionCode || own.prefix !== scope.regionPrefix) return [];
  return ctx.regions.jurisdictionsWithin(own.code);
}

/** The jurisdiction asked for (default: the administrator's own), or not found. */
function jurisdictionOf(ctx: AppContext, scope: Scope, code?: string) {
  const all = managed(ctx, scope);
  const j = code ? all.find((r) => r.code === code) : all[0];
  if (!j) throw notFound('jurisdictionSettings');
  return { j, all };
}

/** 系统设置: a jurisdiction's settings, read and changed by its bureau administrators. */
export async function settingsRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/settings', { config: { access: 'settings.manage' }, schema: { querystring: settingsQuery, response: { 200: settingsReply } } }, async (req) => {
    const { j, all } = jurisdictionOf(ctx, viewer(req), req.query.jurisdiction);
    return {
      jurisdiction: { code: j.code, name: j.name, level: j.level },
      jurisdictions: all.map((x) => ({ code: x.code, name: x.name, level: x.level })),
      items: ctx.settings.list(ctx, j.code),
    };
  });

  r.put(
    '/settings/:name',
    {
      config: { access: 'settings.manage' },
      schema: { params: settingParams, querystring: settingsQuery, body: settingBody, response: { 200: settingReply } },
    },
    async (req) => {
      const scope = viewer(req);
      const { j } = jurisdictionOf(ctx, scope, req.query.jurisdiction);
      return ctx.settings.set(ctx, scope, j.code, req.params.name, req.body.value, req.body.note);
    },
  );
}
