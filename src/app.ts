import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { AppContext } from './platform/context.js';
import { loggerOptions, type LogOptions } from './platform/logging.js';
import { registerAccessControl, registerErrorHandler } from './platform/http.js';
import { AppError, formatMessage } from './platform/errors.js';
import { localeOf } from './platform/http.js';
import { authRoutes } from './modules/users/users.routes.js';
import { regionRoutes } from './modules/regions/regions.routes.js';
import { registerRoutes } from './modules/register/register.routes.js';
import { importRoutes } from './modules/register/imports/imports.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.js';
import { entitlementRoutes } from './modules/entitlements/entitlements.routes.js';

/** Each capability is one plugin; later ones (assessment, visits, alarms, ...) are added here. */
const modules = [authRoutes, regionRoutes, registerRoutes, importRoutes, auditRoutes, catalogueRoutes, entitlementRoutes];

export interface AppOptions extends LogOptions {
  /** serve the built console from web/dist (off in API tests) */
  serveWeb?: boolean;
}

export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // errors always logged (with their reference), requests only when asked: see platform/logging
    logger: loggerOptions(ctx.config.logLevel, opts),
    disableRequestLogging: !opts.logRequests,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: 'yy_csrf',
    cookieOpts: { httpOnly: true, sameSite: 'strict', path: '/', secure: ctx.config.cookieSecure },
    getToken: (req) => req.headers['x-csrf-token'] as string | undefined,
  });
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.uploadLimitBytes, files: 1, fields: 10 } });
  registerAccessControl(app, ctx);
  await app.register(async (api) => {
    for (const m of modules) await m(api, ctx);
  }, { prefix: '/api' });
  app.get('/api/health', { config: { access: 'public' } }, async () => ({ ok: true }));

  const webRoot = resolve('web/dist');
  const serveWeb = opts.serveWeb !== false && existsSync(webRoot);
  if (serveWeb) {
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart
    await app.register(fastifyStatic, { root: webRoot, wildcard: true });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api') || req.method !== 'GET' || !serveWeb) {
      const e = new AppError('NOT_FOUND', { what: req.url.split('?')[0]!, whatEn: req.url.split('?')[0]! });
      return reply.status(404).send({ error: { code: e.code, message: formatMessage(e.code, e.params, localeOf(req)), details: null } });
    }
    // the console is a single-page app: its routes all load index.html
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
