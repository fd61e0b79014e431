import { describe, expect, it } from 'vitest';
import { blockOf, packInts, sameBlock, unpackInts } from './facts.js';

describe('packed person facts', () => {
  it('stores int32s little-endian and reads them back from any offset of a driver buffer', () => {
    const a = Int32Array.from([1, -1, 2 ** 31 - 1, -(2 ** 31), 0, 123456]);
    const bytes = packInts(a);
    expect(bytes.byteLength).toBe(24);
    expect(bytes.readInt32LE(4)).toBe(-1);
    // a buffer at an odd offset (drivers hand out slices of a bigger one)
    const host = Buffer.alloc(bytes.byteLength + 3);
    bytes.copy(host, 3);
    expect(Array.from(unpackInts(host.subarray(3)))).toEqual(Array.from(a));
    expect(() => unpackInts(Buffer.alloc(6))).toThrow(/not whole int32s/);
  });

  it('a block holds its persons in id order with their bits beside them, and compares by content', () => {
    const ids = [900, 5, 77, 2 ** 31 - 2, 6];
    const bits = [1, 2, 3, 4, 5];
    const b = blockOf('R', ids, bits);
    expect(Array.from(b.ids)).toEqual([5, 6, 77, 900, 2 ** 31 - 2]);
    expect(Array.from(b.bits)).toEqual([2, 5, 3, 1, 4]);
    expect(sameBlock(b, blockOf('R', [5, 6, 77, 900, 2 ** 31 - 2], [2, 5, 3, 1, 4]))).toBe(true);
    expect(sameBlock(b, blockOf('R', [5, 6, 77, 900, 2 ** 31 - 2], [2, 5, 3, 0, 4]))).toBe(false);
    expect(sameBlock(b, blockOf('R', [5, 6, 77, 900], [2, 5, 3, 1]))).toBe(false);
  });
});
