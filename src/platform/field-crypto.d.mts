export interface FieldCipherCore {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  lookupHash(plain: string): string;
  rowDigest(plain: string): string;
}
export function makeFieldCipher(encKey: Buffer, macKey: Buffer): FieldCipherCore;
export type Sealed = [hash: string, idEnc: string, phoneEnc: string | null, rowDigest: string | null];
export type SealItem = [idNumber: string, phone: string | null, row?: string];
export function sealAll(cipher: FieldCipherCore, items: SealItem[]): Sealed[];
