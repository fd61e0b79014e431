import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Sensitive values (resident ID, phone) at rest: AES-256-GCM with a random IV, looked up by a
 * keyed hash (HMAC-SHA256) so that a copied database file gives away neither.
 * Both keys are derived from the one master key in configuration.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookupHash(plain: string): string;
}

export function createFieldCipher(masterKey: Buffer): FieldCipher {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/field-encryption', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'yiyang/lookup-hash', 32));
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
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
    lookupHash(plain) {
      return createHmac('sha256', macKey).update(plain.toUpperCase()).digest('hex');
    },
  };
}
