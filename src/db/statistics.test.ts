import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Executor } from './database.js';
import { writeDemoFiles } from '../modules/demo/files.js';
import { DEMO_COUNTY } from '../modules/demo/regions.js';
import { runImport } from '../modules/register/imports/imports.service.js';
import { systemScope } from '../platform/scope.js';
import { today } from '../platform/time.js';
import { createSeededContext, createTestContext, dialects } from '../testing/harness.js';
import { freshenStatistics } from './statistics.js';

/** What the catalogue and the activity counters say of a table: its pages and those marked all-visible (what an index-only scan needs), its tuples, and when ANALYZE (null: never) and VACUUM last ran on it by hand. */
async function tableStats(db: Executor, table: string) {
  const r = await sql<{ pages: number; visible: number; tuples: number; at: string | null; vacuumed: boolean }>`select c.relpages as pages,
      c.relallvisible as visible, c.reltuples::float8 as tuples, s.last_analyze::text as at, (s.last_vacuum is not null) as vacuumed
      from pg_class c join pg_stat_user_tables s on s.relid = c.oid where c.oid = to_regclass(${table})`.execute(db);
  return r.rows[0]!;
}

/** A plan's text, one line a node. */
async function plan(db: Executor, query: string): Promise<string> {
  const r = await sql<{ 'QUERY PLAN': string }>`explain (costs off) ${sql.raw(query)}`.execute(db);
  return r.rows.map((x) => x['QUERY PLAN']).join('\n');
}

describe.skipIf(!dialects.includes('postgres'))('freshenStatistics on PostgreSQL', () => {
  it('analyses a table written in bulk and never analysed, then leaves it until it grows by a tenth; skips a missing table', async () => {
    const ctx = await createTestContext('postgres');
    try {
      await sql`create table stat_probe (id int primary key, town int not null, pad text not null)`.execute(ctx.db);
      await sql`insert into stat_probe select g, g % 9, repeat('x', 200) from generate_series(1, 60000) g`.execute(ctx.db);
      expect((await tableStats(ctx.db, 'stat_probe')).at).toBeNull();
      const ids = Array.from({ length: 500 }, (_, i) => 1 + i * 97).join(',');
      const lookup = `select id from stat_probe where town >= 0 and id = any('{${ids}}'::int[])`;

      expect(await freshenStatistics(ctx.db, ['stat_probe', 'no_such_table'])).toEqual(['stat_probe']);
      const first = await tableStats(ctx.db, 'stat_probe');
      expect(first.at).not.toBeNull();
      expect(first.tuples).toBeGreaterThan(50000);
      expect(await plan(ctx.db, lookup)).toMatch(/Index Cond: \(id = ANY/);

      expect(await freshenStatistics(ctx.db, ['stat_probe'])).toEqual([]); // fresh: not again
      await sql`insert into stat_probe select g, g % 9, repeat('x', 200) from generate_series(60001, 64000) g`.execute(ctx.db);
      expect(await freshenStatistics(ctx.db, ['stat_probe'])).toEqual([]); // 7 % more: still fresh enough
      await sql`insert into stat_probe select g, g % 9, repeat('x', 200) from generate_series(64001, 90000) g`.execute(ctx.db);
      expect(await freshenStatistics(ctx.db, ['stat_probe'])).toEqual(['stat_probe']);
      expect((await tableStats(ctx.db, 'stat_probe')).tuples).toBeGreaterThan(80000);
    } finally {
      await ctx.cleanup();
    }
  });

  it('with { vacuum: true }, vacuums a table updated in place whose pages are not all-visible, once', async () => {
    const ctx = await createTestContext('postgres');
    try {
      await sql`create table stat_probe (id int primary key, n int not null)`.execute(ctx.db);
      await sql`insert into stat_probe select g, 0 from generate_series(1, 50000) g`.execute(ctx.db);
      expect(await freshenStatistics(ctx.db, ['stat_probe'])).toEqual(['stat_probe']); // analysed, not vacuumed
      expect((await tableStats(ctx.db, 'stat_probe')).vacuumed).toBe(false);
      await sql`update stat_probe set n = 1 where id % 2 = 0`.execute(ctx.db);
      expect(await freshenStatistics(ctx.db, ['stat_probe', 'no_such_table'], { vacuum: true })).toEqual(['stat_probe']);
      const v = await tableStats(ctx.db, 'stat_probe');
      expect(v.vacuumed).toBe(true);
      // VACUUM marks a page all-visible only if no open transaction of the server may still see its
      // old rows (other tests' run beside this one): once half is marked, it is not asked again
      expect(await freshenStatistics(ctx.db, ['stat_probe'], { vacuum: true })).toEqual(v.visible >= 0.5 * v.pages ? [] : ['stat_probe']);
    } finally {
      await ctx.cleanup();
    }
  });

  it('leaves the register vacuumed and analysed when an import ends (its searches count from the index alone)', async () => {
    const ctx = await createSeededContext('postgres');
    const dir = mkdtempSync(join(tmpdir(), 'yiyang-statistics-'));
    try {
      const county = ctx.regions.get(DEMO_COUNTY)!;
      const scope = systemScope(county.code, county.prefix, 'test');
      for (const f of await writeDemoFiles(dir, { elders: 400, seed: 3, asOf: today() }))
        await runImport(ctx, scope, { source: f.source, path: f.path, fileName: `${f.source}.csv` });
      const v = await tableStats(ctx.db, 'persons');
      expect(v.pages).toBeGreaterThan(8);
      expect(v.vacuumed).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await ctx.cleanup();
    }
  });

  it('lets one of two callers at once analyse a table, the other going on without waiting', async () => {
    const ctx = await createTestContext('postgres');
    try {
      await sql`create table stat_probe (id int primary key)`.execute(ctx.db);
      await sql`insert into stat_probe select g from generate_series(1, 50000) g`.execute(ctx.db);
      const both = await Promise.all([freshenStatistics(ctx.db, ['stat_probe']), freshenStatistics(ctx.db, ['stat_probe'])]);
      expect(both.flat()).toEqual(['stat_probe']);
    } finally {
      await ctx.cleanup();
    }
  });
});

describe('freshenStatistics on SQLite', () => {
  it('does nothing', async () => {
    const ctx = await createTestContext('sqlite');
    try {
      expect(await freshenStatistics(ctx.db, ['persons'])).toEqual([]);
    } finally {
      await ctx.cleanup();
    }
  });
});
