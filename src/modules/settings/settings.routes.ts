import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { viewer } from '../../platform/http.js';
import type { Scope } from '../../platform/scope.js';
import { settingBody, settingParams, settingReply, settingsReply } from './settings.schema.js';
// the settings the modules declare
import '../catalogue/catalogue.settings.js';

/** The jurisdiction a bureau administrator's settings apply to: the one their region belongs to. */
function jurisdictionOf(ctx: AppContext, scope: Scope) {
  const j = ctx.regions.jurisdiction();
  if (!j || !scope.regionCode.startsWith(j.prefix) || scope.regionPrefix !== j.prefix) throw notFound('jurisdictionSettings');
  return j;
}

/** 系统设置: a jurisdiction's settings, read and changed by its bureau administrators. */
export async function settingsRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.get('/settings', { config: { access: 'settings.manage' }, schema: { response: { 200: settingsReply } } }, async (req) => {
    const j = jurisdictionOf(ctx, viewer(req));
    return { jurisdiction: { code: j.code, name: j.name }, items: ctx.settings.list(ctx, j.code) };
  });

  r.put(
    '/settings/:name',
    { config: { access: 'settings.manage' }, schema: { params: settingParams, body: settingBody, response: { 200: settingReply } } },
    async (req) => {
      const scope = viewer(req);
      const j = jurisdictionOf(ctx, scope);
      return ctx.settings.set(ctx, scope, j.code, req.params.name, req.body.value, req.body.note);
    },
  );
}
