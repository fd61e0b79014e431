import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { writeDemoFiles } from '../src/modules/demo/files.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { runImport, type ImportMode } from '../src/modules/register/imports/imports.service.js';
import { AppError } from '../src/platform/errors.js';
import { systemScope } from '../src/platform/scope.js';
import { today } from '../src/platform/time.js';
import { int, machine, mib, RssSampler, secs, sqlite3Version, sqliteContext, timed, uploadCopy, MiB } from './util.js';

/**
 * Benchmark: import a public-security register CSV of 1,000,000 rows (5 % bad) into a fresh
 * SQLite database through runImport, the path the console and CLI use:
 *   (a) mode 'all'   — every row validated, the file rejected with IMPORT_ROWS;
 *   (b) mode 'valid' — the 950,000 good rows created;
 *   (c) the same file again in mode 'valid' — nothing created or updated.
 * Peer: the sqlite3 shell's `.import` of the same CSV into a bare table.
 * Usage: npx tsx bench/import.ts [--elders 1000000] [--keep]
 */
// --queries and --dir belong to search.ts; accepted here so run-all can pass the same arguments to both
const { values } = parseArgs({ options: { elders: { type: 'string' }, keep: { type: 'boolean' }, queries: { type: 'string' }, dir: { type: 'string' } } });
const ELDERS = Number(values.elders ?? 1_000_000);
const TARGET_S = 60;
const TARGET_RSS = 1024 * MiB;

const rss = new RssSampler();
const work = mkdtempSync(join(tmpdir(), 'yiyang-bench-import-'));
const asOf = today();
console.log(`# import benchmark — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}`);
console.log(`work dir: ${work}${values.keep ? ' (kept)' : ''}`);

try {
  // -- the file ------------------------------------------------------------------------------
  const gen = await timed(() => writeDemoFiles(join(work, 'files'), { elders: ELDERS, seed: 7, asOf, badRate: 0.05 }));
  const ps = gen.value.find((f) => f.source === 'public_security')!;
  for (const f of gen.value) if (f !== ps) rmSync(f.path);
  const bytes = statSync(ps.path).size;
  console.log(
    `\nfile: public_security.csv, ${int(ps.rows)} rows (${int(ps.badRows)} bad), ${mib(bytes)}, seed 7, asOf ${asOf}; generated in ${secs(gen.ms)} (not part of any figure below)`,
  );
  console.log(`peak RSS while generating: ${mib(rss.phase())}`);

  // -- the peer: sqlite3 .import --------------------------------------------------------------
  const version = sqlite3Version();
  let peerMs: number | null = null;
  if (!version) {
    console.log('\nsqlite3 shell: NOT INSTALLED — peer timing and ratio skipped (apt-get install -y sqlite3)');
  } else {
    const peerDb = join(work, 'peer.db');
    const t0 = performance.now();
    const r = spawnSync('sqlite3', [peerDb, '-cmd', '.mode csv', `.import ${ps.path} bare`], { encoding: 'utf8' });
    peerMs = performance.now() - t0;
    const count = spawnSync('sqlite3', [peerDb, 'select count(*) from bare'], { encoding: 'utf8' }).stdout.trim();
    if (r.status !== 0) {
      console.log(`\nsqlite3 ${version} .import FAILED (${r.stderr.trim().slice(0, 200)}) — ratio skipped`);
      peerMs = null;
    } else {
      console.log(
        `\npeer: sqlite3 ${version} '.mode csv' '.import' into a bare table: ${secs(peerMs)}, ${count} rows, ${int(ELDERS / (peerMs / 1000))} rows/s`,
      );
    }
    rmSync(peerDb, { force: true });
  }

  // -- ours -----------------------------------------------------------------------------------
  const ctx = await sqliteContext(join(work, 'data'));
  await seedRegionsAndUsers(ctx);
  const county = ctx.regions.counties()[0]!;
  const scope = systemScope(county.code, county.prefix, 'bench');
  const run = (mode: ImportMode) =>
    runImport(ctx, scope, { source: 'public_security', path: uploadCopy(ps.path, work), fileName: 'public_security.csv', asOf, mode });
  console.log(`\nours: runImport on SQLite (WAL, synchronous=NORMAL), county scope, fresh database ${join(work, 'data', 'yiyang.sqlite')}`);
  rss.phase();

  // (a) strict
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
  console.log(`\n(a) mode 'all': ${aOk ? 'rejected with IMPORT_ROWS as expected' : `UNEXPECTED outcome: ${err === null ? 'accepted' : String(err)}`}`);
  console.log(
    `    rows validated ${int(det?.rowsTotal ?? 0)}, bad ${int(det?.rowsBad ?? 0)}; time ${secs(a.ms)}, ${int((det?.rowsTotal ?? ELDERS) / (a.ms / 1000))} rows/s; peak RSS ${mib(aRss)}`,
  );
  const kept = await ctx.db
    .selectFrom('import_errors')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', det?.importId ?? -1)
    .executeTakeFirst();
  console.log(`    row errors stored for the report: ${int(Number(kept?.n ?? 0))}`);

  // (b) valid rows
  const b = await timed(() => run('valid'));
  const bRss = rss.phase();
  const bRows = b.value;
  const bRate = bRows.created / (b.ms / 1000);
  console.log(
    `\n(b) mode 'valid': rows ${int(bRows.rows_total)}, bad ${int(bRows.rows_bad)}, created ${int(bRows.created)}, updated ${int(bRows.updated)}, unchanged ${int(bRows.unchanged)}`,
  );
  console.log(`    time ${secs(b.ms)}, ${int(bRate)} rows/s (created), ${int(bRows.rows_total / (b.ms / 1000))} rows/s (file rows); peak RSS ${mib(bRss)}`);
  const bTime = b.ms / 1000 <= TARGET_S;
  const bMem = bRss < TARGET_RSS;
  console.log(`    target ≤ ${TARGET_S} s: ${bTime ? 'MET' : 'NOT MET'}; target peak RSS < 1 GiB: ${bMem ? 'MET' : 'NOT MET'}`);
  if (peerMs !== null) console.log(`    ratio ours/sqlite3 .import: ${(b.ms / peerMs).toFixed(1)}×`);

  // (c) same file again
  const c = await timed(() => run('valid'));
  const cRss = rss.phase();
  const cRows = c.value;
  const idem = cRows.created === 0 && cRows.updated === 0;
  console.log(
    `\n(c) re-import in mode 'valid': created ${int(cRows.created)}, updated ${int(cRows.updated)}, unchanged ${int(cRows.unchanged)}, conflicts ${int(cRows.conflicts)} — ${idem ? 'idempotent (created=0, updated=0)' : 'NOT IDEMPOTENT'}`,
  );
  console.log(`    time ${secs(c.ms)}, ${int(cRows.rows_total / (c.ms / 1000))} rows/s (file rows); peak RSS ${mib(cRss)}`);

  const persons = await ctx.db
    .selectFrom('persons')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await ctx.handle.close();
  const dbPath = join(work, 'data', 'yiyang.sqlite');
  const dbBytes = statSync(dbPath).size + (existsSync(dbPath + '-wal') ? statSync(dbPath + '-wal').size : 0);
  console.log(`\npersons in the register: ${int(Number(persons.n))}; database size ${mib(dbBytes)}`);
} finally {
  const { sampledPeak, maxRss } = rss.stop();
  console.log(`process peak RSS: ${mib(maxRss)} (resourceUsage maxRSS), ${mib(sampledPeak)} (sampled every 100 ms)`);
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
