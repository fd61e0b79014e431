// The field cipher's implementation, in plain JavaScript so that a worker thread can load it
// under node, tsx and vitest alike. Types: field-crypto.d.mts; used through crypto.ts.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM with random 96-bit IVs taken from a pooled buffer (one randomBytes call per 4096
 * encryptions), and a 128-bit HMAC-SHA256 lookup hash.
 */
export function makeFieldCipher(encKey, macKey) {
  let pool = Buffer.alloc(0);
  let offset = 0;
  const nextIv = () => {
    if (offset >= pool.length) {
      pool = randomBytes(12 * 4096);
      offset = 0;
    }
    const iv = pool.subarray(offset, offset + 12);
    offset += 12;
    return iv;
  };
  return {
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
    },
    decrypt(stored) {
      const buf = Buffer.from(stored, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', encKey, buf.subarray(0, 12));
      decipher.setAuthTag(buf.subarray(12, 28));
      return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
    },
    rowDigest(plain) {
      // a keyed digest of a department's row: equal rows give equal digests, and a copied
      // database cannot test guesses of a phone or an account against it
      return createHmac('sha256', macKey).update('yiyang/row-digest\u0000').update(plain).digest().subarray(0, 16).toString('base64url');
    },
    lookupHash(plain) {
      // 128 bits of HMAC-SHA256: no collision in any population, and a short index key
      return createHmac('sha256', macKey).update(plain.toUpperCase()).digest().subarray(0, 16).toString('base64url');
    },
  };
}

/**
 * For each [idNumber, phone|null, row?]: [lookup hash, encrypted ID, encrypted phone|null, the
 * row's digest|null].
 */
export function sealAll(cipher, items) {
  return items.map(([id, phone, row]) => [
    cipher.lookupHash(id),
    cipher.encrypt(id),
    phone === null ? null : cipher.encrypt(phone),
    row === undefined ? null : cipher.rowDigest(row),
  ]);
}
