import { isCivilDate, type CivilDate } from '../../platform/time.js';

/** GB 11643-1999 resident identity numbers: 6-digit region, 8-digit birth date, 3-digit sequence, check. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

export type IdProblem = 'format' | 'checkDigit' | 'birthDate' | 'futureBirth';

export interface ResidentId {
  value: string;
  birthDate: CivilDate;
  sex: 'M' | 'F';
}

/** Validates and decodes an ID; `today` bounds the birth date. */
export function parseResidentId(raw: string, today: CivilDate): ResidentId | IdProblem {
  const value = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return 'format';
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  if (!isCivilDate(birthDate) || birthDate < '1880-01-01') return 'birthDate';
  if (birthDate > today) return 'futureBirth';
  if (checkDigit(value.slice(0, 17)) !== value[17]) return 'checkDigit';
  return { value, birthDate, sex: Number(value[16]) % 2 === 1 ? 'M' : 'F' };
}

/** Builds a valid ID from its parts (the demo generator and tests use it). */
export function makeResidentId(region6: string, birth: CivilDate, sequence: number, sex: 'M' | 'F'): string {
  const seq = (sequence % 500) * 2 + (sex === 'M' ? 1 : 0);
  const first17 = region6 + birth.replaceAll('-', '') + String(seq).padStart(3, '0');
  return first17 + checkDigit(first17);
}
