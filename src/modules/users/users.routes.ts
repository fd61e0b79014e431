import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { loginBody } from './users.schema.js';
import type { UserRow } from '../../db/tables.js';
import { login, logout } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { SESSION_COOKIE, viewer } from '../../platform/http.js';
import { allowedActions, isRole } from '../../platform/policy.js';
import { inRegion } from '../../platform/scope.js';

function session(ctx: AppContext, user: UserRow, reply: FastifyReply) {
  const region = ctx.regions.get(user.region_code);
  return {
    user: { id: user.id, username: user.username, displayName: user.display_name, role: user.role, regionCode: user.region_code, regionName: region?.name ?? user.region_code },
    actions: isRole(user.role) ? allowedActions(user.role) : [],
    csrfToken: reply.generateCsrf(),
  };
}

export async function authRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();

  r.post('/auth/login', {
    config: { access: 'public', rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: '1 minute' } },
    schema: { body: loginBody },
  }, async (req, reply) => {
    const { token, user, expires } = await login(ctx.db, ctx.config, ctx.regions, req.body.username, req.body.password, req.ip);
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.config.cookieSecure, expires: new Date(expires),
    });
    return session(ctx, user, reply);
  });

  r.post('/auth/logout', { config: { access: 'authenticated' } }, async (req, reply) => {
    await logout(ctx.db, req.cookies[SESSION_COOKIE]!, viewer(req));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  r.get('/auth/me', { config: { access: 'authenticated' } }, async (req, reply) => session(ctx, req.viewer!.user, reply));

  r.get('/users', { config: { access: 'users.read' } }, async (req) => {
    const rows = await ctx.db.selectFrom('users').selectAll().where(inRegion(viewer(req), 'users.region_code')).orderBy('id').execute();
    return {
      items: rows.map((u) => ({
        id: u.id, username: u.username, displayName: u.display_name, role: u.role, regionCode: u.region_code,
        regionName: ctx.regions.get(u.region_code)?.name ?? u.region_code, active: u.active === 1, lockedUntil: u.locked_until,
      })),
    };
  });
}
