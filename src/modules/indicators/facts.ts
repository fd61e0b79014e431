import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';
import type { AppContext } from '../../platform/context.js';
import type { IndicatorFactBlockTable } from './indicators.tables.js';
import type { Insertable } from 'kysely';

/**
 * The month's person facts (issue 20), packed per region: one row per (month, region) holding that
 * region's own persons of the population as two little-endian int32 arrays of equal length — the
 * person ids in ascending order and, at the same positions, the bits of the person sources that
 * hold for them (indicator_refreshes.sources gives the bit order).
 *
 * DHIS2 keeps one flat row per fact; at a county's million elders that is a million rows written
 * at a month's first refresh and read back at every recompute, which on this machine was most of
 * the refresh's time (4 s of 5). Packed per region the month is ~500 rows and 8 MB: written,
 * compared and read back whole in tens of milliseconds, and a drill-down reads only the blocks of
 * the region asked for. Nothing else reads the facts: refresh.ts writes them, members.ts lists
 * persons from them.
 */
export interface FactBlock {
  region: string;
  /** ascending */
  ids: Int32Array;
  bits: Int32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An int32 array as the stored bytes (little-endian). */
export function packInts(a: Int32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const out = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) out.writeInt32LE(a[i]!, i * 4);
  return out;
}

/** The stored bytes as an int32 array (a copy: the driver's buffer need not be aligned). */
export function unpackInts(b: Uint8Array): Int32Array {
  if (b.byteLength % 4 !== 0) throw new Error(`a packed fact column of ${b.byteLength} bytes is not whole int32s`);
  const out = new Int32Array(b.byteLength / 4);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(b);
  else {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < out.length; i++) out[i] = view.getInt32(i * 4, true);
  }
  return out;
}

function toBlock(r: { region_code: string; persons: number; ids: Uint8Array; bits: Uint8Array }): FactBlock {
  const block = { region: r.region_code, ids: unpackInts(r.ids), bits: unpackInts(r.bits) };
  if (block.ids.length !== Number(r.persons) || block.bits.length !== block.ids.length)
    throw new Error(`the facts of region ${r.region_code} are damaged: ${block.ids.length} ids, ${block.bits.length} bits, ${r.persons} persons`);
  return block;
}

/** The month's blocks, all or those of the regions whose code starts with `prefix`. */
export async function readBlocks(db: Executor, month: string, prefix?: string): Promise<FactBlock[]> {
  let q = db.selectFrom('indicator_fact_blocks').select(['region_code', 'persons', 'ids', 'bits']).where('month', '=', month);
  if (prefix) q = q.where('region_code', '>=', prefix).where('region_code', '<', prefixUpperBound(prefix));
  return (await q.orderBy('region_code').execute()).map(toBlock);
}

/** The population's count per region (own persons) in the month's facts. */
export async function blockSizes(db: Executor, month: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('indicator_fact_blocks').select(['region_code', 'persons']).where('month', '=', month).execute();
  return new Map(rows.filter((r) => Number(r.persons) > 0).map((r) => [r.region_code, Number(r.persons)]));
}

/** Whether two blocks hold the same facts. */
export function sameBlock(a: FactBlock, b: FactBlock): boolean {
  if (a.ids.length !== b.ids.length) return false;
  for (let i = 0; i < a.ids.length; i++) if (a.ids[i] !== b.ids[i] || a.bits[i] !== b.bits[i]) return false;
  return true;
}

const REGION_CHUNK = 1000;

/**
 * Replaces the month's blocks of the given regions: `write` (an empty block removes its region's
 * row), within the refresh's transaction.
 */
export async function writeBlocks(ctx: AppContext, trx: Executor, month: string, write: readonly FactBlock[]): Promise<void> {
  const regions = write.map((b) => b.region);
  for (let i = 0; i < regions.length; i += REGION_CHUNK)
    await trx
      .deleteFrom('indicator_fact_blocks')
      .where('month', '=', month)
      .where('region_code', 'in', regions.slice(i, i + REGION_CHUNK))
      .execute();
  const rows: Insertable<IndicatorFactBlockTable>[] = write
    .filter((b) => b.ids.length > 0)
    .map((b) => ({ month, region_code: b.region, persons: b.ids.length, ids: packInts(b.ids), bits: packInts(b.bits) }));
  // a block is up to a few hundred kB: a few rows a statement
  for (let i = 0; i < rows.length; i += 50) await ctx.handle.insertMany(trx, 'indicator_fact_blocks', rows.slice(i, i + 50));
}

/**
 * A region's facts from (id, bits) pairs in any order: sorted by id. `ids` and `bits` are parallel.
 */
export function blockOf(region: string, ids: ArrayLike<number>, bits: ArrayLike<number>): FactBlock {
  const n = ids.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (!sorted) {
    // below 2^21 persons a region, (id · 2^21 + position) is exact in a double: a native numeric
    // sort instead of a comparator's; a bigger region sorts with the comparator
    if (n < 2 ** 21) {
      const keys = new Float64Array(n);
      for (let i = 0; i < n; i++) keys[i] = ids[i]! * 2 ** 21 + i;
      keys.sort();
      for (let i = 0; i < n; i++) order[i] = keys[i]! % 2 ** 21;
    } else order.sort((a, b) => ids[a]! - ids[b]!);
  }
  const out: FactBlock = { region, ids: new Int32Array(n), bits: new Int32Array(n) };
  for (let i = 0; i < n; i++) {
    out.ids[i] = ids[order[i]!]!;
    out.bits[i] = bits[order[i]!]!;
  }
  return out;
}

/** The month's facts as rows in person order (tests and checks; a county's month is a million of them). */
export async function readFacts(db: Executor, month: string): Promise<Array<{ person_id: number; region_code: string; bits: number }>> {
  const out: Array<{ person_id: number; region_code: string; bits: number }> = [];
  for (const b of await readBlocks(db, month))
    for (let i = 0; i < b.ids.length; i++) out.push({ person_id: b.ids[i]!, region_code: b.region, bits: b.bits[i]! });
  return out.sort((a, b) => a.person_id - b.person_id);
}
