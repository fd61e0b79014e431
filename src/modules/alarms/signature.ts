import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Vendors' signed HTTP requests (issue 18): `x-yiyang-signature` is the lowercase hex
 * HMAC-SHA256, with the vendor's secret, of `${timestamp}\n${nonce}\n${rawBody}` — the body exactly
 * as sent, byte for byte, so the platform verifies what it received before parsing it.
 */

export const SIGNATURE_HEADERS = {
  key: 'x-yiyang-key',
  timestamp: 'x-yiyang-timestamp',
  nonce: 'x-yiyang-nonce',
  signature: 'x-yiyang-signature',
} as const;

/** 16–64 letters, digits, '_' or '-'. */
export const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
/** Unix seconds, as digits. */
export const TIMESTAMP_RE = /^\d{1,12}$/;

/** The signature of a request: lowercase hex HMAC-SHA256 over timestamp, nonce and the raw body. */
export function signRequest(secret: string, timestamp: string | number, nonce: string, rawBody: string | Buffer): string {
  const h = createHmac('sha256', secret);
  h.update(`${timestamp}\n${nonce}\n`);
  h.update(rawBody);
  return h.digest('hex');
}

/**
 * Whether `given` is the signature of this request. Compared in constant time (timingSafeEqual over
 * the decoded bytes), so the time taken tells a forger nothing about how much of a guess was right.
 */
export function verifySignature(secret: string, timestamp: string, nonce: string, rawBody: string | Buffer, given: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const want = Buffer.from(signRequest(secret, timestamp, nonce, rawBody), 'hex');
  const got = Buffer.from(given, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The four headers of a signed request (a vendor's client, the tests and the bench). */
export function signedHeaders(
  keyId: string,
  secret: string,
  rawBody: string,
  opts: { now?: Date; nonce?: string } = {},
): Record<(typeof SIGNATURE_HEADERS)[keyof typeof SIGNATURE_HEADERS], string> {
  const timestamp = String(Math.floor((opts.now ?? new Date()).getTime() / 1000));
  const nonce = opts.nonce ?? randomBytes(16).toString('base64url');
  return {
    [SIGNATURE_HEADERS.key]: keyId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signRequest(secret, timestamp, nonce, rawBody),
  };
}
