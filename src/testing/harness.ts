import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { openPostgres, openSqlite, type DialectName } from '../db/database.js';
import { openContext } from '../bootstrap.js';
import type { AppContext } from '../platform/context.js';
import { seedRegionsAndUsers } from '../modules/demo/seed.js';
import { systemScope, type Scope } from '../platform/scope.js';
import { scopeOf } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';
import { runImport, type ImportMode } from '../modules/register/imports/imports.service.js';

/**
 * Tests run one body over every database, as Kysely's own suite does. PostgreSQL is the server
 * on 127.0.0.1:5432 (TEST_DATABASE_URL to change it); each test context gets its own schema.
 * Where PostgreSQL is unreachable its suites are skipped with a message — except in CI or with
 * REQUIRE_PG=1, where that is a failure.
 */
export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const requirePg = process.env.CI === 'true' || process.env.REQUIRE_PG === '1';

async function pgReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (e) {
    if (requirePg) throw new Error(`PostgreSQL is required here but unreachable at ${PG_URL}: ${(e as Error).message}`, { cause: e });
    console.warn(`PostgreSQL unreachable at ${PG_URL}: its suites are skipped (${(e as Error).message})`);
    return false;
  }
}

export const dialects: DialectName[] = ['sqlite', ...((await pgReachable()) ? ['postgres' as const] : [])];

export interface TestContext extends AppContext {
  dir: string;
  cleanup(): Promise<void>;
}

export async function createTestContext(dialect: DialectName, overrides: Partial<Config> = {}): Promise<TestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-test-'));
  const config = loadConfig({ dataDir: dir, masterKey: randomBytes(32), sqlitePath: join(dir, 'test.sqlite'), databaseUrl: undefined, ...overrides });
  let schema: string | undefined;
  let handle;
  if (dialect === 'postgres') {
    schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    handle = openPostgres(PG_URL, schema);
  } else {
    handle = openSqlite(config.sqlitePath, config.sqliteCacheMb);
  }
  const ctx = await openContext(config, handle);
  return {
    ...ctx,
    dir,
    async cleanup() {
      await handle.close();
      if (schema) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A context with the demo regions and one account per role, and no persons. */
export async function createSeededContext(dialect: DialectName, overrides: Partial<Config> = {}): Promise<TestContext> {
  const ctx = await createTestContext(dialect, overrides);
  await seedRegionsAndUsers(ctx);
  return ctx;
}

export function countyScope(ctx: AppContext) {
  const j = ctx.regions.counties()[0]!;
  return systemScope(j.code, j.prefix, 'test');
}

/** Writes text (or bytes) to a file in the test directory and imports it as the county. */
export async function importText(ctx: TestContext, source: string, content: string | Buffer, opts: { asOf?: string; mode?: ImportMode; name?: string } = {}) {
  // the service reads its input and leaves it: the caller removes it, as the console does
  const path = join(ctx.dir, `upload-${randomBytes(4).toString('hex')}`);
  writeFileSync(path, content);
  try {
    return await runImport(ctx, countyScope(ctx), { source, path, fileName: opts.name ?? `${source}.csv`, asOf: opts.asOf, mode: opts.mode });
  } finally {
    rmSync(path, { force: true });
  }
}

/** The scope of a seeded user, as a session of theirs would have it. */
export async function userScope(ctx: AppContext, username: string): Promise<Scope> {
  const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
  return scopeOf(user, ctx.regions, null);
}

/** The AppError code a promise rejects with ('resolved' when it does not), for refusal tests. */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof AppError ? e.code : `thrown: ${(e as Error).message}`;
  }
}
