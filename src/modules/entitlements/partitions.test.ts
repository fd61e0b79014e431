import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../db/migrate.js';
import { systemScope } from '../../platform/scope.js';
import { nextPeriod, today } from '../../platform/time.js';
import { createTestContext, dialects, PG_URL, type TestContext } from '../../testing/harness.js';
import { seedDemoEntitlements } from '../demo/entitlements.js';
import { writeDemoFiles } from '../demo/files.js';
import { DEMO_COUNTY } from '../demo/regions.js';
import { seedRegionsAndUsers } from '../demo/seed.js';
import { runImport } from '../register/imports/imports.service.js';
import { serverModules } from '../index.js';
import { ensureRunPartitions, movePartitionlessRuns } from './partitions.js';
import { partJobs } from './run-parts.js';
import { startRun } from './runs.service.js';

const TABLES = ['decisions', 'decision_items'] as const;

/** The demo county's register (300 elders over nine towns) and its last and this month's runs, split by town (batches of 50). */
async function withRuns(dialect: 'sqlite' | 'postgres'): Promise<TestContext> {
  const ctx = await createTestContext(dialect, { runBatchSize: 50 });
  await seedRegionsAndUsers(ctx);
  const county = ctx.regions.get(DEMO_COUNTY)!;
  const scope = systemScope(county.code, county.prefix, 'test');
  const files = mkdtempSync(join(tmpdir(), 'yiyang-partitions-'));
  try {
    for (const f of await writeDemoFiles(files, { elders: 300, seed: 5, asOf: today() }))
      await runImport(ctx, scope, { source: f.source, path: f.path, fileName: `${f.source}.csv` });
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
  await seedDemoEntitlements(ctx, scope);
  return ctx;
}

/** Every row of a table as text, in key order: what must survive the migration byte for byte. */
async function rowsOf(ctx: TestContext, table: string): Promise<string[]> {
  const r = await sql<{ r: string }>`select t::text as r from ${sql.table(table)} t order by 1`.execute(ctx.db);
  return r.rows.map((x) => x.r);
}

/** Rows per partition of a table: 'decisions_r12' → n. */
async function wherePartitioned(ctx: TestContext, table: string): Promise<Record<string, number>> {
  const r = await sql<{ part: string; n: number }>`select tableoid::regclass::text as part, count(*)::int as n from ${sql.table(table)}
      group by 1 order by 1`.execute(ctx.db);
  return Object.fromEntries(r.rows.map((x) => [x.part, x.n]));
}

/** The columns of a table as information_schema states them. */
async function columnsOf(ctx: TestContext, table: string) {
  return (
    await sql<{ c: string }>`select column_name || ' ' || data_type || ' ' || is_nullable as c from information_schema.columns
      where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(ctx.db)
  ).rows.map((x) => x.c);
}

/** Rows of a table per run, named as the run's partition would be. */
async function perRun(ctx: TestContext, table: string): Promise<Record<string, number>> {
  const r = await sql<{ run: number; n: number }>`select run_id as run, count(*)::int as n from ${sql.table(table)} group by 1 order by 1`.execute(ctx.db);
  return Object.fromEntries(r.rows.map((x) => [`${table}_r${x.run}`, x.n]));
}

/** Both tables' rows as text and their counts per run: what making partitions must keep. */
async function snapshot(ctx: TestContext) {
  return {
    rows: { decisions: await rowsOf(ctx, 'decisions'), decision_items: await rowsOf(ctx, 'decision_items') },
    counts: { decisions: await perRun(ctx, 'decisions'), decision_items: await perRun(ctx, 'decision_items') },
  };
}

const runIds = async (ctx: TestContext) => (await ctx.db.selectFrom('entitlement_runs').select('id').orderBy('id').execute()).map((r) => r.id);

describe.skipIf(!dialects.includes('postgres'))('decisions and decision items partitioned by run on PostgreSQL', () => {
  it('is partitioned by LIST (run_id) after a fresh migrate, with a DEFAULT partition and the keys as before; decision_changes stays one table', async () => {
    const ctx = await createTestContext('postgres');
    try {
      const p = await sql<{ table: string; key: string }>`select partrelid::regclass::text as table, pg_get_partkeydef(partrelid) as key
          from pg_partitioned_table where partrelid in (to_regclass('decisions'), to_regclass('decision_items'), to_regclass('decision_changes'))
          order by 1`.execute(ctx.db);
      expect(p.rows).toEqual([
        { table: 'decision_items', key: 'LIST (run_id)' },
        { table: 'decisions', key: 'LIST (run_id)' },
      ]);
      const keys = await sql<{ name: string; def: string }>`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
          where contype = 'p' and conrelid in (to_regclass('decisions'), to_regclass('decision_items')) order by 1`.execute(ctx.db);
      expect(keys.rows).toEqual([
        { name: 'decision_items_pk', def: 'PRIMARY KEY (run_id, item_id, person_id)' },
        { name: 'decisions_pk', def: 'PRIMARY KEY (run_id, person_id)' },
      ]);
      for (const t of TABLES) expect(await wherePartitioned(ctx, t)).toEqual({});
      expect((await sql<{ r: string | null }>`select to_regclass('decisions_default')::text as r`.execute(ctx.db)).rows[0]!.r).toBe('decisions_default');
      expect((await sql<{ r: string | null }>`select to_regclass('decision_items_default')::text as r`.execute(ctx.db)).rows[0]!.r).toBe(
        'decision_items_default',
      );
    } finally {
      await ctx.cleanup();
    }
  });

  it('starts a run from statistics of the register and of the previous run’s partition, which its batches read by ids (src/db/statistics.ts)', async () => {
    const ctx = await withRuns('postgres');
    try {
      const [a, b] = await runIds(ctx);
      const analysed = async (table: string) =>
        (await sql<{ at: string | null }>`select last_analyze::text as at from pg_stat_user_tables where relid = to_regclass(${table})`.execute(ctx.db)).rows[0]
          ?.at ?? null;
      expect(await analysed('persons')).not.toBeNull();
      expect(await analysed(`decisions_r${a}`)).not.toBeNull();
      // the run read last has no run after it yet: nothing asked for its statistics
      expect(await analysed(`decisions_r${b}`)).toBeNull();
    } finally {
      await ctx.cleanup();
    }
  });

  it('keeps every row when a database with runs is migrated, each run’s rows in its partition, a row without a run kept too', async () => {
    const ctx = await withRuns('postgres');
    try {
      const fresh = { decisions: await columnsOf(ctx, 'decisions'), decision_items: await columnsOf(ctx, 'decision_items') };
      // the database as the code before partitioning left it: the two tables as migrations 003 and 013 made them, with the runs' rows
      for (const t of TABLES) {
        await sql`create table ${sql.table(`${t}_plain`)} as select * from ${sql.table(t)}`.execute(ctx.db);
        await sql`drop table ${sql.table(t)}`.execute(ctx.db);
      }
      await sql`create table decisions (run_id integer not null, person_id integer not null, region_code text not null, facts text not null,
          outcome text not null, constraint decisions_pk primary key (run_id, person_id))`.execute(ctx.db);
      await sql`create table decision_items (run_id integer not null, item_id text not null, region_code text not null, person_id integer not null,
          value double precision not null, constraint decision_items_pk primary key (run_id, item_id, person_id))`.execute(ctx.db);
      for (const t of TABLES) {
        await sql`insert into ${sql.table(t)} select * from ${sql.table(`${t}_plain`)}`.execute(ctx.db);
        await sql`drop table ${sql.table(`${t}_plain`)}`.execute(ctx.db);
      }
      // a decision whose run row is gone (nothing references decisions, nothing stops it): kept too
      await sql`insert into decisions values (999999, 1, '330503', '[]', '{}')`.execute(ctx.db);
      await sql`delete from kysely_migration where name = 'entitlements/015-partition-by-run'`.execute(ctx.db);
      const { rows: before, counts } = await snapshot(ctx);
      const [a, b] = await runIds(ctx);
      expect(Object.keys(counts.decisions)).toEqual([`decisions_r${a}`, `decisions_r${b}`, 'decisions_r999999']);
      expect(before.decision_items.length).toBeGreaterThan(300);

      expect(await migrate(ctx.db, serverModules, ctx.handle.schema)).toEqual(['entitlements/015-partition-by-run']);
      for (const t of TABLES) {
        expect(await rowsOf(ctx, t)).toEqual(before[t]);
        expect(await columnsOf(ctx, t)).toEqual(fresh[t]);
      }
      for (const t of TABLES) expect(await wherePartitioned(ctx, t)).toEqual(counts[t]);
      expect(Object.keys(counts.decision_items)).toEqual([`decision_items_r${a}`, `decision_items_r${b}`]);
      // a DBA reads which county and month a partition holds
      const comment = await sql<{ c: string }>`select obj_description(to_regclass(${`decisions_r${b}`}), 'pg_class') as c`.execute(ctx.db);
      expect(comment.rows[0]!.c).toBe(`run ${b}: ${DEMO_COUNTY} ${today().slice(0, 7)}`);
      // the keys hold as before
      const dup = sql`insert into decisions select * from decisions where run_id = ${a} limit 1`.execute(ctx.db);
      await expect(dup).rejects.toMatchObject({ code: '23505' });
    } finally {
      await ctx.cleanup();
    }
  }, 180_000);

  it('puts a new run’s rows, from every town’s part, in partitions of its own, and leaves the DEFAULT partitions empty', async () => {
    const ctx = await withRuns('postgres');
    try {
      const county = ctx.regions.get(DEMO_COUNTY)!;
      const { run, done } = await startRun(ctx, systemScope(county.code, county.prefix, 'test'), nextPeriod(today().slice(0, 7)), county.code);
      // made with the run, before any batch
      expect((await sql<{ r: string | null }>`select to_regclass(${`decision_items_r${run.id}`})::text as r`.execute(ctx.db)).rows[0]!.r).not.toBeNull();
      await done;
      expect((await partJobs(ctx.db, run.id)).length).toBe(9);
      for (const t of TABLES) {
        const counts = await perRun(ctx, t);
        expect(counts[`${t}_r${run.id}`]).toBeGreaterThan(0);
        expect(await wherePartitioned(ctx, t)).toEqual(counts);
      }
      // a run's read is planned on its partition alone
      const plan = await sql<{ 'QUERY PLAN': string }>`explain select person_id from decisions where run_id = ${run.id} and person_id = 5`.execute(ctx.db);
      const names = plan.rows.flatMap((r) => r['QUERY PLAN'].match(/decisions_\w+/g) ?? []);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => n !== `decisions_r${run.id}` && !n.startsWith(`decisions_r${run.id}_`))).toEqual([]);
    } finally {
      await ctx.cleanup();
    }
  }, 180_000);

  it('moves the rows of a run without partitions out of DEFAULT when its partitions are made, once, by one of two callers at a time', async () => {
    const ctx = await withRuns('postgres');
    try {
      const b = (await runIds(ctx))[1]!;
      const { rows: before, counts } = await snapshot(ctx);
      // a run as a server of the version before partitions left it: its rows in the DEFAULT partitions
      for (const t of TABLES) {
        await sql`alter table ${sql.table(t)} detach partition ${sql.table(`${t}_r${b}`)}`.execute(ctx.db);
        await sql`insert into ${sql.table(t)} select * from ${sql.table(`${t}_r${b}`)}`.execute(ctx.db);
        await sql`drop table ${sql.table(`${t}_r${b}`)}`.execute(ctx.db);
      }
      expect(await wherePartitioned(ctx, 'decisions')).toMatchObject({ decisions_default: counts.decisions[`decisions_r${b}`] });
      const run = await ctx.db.selectFrom('entitlement_runs').selectAll().where('id', '=', b).executeTakeFirstOrThrow();
      // two servers at once (the start pass of one, the run's resume on another): one makes them, the other waits and finds them
      const made = await Promise.all([movePartitionlessRuns(ctx.db), ensureRunPartitions(ctx.db, [run])]);
      expect(made.flat().sort()).toEqual([`decision_items_r${b}`, `decisions_r${b}`]);
      for (const t of TABLES) {
        expect(await rowsOf(ctx, t)).toEqual(before[t]);
        expect(await wherePartitioned(ctx, t)).toEqual(counts[t]);
      }
      expect(await movePartitionlessRuns(ctx.db)).toEqual([]);
    } finally {
      await ctx.cleanup();
    }
  }, 180_000);

  it('makes a run’s partitions without waiting for another run’s open batch', async () => {
    const ctx = await createTestContext('postgres');
    const other = new pg.Client({ connectionString: PG_URL });
    try {
      await ensureRunPartitions(ctx.db, [{ id: 1, region_code: DEMO_COUNTY, period: '2026-01' }]);
      await other.connect();
      await other.query(`set search_path = ${ctx.handle.schema}`);
      // run 1's batch, open: its rows written, not committed
      await other.query('begin');
      await other.query(`insert into decisions values (1, 1, '${DEMO_COUNTY}', '[]', '{}')`);
      await other.query(`insert into decision_items values (1, 'x', '${DEMO_COUNTY}', 1, 1)`);
      const made = await ctx.db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = '2s'`.execute(trx);
        return ensureRunPartitions(trx, [{ id: 2, region_code: DEMO_COUNTY, period: '2026-02' }]);
      });
      expect(made).toEqual(['decisions_r2', 'decision_items_r2']);
      await other.query('commit');
      expect(await wherePartitioned(ctx, 'decisions')).toEqual({ decisions_r1: 1 });
    } finally {
      await other.end();
      await ctx.cleanup();
    }
  });
});

describe('decisions on SQLite', () => {
  it('stay plain tables, and making partitions does nothing', async () => {
    const ctx = await createTestContext('sqlite');
    try {
      expect(await ensureRunPartitions(ctx.db, [{ id: 1, region_code: DEMO_COUNTY, period: '2026-01' }])).toEqual([]);
      expect(await movePartitionlessRuns(ctx.db)).toEqual([]);
      const t = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name like 'decision%' order by name`.execute(ctx.db);
      expect(t.rows.map((r) => r.name)).toEqual(['decision_changes', 'decision_items', 'decisions']);
    } finally {
      await ctx.cleanup();
    }
  });
});
