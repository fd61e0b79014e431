import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import type { Action } from './policy.js';
import { can } from './policy.js';
import { AppError, formatMessage, issueText, zodIssue, type Locale } from './errors.js';
import { csrfKey, csrfTokenValid, scopeOf, sessionUser } from './auth.js';
import type { AppContext } from './context.js';
import type { Scope } from './scope.js';
import type { UserRow } from '../db/tables.js';
import { errorReply } from './paging.js';

/**
 * The edge: who may call each route (declared on the route, denied by default), the session,
 * CSRF on every state-changing request (a token derived from the session, so a token works with
 * its own session only), and the one place errors become HTTP answers.
 */
export type Access = 'public' | 'authenticated' | Action;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** a route taking file uploads: their size limit, named when a file is too large */
    uploadLimitBytes?: number;
    /** a multipart route's form, for the API document only (the route reads the parts as they stream) */
    multipartBody?: ZodType;
  }
  interface FastifyRequest {
    viewer?: { scope: Scope; user: UserRow };
  }
  interface FastifyInstance {
    /**
     * The access of routes a plugin adds that this code does not write (the API document's page):
     * set on the plugin's own scope by `routesAccess`, read when such a route declares none.
     */
    routesAccess?: Access;
  }
}

/**
 * Declares the access of every route a third-party plugin registers in this scope (its routes
 * carry no config of ours). Only for plugins wrapped in their own `register`, so it reaches no
 * other route.
 */
export function routesAccess(scope: FastifyInstance, access: Access): void {
  scope.decorate('routesAccess', access);
}

/** Every error answer of an /api route: one shape, declared with the route's success answers. */
const ERROR_STATUSES = ['4xx', '5xx'] as const;

export const SESSION_COOKIE = 'yy_session';

/** A Content-Disposition for a download: an ASCII fallback name and the real (Chinese) one. */
export const attachment = (name: string) => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export function localeOf(req: FastifyRequest): Locale {
  return /^en/i.test(String(req.headers['accept-language'] ?? '')) ? 'en' : 'zh-CN';
}

/** The viewer of a route that declared an access other than 'public'. */
export function viewer(req: FastifyRequest): Scope {
  if (!req.viewer) throw new AppError('UNAUTHENTICATED');
  return req.viewer.scope;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAccessControl(app: FastifyInstance, ctx: AppContext): void {
  const csrf = csrfKey(ctx.config.masterKey);
  // Boot fails when an API route does not say who may call it.
  app.addHook('onRoute', function (route) {
    if (!route.url.startsWith('/api')) return;
    const config = (route.config ?? {}) as { access?: Access };
    if (!config.access && this.routesAccess) route.config = { ...config, access: this.routesAccess };
    const access = (route.config as { access?: Access } | undefined)?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access: add config.access`);
    // A route that declares its answers declares the error shape too (4xx and 5xx).
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (response) for (const status of ERROR_STATUSES) response[status] ??= errorReply;
  });

  // onRequest: before the body is parsed or validated, so an anonymous or forbidden caller
  // learns nothing about the schema. Decided by the matched route, never by the raw URL
  // (a percent-encoded path reaches the same route).
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url;
    const access = req.routeOptions.config?.access;
    if (!route?.startsWith('/api') || access === 'public') return;
    if (access === undefined) throw new AppError('FORBIDDEN');
    const token = req.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(ctx.db, token) : undefined;
    if (!user) throw new AppError('UNAUTHENTICATED');
    const scope = scopeOf(user, ctx.regions, req.ip);
    req.viewer = { scope, user };
    if (access !== 'authenticated' && (scope.role === 'system' || scope.role === 'anonymous' || !can(scope.role, access))) {
      throw new AppError('FORBIDDEN');
    }
    if (!SAFE.has(req.method) && !csrfTokenValid(csrf, token!, headerValue(req.headers['x-csrf-token']))) throw new AppError('CSRF');
  });
}

const headerValue = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

interface ErrorLike {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: Array<{ keyword?: string; instancePath?: string; message?: string; params?: unknown }>;
  validationContext?: string;
}

const megabytes = (bytes: number | undefined) => (!bytes ? '?' : bytes >= 1048576 ? String(Math.round(bytes / 1048576)) : (bytes / 1048576).toFixed(2));

/** Turns anything thrown into `{ error: { code, message, details } }` in the viewer's language. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: ErrorLike, req, reply) => {
    const locale = localeOf(req);
    let e: AppError;
    if (err instanceof AppError) e = err;
    else if (err.validation) {
      const where = err.validationContext ?? 'body';
      // the zod type provider puts the issue's code in `keyword` and its bounds in `params`
      const issues = err.validation.map((v) =>
        zodIssue(`${where}${(v.instancePath ?? '').replaceAll('/', '.')}`, { ...(v.params as object), code: v.keyword ?? 'invalid' }),
      );
      e = new AppError(
        'VALIDATION',
        { issues },
        issues.map((i) => ({ field: i.field, message: issueText(i, locale) })),
      );
    } else if (err.statusCode === 429) e = new AppError('RATE_LIMITED');
    // multipart's count limits answer 413 too, but are not about size: say what was wrong
    else if (err.code === 'FST_FILES_LIMIT') e = new AppError('UPLOAD_ONE_FILE');
    else if (err.code === 'FST_PARTS_LIMIT' || err.code === 'FST_FIELDS_LIMIT') e = new AppError('FORM_TOO_MANY_FIELDS');
    else if (err.code === 'FST_REQ_FILE_TOO_LARGE') e = new AppError('PAYLOAD_TOO_LARGE', { limitMb: megabytes(req.routeOptions.config?.uploadLimitBytes) });
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      e = new AppError('PAYLOAD_TOO_LARGE', { limitMb: Math.round((app.initialConfig.bodyLimit ?? 0) / 1048576) || '?' });
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      e = new AppError('REQUEST_MALFORMED', {}, { reason: err.message });
    } else {
      const ref = randomUUID().slice(0, 8);
      req.log.error({ err, ref }, 'unhandled error');
      e = new AppError('INTERNAL', { ref });
    }
    void reply.status(e.status).send({ error: { code: e.code, message: formatMessage(e.code, e.params, locale), details: e.details ?? null } });
  });
}
