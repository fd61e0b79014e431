import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  changePasswordBody,
  createdReply,
  createUserBody,
  emptyBody,
  loginBody,
  okReply,
  resetPasswordBody,
  sessionReply,
  updateUserBody,
  userIdParams,
  usersReply,
} from './users.schema.js';
import { changePassword, createUser, listUsers, resetPassword, setUserActive, unlockUser, updateUser } from './users.service.js';
import type { UserRow } from '../../db/tables.js';
import { csrfKey, csrfTokenFor, login, logout } from '../../platform/auth.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { SESSION_COOKIE, viewer } from '../../platform/http.js';
import { allowedActions, isRole } from '../../platform/policy.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** open to a user who must change their password first: the change itself, the session, logging out */
    beforePasswordChange?: true;
  }
}

export async function authRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  const r = api.withTypeProvider<ZodTypeProvider>();
  const key = csrfKey(ctx.config.masterKey);

  // A user whose password an administrator set (a new account, a reset) does nothing else until
  // they change it. Added on the /api scope every module's routes share, after the edge's
  // onRequest (platform/http.ts) has resolved the session, so it reaches every route but those
  // that declare `beforePasswordChange`.
  api.addHook('onRequest', async (req) => {
    if (req.viewer?.user.must_change_password === 1 && !req.routeOptions.config?.beforePasswordChange) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  });

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
      mustChangePassword: user.must_change_password === 1,
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

  r.post(
    '/auth/logout',
    { config: { access: 'authenticated', beforePasswordChange: true }, schema: { body: emptyBody, response: { 200: okReply } } },
    async (req, reply) => {
      await logout(ctx.db, req.cookies[SESSION_COOKIE]!, viewer(req));
      void endSessionCookie(reply);
      return { ok: true as const };
    },
  );

  r.get('/auth/me', { config: { access: 'authenticated', beforePasswordChange: true }, schema: { response: { 200: sessionReply } } }, async (req) =>
    session(req.viewer!.user, req.cookies[SESSION_COOKIE]!),
  );

  // Every session of the user ends, this one too: the console asks them to log in again.
  r.post(
    '/auth/password',
    {
      config: { access: 'authenticated', beforePasswordChange: true, rateLimit: passwordRate },
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

  r.post('/users', { config: { access: 'users.manage' }, schema: { body: createUserBody, response: { 200: createdReply } } }, async (req) => ({
    // the administrator chose the password: the user replaces it at first login
    id: await createUser(ctx, viewer(req), { ...req.body, mustChangePassword: true }),
  }));

  r.patch(
    '/users/:id',
    { config: { access: 'users.manage' }, schema: { params: userIdParams, body: updateUserBody, response: { 200: okReply } } },
    async (req) => {
      await updateUser(ctx, viewer(req), req.params.id, req.body);
      return { ok: true as const };
    },
  );

  r.post(
    '/users/:id/unlock',
    { config: { access: 'users.manage' }, schema: { params: userIdParams, body: emptyBody, response: { 200: okReply } } },
    async (req) => {
      await unlockUser(ctx, viewer(req), req.params.id);
      return { ok: true as const };
    },
  );

  for (const [path, active] of [
    ['disable', false],
    ['enable', true],
  ] as const) {
    r.post(
      `/users/:id/${path}`,
      { config: { access: 'users.manage' }, schema: { params: userIdParams, body: emptyBody, response: { 200: okReply } } },
      async (req) => {
        await setUserActive(ctx, viewer(req), req.params.id, active);
        return { ok: true as const };
      },
    );
  }
}
