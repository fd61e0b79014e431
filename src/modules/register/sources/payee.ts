import type { FieldCipher } from '../../../platform/crypto.js';

/**
 * The account a person's payments go into (代发账户): a bank card or social-security card number,
 * the bank and the account holder, from the civil-affairs department's file. The number is kept
 * like an ID: encrypted at rest, looked up by its keyed hash, shown masked (6222 **** **** 1234)
 * everywhere but the bank's disbursement file (payments module, through the revealer).
 */
export const PAYEE_COLUMNS = ['payee_card_enc', 'payee_card_hash', 'payee_card_masked', 'payee_bank', 'payee_holder'] as const;

declare module '../../../db/tables.js' {
  interface PersonTable {
    payee_card_enc: string | null;
    payee_card_hash: string | null;
    payee_card_masked: string | null;
    payee_bank: string | null;
    payee_holder: string | null;
  }
}

/** The Luhn (ISO/IEC 7812) check over a string of digits: UnionPay cards carry it. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card number as a file writes it (spaces, dashes): digits only. */
export const cardDigits = (raw: string) => raw.replace(/[\s-]/g, '');

/** Is this a card number (16–19 digits, ISO/IEC 7812) rather than a passbook account (12–15)? */
export const isCardNumber = (digits: string) => /^\d{16,19}$/.test(digits);

/**
 * The masked form: the issuer's first four digits and the last four, the middle always as two
 * groups of stars whatever the length, so the mask does not tell how long the number is.
 */
export function maskCard(digits: string): string {
  return digits.length <= 8 ? '*'.repeat(digits.length) : `${digits.slice(0, 4)} **** **** ${digits.slice(-4)}`;
}

/** The person columns for a card number (null clears them). */
export function cardColumns(value: string | null, cipher: FieldCipher) {
  return value
    ? { payee_card_enc: cipher.encrypt(value), payee_card_hash: cipher.lookupHash(value), payee_card_masked: maskCard(value) }
    : { payee_card_enc: null, payee_card_hash: null, payee_card_masked: null };
}
