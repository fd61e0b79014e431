import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { vendorIngestLimitsOf } from './alarms.settings.js';
import { ingestEvents, recordRejects } from './ingest.js';
import { claimNonce } from './nonces.js';
import { INGEST_BODY_LIMIT, ingestBody, ingestReply } from './ingest.schema.js';
import { NONCE_RE, SIGNATURE_HEADERS, TIMESTAMP_RE, verifySignature } from './signature.js';

const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * POST /api/alarms/ingest: vendors' platforms post device events, signed (signature.ts). The
 * route lives in a plugin of its own whose only content-type parser keeps the body as raw bytes
 * (the signature is over the bytes as sent; the app's JSON parser elsewhere is untouched), with
 * its own body limit. Checked in this order, each refusal counted in alarm_rejects and logged with
 * its reason and source (the key id), never the payload: the headers, the key (unknown, disabled),
 * the signature, the timestamp window, the nonce (insert-or-refuse: a replay is refused even within
 * the window), then the body (JSON, at most perRequest events, the schema). Only then
 * ingestEvents, and 200 after its commit, with one line per event.
 */
export async function ingestRoutes(api: FastifyInstance, ctx: AppContext): Promise<void> {
  await api.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.addHook('onError', async (req, _reply, err) => {
      if ((err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        await recordRejects(ctx, ctx.db, [{ via: 'http', source: (headerOf(req, SIGNATURE_HEADERS.key) ?? '').slice(0, 80), reason: 'too_large', count: 1 }]);
    });
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/alarms/ingest',
      {
        config: { access: 'public' },
        bodyLimit: INGEST_BODY_LIMIT,
        // the body is documented (the API contract) but checked by the handler, after the signature
        // over its raw bytes: Fastify's validation would judge an unsigned body first
        validatorCompiler: () => (data) => ({ value: data }),
        schema: {
          body: ingestBody,
          description:
            'Vendors post device events, signed: headers x-yiyang-key (key id), x-yiyang-timestamp (Unix seconds), x-yiyang-nonce (16–64 of [A-Za-z0-9_-], never reused), x-yiyang-signature (lowercase hex HMAC-SHA256 with the vendor secret over `${timestamp}\\n${nonce}\\n${rawBody}`). Body {"events": DeviceMessage[]} with serial on each. 200 after commit, one result per event: stored | duplicate | rejected with a reason.',
          response: { 200: ingestReply },
        },
      },
      async (req) => {
        const sent: unknown = req.body;
        const raw = Buffer.isBuffer(sent) ? sent : Buffer.alloc(0);
        const keyId = headerOf(req, SIGNATURE_HEADERS.key) ?? '';
        const timestamp = headerOf(req, SIGNATURE_HEADERS.timestamp) ?? '';
        const nonce = headerOf(req, SIGNATURE_HEADERS.nonce) ?? '';
        const signature = headerOf(req, SIGNATURE_HEADERS.signature) ?? '';
        const source = keyId.slice(0, 80);
        const refuse = async (reason: string, error: AppError) => {
          await recordRejects(ctx, ctx.db, [{ via: 'http', source, reason, count: 1 }]);
          return error;
        };

        const missing = [
          keyId.length > 0 && keyId.length <= 80 ? null : SIGNATURE_HEADERS.key,
          TIMESTAMP_RE.test(timestamp) ? null : SIGNATURE_HEADERS.timestamp,
          NONCE_RE.test(nonce) ? null : SIGNATURE_HEADERS.nonce,
          signature ? null : SIGNATURE_HEADERS.signature,
        ].filter((h) => h !== null);
        if (missing.length) throw await refuse('unsigned', new AppError('INGEST_HEADERS_MISSING', { missing: missing.join(', ') }));

        const vendor = await ctx.db.selectFrom('alarm_vendors').select(['id', 'secret_enc', 'active']).where('key_id', '=', keyId).executeTakeFirst();
        if (!vendor) throw await refuse('unknown_key', new AppError('INGEST_UNKNOWN_KEY', { key: source }));
        if (!vendor.active) throw await refuse('key_disabled', new AppError('INGEST_KEY_DISABLED', { key: source }));
        if (!verifySignature(ctx.cipher.decrypt(vendor.secret_enc), timestamp, nonce, raw, signature))
          throw await refuse('bad_signature', new AppError('INGEST_BAD_SIGNATURE', { key: source }));

        const limits = vendorIngestLimitsOf(ctx);
        const now = new Date();
        const nowSec = Math.floor(now.getTime() / 1000);
        if (Math.abs(nowSec - Number(timestamp)) > limits.signatureWindowSeconds) {
          throw await refuse('stale_timestamp', new AppError('INGEST_STALE_TIMESTAMP', { timestamp, now: nowSec, window: limits.signatureWindowSeconds }));
        }
        // insert-or-refuse: the primary key (vendor_id, nonce) decides, also between concurrent requests
        const fresh = await claimNonce(ctx.db, vendor.id, nonce, now);
        if (!fresh) throw await refuse('replayed', new AppError('INGEST_REPLAYED', { nonce }));

        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch {
          throw await refuse('malformed', new AppError('INGEST_MALFORMED', { reason: 'not JSON' }));
        }
        const events = (parsed as { events?: unknown } | null)?.events;
        if (Array.isArray(events) && events.length > limits.perRequest) {
          throw await refuse('too_many', new AppError('INGEST_TOO_MANY', { count: events.length, max: limits.perRequest }));
        }
        const body = ingestBody.safeParse(parsed);
        if (!body.success) {
          // where, not what: the values sent are never echoed or logged
          const issues = body.error.issues.slice(0, 10).map((i) => ({ field: ['body', ...i.path].join('.'), issue: i.code }));
          const first = issues[0]!;
          throw await refuse('malformed', new AppError('INGEST_MALFORMED', { reason: `${first.field}: ${first.issue}` }, issues));
        }
        return { results: await ingestEvents(ctx, body.data.events, 'http', { vendorId: vendor.id, now }) };
      },
    );
  });
}
