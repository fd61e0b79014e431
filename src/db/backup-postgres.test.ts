import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openContext } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { seedDemo } from '../modules/demo/seed.js';
import { serverModules } from '../modules/index.js';
import { profile, reveal } from '../modules/register/register.service.js';
import { verifyAudit } from '../platform/audit.js';
import type { AppContext } from '../platform/context.js';
import { createFieldCipher } from '../platform/crypto.js';
import { countyScope, createTestContext, dialects, PG_URL } from '../testing/harness.js';
import { openPostgres } from './database.js';
import { migrate } from './migrate.js';

/**
 * The PostgreSQL backup of docs/postgresql.md, done as an operator would: `pg_dump -Fc -n <schema>`
 * of a database the app filled (the demo: register, runs, decisions, rolls, visits, events, audit),
 * `pg_restore` into a new database, and the copy opened by the app with the same master key.
 */
const tool = (name: string) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0;
const haveTools = tool('pg_dump') && tool('pg_restore');
if (dialects.includes('postgres') && !haveTools) {
  if (process.env.CI === 'true' || process.env.REQUIRE_PG === '1')
    throw new Error('pg_dump and pg_restore are required here (apt-get install postgresql-client)');
  console.warn('pg_dump/pg_restore not found: the PostgreSQL backup test is skipped');
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
}

/** Rows of every table of the app's schema (partitions included), by table. */
async function rowCounts(ctx: AppContext, schema: string): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = ${schema} and table_type = 'BASE TABLE' order by table_name`.execute(ctx.db);
  const out: Record<string, number> = {};
  for (const { name } of tables.rows) {
    out[name] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(ctx.db)).rows[0]!.n;
  }
  return out;
}

describe.skipIf(!dialects.includes('postgres') || !haveTools)('PostgreSQL backup and restore (pg_dump / pg_restore)', () => {
  it('restores a schema the app filled into a new database that the app opens with the same key: nothing to migrate, the same rows, fields decrypt, the same person', async () => {
    const ctx = await createTestContext('postgres');
    const schema = ctx.handle.schema!;
    const work = mkdtempSync(join(tmpdir(), 'yiyang-pgdump-'));
    const database = `yiyang_restore_${randomBytes(4).toString('hex')}`;
    const restoredUrl = Object.assign(new URL(PG_URL), { pathname: `/${database}` }).toString();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    let restored: AppContext | undefined;
    try {
      await seedDemo(ctx, { elders: 200, seed: 21 });
      const before = await rowCounts(ctx, schema);
      for (const t of ['persons', 'person_history', 'entitlement_runs', 'decisions', 'decision_items', 'roll_lines', 'care_events', 'audit_log']) {
        expect(before[t], t).toBeGreaterThan(0);
      }

      const dump = join(work, 'yiyang.dump');
      run('pg_dump', ['--format=custom', '--schema', schema, '--file', dump, PG_URL]);
      expect(statSync(dump).size).toBeGreaterThan(0);
      await admin.query(`CREATE DATABASE ${database}`);
      run('pg_restore', ['--exit-on-error', '--no-owner', '--dbname', restoredUrl, dump]);

      // the copy as a server opens it: same schema name, same master key, its own data directory
      const handle = openPostgres(restoredUrl, schema);
      expect(await migrate(handle.db, serverModules, schema)).toEqual([]);
      const dir = join(work, 'data');
      restored = await openContext(
        loadConfig({ dataDir: dir, sqlitePath: join(dir, 'unused.sqlite'), masterKey: ctx.config.masterKey, databaseUrl: restoredUrl }),
        handle,
      );

      const after = await rowCounts(restored, schema);
      expect(after).toEqual(before);
      // the audit chain verifies with this deployment's key (it is keyed with it, never stored)
      expect((await verifyAudit(restored.db)).problems).toEqual([]);
      // care_events (by month), decisions and decision_items (by run) are still partitioned in the copy
      const parted = await sql<{ n: number }>`select count(*)::int as n from pg_partitioned_table
          where partrelid in (to_regclass('care_events'), to_regclass('decisions'), to_regclass('decision_items'))`.execute(restored.db);
      expect(parted.rows[0]!.n).toBe(3);

      // an encrypted field: the ID decrypts with the same key, and its keyed hash still finds the person
      const person = await restored.db
        .selectFrom('persons')
        .select(['id', 'id_enc', 'id_hash'])
        .where('status', '=', 'active')
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const scope = countyScope(restored);
      // the person read through the register's service is the same (without the log of who read it,
      // which each copy goes on writing on its own)
      expect(await profile(restored, scope, person.id, false)).toEqual(await profile(ctx, countyScope(ctx), person.id, false));
      const idNumber = (await reveal(restored, scope, person.id, 'idNumber')).value;
      expect(idNumber).toBe((await reveal(ctx, countyScope(ctx), person.id, 'idNumber')).value);
      expect(idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(restored.cipher.lookupHash(idNumber!)).toBe(person.id_hash);
      expect(() => createFieldCipher(randomBytes(32)).decrypt(person.id_enc)).toThrow();
    } finally {
      await restored?.handle.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      await ctx.cleanup();
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);
});
