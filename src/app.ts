import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from './platform/context.js';
import { serverLogOptions, type LogOptions } from './platform/logging.js';
import { registerAccessControl, registerErrorHandler, routesAccess } from './platform/http.js';
import { AppError, formatMessage } from './platform/errors.js';
import { localeOf } from './platform/http.js';
import { eventRoutes } from './platform/events.routes.js';
import { serverModules } from './modules/index.js';

const HEALTH_TIMEOUT_MS = 1000;

/** The routes: each module's (from its manifest, src/modules/index.ts), then the platform's live events. */
const routePlugins = [...serverModules.flatMap((m) => m.routes ?? []), eventRoutes];

const healthReply = z.object({ ok: z.boolean(), database: z.enum(['ok', 'error', 'timeout']) });

/**
 * The API document is generated from the routes' zod schemas (jsonSchemaTransform); a multipart
 * route describes its form in config.multipartBody, since its parts are read as they stream.
 */
const documentTransform: typeof jsonSchemaTransform = (input) => {
  const done = jsonSchemaTransform(input);
  // each operation under its capability's tag (/api/<tag>/…): the page groups them, one section each
  const tag = input.url.split('/')[2] || 'api';
  const out = { ...done, schema: { ...done.schema, tags: [tag] } };
  const form = input.route.config?.multipartBody;
  if (!form) return out;
  const { $schema: _drop, ...body } = z.toJSONSchema(form, { target: 'openapi-3.0', io: 'input' });
  return { ...out, schema: { ...out.schema, body } };
};

/** The OpenAPI document at /api/openapi.json and its browsable page at /api/docs, both public. */
async function registerApiDocument(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Yiyang 颐养 API',
        version: '0.1.0',
        description:
          "The platform's HTTP API. Sessions are cookies (POST /api/auth/login); every state-changing call sends " +
          "the session's CSRF token (from /api/auth/me) as x-csrf-token. Errors answer { error: { code, message, details } }.",
      },
    },
    transform: documentTransform,
    transformObject: jsonSchemaTransformObject,
  });
}

export interface AppOptions extends LogOptions {
  /** serve the built console from web/dist (off in API tests) */
  serveWeb?: boolean;
}

/**
 * Security headers on every answer (@fastify/helmet), no caching of API answers (they carry
 * personal data), and compression of the console bundle and API answers (@fastify/compress).
 * The CSP fits the built console: its scripts are files ('self'), and Ant Design writes inline
 * styles ('unsafe-inline' for styles only). No upgrade-insecure-requests and no HSTS unless
 * COOKIE_SECURE says the site is served over HTTPS: the demo runs on plain HTTP on a LAN.
 */
async function registerHardening(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(ctx.config.cookieSecure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: ctx.config.cookieSecure ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api') || req.routeOptions.url?.startsWith('/api')) void reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
}

export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // errors always logged (with their reference), requests only when asked: see platform/logging
    ...serverLogOptions(ctx.config.logLevel, opts),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await registerHardening(app, ctx);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyMultipart, { limits: { fileSize: ctx.config.uploadLimitBytes, files: 1, fields: 10 } });
  registerAccessControl(app, ctx);
  await registerApiDocument(app);
  await app.register(
    async (api) => {
      for (const plugin of routePlugins) await plugin(api, ctx);
    },
    { prefix: '/api' },
  );
  // Health asks the database: a stuck connection must not look healthy (issue 12).
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { response: { 200: healthReply, 503: healthReply } },
    },
    async (_req, reply) => {
      let timer: NodeJS.Timeout | undefined;
      const database = await Promise.race([
        sql`select 1`.execute(ctx.db).then(
          () => 'ok' as const,
          () => 'error' as const,
        ),
        new Promise<'timeout'>((r) => {
          timer = setTimeout(() => r('timeout'), HEALTH_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (database !== 'ok') void reply.code(503);
      return { ok: database === 'ok', database };
    },
  );
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    // swagger-ui's own routes (page, assets) carry no config: declare them public here
    routesAccess(docs, 'public');
    // a section per capability, folded: the page opens at once however many operations there are
    await docs.register(fastifySwaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'none' } });
  });

  const webRoot = resolve('web/dist');
  const serveWeb = opts.serveWeb !== false && existsSync(webRoot);
  if (serveWeb) {
    // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
    // The build writes .br/.gz beside each file (web/vite.config.ts): sent as they are (issue 14).
    // A hashed asset never changes under its name: cached a year; the rest (index.html) revalidated.
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: true,
      preCompressed: true,
      setHeaders: (reply, path) => {
        void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api') || req.method !== 'GET' || !serveWeb) {
      const e = new AppError('NOT_FOUND', { what: { zh: req.url.split('?')[0]!, en: req.url.split('?')[0]! } });
      return reply.status(404).send({ error: { code: e.code, message: formatMessage(e.code, e.params, localeOf(req)), details: null } });
    }
    // the console is a single-page app: its routes all load index.html
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
