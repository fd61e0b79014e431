/**
 * The resident IDs a file has shown so far, each with the row it was first read on: how an import
 * names the earlier row of a duplicate within one file. A checked resident ID is 17 digits and a
 * check character computed from them, so the 17 digits are the whole key: kept as two integers
 * (digits 1-9 and 10-17) in an open-addressed table of typed arrays, 12 bytes a slot, at most 70 %
 * full: 17-34 bytes an ID, against about 100 for a Map of strings (10 M IDs: about 200 MB, not 1 GB).
 * Exact: two IDs share an entry only when all 17 digits are equal.
 */
const MAX_LOAD = 0.7;

export class IdRows {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private rows: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 16) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.rows = new Uint32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (its three arrays). */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.rows.byteLength;
  }

  /**
   * The row an ID was first read on, or undefined and the ID remembered with `row`. `id` is a
   * checked resident ID (17 digits, then the check character); `row` a positive row number.
   */
  firstRowOr(id: string, row: number): number | undefined {
    // digits 7-9 begin a birth year of 1880 or later, so `hi` is never 0: 0 marks an empty slot
    const hi = Number(id.slice(0, 9));
    const lo = Number(id.slice(9, 17));
    let at = slotOf(hi, lo) & this.mask;
    for (;;) {
      const h = this.hi[at]!;
      if (h === 0) break;
      if (h === hi && this.lo[at] === lo) return this.rows[at];
      at = (at + 1) & this.mask;
    }
    this.hi[at] = hi;
    this.lo[at] = lo;
    this.rows[at] = row;
    if (++this.count > this.mask * MAX_LOAD) this.grow();
    return undefined;
  }

  private grow(): void {
    const { hi, lo, rows } = this;
    const size = hi.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.rows = new Uint32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < hi.length; i++) {
      const h = hi[i]!;
      if (h === 0) continue;
      let at = slotOf(h, lo[i]!) & this.mask;
      while (this.hi[at] !== 0) at = (at + 1) & this.mask;
      this.hi[at] = h;
      this.lo[at] = lo[i]!;
      this.rows[at] = rows[i]!;
    }
  }
}

/** A well-mixed slot number for a key (two 32-bit multiply-xorshift rounds). */
function slotOf(hi: number, lo: number): number {
  let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ lo;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}
