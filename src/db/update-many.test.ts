import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createTestContext, dialects } from '../testing/harness.js';
import type { Database } from './tables.js';

/**
 * updateMany: an import's updates of registered persons, each row with its own columns, in one
 * transaction — what a row-by-row UPDATE would leave, on both databases.
 */
describe.each(dialects)('updateMany on %s', (dialect) => {
  it('sets only each row’s own columns, last patch of an id winning, nulls and text as given, the other rows untouched', async () => {
    const ctx = await createTestContext(dialect);
    try {
      await sql`create table upd_probe (id integer primary key, a text not null, b integer, c text)`.execute(ctx.db);
      const n = 2500;
      await ctx.db
        .transaction()
        .execute((trx) =>
          ctx.handle.insertMany(
            trx,
            'upd_probe' as keyof Database,
            Array.from({ length: n }, (_, i) => ({ id: i + 1, a: `a${i + 1}`, b: i + 1, c: 'c' })) as never[],
          ),
        );
      const patches: Record<string, unknown>[] = [];
      // three column sets interleaved, more rows than one statement takes, quotes and JSON as text
      for (let id = 1; id <= 2400; id++)
        patches.push(id % 3 === 0 ? { id, a: `x'"${id}` } : id % 3 === 1 ? { id, b: null, c: '{"k":[1,"\\\\"]}' } : { id, a: 'y', b: -id, c: null });
      patches.push({ id: 5, a: 'again' }, { id: 5, b: 55 });
      await ctx.db.transaction().execute((trx) => ctx.handle.updateMany(trx, 'upd_probe' as 'persons', patches as never[]));

      const rows = await sql<{ id: number; a: string; b: number | null; c: string | null }>`select id, a, b, c from upd_probe order by id`.execute(ctx.db);
      const expected = (id: number) => {
        const row: Record<string, unknown> = { id, a: `a${id}`, b: id, c: 'c' };
        for (const p of patches) if (p.id === id) Object.assign(row, p);
        return row;
      };
      expect(rows.rows.map((r) => ({ ...r, b: r.b === null ? null : Number(r.b) }))).toEqual(Array.from({ length: n }, (_, i) => expected(i + 1)));
      expect(rows.rows[4]).toMatchObject({ a: 'again', b: 55, c: null });
      expect(rows.rows[2]).toMatchObject({ a: `x'"3`, b: 3, c: 'c' });
      expect(rows.rows[2400]).toMatchObject({ a: 'a2401', b: 2401, c: 'c' });
    } finally {
      await ctx.cleanup();
    }
  });

  it('writes nothing when the transaction rolls back, and refuses a row without an id', async () => {
    const ctx = await createTestContext(dialect);
    try {
      await sql`create table upd_probe (id integer primary key, a text not null)`.execute(ctx.db);
      await sql`insert into upd_probe (id, a) values (1, 'one')`.execute(ctx.db);
      await expect(
        ctx.db.transaction().execute(async (trx) => {
          await ctx.handle.updateMany(trx, 'upd_probe' as 'persons', [{ id: 1, a: 'two' }] as never[]);
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      expect((await sql<{ a: string }>`select a from upd_probe`.execute(ctx.db)).rows[0]!.a).toBe('one');
      await expect(ctx.db.transaction().execute((trx) => ctx.handle.updateMany(trx, 'upd_probe' as 'persons', [{ a: 'x' }] as never[]))).rejects.toThrow(
        /updateMany.*id/,
      );
    } finally {
      await ctx.cleanup();
    }
  });
});
