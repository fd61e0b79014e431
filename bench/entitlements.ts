import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { NewPerson } from '../src/db/tables.js';
import type { Catalogue } from '../src/modules/catalogue/catalogue.loader.js';
import { setParameter } from '../src/modules/catalogue/catalogue.service.js';
import { evaluator, type Outcome } from '../src/modules/catalogue/engine.js';
import { factBuilder } from '../src/modules/catalogue/facts.js';
import type { Facts } from '../src/lib/rules/compile.js';
import { DEMO_PARAMETER_VALUES } from '../src/modules/demo/entitlements.js';
import { generateElders, mulberry32 } from '../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { getRun, PERSON_COLUMNS } from '../src/modules/entitlements/runs.repository.js';
import { runCatalogue, runParams, startRun } from '../src/modules/entitlements/runs.service.js';
import { partJobs } from '../src/modules/entitlements/run-parts.js';
import type { AppContext } from '../src/platform/context.js';
import { RUNNER } from '../src/platform/jobs.js';
import type { Scope } from '../src/platform/scope.js';
import { nowIso, previousPeriod, today } from '../src/platform/time.js';
import { eligibilityConditions, jreEngine, zenDecision } from './rules-peers.js';
import {
  benchDatabase,
  benchPersonRow,
  int,
  machine,
  MiB,
  mib,
  partsByRunner,
  pgSchemaBytes,
  RssSampler,
  secs,
  startWorkers,
  stopWorkers,
  timed,
  type BenchWorker,
} from './util.js';

/**
 * Benchmark: an entitlement run over 1,000,000 elders against the Nanxun catalogue, end to end on
 * SQLite (or PostgreSQL at DATABASE_URL, in a schema of its own) through startRun (read the register in batches, evaluate, write decisions, change lists
 * and roll lines), for last month (run A) and this month (run B, compared with A: the change
 * lists). Then, on a sample of the same persons, the per-person speed of our evaluator against
 * json-rules-engine and @gorules/zen-engine running the same catalogue, translated by
 * bench/rules-peers.ts, with every sampled person's granted set checked against ours.
 * The register is built by direct inserts (not the import path, which bench/import.ts measures).
 * Usage: npx tsx bench/entitlements.ts [--elders 1000000] [--sample 20000] [--keep] [--cpu-prof-dir D] [--workers N]
 * `--cpu-prof-dir D` writes a V8 CPU profile of each run (run-A.cpuprofile, run-B.cpuprofile) to D.
 * `--workers N` (PostgreSQL): N-1 `yiyang worker` processes beside this one share the runs, split by
 * town; each run prints who decided how many and at what rate.
 */
// --queries and --dir belong to search.ts; accepted here so run-all can pass the same arguments to all
const { values } = parseArgs({
  options: {
    elders: { type: 'string' },
    sample: { type: 'string' },
    keep: { type: 'boolean' },
    'cpu-prof-dir': { type: 'string' },
    workers: { type: 'string' },
    queries: { type: 'string' },
    dir: { type: 'string' },
  },
});
const ELDERS = Number(values.elders ?? 1_000_000);
const WORKERS = Math.max(1, Number(values.workers ?? 1));
const SAMPLE = Math.max(20_000, Number(values.sample ?? 20_000));
const SEED = 7;
const TARGET_S = 20;
const TARGET_RSS = 1536 * MiB;
const INSERT_TX = 20_000;

const rss = new RssSampler();
// garbage-collection pauses of the main thread, summed (reported per run)
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });
const asOf = today();
const version = (pkg: string) => (JSON.parse(readFileSync(join('node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
console.log(`# entitlement run benchmark — ${new Date().toISOString()}`);
console.log(`machine: ${machine()}`);

const periodB = asOf.slice(0, 7);
const periodA = previousPeriod(periodB);

// the catalogue: CATALOGUE's default, nanxun
const { ctx, onPg, dir: work, close } = await benchDatabase('entitlements');
console.log(`work dir: ${work}${values.keep ? ' (kept)' : ''}`);
const count = async (q: ReturnType<typeof sql<{ n: number | string | null }>>) => Number((await q.execute(ctx.db)).rows[0]?.n ?? 0);
const helpers: BenchWorker[] = [];

try {
  // -- 1. the register ---------------------------------------------------------------------------
  await seedRegionsAndUsers(ctx);
  const county = ctx.regions.counties()[0]!;
  const admin = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', '=', 'admin').executeTakeFirstOrThrow();
  const scope: Scope = {
    userId: admin.id,
    username: admin.username,
    role: 'bureau_admin',
    regionCode: county.code,
    regionPrefix: county.prefix,
    organisationId: null,
    assignedOnly: false,
    ip: null,
  };

  const statusRng = mulberry32(20261123);
  const dayB = Math.min(28, Number(asOf.slice(8, 10)));
  let deceased = 0;
  let movedOut = 0;
  const build = await timed(async () => {
    const now = nowIso();
    let rows: NewPerson[] = [];
    const flush = async () => {
      const batch = rows;
      rows = [];
      await ctx.db.transaction().execute(async (trx) => ctx.handle.insertMany(trx, 'persons', batch));
    };
    for (const e of generateElders({ elders: ELDERS, seed: SEED, asOf })) {
      const x = statusRng();
      let status = 'active';
      let closedOn: string | null = null;
      if (x < 0.008) {
        status = 'deceased';
        closedOn = `${periodA}-${String(1 + Math.floor(statusRng() * 28)).padStart(2, '0')}`;
        deceased++;
      } else if (x < 0.012) {
        status = 'moved_out';
        closedOn = `${periodB}-${String(1 + Math.floor(statusRng() * dayB)).padStart(2, '0')}`;
        movedOut++;
      }
      rows.push(benchPersonRow(e, now, { status, closed_on: closedOn }));
      if (rows.length >= INSERT_TX) await flush();
    }
    if (rows.length) await flush();
  });
  const persons = await count(sql`select count(*) as n from persons`);
  console.log(`\nregister: ${int(persons)} persons (generateElders seed ${SEED}, asOf ${asOf}) inserted directly in transactions of ${int(INSERT_TX)} rows`);
  console.log(
    `  — NOT the import path (bench/import.ts measures that); built in ${secs(build.ms)}, not part of any figure below; peak RSS ${mib(rss.phase())}`,
  );
  console.log(
    `  status: ${int(deceased)} deceased with closed_on in ${periodA} (${((100 * deceased) / persons).toFixed(2)} %), ${int(movedOut)} moved_out with closed_on in ${periodB} (${((100 * movedOut) / persons).toFixed(2)} %), the rest active`,
  );

  // -- 2. parameters -----------------------------------------------------------------------------
  const j = ctx.config.catalogue;
  const first = ctx.catalogues.versions(j)[0]!;
  for (const [name, value] of Object.entries(DEMO_PARAMETER_VALUES[j] ?? {})) {
    if (!first.parameters.has(name)) continue;
    await setParameter(ctx, scope, { jurisdiction: j, name, from: first.effective, value, note: '基准测试：演示示例值' });
  }
  console.log(`parameters: the demo values (DEMO_PARAMETER_VALUES.${j}) set by ${admin.username} (bureau_admin) from ${first.effective}`);

  // -- 3. runs A and B -----------------------------------------------------------------------------
  if (WORKERS > 1 && !onPg)
    console.log(`\n--workers ${WORKERS}: extra worker processes need PostgreSQL (DATABASE_URL); this SQLite run uses this process alone`);
  if (WORKERS > 1 && onPg) {
    await startWorkers(WORKERS - 1, work, ctx.handle.schema!, helpers);
    console.log(
      `workers: this process and ${helpers.length} \`yiyang worker\` process(es) (${helpers.map((h) => h.child.pid).join(', ')}), the runs split by town`,
    );
  }
  console.log(
    `\nruns: startRun(ctx, admin scope, period) and await done; catalogue ${j}/${ctx.catalogues.forPeriod(j, periodB).effective}; batch size ${ctx.config.runBatchSize}${ctx.config.runBatchSize === 5000 ? ' (the default)' : ' (set by RUN_BATCH_SIZE)'}`,
  );
  const runs: Record<'A' | 'B', { id: number; ms: number; rss: number }> = {} as never;
  for (const [label, period] of [
    ['A', periodA],
    ['B', periodB],
  ] as const) {
    const profiler = values['cpu-prof-dir'] ? await startProfile() : null;
    rss.phase();
    const gc0 = gcMs;
    const r = await timed(async () => {
      const s = await startRun(ctx, scope, period);
      await s.done;
      return s.run;
    });
    const peak = rss.phase();
    await new Promise((res) => setImmediate(res)); // let the last gc entries arrive
    const gc = gcMs - gc0;
    if (profiler) console.log(`  (CPU profile of this run: ${await profiler(`run-${label}`)})`);
    const row = (await getRun(ctx.db, r.value.id))!;
    if (row.status !== 'finished') throw new Error(`run ${label} (${period}) ended ${row.status}: ${row.message ?? ''}`);
    runs[label] = { id: row.id, ms: r.ms, rss: peak };
    const decisions = await count(sql`select count(*) as n from decisions where run_id = ${row.id}`);
    const kinds = (
      await sql<{ kind: string; n: number }>`select kind, count(*) as n from decision_changes where run_id = ${row.id} group by kind order by kind`.execute(
        ctx.db,
      )
    ).rows;
    const rolls = await count(sql`select count(*) as n from payment_rolls where run_id = ${row.id}`);
    const lines = await count(sql`select count(*) as n from roll_lines l join payment_rolls r on r.id = l.roll_id where r.run_id = ${row.id}`);
    const total = await count(sql`select sum(l.amount_fen) as n from roll_lines l join payment_rolls r on r.id = l.roll_id where r.run_id = ${row.id}`);
    const what = label === 'A' ? 'last month, no earlier run to compare with' : `this month, compared with run A (${periodA}): change lists`;
    console.log(
      `\nrun ${label} ${period} (${what}): ${secs(r.ms)}, ${int(row.persons_done / (r.ms / 1000))} persons/s; peak RSS ${mib(peak)}; GC pauses ${secs(gc)}`,
    );
    console.log(
      `  persons ${int(row.persons_done)} (of ${int(row.persons_total)}), items granted ${int(row.granted)}; decisions ${int(decisions)}; changes ${int(row.changes)} (${kinds.map((k) => `${k.kind} ${int(Number(k.n))}`).join(', ') || 'none'}); payment rolls ${int(rolls)} with ${int(lines)} roll lines, ${int(total / 100)} yuan`,
    );
    await perWorker(ctx, row.id, r.ms);
  }
  const b = runs.B;
  const bPersons = (await getRun(ctx.db, b.id))!.persons_done;
  console.log(
    `\nheadline — run B, end to end with change lists: ${int(bPersons)} persons in ${secs(b.ms)}, ${int(bPersons / (b.ms / 1000))} persons/s, peak RSS ${mib(b.rss)}`,
  );
  console.log(`  target ≤ ${TARGET_S} s: ${b.ms / 1000 <= TARGET_S ? 'MET' : 'NOT MET'}; target peak RSS < 1.5 GiB: ${b.rss < TARGET_RSS ? 'MET' : 'NOT MET'}`);

  // -- 4. peers on a sample --------------------------------------------------------------------------
  await peers(ctx, runs.A.id, runs.B.id, b.ms / bPersons);

  const dbBytes = onPg
    ? await pgSchemaBytes(ctx.db, ctx.handle.schema!)
    : (() => {
        const dbPath = ctx.config.sqlitePath;
        return statSync(dbPath).size + (existsSync(dbPath + '-wal') ? statSync(dbPath + '-wal').size : 0);
      })();
  console.log(`\ndatabase after both runs: ${mib(dbBytes)}`);
} finally {
  await stopWorkers(helpers);
  const { sampledPeak, maxRss } = rss.stop();
  console.log(`process peak RSS: ${mib(maxRss)} (resourceUsage maxRSS), ${mib(sampledPeak)} (sampled every 100 ms)`);
  await close(values.keep === true);
}

/** Who decided how many of a run (its town parts by the process that finished each), at what rate over the run's time. */
async function perWorker(ctx: AppContext, runId: number, ms: number): Promise<void> {
  const parts = await partJobs(ctx.db, runId);
  if (parts.length === 0) return console.log('  not split by town (one part): this process alone');
  for (const [runner, w] of partsByRunner(parts))
    console.log(
      `  ${runner === RUNNER ? 'this process' : `worker ${runner}`}: ${w.parts} of ${parts.length} towns, ${int(w.persons)} persons, ${int(w.persons / (ms / 1000))} persons/s over the run`,
    );
}

/** A V8 CPU profile of the main thread from now; the returned function stops it and writes `<name>.cpuprofile`. */
async function startProfile(): Promise<(name: string) => Promise<string>> {
  const dir = values['cpu-prof-dir']!;
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return async (name) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = join(dir, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

async function peers(ctx: AppContext, runA: number, runB: number, runMsPerPerson: number): Promise<void> {
  const rows = await ctx.db
    .selectFrom('persons')
    .select(PERSON_COLUMNS.map((c) => sql.ref<unknown>(c).as(c)))
    .orderBy('id')
    .limit(SAMPLE)
    .execute();
  const isUrban = (code: string) => ctx.regions.isUrban(code);
  const setup = async (runId: number) => {
    const run = (await getRun(ctx.db, runId))!;
    const cat: Catalogue = await runCatalogue(ctx, run);
    const params = runParams(run).values;
    const build = factBuilder(run.period, isUrban);
    const conds = eligibilityConditions(cat, run.period, params);
    return {
      period: run.period,
      cat,
      params,
      build,
      facts: rows.map((p) => build(p)),
      ours: evaluator(cat, run.period, params),
      jre: jreEngine(conds),
      zen: zenDecision(conds),
      conds,
    };
  };
  console.log(
    `\n## peers: the same catalogue on the same persons (the first ${int(rows.length)} persons by id, facts built with factBuilder as in runs.service.ts)`,
  );
  console.log(`json-rules-engine ${version('json-rules-engine')}, @gorules/zen-engine ${version('@gorules/zen-engine')}`);

  // Correctness: both periods (A has 重阳 in it, B has not), every sampled person, granted sets.
  let timedSetup: Awaited<ReturnType<typeof setup>> | null = null;
  for (const runId of [runA, runB]) {
    const s = await setup(runId);
    let jreBad = 0;
    let zenBad = 0;
    let granted = 0;
    const shown: string[] = [];
    for (let i = 0; i < s.facts.length; i++) {
      const f = s.facts[i]!;
      const ours = Object.keys(s.ours(f)).sort().join(',');
      granted += ours ? ours.split(',').length : 0;
      const j = (await s.jre.eligible(f)).sort().join(',');
      const z = (await s.zen.eligible(f)).sort().join(',');
      if (j !== ours) {
        jreBad++;
        if (shown.length < 5) shown.push(`person ${rows[i]!.id}: ours [${ours}] json-rules-engine [${j}]`);
      }
      if (z !== ours) {
        zenBad++;
        if (shown.length < 5) shown.push(`person ${rows[i]!.id}: ours [${ours}] zen [${z}]`);
      }
    }
    console.log(
      `correctness, period ${s.period}: ${int(s.facts.length)} persons, ${int(granted)} items granted by ours; disagreements: json-rules-engine ${jreBad}, zen-engine ${zenBad}${jreBad + zenBad === 0 ? ' (identical granted sets)' : ' — TRANSLATION WRONG'}`,
    );
    for (const line of shown) console.log(`  ${line}`);
    if (jreBad + zenBad > 0) process.exitCode = 1; // a wrong translation makes the ratios meaningless
    if (runId === runB) timedSetup = s;
    else s.zen.engine.dispose();
  }
  const s = timedSetup!;
  const n = s.facts.length;
  console.log(
    `translation: per item, population ∧ schedule ∧ rule ∧ ¬(lower-ranked item of its exclusive group), parameters as literals; ${s.conds.length} items, one json-rules-engine Engine with ${s.conds.length} rules (event type = item id), one ZEN decision graph (request → expression node with ${s.conds.length} boolean outputs → response). Amount and percent expressions are not translated (json-rules-engine has no arithmetic); ours still computes them.`,
  );

  // Timing: period B. Ours: passes of R × the sample; best of 3 after a warm-up pass.
  let sink = 0;
  const oursPass = (reps: number) => {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++)
      for (let i = 0; i < n; i++) {
        const o: Outcome = s.ours(s.facts[i]!);
        for (const _k in o) sink++;
      }
    return (performance.now() - t0) / (reps * n);
  };
  oursPass(5);
  const reps = Math.max(1, Math.ceil(300 / (oursPass(1) * n)));
  const oursMs = Math.min(oursPass(reps), oursPass(reps), oursPass(reps));

  const factsPass = () => {
    const t0 = performance.now();
    for (const p of rows) {
      const f: Facts = s.build(p);
      sink += f.age as number;
    }
    return (performance.now() - t0) / n;
  };
  factsPass();
  const factsMs = Math.min(factsPass(), factsPass(), factsPass());

  const peerPass = async (eligible: (f: Facts) => Promise<string[]>, count: number) => {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) sink += (await eligible(s.facts[i]!)).length;
    return (performance.now() - t0) / count;
  };
  const peerBest = async (eligible: (f: Facts) => Promise<string[]>) => {
    await peerPass(eligible, Math.min(n, 2000));
    const t: number[] = [];
    for (let k = 0; k < 3; k++) t.push(await peerPass(eligible, n));
    return Math.min(...t);
  };
  const jreMs = await peerBest(s.jre.eligible);
  const zenMs = await peerBest(s.zen.eligible);
  // For context only: ZEN evaluates on native threads, so many evaluations in flight use both cores.
  const zenParallel = async () => {
    const t0 = performance.now();
    for (let i = 0; i < n; i += 64) for (const r of await Promise.all(s.facts.slice(i, i + 64).map((f) => s.zen.eligible(f)))) sink += r.length;
    return (performance.now() - t0) / n;
  };
  await zenParallel();
  const zenParMs = Math.min(await zenParallel(), await zenParallel(), await zenParallel());
  s.zen.engine.dispose();

  const us = (ms: number) => `${(ms * 1000).toFixed(ms * 1000 < 10 ? 3 : 1)} µs/person`;
  const ps = (ms: number) => `${int(1000 / ms)} persons/s`;
  console.log(`\nper-person evaluation, period ${s.period}, ${int(n)} persons (best of 3 passes after a warm-up pass; ours ${reps} × the sample per pass):`);
  console.log(`  ours  evaluator(cat, period, params)(facts)      ${us(oursMs)} (${(oursMs * 1e6).toFixed(0)} ns), ${ps(oursMs)} — granted set with amounts`);
  console.log(`  json-rules-engine: await engine.run(facts)      ${us(jreMs)}, ${ps(jreMs)}`);
  console.log(`  zen-engine: await decision.evaluate(facts)      ${us(zenMs)}, ${ps(zenMs)}`);
  console.log(
    `  ours is ${(jreMs / oursMs).toFixed(0)}× faster than json-rules-engine and ${(zenMs / oursMs).toFixed(0)}× faster than zen-engine (per person); faster than both: ${oursMs < jreMs && oursMs < zenMs ? 'yes' : 'NO'}; ≥ 100× both: ${jreMs / oursMs >= 100 && zenMs / oursMs >= 100 ? 'yes' : 'no'}`,
  );
  console.log(
    `  for context, zen-engine with 64 evaluations in flight (its native threads on both cores): ${us(zenParMs)}, ${ps(zenParMs)}; ours on one core is still ${(zenParMs / oursMs).toFixed(0)}× faster`,
  );
  console.log(
    `context: run B took ${(runMsPerPerson * 1000).toFixed(2)} µs/person end to end; evaluation is ${((100 * oursMs) / runMsPerPerson).toFixed(1)} % of it, building the facts ${((100 * factsMs) / runMsPerPerson).toFixed(1)} % (factBuilder ${(factsMs * 1e6).toFixed(0)} ns/person)`,
  );
  if (sink === -1) console.log(sink);
}
