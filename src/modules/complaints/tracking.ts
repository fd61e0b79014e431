import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';

/**
 * Tracking numbers (查询码): 80 bits from the system's random source, written in Crockford's base32
 * (no I, L, O, U: nothing to misread aloud over the phone) as TS-XXXX-XXXX-XXXX-XXXX. Only a keyed
 * hash is stored (HMAC under the master key, src/platform/crypto.ts), so neither a guess nor a copy
 * of the database finds a complaint without the key.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newTrackingNumber(): string {
  const bytes = randomBytes(10); // 80 bits → 16 symbols of 5 bits
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let s = '';
  for (let i = 0; i < 16; i++) {
    s = ALPHABET[Number(bits & 31n)] + s;
    bits >>= 5n;
  }
  return `TS-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}`;
}

/**
 * A number as typed → its 16 symbols, or null when it cannot be one: case, spaces and dashes do not
 * matter, and the letters read as digits (O → 0, I and L → 1) are taken as those digits.
 */
export function normaliseTracking(raw: string): string | null {
  let s = raw.toUpperCase().replace(/[\s\-_]/g, '');
  if (s.startsWith('TS')) s = s.slice(2);
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{16}$/.test(s) ? s : null;
}

export function trackingHash(ctx: Pick<AppContext, 'cipher'>, normalised: string): string {
  return ctx.cipher.lookupHash(`complaint-tracking:${normalised}`);
}
