import { describe, expect, it } from 'vitest';
import { checkDigit, makeResidentId, parseResidentId } from './resident-id.js';

describe('resident ID (GB 11643-1999)', () => {
  it('computes the check digit of the standard example', () => {
    // The example printed in GB 11643-1999 itself.
    expect(checkDigit('11010519491231002')).toBe('X');
  });
  it('decodes birth date and sex', () => {
    const id = makeResidentId('990101', '1944-02-29', 7, 'F');
    expect(parseResidentId(id, '2026-01-01')).toEqual({ value: id, birthDate: '1944-02-29', sex: 'F' });
    expect(parseResidentId(id.toLowerCase(), '2026-01-01')).not.toBe('format');
  });
  it('rejects wrong check digits, impossible and future dates, bad formats', () => {
    const id = makeResidentId('990101', '1950-06-01', 1, 'M');
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    expect(parseResidentId(wrong, '2026-01-01')).toBe('checkDigit');
    expect(parseResidentId('99010119500231001X', '2026-01-01')).toBe('birthDate');
    expect(parseResidentId(makeResidentId('990101', '2030-01-01', 1, 'M'), '2026-01-01')).toBe('futureBirth');
    expect(parseResidentId('9901011950', '2026-01-01')).toBe('format');
    expect(parseResidentId("1' OR '1'='1", '2026-01-01')).toBe('format');
  });
});
