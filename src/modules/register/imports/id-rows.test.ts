import { describe, expect, it } from 'vitest';
import { makeResidentId } from '../resident-id.js';
import { IdRows } from './id-rows.js';

describe('IdRows (the IDs a file has shown, with their first rows)', () => {
  it('names the first row of a repeated ID and remembers each ID once', () => {
    const t = new IdRows();
    const a = makeResidentId('330503', '1940-05-01', 1, 'F');
    const b = makeResidentId('330503', '1940-05-01', 2, 'F');
    expect(t.firstRowOr(a, 2)).toBeUndefined();
    expect(t.firstRowOr(b, 3)).toBeUndefined();
    expect(t.firstRowOr(a, 4)).toBe(2);
    expect(t.firstRowOr(a, 9)).toBe(2);
    expect(t.firstRowOr(b, 10)).toBe(3);
    expect(t.size).toBe(2);
  });

  it('tells apart IDs equal in either half of their 17 digits', () => {
    const t = new IdRows();
    const ids = [
      '420281195' + '00101001',
      '420281195' + '00101003', // the same first nine digits
      '320681195' + '00101001', // the same last eight
      '420281195' + '10101001',
      '420281194' + '00101001',
    ];
    ids.forEach((id, i) => expect(t.firstRowOr(id + 'X', i + 2)).toBeUndefined());
    ids.forEach((id, i) => expect(t.firstRowOr(id + 'X', 100 + i)).toBe(i + 2));
    expect(t.size).toBe(ids.length);
  });

  it('keeps every ID through growth, exactly, in about 12 to 34 bytes an ID', () => {
    const t = new IdRows(16);
    const ids: string[] = [];
    const start = Date.UTC(1920, 0, 1);
    for (let i = 0; i < 200_000; i++) {
      const day = new Date(start + (i % 9_000) * 86_400_000).toISOString().slice(0, 10);
      ids.push(makeResidentId(i % 2 ? '330503' : '420281', day, Math.floor(i / 18_000), i % 3 ? 'M' : 'F'));
    }
    const firsts = new Map<string, number>();
    const wrong: string[] = [];
    ids.forEach((id, i) => {
      const expected = firsts.get(id);
      if (t.firstRowOr(id, i + 2) !== expected) wrong.push(`row ${i + 2}`);
      if (expected === undefined) firsts.set(id, i + 2);
    });
    for (const [id, row] of firsts) if (t.firstRowOr(id, 1) !== row) wrong.push(id);
    expect(wrong).toEqual([]);
    expect(firsts.size).toBeLessThan(ids.length);
    expect(t.size).toBe(firsts.size);
    expect(t.bytes / t.size).toBeLessThanOrEqual(34);
  });
});
