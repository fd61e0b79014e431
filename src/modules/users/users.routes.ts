import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { changePasswordBody, emptyBody, loginBody, okReply, resetPasswordBody, sessionReply, userIdParams, usersReply } from './users.schema.js';
import { changePassword, listUsers, resetPassword } from './users.service.js';
import type { UserRow } from '../../db/tables.js';
import { csrfKey, csrfTokenFor, login, logout } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { SESSION_COOKIE, viewer } from '../../platform/http.js';
import { allowedActions, isRole } from '../../platform/policy.js';

export async function authRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const key = csrfKey(ctx.config.masterKey);

  /** The session as the console sees it; its CSRF token is bound to the session's cookie. */
  function session(user: UserRow, sessionToken: string) {
    const region = ctx.regions.get(user.region_code);
    return {
      user: {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        regionCode: user.region_code,
        regionName: region?.name ?? user.region_code,
      },
      actions: isRole(user.role) ? allowedActions(user.role) : [],
      csrfToken: csrfTokenFor(key, sessionToken),
    };
  }
  const endSessionCookie = (reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, { path: '/' });
  // Guessing a password through an open session is limited like logging in.
  const passwordRate = { max: ctx.config.loginRatePerMinute, timeWindow: '1 minute' };

  r.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: { max: ctx.config.loginRatePerMinute, timeWindow: '1 minute' } },
      schema: { body: loginBody, response: { 200: sessionReply } },
    },
    async (req, reply) => {
      const { token, user, expires } = await login(ctx.db, ctx.config, ctx.regions, req.body.username, req.body.password, req.ip);
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: ctx.config.cookieSecure,
        expires: new Date(expires),
      });
      return session(user, token);
    },
  );

  r.post('/auth/logout', { config: { access: 'authenticated' }, schema: { body: emptyBody, response: { 200: okReply } } }, async (req, reply) => {
    await logout(ctx.db, req.cookies[SESSION_COOKIE]!, viewer(req));
    void endSessionCookie(reply);
    return { ok: true as const };
  });

  r.get('/auth/me', { config: { access: 'authenticated' }, schema: { response: { 200: sessionReply } } }, async (req) =>
    session(req.viewer!.user, req.cookies[SESSION_COOKIE]!),
  );

  // Every session of the user ends, this one too: the console asks them to log in again.
  r.post(
    '/auth/password',
    {
      config: { access: 'authenticated', rateLimit: passwordRate },
      schema: { body: changePasswordBody, response: { 200: okReply } },
    },
    async (req, reply) => {
      await changePassword(ctx, viewer(req), req.viewer!.user, req.body.currentPassword, req.body.newPassword);
      void endSessionCookie(reply);
      return { ok: true as const };
    },
  );

  r.get('/users', { config: { access: 'users.read' }, schema: { response: { 200: usersReply } } }, async (req) => ({
    items: await listUsers(ctx, viewer(req)),
  }));

  r.post(
    '/users/:id/password',
    {
      config: { access: 'users.manage' },
      schema: { params: userIdParams, body: resetPasswordBody, response: { 200: okReply } },
    },
    async (req) => {
      await resetPassword(ctx, viewer(req), req.params.id, req.body.newPassword);
      return { ok: true as const };
    },
  );
}
