import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoFiles } from '../src/modules/demo/files.js';
import { generateElders, mulberry32, type DemoElder } from '../src/modules/demo/generator.js';
import { demoAccounts, seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { runImport } from '../src/modules/register/imports/imports.service.js';
import { search, type SearchInput } from '../src/modules/register/register.service.js';
import type { AppContext } from '../src/platform/context.js';
import { systemScope, type Scope } from '../src/platform/scope.js';
import { today } from '../src/platform/time.js';
import { benchDatabase, int, machine, mib, percentile, RssSampler, secs, sqliteContext, timed, uploadCopy } from './util.js';

/**
 * Benchmark: register search on 1,000,000 elders through the service function `search()` (the
 * one the API route calls, audit entry included), as a town officer and as the county.
 * The database is built through the real path: the demo public-security and civil-affairs files
 * (seed 7, no bad rows) imported with runImport. `--dir D` keeps the database in D and reuses it
 * on the next run (same elders, seed, key). With DATABASE_URL set (postgres://…) the same on
 * PostgreSQL, in a schema of its own (dropped at the end; --dir does not apply), its plans by EXPLAIN.
 * Usage: [DATABASE_URL=postgres://…] npx tsx bench/search.ts [--elders 1000000] [--queries 200] [--dir /path]
 */
// --keep belongs to import.ts; accepted here so run-all can pass the same arguments to both
const { values } = parseArgs({ options: { elders: { type: 'string' }, queries: { type: 'string' }, dir: { type: 'string' }, keep: { type: 'boolean' } } });
const ELDERS = Number(values.elders ?? 1_000_000);
const N = Number(values.queries ?? 200);
const SEED = 7;
const TARGET_P95 = 100;

const rss = new RssSampler();
const asOf = today();
const onPg = !!process.env.DATABASE_URL;
const dir = values.dir && !onPg ? resolve(values.dir) : mkdtempSync(join(tmpdir(), 'yiyang-bench-search-'));
console.log(`# search benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
if (onPg && values.dir) console.log('--dir is for SQLite: on PostgreSQL the register is built in a new schema every time');

async function build(ctx: AppContext): Promise<void> {
  await seedRegionsAndUsers(ctx);
  const county = ctx.regions.counties()[0]!;
  const scope = systemScope(county.code, county.prefix, 'bench');
  const gen = await timed(() => writeDemoFiles(join(dir, 'files'), { elders: ELDERS, seed: SEED, asOf }));
  console.log(`  generated the demo department files in ${secs(gen.ms)}`);
  for (const f of gen.value) {
    if (f.source !== 'public_security' && f.source !== 'civil_affairs') {
      rmSync(f.path);
      continue;
    }
    const r = await timed(() =>
      runImport(ctx, scope, { source: f.source, path: uploadCopy(f.path, ctx.config.dataDir), fileName: `${f.source}.csv`, asOf, mode: 'all' }),
    );
    console.log(`  runImport ${f.source}: ${int(r.value.rows_total)} rows, ${int(r.value.created)} created, ${int(r.value.updated)} updated in ${secs(r.ms)}`);
    rmSync(f.path);
  }
}

const dbFile = join(dir, 'yiyang.sqlite');
const reuse = !onPg && existsSync(dbFile);
// without YIYANG_KEY the key is kept in the data directory, so a reused database still matches its ID hashes
const pgBench = onPg ? await benchDatabase('search') : null;
const ctx = pgBench ? pgBench.ctx : await sqliteContext(dir);
if (reuse) {
  console.log(`database: reused ${dbFile} (built by an earlier run of this program through runImport)`);
} else {
  console.log(
    `database: built in ${onPg ? `schema ${ctx.handle.schema}` : dir} through runImport of the demo public_security + civil_affairs CSVs (${int(ELDERS)} elders, seed ${SEED}, asOf ${asOf}):`,
  );
  const b = await timed(() => build(ctx));
  console.log(`  built in ${secs(b.ms)}`);
}
const persons = Number(
  (
    await ctx.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
/** The database's size: the SQLite file, or every relation of the bench's PostgreSQL schema with its indexes and TOAST. */
async function databaseBytes(): Promise<number> {
  if (!onPg) return statSync(dbFile).size;
  const r = await ctx.db.executeQuery<{ n: number }>(
    CompiledQuery.raw(
      `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 as n from pg_class c join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind in ('r', 'p', 'm')`,
      [ctx.handle.schema],
    ),
  );
  return Number(r.rows[0]!.n);
}
console.log(`persons: ${int(persons)}; database ${mib(await databaseBytes())}; peak RSS so far ${mib(rss.phase())}`);

// -- scopes ------------------------------------------------------------------------------------
// the demo's first town officer (by name: the accounts' order changed when the demo became a city)
const town1 = ctx.regions.get(demoAccounts().find((a) => a.username === 'town1')!.regionCode)!;
const townUser = await ctx.db.selectFrom('users').select('id').where('username', '=', 'town1').executeTakeFirstOrThrow();
const county = ctx.regions.counties()[0]!;
const scopes: Array<{ label: string; scope: Scope }> = [
  {
    label: `town officer (${town1.name}, ${town1.code})`,
    scope: {
      userId: townUser.id,
      username: 'town1',
      role: 'town_officer',
      regionCode: town1.code,
      regionPrefix: town1.prefix,
      organisationId: null,
      assignedOnly: false,
      ip: '127.0.0.1',
    },
  },
  { label: `county (${county.name}, ${county.code})`, scope: { ...systemScope(county.code, county.prefix, 'bench'), role: 'bureau_admin', userId: null } },
];

// -- query values, drawn from the same generator the files came from -------------------------------
const rng = mulberry32(20261123);
const SAMPLE = Math.max(N, 200) * 2;
function reservoir(pool: DemoElder[], seen: number, e: DemoElder) {
  if (pool.length < SAMPLE) pool.push(e);
  else {
    const j = Math.floor(rng() * seen);
    if (j < SAMPLE) pool[j] = e;
  }
}
const allPool: DemoElder[] = [];
const townPool: DemoElder[] = [];
let seenAll = 0;
let seenTown = 0;
const g = await timed(async () => {
  for (const e of generateElders({ elders: ELDERS, seed: SEED, asOf })) {
    reservoir(allPool, ++seenAll, e);
    if (e.regionCode.startsWith(town1.prefix)) reservoir(townPool, ++seenTown, e);
  }
});
console.log(`query values: ${int(allPool.length)} elders sampled from the generator (${int(seenTown)} live in ${town1.name}) in ${secs(g.ms)}`);

const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
const TAG_SETS = [
  ['living_alone'],
  ['dibao'],
  ['age80'],
  ['living_alone', 'age80'],
  ['dibao', 'living_alone'],
  ['dibao', 'age80'],
  ['living_alone', 'dibao', 'age80'],
];
type Kind = { name: string; make: (pool: DemoElder[], scope: Scope) => Omit<SearchInput, 'page' | 'pageSize'> };
const regionsIn = (scope: Scope, level: 'town' | 'village') => ctx.regions.all().filter((r) => r.level === level && r.code.startsWith(scope.regionPrefix));
const KINDS: Kind[] = [
  { name: 'name (full name)', make: (pool) => ({ q: pick(pool).name }) },
  { name: 'name (surname only)', make: (pool) => ({ q: pick(pool).name.slice(0, 1) }) },
  { name: 'id (18 chars, exact)', make: (pool) => ({ q: pick(pool).idNumber }) },
  { name: 'town + tags', make: (_p, scope) => ({ regionCode: pick(regionsIn(scope, 'town')).code, tags: pick(TAG_SETS) }) },
  { name: 'village + tags', make: (_p, scope) => ({ regionCode: pick(regionsIn(scope, 'village')).code, tags: pick(TAG_SETS) }) },
];

// -- query plans: the SQL search() really runs, captured at the driver ------------------------------
const captured: Array<{ sql: string; params: unknown[] }> = [];
/** Runs `fn` with every statement it sends captured (SQLite: prepare; PostgreSQL: the client's query). */
async function capturing(fn: () => Promise<unknown>): Promise<void> {
  captured.length = 0;
  if (onPg) {
    const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
    const realQuery = proto.query;
    proto.query = function (this: unknown, ...a: unknown[]) {
      const q = a[0] as string | { text?: string; values?: unknown[] };
      const text = typeof q === 'string' ? q : q.text;
      if (text) captured.push({ sql: text, params: (typeof q === 'string' ? (a[1] as unknown[] | undefined) : q.values) ?? [] });
      return realQuery.apply(this, a);
    };
    try {
      await fn();
    } finally {
      proto.query = realQuery;
    }
    return;
  }
  const sqlite = ctx.handle.sqlite!;
  const realPrepare = sqlite.prepare.bind(sqlite);
  (sqlite as { prepare: unknown }).prepare = (source: string) => {
    const stmt = realPrepare(source);
    const wrap =
      (fn: 'all' | 'run' | 'get') =>
      (...params: unknown[]) => {
        captured.push({ sql: source, params: params.flat() });
        return (stmt[fn] as (...a: unknown[]) => unknown).apply(stmt, params);
      };
    return Object.assign(Object.create(stmt) as object, { all: wrap('all'), run: wrap('run'), get: wrap('get') });
  };
  try {
    await fn();
  } finally {
    (sqlite as { prepare: unknown }).prepare = realPrepare;
  }
}
async function plan(c: { sql: string; params: unknown[] }): Promise<string[]> {
  if (!onPg) return (ctx.handle.sqlite!.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...c.params) as Array<{ detail: string }>).map((p) => p.detail);
  const r = await ctx.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN ${c.sql}`, c.params));
  return r.rows.map((p) => p['QUERY PLAN']);
}
console.log(`\n## query plans (${onPg ? 'EXPLAIN' : 'EXPLAIN QUERY PLAN'} of the SQL search() sends, county scope)`);
for (const kind of KINDS) {
  await capturing(() => search(ctx, scopes[1]!.scope, { ...kind.make(allPool, scopes[1]!.scope), page: 1, pageSize: 20 }));
  console.log(`\n### ${kind.name}`);
  for (const c of captured.filter((x) => /from "persons"/.test(x.sql))) {
    console.log(`SQL: ${c.sql}`);
    for (const p of await plan(c)) console.log(`  PLAN: ${p}`);
  }
}

// -- the timed queries -----------------------------------------------------------------------------
const auditBefore = Number(
  (
    await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);
const results: Array<{ scope: string; kind: string; p50: number; p95: number; max: number; meanTotal: number; hits: number }> = [];
for (const { label, scope } of scopes) {
  const pool = label.startsWith('town') ? townPool : allPool;
  for (let i = 0; i < 10; i++) await search(ctx, scope, { ...pick(KINDS).make(pool, scope), page: 1, pageSize: 20 }); // warm-up, not counted
  for (const kind of KINDS) {
    const ms: number[] = [];
    let totals = 0;
    let hits = 0;
    for (let i = 0; i < N; i++) {
      const input: SearchInput = { ...kind.make(pool, scope), page: 1, pageSize: 20 };
      const t0 = performance.now();
      const r = await search(ctx, scope, input);
      ms.push(performance.now() - t0);
      totals += r.total;
      if (r.total > 0) hits++;
    }
    ms.sort((a, b) => a - b);
    results.push({ scope: label, kind: kind.name, p50: percentile(ms, 50), p95: percentile(ms, 95), max: ms[ms.length - 1]!, meanTotal: totals / N, hits });
  }
}
const auditAfter = Number(
  (
    await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n,
);

console.log(`\n## latency of search(ctx, scope, input), page size 20, ${N} queries per kind per scope (10 warm-up queries per scope not counted)`);
console.log(`| scope | kind | p50 ms | p95 ms | max ms | mean matches | queries with ≥1 match | p95 < ${TARGET_P95} ms |`);
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const r of results) {
  console.log(
    `| ${r.scope} | ${r.kind} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${int(r.meanTotal)} | ${r.hits}/${N} | ${r.p95 < TARGET_P95 ? 'met' : 'NOT MET'} |`,
  );
}
const failed = results.filter((r) => r.p95 >= TARGET_P95);
console.log(
  `\ntarget p95 < ${TARGET_P95} ms: ${failed.length === 0 ? 'MET for every kind' : `NOT MET for ${failed.length} of ${results.length} (scope, kind) pairs`}`,
);
console.log(`audit entries written by the timed and warm-up queries: ${int(auditAfter - auditBefore)} (one per search)`);

if (pgBench) await pgBench.close(false);
else await ctx.handle.close();
const { sampledPeak, maxRss } = rss.stop();
console.log(`process peak RSS: ${mib(maxRss)} (resourceUsage maxRSS), ${mib(sampledPeak)} (sampled every 100 ms)`);
if (!values.dir || onPg) rmSync(dir, { recursive: true, force: true });
else console.log(`database kept in ${dir}`);
