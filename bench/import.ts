import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeDemoFiles } from '../src/modules/demo/files.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { runImport, type ImportMode } from '../src/modules/register/imports/imports.service.js';
import { AppError } from '../src/platform/errors.js';
import { systemScope } from '../src/platform/scope.js';
import { today } from '../src/platform/time.js';
import { benchDatabase, int, machine, mib, RssSampler, secs, sqlite3Version, timed, uploadCopy, MiB } from './util.js';

/**
 * Benchmark: import a public-security register CSV (5 % bad rows) into a fresh database through
 * runImport, the path the console and CLI use:
 *   (a) mode 'all'   — every row validated, the file rejected with IMPORT_ROWS;
 *   (b) mode 'valid' — the good rows created;
 *   (c) the same file again in mode 'valid' — nothing created or updated.
 * The database: SQLite, or PostgreSQL when DATABASE_URL is set (a schema of its own, dropped
 * after); `--both` (with DATABASE_URL) runs SQLite and then PostgreSQL on the same file and prints
 * the ratio of the two, measured in the same run.
 * Peers, on the same file: the sqlite3 shell's `.import` into a bare table, and PostgreSQL's COPY
 * (psql `\copy`) into a bare table.
 * `--no-refused` leaves out (a), `--no-again` leaves out (c) (a 10 M-row run spends its time on (b)).
 * Usage: [DATABASE_URL=postgres://…] npx tsx bench/import.ts [--elders 1000000] [--both] [--keep] [--no-refused] [--no-again]
 */
// --queries and --dir belong to search.ts; accepted here so run-all can pass the same arguments to both
const { values } = parseArgs({
  options: {
    elders: { type: 'string' },
    keep: { type: 'boolean' },
    both: { type: 'boolean' },
    'no-refused': { type: 'boolean' },
    'no-again': { type: 'boolean' },
    queries: { type: 'string' },
    dir: { type: 'string' },
  },
});
const ELDERS = Number(values.elders ?? 1_000_000);
const TARGET_RSS = 1024 * MiB;
const url = process.env.DATABASE_URL;
const databases: ('sqlite' | 'postgres')[] = url ? (values.both ? ['sqlite', 'postgres'] : ['postgres']) : ['sqlite'];

const rss = new RssSampler();
const work = mkdtempSync(join(tmpdir(), 'yiyang-bench-import-'));
const asOf = today();
console.log(`# import benchmark — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}`);
console.log(`work dir: ${work}${values.keep ? ' (kept)' : ''}`);

/** The sqlite3 shell's `.import` of the file into a bare table, in ms (null if it cannot run). */
function sqlitePeer(file: string): number | null {
  const version = sqlite3Version();
  if (!version) {
    console.log('peer: sqlite3 shell NOT INSTALLED — its ratio skipped (apt-get install -y sqlite3)');
    return null;
  }
  const peerDb = join(work, 'peer.db');
  const t0 = performance.now();
  const r = spawnSync('sqlite3', [peerDb, '-cmd', '.mode csv', `.import ${file} bare`], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  const count = spawnSync('sqlite3', [peerDb, 'select count(*) from bare'], { encoding: 'utf8' }).stdout.trim();
  rmSync(peerDb, { force: true });
  if (r.status !== 0) {
    console.log(`peer: sqlite3 ${version} .import FAILED (${r.stderr.trim().slice(0, 200)}) — ratio skipped`);
    return null;
  }
  console.log(`peer: sqlite3 ${version} '.mode csv' '.import' into a bare table: ${secs(ms)}, ${count} rows, ${int(ELDERS / (ms / 1000))} rows/s`);
  return ms;
}

/** PostgreSQL's COPY of the file (psql \copy, CSV with header) into a bare table of text columns, in ms. */
async function postgresPeer(file: string): Promise<number | null> {
  const header = spawnSync('head', ['-1', file], { encoding: 'utf8' })
    .stdout.replace(/^\uFEFF/, '')
    .trim();
  const cols = header.split(',').map((_, i) => `c${i} text`);
  const schema = `bench_peer_${process.pid}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.bare (${cols.join(', ')})`);
  try {
    const t0 = performance.now();
    const r = spawnSync('psql', [url!, '-q', '-c', `\\copy ${schema}.bare from '${file}' with (format csv, header true)`], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      console.log(`peer: psql \\copy FAILED (${r.stderr.trim().slice(0, 200)}) — ratio skipped`);
      return null;
    }
    const n = (await client.query(`select count(*)::int as n from ${schema}.bare`)).rows[0].n as number;
    const v = (await client.query('show server_version')).rows[0].server_version as string;
    console.log(`peer: PostgreSQL ${v} COPY (psql \\copy, csv) into a bare table: ${secs(ms)}, ${int(n)} rows, ${int(n / (ms / 1000))} rows/s`);
    return ms;
  } finally {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
}

/** (a), (b), (c) on one database; returns the time of (b) in ms. */
async function measure(kind: 'sqlite' | 'postgres', file: string): Promise<number> {
  console.log(`\n## ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`);
  const peerMs = kind === 'sqlite' ? sqlitePeer(file) : await postgresPeer(file);
  if (kind === 'sqlite') delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
  const { ctx, close } = await benchDatabase('import');
  try {
    await seedRegionsAndUsers(ctx);
    const county = ctx.regions.counties()[0]!;
    const scope = systemScope(county.code, county.prefix, 'bench');
    const run = (mode: ImportMode) =>
      runImport(ctx, scope, { source: 'public_security', path: uploadCopy(file, work), fileName: 'public_security.csv', asOf, mode });
    rss.phase();

    // (a) strict
    const refused = async () => {
      const a = await timed(async () => {
        try {
          await run('all');
          return null;
        } catch (e) {
          return e;
        }
      });
      const aRss = rss.phase();
      const err = a.value;
      const aOk = err instanceof AppError && err.code === 'IMPORT_ROWS';
      const det = (err instanceof AppError ? err.details : undefined) as { rowsBad?: number; rowsTotal?: number; importId?: number } | undefined;
      console.log(`(a) mode 'all': ${aOk ? 'rejected with IMPORT_ROWS as expected' : `UNEXPECTED outcome: ${err === null ? 'accepted' : String(err)}`}`);
      console.log(
        `    rows validated ${int(det?.rowsTotal ?? 0)}, bad ${int(det?.rowsBad ?? 0)}; time ${secs(a.ms)}, ${int((det?.rowsTotal ?? ELDERS) / (a.ms / 1000))} rows/s; peak RSS ${mib(aRss)}`,
      );
      const persons0 = await ctx.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      console.log(`    persons in the register after the rejected file: ${int(Number(persons0.n))} (must be 0)`);
    };
    if (!values['no-refused']) await refused();

    // (b) valid rows; a long one prints where it is every minute (the import's status and committed row)
    const started = performance.now();
    const ticker = setInterval(() => {
      void ctx.db
        .selectFrom('imports')
        .select(['status', 'applied_through', 'created'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
        .then(
          (i) =>
            i &&
            console.log(
              `    … ${secs(performance.now() - started)}: ${i.status}, through row ${int(i.applied_through ?? 0)}, created ${int(i.created)}, RSS ${mib(process.memoryUsage.rss())}`,
            ),
        )
        .catch(() => undefined);
    }, 60_000);
    const b = await timed(() => run('valid')).finally(() => clearInterval(ticker));
    const bRss = rss.phase();
    const bRows = b.value;
    console.log(
      `(b) mode 'valid': rows ${int(bRows.rows_total)}, bad ${int(bRows.rows_bad)}, created ${int(bRows.created)}, updated ${int(bRows.updated)}, unchanged ${int(bRows.unchanged)}`,
    );
    console.log(
      `    time ${secs(b.ms)}, ${int(bRows.created / (b.ms / 1000))} rows/s (created), ${int(bRows.rows_total / (b.ms / 1000))} rows/s (file rows); peak RSS ${mib(bRss)} (target < 1 GiB: ${bRss < TARGET_RSS ? 'MET' : 'NOT MET'})`,
    );
    if (peerMs !== null) console.log(`    ratio ours / ${kind === 'sqlite' ? 'sqlite3 .import' : 'COPY'}: ${(b.ms / peerMs).toFixed(1)}×`);

    // (c) same file again
    const again = async () => {
      const c = await timed(() => run('valid'));
      const cRss = rss.phase();
      const cRows = c.value;
      const idem = cRows.created === 0 && cRows.updated === 0;
      console.log(
        `(c) re-import in mode 'valid': created ${int(cRows.created)}, updated ${int(cRows.updated)}, unchanged ${int(cRows.unchanged)}, conflicts ${int(cRows.conflicts)} — ${idem ? 'idempotent (created=0, updated=0)' : 'NOT IDEMPOTENT'}`,
      );
      console.log(`    time ${secs(c.ms)}, ${int(cRows.rows_total / (c.ms / 1000))} rows/s (file rows); peak RSS ${mib(cRss)}`);
      if (peerMs !== null) console.log(`    ratio ours / ${kind === 'sqlite' ? 'sqlite3 .import' : 'COPY'}: ${(c.ms / peerMs).toFixed(1)}×`);
    };
    if (!values['no-again']) await again();

    const persons = await ctx.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    let size = '';
    if (kind === 'sqlite') {
      const dbPath = ctx.config.sqlitePath;
      size = mib(statSync(dbPath).size + (existsSync(dbPath + '-wal') ? statSync(dbPath + '-wal').size : 0));
    } else {
      const r = await ctx.db
        .selectNoFrom((eb) => eb.fn<string>('pg_size_pretty', [eb.fn('pg_total_relation_size', [eb.val('persons')])]).as('s'))
        .executeTakeFirstOrThrow();
      size = `${r.s} (persons with its indexes)`;
    }
    console.log(`persons in the register: ${int(Number(persons.n))}; database size ${size}`);
    return b.ms;
  } finally {
    await close(values.keep ?? false);
  }
}

try {
  const gen = await timed(() => writeDemoFiles(join(work, 'files'), { elders: ELDERS, seed: 7, asOf, badRate: 0.05 }));
  const ps = gen.value.find((f) => f.source === 'public_security')!;
  for (const f of gen.value) if (f !== ps) rmSync(f.path);
  console.log(
    `\nfile: public_security.csv, ${int(ps.rows)} rows (${int(ps.badRows)} bad), ${mib(statSync(ps.path).size)}, seed 7, asOf ${asOf}; generated in ${secs(gen.ms)} (not part of any figure below)`,
  );
  const times = new Map<string, number>();
  for (const kind of databases) times.set(kind, await measure(kind, ps.path));
  if (times.size === 2) console.log(`\nratio PostgreSQL / SQLite, (b) in this run: ${(times.get('postgres')! / times.get('sqlite')!).toFixed(2)}×`);
} finally {
  const { sampledPeak, maxRss } = rss.stop();
  console.log(`process peak RSS: ${mib(maxRss)} (resourceUsage maxRSS), ${mib(sampledPeak)} (sampled every 100 ms)`);
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
