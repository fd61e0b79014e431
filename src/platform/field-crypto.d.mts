export interface FieldCipherCore {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookupHash(plain: string): string;
}
export function makeFieldCipher(encKey: Buffer, macKey: Buffer): FieldCipherCore;
export type Sealed = [hash: string, idEnc: string, phoneEnc: string | null];
export function sealAll(cipher: FieldCipherCore, items: Array<[string, string | null]>): Sealed[];
