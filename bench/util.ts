import { copyFileSync, linkSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import pg from 'pg';
import { openContext } from '../src/bootstrap.js';
import { loadConfig, type Config } from '../src/config.js';
import { openPostgres, openSqlite } from '../src/db/database.js';
import type { AppContext } from '../src/platform/context.js';
import { hasDemoAccount } from '../src/modules/demo/files.js';
import type { DemoElder } from '../src/modules/demo/generator.js';
import type { JobRow, NewPerson } from '../src/db/tables.js';
import type { Executor } from '../src/db/database.js';
import { sql } from 'kysely';

/** Helpers the benchmark programs share: RSS sampling, stopwatch, percentiles, a SQLite context. */

export const MiB = 1024 * 1024;
export const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** Samples process RSS every 100 ms; `phase()` restarts the per-phase peak. */
export class RssSampler {
  private peak = 0;
  private overall = 0;
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.sample();
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }
  private sample() {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    if (rss > this.overall) this.overall = rss;
  }
  /** Peak RSS (bytes) since the last call, then restart. */
  phase(): number {
    this.sample();
    const p = this.peak;
    this.peak = 0;
    return p;
  }
  stop(): { sampledPeak: number; maxRss: number } {
    clearInterval(this.timer);
    this.sample();
    // resourceUsage().maxRSS is in KiB and covers the whole life of the process
    return { sampledPeak: this.overall, maxRss: process.resourceUsage().maxRSS * 1024 };
  }
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} cores (${model}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/** A SQLite context in `dataDir` (created if new), migrated, as the server opens it. */
export async function sqliteContext(dataDir: string, overrides: Partial<Config> = {}): Promise<AppContext> {
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ dataDir, sqlitePath: join(dataDir, 'yiyang.sqlite'), databaseUrl: undefined, ...overrides });
  return openContext(config, openSqlite(config.sqlitePath, config.sqliteCacheMb));
}

/**
 * The import service moves its input into the data directory, as an upload would be; each run
 * gets its own link (or copy) of the generated file so the original stays.
 */
export function uploadCopy(file: string, dir: string): string {
  const path = join(dir, `upload-${randomBytes(4).toString('hex')}.csv`);
  try {
    linkSync(file, path);
  } catch {
    copyFileSync(file, path);
  }
  return path;
}

/** The sqlite3 command-line shell, or null with the reason when it cannot run. */
export function sqlite3Version(): string | null {
  const r = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim().split(' ').slice(0, 2).join(' ');
}

/**
 * The payee account columns of a bench person: most have an account (a placeholder, never decrypted
 * by a bench), one in forty none as in the demo — their lines are paused (entitlements/pauses.ts).
 */
export function benchAccount(e: { idNumber: string; name: string }) {
  const has = hasDemoAccount(e);
  return {
    payee_card_enc: has ? 'bench-placeholder' : null,
    payee_card_hash: has ? `card-${e.idNumber}` : null,
    payee_card_masked: has ? '6222 **** **** 0000' : null,
    payee_bank: has ? '农村商业银行' : null,
    payee_holder: has ? e.name : null,
  };
}

/**
 * A generated elder as a persons row for the benches' direct inserts (not the import path): active,
 * the ID hashed and a placeholder for its cipher, the account of benchAccount; `extra` overrides.
 */
export function benchPersonRow(e: DemoElder, now: string, extra: Partial<NewPerson> = {}): NewPerson {
  return {
    id_hash: createHash('sha256').update(e.idNumber).digest('base64url'),
    id_enc: 'bench-placeholder',
    ...benchAccount(e),
    id_masked: `${e.idNumber.slice(0, 6)}********${e.idNumber.slice(-4)}`,
    name: e.name,
    sex: e.sex,
    birth_date: e.birthDate,
    region_code: e.regionCode,
    hukou_local: e.hukouLocal ? 1 : 0,
    phone_enc: null,
    phone_masked: null,
    status: 'active',
    closed_on: null,
    hardship: e.hardship,
    living_alone: e.living.includes('alone') ? 1 : 0,
    empty_nest: e.living.includes('empty_nest') ? 1 : 0,
    left_behind: e.living.includes('left_behind') ? 1 : 0,
    solitary: e.living.includes('solitary') ? 1 : 0,
    special_family: e.specialFamily ? 1 : 0,
    disability_grade: e.disabilityGrade,
    disability_kind: e.disabilityKind,
    ltc_grade: e.ltcGrade,
    pension_type: e.pensionType,
    veteran_category: e.veteranCategory,
    special_contribution: e.specialContribution ? 1 : 0,
    medical_insured: e.medicalInsured ? 1 : 0,
    vagrant: e.vagrant ? 1 : 0,
    chronic_diseases: e.chronicDiseases.length ? e.chronicDiseases.join('、') : null,
    last_checkup: e.lastCheckup,
    provenance: '{}',
    created_at: now,
    updated_at: now,
    ...extra,
  } as NewPerson;
}

/** The 1, 5 and 15 minute load averages: on a shared machine they say how much the wall times mean. */
export function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
}

/**
 * The benchmark's database, as the command line chose it: PostgreSQL at DATABASE_URL in a schema of
 * its own, else SQLite in a new temporary directory. `close` closes it and drops both, unless kept.
 */
export async function benchDatabase(
  name: string,
  overrides: Partial<Config> = {},
): Promise<{ ctx: AppContext; onPg: boolean; dir: string; close: (keep: boolean) => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  const dir = mkdtempSync(join(tmpdir(), `yiyang-bench-${name}-`));
  let ctx: AppContext;
  let schema: string | null = null;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  if (url) {
    schema = `bench_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    ctx = await openContext(loadConfig({ dataDir: dir, databaseUrl: url, ...overrides }), openPostgres(url, schema));
    console.log(`database: PostgreSQL ${url.replace(/:[^:@/]*@/, ':***@')}, schema ${schema}`);
  } else {
    ctx = await sqliteContext(resolve(dir), overrides);
    console.log(`database: SQLite in ${dir}`);
  }
  const close = async (keep: boolean) => {
    await ctx.handle.close();
    if (keep) return;
    if (schema) await admin(`DROP SCHEMA ${schema} CASCADE`);
    rmSync(dir, { recursive: true, force: true });
  };
  return { ctx, onPg: schema !== null, dir, close };
}

/** A `yiyang worker` process a bench started, with what it printed so far. */
export interface BenchWorker {
  child: ChildProcess;
  output(): string;
}

/**
 * N `yiyang worker` processes on the benchmark's PostgreSQL schema, ready (waiting for work) before
 * the runs start: the runs time the work shared, not the workers' start-up. Each is added to `into`
 * as it starts (the caller stops them all with stopWorkers, even when one failed to start).
 */
export async function startWorkers(n: number, dataDir: string, schema: string, into: BenchWorker[]): Promise<void> {
  const env = { ...process.env, DATABASE_SCHEMA: schema, YIYANG_DATA_DIR: dataDir, WORKER_POLL_MS: '100' };
  await Promise.all(
    Array.from({ length: n }, () => {
      // node itself, not the tsx wrapper: SIGTERM reaches the worker
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      into.push({ child, output: () => out });
      return new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(' ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready: ${out}`)));
      });
    }),
  );
}

/** Stops the workers (SIGTERM: each ends after its current town) and waits for them to exit. */
export async function stopWorkers(workers: BenchWorker[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map(({ child }) => new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)))));
}

/** Who decided how many of a split run's town parts (by the process that finished each), most first. */
export function partsByRunner(parts: readonly JobRow[]): Array<[runner: string, tally: { parts: number; persons: number }]> {
  const by = new Map<string, { parts: number; persons: number }>();
  for (const p of parts) {
    const w = by.get(p.runner ?? '?') ?? { parts: 0, persons: 0 };
    w.parts++;
    w.persons += p.done;
    by.set(p.runner ?? '?', w);
  }
  return [...by].sort((a, b) => b[1].persons - a[1].persons);
}

/** The bytes of a PostgreSQL schema's tables with their indexes and TOAST. */
export async function pgSchemaBytes(db: Executor, schema: string): Promise<number> {
  const r = await sql<{
    n: number | string | null;
  }>`select sum(pg_total_relation_size(c.oid)) as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = ${schema} and c.relkind in ('r', 'p', 'm')`.execute(
    db,
  );
  return Number(r.rows[0]?.n ?? 0);
}
