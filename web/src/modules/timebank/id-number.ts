/**
 * A resident ID number (GB 11643-1999, 18 characters) checked on the device before a transfer is
 * sent: its length, its form, and its check digit — the server checks again and looks the person up.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberProblem = 'length' | 'format' | 'checkDigit';

/** What is wrong with the number as typed (spaces ignored, x as X), or null when it is well formed. */
export function idNumberProblem(raw: string): IdNumberProblem | null {
  const v = normalIdNumber(raw);
  if (v.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(v)) return 'format';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (v.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11] === v[17] ? null : 'checkDigit';
}

/** The number as sent: no spaces, upper-case X. */
export const normalIdNumber = (raw: string) => raw.replace(/\s+/g, '').toUpperCase();

/** The number as shown back: the region of issue and the rest masked (as the register shows IDs). */
export const maskedIdNumber = (raw: string) => {
  const v = normalIdNumber(raw);
  return v.slice(0, 6) + '*'.repeat(Math.max(0, v.length - 6));
};
