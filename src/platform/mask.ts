/**
 * Masking of sensitive values on the way out: lists, exports and logs show only the masked
 * form. The full value is shown by a separate, audited call (see register service `reveal`).
 */
export type SensitiveKind = 'idNumber' | 'phone';

export function mask(kind: SensitiveKind, value: string): string {
  if (kind === 'idNumber') return value.length <= 10 ? '*'.repeat(value.length) : value.slice(0, 6) + '*'.repeat(value.length - 10) + value.slice(-4);
  return value.length <= 7 ? '*'.repeat(value.length) : value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

const ID_IN_TEXT = /\b(\d{6})\d{8}(\d{3}[\dXx])\b/g;
const PHONE_IN_TEXT = /\b(1\d{2})\d{4}(\d{4})\b/g;

/** Masks any resident ID or mobile number that appears inside free text (log lines, messages). */
export function maskText(text: string): string {
  return text.replace(ID_IN_TEXT, '$1********$2').replace(PHONE_IN_TEXT, '$1****$2');
}
