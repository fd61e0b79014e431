/**
 * Masking of sensitive values on the way out: lists, exports and logs show only the masked
 * form. The full value is shown by a separate, audited call (see register service `reveal`).
 *
 * A resident ID is region (6) + birth date (8, 6 in the old 15-digit form) + sequence (3) +
 * check digit. Birth date and sex are shown beside IDs everywhere (and stored in plain text for
 * the rules), so a mask that shows the sequence and check digit gives the whole ID back. The
 * mask therefore shows only the 6-digit region of issue: with the birth date and sex known, about
 * 500 IDs remain possible, and only the keyed lookup hash could tell which one is right.
 */
export type SensitiveKind = 'idNumber' | 'phone';

export function mask(kind: SensitiveKind, value: string): string {
  if (kind === 'idNumber') return value.length <= 6 ? '*'.repeat(value.length) : value.slice(0, 6) + '*'.repeat(value.length - 6);
  return value.length <= 7 ? '*'.repeat(value.length) : value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

const ID18_IN_TEXT = /(?<![\dA-Za-z])(\d{6})\d{11}[\dXx](?![\dA-Za-z])/g;
const ID15_IN_TEXT = /(?<![\dA-Za-z])(\d{6})\d{9}(?![\dA-Za-z])/g;
const PHONE_IN_TEXT = /(?<!\d)(1\d{2})\d{4}(\d{4})(?!\d)/g;

/** Masks any resident ID (18 or old 15 digits) or mobile number inside free text (log lines, messages). */
export function maskText(text: string): string {
  return text.replace(ID18_IN_TEXT, '$1************').replace(ID15_IN_TEXT, '$1*********').replace(PHONE_IN_TEXT, '$1****$2');
}
