import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher } from './crypto.js';
import { AppError, errorCatalogue, formatMessage } from './errors.js';
import { mask, maskText } from './mask.js';
import { ageOn, isCivilDate, parseLooseDate } from './time.js';
import { narrowScope, regionInScope } from './scope.js';

describe('time', () => {
  it('turns N on the birthday, and 29 February birthdays on 1 March in common years', () => {
    expect(ageOn('1946-11-23', '2026-11-22')).toBe(79);
    expect(ageOn('1946-11-23', '2026-11-23')).toBe(80);
    expect(ageOn('1944-02-29', '2025-02-28')).toBe(80);
    expect(ageOn('1944-02-29', '2025-03-01')).toBe(81);
    expect(ageOn('1944-02-29', '2024-02-29')).toBe(80);
  });
  it('parses the date spellings of department files and refuses impossible dates', () => {
    expect(parseLooseDate('1940/5/6')).toBe('1940-05-06');
    expect(parseLooseDate('1940年5月6日')).toBe('1940-05-06');
    expect(parseLooseDate('19400506')).toBe('1940-05-06');
    expect(parseLooseDate('1941-02-29')).toBeNull();
    expect(isCivilDate('2024-02-29')).toBe(true);
    expect(isCivilDate('2023-02-29')).toBe(false);
  });
});

describe('masking and field encryption', () => {
  it('masks IDs and phones in values and in free text, 15-digit old IDs too', () => {
    expect(mask('idNumber', '330503194005061234')).toBe('330503************');
    expect(mask('idNumber', '330503400506123')).toBe('330503*********');
    expect(mask('phone', '13812345678')).toBe('138****5678');
    expect(maskText('call 13812345678 about 33050319400506123X')).toBe('call 138****5678 about 330503************');
    expect(maskText('old id 330503400506123 here')).toBe('old id 330503********* here');
  });
  // Issue 12 item 4: the old mask hid exactly the birth-date digits, so mask + birth date = the ID.
  it('a masked ID together with the birth date and sex shown beside it leaves hundreds of candidates', () => {
    const id = '990101194603150012';
    const shown = mask('idNumber', id);
    const birth = '19460315';
    const male = Number(id[16]) % 2 === 1;
    const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C = '10X98765432';
    let candidates = 0;
    for (let seq = 0; seq < 1000; seq++) {
      const body = shown.slice(0, 6) + birth + String(seq).padStart(3, '0');
      if ((Number(body[16]) % 2 === 1) !== male) continue;
      const check = C[[...body].reduce((a, d, i) => a + Number(d) * W[i]!, 0) % 11]!;
      const full = body + check;
      // every character the mask shows must match
      if ([...shown].every((ch, i) => ch === '*' || ch === full[i])) candidates++;
    }
    expect(candidates).toBeGreaterThanOrEqual(100);
  });
  it('encrypts with a fresh IV each time, decrypts, and hashes for lookup with a key', () => {
    const c = createFieldCipher(randomBytes(32));
    const a = c.encrypt('330503194005061234');
    expect(a).not.toBe(c.encrypt('330503194005061234'));
    expect(c.decrypt(a)).toBe('330503194005061234');
    expect(c.lookupHash('33050319400506123x')).toBe(c.lookupHash('33050319400506123X'));
    expect(createFieldCipher(randomBytes(32)).lookupHash('1')).not.toBe(c.lookupHash('1'));
    const tampered = Buffer.from(a, 'base64');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => c.decrypt(tampered.toString('base64'))).toThrow();
  });
});

describe('error catalogue', () => {
  it('gives every code a status and both languages, with placeholders filled from params', () => {
    for (const [code, e] of Object.entries(errorCatalogue)) {
      expect(e.status, code).toBeGreaterThanOrEqual(400);
      expect(e.zh.length, code).toBeGreaterThan(0);
      expect(e.en.length, code).toBeGreaterThan(0);
    }
    const e = new AppError('IMPORT_ROWS', { bad: 3 });
    expect(e.status).toBe(422);
    expect(formatMessage(e.code, e.params, 'zh-CN')).toContain('3 行');
    expect(formatMessage(e.code, e.params, 'en')).toContain('3 rows');
  });
});

describe('scope narrowing', () => {
  const county = {
    userId: 1,
    username: 'admin',
    role: 'bureau_admin' as const,
    regionCode: '990101',
    regionPrefix: '990101',
    organisationId: null,
    assignedOnly: false,
    ip: null,
  };
  const town = { ...county, regionCode: '990101001', regionPrefix: '990101001' };
  it('narrows to a region inside the scope, keeps the scope for a wider one, and empties it for one outside', () => {
    expect(narrowScope(county, '990101002', '990101002').regionPrefix).toBe('990101002');
    expect(narrowScope(town, '990101', '990101')).toBe(town);
    const outside = narrowScope(town, '990101002', '990101002');
    expect(regionInScope(outside, '990101002001')).toBe(false);
    expect(regionInScope(outside, '990101001001')).toBe(false);
  });
});
