import { describe, expect, it } from 'vitest';
import { itemNumbers } from './numbers';

/** The self-check's lists number each item once (issue 20 R12: two lines read "7."). */
describe('the numbers of the self-check’s items', () => {
  it('numbers the entries of one catalogue row 7-1, 7-2 in catalogue order and leaves the others as published', () => {
    const items = [
      { id: 'nx-6', no: '6' },
      { id: 'nx-7', no: '7' },
      { id: 'nx-7b', no: '7' },
      { id: 'nx-8', no: '8' },
    ];
    const n = itemNumbers(items);
    expect([...n.entries()]).toEqual([
      ['nx-6', '6'],
      ['nx-7', '7-1'],
      ['nx-7b', '7-2'],
      ['nx-8', '8'],
    ]);
    expect(new Set(n.values()).size).toBe(items.length);
  });
});
