import { randomBytes } from 'node:crypto';

/**
 * The tracking code on a family's receipt: 20 characters of Crockford's base 32 (100 bits from the
 * crypto random source), shown in five groups of four. Only its keyed hash is stored
 * (platform/crypto.ts lookupHash), so the database cannot give codes away. Typing is forgiving:
 * case, spaces and hyphens are ignored and O, I, L read as 0, 1, 1.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 20;

export function newTrackingCode(): string {
  const bytes = randomBytes(CODE_LENGTH);
  let out = '';
  // 256 is a multiple of 32: each byte's low five bits are uniform
  for (const b of bytes) out += ALPHABET[b & 31];
  return groupCode(out);
}

export function groupCode(plain: string): string {
  return plain.match(/.{1,4}/g)!.join('-');
}

/** The code as typed, normalised; null when it cannot be a code (the caller answers "not found" all the same). */
export function normaliseCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

/** What is hashed: the code, tagged so that its hash differs from any other lookup hash of the same text. */
export const hashInput = (normalised: string) => `admission-code:${normalised}`;
