import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import type { NewPerson, RegionRow } from '../src/db/tables.js';
import { setParameter } from '../src/modules/catalogue/catalogue.service.js';
import { catalogueSetting } from '../src/modules/catalogue/catalogue.settings.js';
import { DEMO_PARAMETER_VALUES } from '../src/modules/demo/entitlements.js';
import { generateElders, mulberry32 } from '../src/modules/demo/generator.js';
import { DEMO_COUNTY, demoRegions } from '../src/modules/demo/regions.js';
import { getRun } from '../src/modules/entitlements/runs.repository.js';
import { startRun, type StartedRun } from '../src/modules/entitlements/runs.service.js';
import { partJobs } from '../src/modules/entitlements/run-parts.js';
import { insertRegions } from '../src/modules/regions/regions.repository.js';
import { checkDigit } from '../src/modules/register/resident-id.js';
import { insertAccounts } from '../src/modules/users/accounts.js';
import { hashPassword } from '../src/platform/auth.js';
import type { AppContext } from '../src/platform/context.js';
import { RUNNER } from '../src/platform/jobs.js';
import { userScope, type Scope } from '../src/platform/scope.js';
import { nowIso, periodBounds, previousPeriod, today } from '../src/platform/time.js';
import {
  benchDatabase,
  benchPersonRow,
  int,
  loadLine,
  machine,
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
 * Issue 21's province, simulated on PostgreSQL: one province, four cities, 20 county jurisdictions
 * (the Nanxun and Daye catalogues alternating, each with the demo's parameter values), every county
 * with the demo county's towns and villages; `--elders N` generated elders (generateElders, its
 * villages and resident IDs moved into each county) loaded into the register by COPY, not by the
 * import path. Then, for last month (and with `--months 2` this month too, whose runs write change
 * lists against last month's), every county's bureau starts its run at once (startRun with its own
 * bureau_admin's scope), and `--workers W` processes decide them split by town: W-1 `yiyang worker`
 * processes beside this one, which works on the parts of the runs it started as an app server does.
 * Printed: wall time and persons/s of each month's 20 runs, each run's decisions against its
 * county's population, persons and rate per process, and the CPU seconds per person of the node
 * processes and of PostgreSQL (its backends serving these processes, and its background processes)
 * from /proc, from which a 16-core server's rate is estimated.
 * Usage: DATABASE_URL=postgres://… npx tsx bench/province.ts [--elders 10000000] [--workers 2] [--months 1] [--keep]
 */
const { values } = parseArgs({
  options: {
    elders: { type: 'string' },
    workers: { type: 'string' },
    months: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
if (!process.env.DATABASE_URL) {
  console.error(
    'bench/province.ts simulates a province on PostgreSQL only: set DATABASE_URL=postgres://… (it works in a schema of its own, dropped at the end unless --keep).',
  );
  process.exit(2);
}
const ELDERS = Number(values.elders ?? 10_000_000);
const WORKERS = Math.max(1, Number(values.workers ?? 2));
const MONTHS = Number(values.months ?? 1);
if (!Number.isInteger(ELDERS) || ELDERS < 20) throw new Error(`--elders: a whole number ≥ 20, got ${values.elders}`);
if (MONTHS !== 1 && MONTHS !== 2) throw new Error(`--months: 1 or 2, got ${values.months}`);
/** rows a COPY; two COPYs in flight, the next batch generated meanwhile */
const LOAD_BATCH = 50_000;
const CLK_TCK = 100;
const TARGET_CORES = 16;
/** this run's connections to PostgreSQL, named so its backends can be told from anyone else's (the workers inherit it) */
const APP = `yiyang-province-${process.pid}`;
process.env.PGAPPNAME = APP;

const rss = new RssSampler();
const asOf = today();
const month2 = asOf.slice(0, 7);
const month1 = previousPeriod(month2);
const periods = MONTHS === 2 ? [month1, month2] : [month1];
/** the bench's schema (set once it exists) and the worker processes beside this one */
let schema = '';
const workers: BenchWorker[] = [];

// ----------------------------------------------------------------------------------------------------

const PROVINCE = '990000';
/** four cities of five counties each (code block 99, which GB/T 2260 never allocates) */
const CITIES = ['东州市', '西州市', '南州市', '北州市'];
const COUNTY_NAMES = [
  ['青溪县', '石湖县', '云台县', '松岭县', '柳河县'],
  ['桃源县', '梅岭县', '白沙县', '凤鸣县', '龙溪县'],
  ['金川县', '玉泉县', '清平县', '长宁县', '安平县'],
  ['永和县', '丰城县', '宁川县', '临川县', '广安县'],
];

/**
 * The region tree (insertRegions, as the demo builds its city) and one bureau_admin per county plus
 * the province's (insertAccounts, as the demo creates its accounts); each county gets the demo
 * county's towns and villages under its own code.
 */
async function buildProvince(ctx: AppContext): Promise<{ counties: RegionRow[]; scopes: Map<string, Scope> }> {
  const template = demoRegions().filter((r) => r.code.startsWith(DEMO_COUNTY) && r.code !== DEMO_COUNTY);
  const rows: RegionRow[] = [{ code: PROVINCE, name: '示范省', level: 'province', kind: 'province', parent_code: null, prefix: '99' }];
  CITIES.forEach((city, ci) => {
    const cityPrefix = `99${String(ci + 1).padStart(2, '0')}`;
    rows.push({ code: `${cityPrefix}00`, name: city, level: 'city', kind: 'city', parent_code: PROVINCE, prefix: cityPrefix });
    COUNTY_NAMES[ci]!.forEach((name, k) => {
      const code = `${cityPrefix}${String(k + 1).padStart(2, '0')}`;
      rows.push({ code, name, level: 'county', kind: 'county', parent_code: `${cityPrefix}00`, prefix: code });
      const moved = (c: string) => code + c.slice(DEMO_COUNTY.length);
      for (const r of template) rows.push({ ...r, code: moved(r.code), prefix: moved(r.prefix), parent_code: moved(r.parent_code!) });
    });
  });
  await insertRegions(ctx.db, rows);
  await ctx.regions.reload(ctx.db);
  const counties = ctx.regions.counties();
  const passwordHash = await hashPassword(`bench-${process.pid}-${Date.now()}`);
  await insertAccounts(
    ctx.db,
    [
      { username: 'province1', role: 'bureau_admin', displayName: '省民政厅管理员', regionCode: PROVINCE, passwordHash },
      ...counties.map((c) => ({ username: `admin${c.code}`, role: 'bureau_admin', displayName: `${c.name}民政局管理员`, regionCode: c.code, passwordHash })),
    ],
    nowIso(),
  );
  const users = await ctx.db.selectFrom('users').select(['id', 'username', 'region_code']).execute();
  const scopes = new Map<string, Scope>();
  for (const u of users) {
    const region = ctx.regions.get(u.region_code)!;
    if (region.level === 'county') scopes.set(region.code, userScope({ id: u.id, username: u.username, role: 'bureau_admin' }, region, null));
  }
  return { counties, scopes };
}

/**
 * `ELDERS` generated elders spread over the counties (sizes weighted 1 to 2), each county's from a
 * stream of its own, moved into the county (its villages, its resident IDs' first six digits and
 * check digit) and loaded with COPY; the next batch is generated while the last two load. Returns,
 * per county, how many its runs will consider: everyone but those closed before the runs' floor.
 */
async function seedPersons(ctx: AppContext, counties: RegionRow[]) {
  const weights = counties.map((_, i) => 1 + ((i * 7) % counties.length) / (counties.length - 1));
  const sum = weights.reduce((s, w) => s + w, 0);
  const sizes = weights.map((w) => Math.floor((ELDERS * w) / sum));
  sizes[0]! += ELDERS - sizes.reduce((s, n) => s + n, 0);
  const statusRng = mulberry32(20261202);
  // closed before month 1's floor (the first day of the month before it): in no run
  const longAgo = periodBounds(previousPeriod(previousPeriod(month1))).start;
  const day2 = Math.min(28, Number(asOf.slice(8, 10)));
  const population = new Map<string, number>();
  let closedBefore = 0;
  let closedLater = 0;
  const now = nowIso();
  const inFlight: Promise<void>[] = [];
  let rows: NewPerson[] = [];
  const flush = async () => {
    inFlight.push(ctx.handle.load('persons', rows as unknown as Record<string, unknown>[]));
    rows = [];
    if (inFlight.length >= 2) await inFlight.shift();
  };
  for (let i = 0; i < counties.length; i++) {
    const county = counties[i]!.code;
    let considered = 0;
    for (const e of generateElders({ elders: sizes[i]!, seed: `province-${county}`, asOf })) {
      const first17 = county + e.idNumber.slice(6, 17);
      const moved = { ...e, idNumber: first17 + checkDigit(first17), regionCode: county + e.regionCode.slice(DEMO_COUNTY.length) };
      const x = statusRng();
      let status = 'active';
      let closedOn: string | null = null;
      if (x < 0.005) {
        status = 'deceased';
        closedOn = longAgo;
        closedBefore++;
      } else if (x < 0.017) {
        status = x < 0.013 ? 'deceased' : 'moved_out';
        closedOn = `${month2}-${String(1 + Math.floor(statusRng() * day2)).padStart(2, '0')}`;
        closedLater++;
      }
      if (closedOn !== longAgo) considered++;
      rows.push(benchPersonRow(moved, now, { status, closed_on: closedOn }));
      if (rows.length >= LOAD_BATCH) await flush();
    }
    population.set(county, considered);
  }
  if (rows.length) await flush();
  await Promise.all(inFlight);
  return { population, closedBefore, closedLater };
}

/** VACUUM ANALYZE of the register (a freshly loaded table: its visibility map and statistics), ANALYZE of the rest of the schema. */
async function analyzeSchema(ctx: AppContext): Promise<void> {
  await sql`vacuum (analyze) persons`.execute(ctx.db);
  const tables = await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = ${schema} and tablename <> 'persons'`.execute(ctx.db);
  for (const { t } of tables.rows) await sql`analyze ${sql.id(t)}`.execute(ctx.db);
}

interface CpuFigures {
  /** this process and each worker: CPU seconds */
  node: Array<{ who: string; seconds: number }>;
  /** PostgreSQL backends serving this run's connections (application_name) */
  pgOurs: number;
  /** PostgreSQL's background processes (WAL writer, checkpointer, autovacuum, ...): the server's, shared */
  pgBackground: number;
  /** PostgreSQL backends of other clients (other work on the server during the phase) */
  pgOthers: number;
  /** the machine: busy CPU seconds of all processes, and its capacity over the phase */
  machineBusy: number;
  machineCapacity: number;
}

interface MonthFigures {
  period: string;
  ms: number;
  persons: number;
  cpu: CpuFigures;
  perProcess: Array<{ who: string; persons: number; parts: number; cpu: number }>;
  largestPart: number;
}

/** Every county's run of the month started by its bureau, one after another, then all awaited. */
async function runMonth(
  ctx: AppContext,
  period: string,
  counties: RegionRow[],
  scopes: Map<string, Scope>,
  population: Map<string, number>,
): Promise<MonthFigures> {
  console.log(`\n## ${period}: the 20 counties' runs${period === month2 ? `, each against its run of ${month1} (change lists)` : ''}`);
  const cpu = new CpuMeter(workers);
  await cpu.start();
  const t0 = performance.now();
  const started: StartedRun[] = [];
  const startTimes: number[] = [];
  for (const c of counties) {
    const t = performance.now();
    started.push(await startRun(ctx, scopes.get(c.code)!, period, c.code));
    startTimes.push(performance.now() - t);
  }
  const startMs = performance.now() - t0;
  await Promise.all(started.map((s) => s.done));
  const ms = performance.now() - t0;
  const figures = await cpu.stop();

  let persons = 0;
  let bad = 0;
  const parts = [];
  const kinds = new Map<string, number>();
  let tailMax = 0;
  for (const [i, s] of started.entries()) {
    const run = (await getRun(ctx.db, s.run.id))!;
    const county = counties[i]!;
    const decided = Number((await sql<{ n: number }>`select count(*) as n from decisions where run_id = ${run.id}`.execute(ctx.db)).rows[0]!.n);
    const expected = population.get(county.code)!;
    const ok = run.status === 'finished' && decided === expected && run.persons_done === expected;
    if (!ok) bad++;
    persons += run.persons_done;
    const own = await partJobs(ctx.db, run.id);
    parts.push(...own);
    const lastPart = own.reduce((m, p) => (p.finished_at && p.finished_at > m ? p.finished_at : m), '');
    const tail = lastPart && run.finished_at ? Date.parse(run.finished_at) - Date.parse(lastPart) : 0;
    tailMax = Math.max(tailMax, tail);
    for (const k of (
      await sql<{ kind: string; n: number }>`select kind, count(*) as n from decision_changes where run_id = ${run.id} group by kind`.execute(ctx.db)
    ).rows)
      kinds.set(k.kind, (kinds.get(k.kind) ?? 0) + Number(k.n));
    console.log(
      `  ${county.code} ${county.name} (${run.jurisdiction}): run ${run.id} ${run.status}, ${int(run.persons_done)} persons, ${int(decided)} decisions, ${int(expected)} expected — ${ok ? 'ok' : 'WRONG'}; ${own.length} towns; ${int(run.granted)} items granted, ${int(run.changes)} changes; ended ${secs(tail)} after its last town`,
    );
  }
  if (bad) process.exitCode = 1;
  console.log(
    `  ${bad ? `${bad} RUNS WRONG` : 'every run finished with one decision per person of its county, no more, no fewer'}; changes by kind: ${[...kinds].map(([k, n]) => `${k} ${int(n)}`).join(', ') || 'none'}`,
  );

  // a run of a batch or less is not split: the process that started it (this one) decided it whole
  const whole = started.length - new Set(parts.map((p) => p.key.slice(0, p.key.indexOf(':')))).size;
  const unsplit = persons - parts.reduce((s, p) => s + p.done, 0);
  const tally = partsByRunner(parts);
  if (unsplit > 0) {
    const mine = tally.find(([r]) => r === RUNNER);
    if (mine) mine[1].persons += unsplit;
    else tally.push([RUNNER, { parts: 0, persons: unsplit }]);
  }
  const perProcess = tally.map(([runner, w]) => {
    const who = runner === RUNNER ? 'this process' : `worker ${runner}`;
    const pid = Number(runner.slice(runner.lastIndexOf(':') + 1));
    const seconds = runner === RUNNER ? figures.node[0]!.seconds : (figures.node.find((n) => n.who === `worker ${pid}`)?.seconds ?? NaN);
    return { who, persons: w.persons, parts: w.parts, cpu: seconds };
  });
  const largestPart = Math.max(0, ...parts.map((p) => p.done));
  console.log(
    `\n${period}: ${int(persons)} persons in ${secs(ms)} wall (the 20 starts, one after another, took ${secs(startMs)} of it: ${secs(Math.min(...startTimes))} to ${secs(Math.max(...startTimes))} each, the first ${secs(startTimes[0]!)}), ${int(persons / (ms / 1000))} persons/s overall, ${WORKERS} process(es); runs' ends at most ${secs(tailMax)} after their last town; the largest town ${int(largestPart)} persons`,
  );
  for (const p of perProcess)
    console.log(
      `  ${p.who}: ${p.parts} of ${parts.length} towns${p.who === 'this process' && whole ? ` and ${whole} runs not split (a batch or less)` : ''}, ${int(p.persons)} persons, ${int(p.persons / (ms / 1000))} persons/s over the wall time; ${p.cpu.toFixed(1)} CPU s (${int(p.persons / p.cpu)} persons per CPU second)`,
    );
  printCpu(figures, persons, ms);
  return { period, ms, persons, cpu: figures, perProcess, largestPart };
}

function printCpu(c: CpuFigures, persons: number, ms: number): void {
  const node = c.node.reduce((s, n) => s + n.seconds, 0);
  const pgAll = c.pgOurs + c.pgBackground;
  const us = (s: number) => `${((s / persons) * 1e6).toFixed(1)} µs/person`;
  console.log(`  CPU over the wall time (from /proc/<pid>/stat and process.cpuUsage, ${CLK_TCK} ticks/s):`);
  console.log(`    node processes ${node.toFixed(1)} s (${c.node.map((n) => `${n.who} ${n.seconds.toFixed(1)}`).join(', ')}) — ${us(node)}`);
  console.log(
    `    PostgreSQL ${pgAll.toFixed(1)} s: backends of these processes ${c.pgOurs.toFixed(1)} s (${us(c.pgOurs)}), background processes ${c.pgBackground.toFixed(1)} s (${us(c.pgBackground)}; WAL writer, checkpointer, autovacuum: the server's, counted as this run's)`,
  );
  console.log(
    `    per person: ${us(node + pgAll)} in all, PostgreSQL's share ${((100 * pgAll) / (node + pgAll)).toFixed(0)} %, node's ${((100 * node) / (node + pgAll)).toFixed(0)} %`,
  );
  console.log(
    `    the machine: ${c.machineBusy.toFixed(1)} busy CPU s of ${c.machineCapacity.toFixed(1)} (${((100 * c.machineBusy) / c.machineCapacity).toFixed(0)} %); this run ${(node + pgAll).toFixed(1)} s; other work ${Math.max(0, c.machineBusy - node - pgAll).toFixed(1)} s (of it other clients' PostgreSQL backends ${c.pgOthers.toFixed(1)} s) over ${secs(ms)}`,
  );
}

/**
 * A 16-core server from the measured CPU seconds per person: node's and PostgreSQL's. Each worker
 * is one node thread, so W workers use at most W cores for node; PostgreSQL's CPU per person comes
 * on top on the same server. The rate is the lesser of the workers' (W × persons per CPU second of
 * a worker) and the cores' (16 / CPU seconds per person), at the W that balances the two.
 */
function estimate(m: MonthFigures): void {
  const node = m.cpu.node.reduce((s, n) => s + n.seconds, 0);
  const pgCpu = m.cpu.pgOurs + m.cpu.pgBackground;
  const cNode = node / m.persons;
  const cPg = pgCpu / m.persons;
  const c = cNode + cPg;
  const measured = m.persons / (m.ms / 1000);
  const ceilingHere = m.cpu.machineCapacity / (m.ms / 1000) / c;
  console.log(`\n## ${m.period}: a ${TARGET_CORES}-core server, estimated from this run's CPU seconds per person`);
  console.log(
    `  measured: node ${(cNode * 1e6).toFixed(1)} µs/person, PostgreSQL ${(cPg * 1e6).toFixed(1)} µs/person (backends and background), ${(c * 1e6).toFixed(1)} µs/person in all`,
  );
  console.log(
    `  check on this machine: ${(m.cpu.machineCapacity / (m.ms / 1000)).toFixed(0)} cores can give at most ${int(ceilingHere)} persons/s at that cost; measured ${int(measured)} persons/s (${((100 * measured) / ceilingHere).toFixed(0)} % of it; the rest: cores idle while processes wait, and other work on the machine)`,
  );
  const rows: string[] = [];
  for (const w of [1, 2, 4, 6, 8, 10, 12, 16]) {
    if (w > TARGET_CORES) continue;
    const byWorkers = w / cNode; // each worker at most one core of node work
    const byCores = TARGET_CORES / c; // node and PostgreSQL together on the server's cores
    const rate = Math.min(byWorkers, byCores);
    rows.push(
      `    ${String(w).padStart(2)} workers: ${int(rate).padStart(9)} persons/s (${byWorkers < byCores ? "bound by the workers' node CPU" : 'bound by the 16 cores'}); 10,000,000 in ${secs((1e7 / rate) * 1000)}`,
    );
  }
  const wBest = Math.ceil((TARGET_CORES * cNode) / c);
  console.log(
    `  on ${TARGET_CORES} cores, PostgreSQL on the same server, W workers (each ≤ 1 core of node work at ${int(1 / cNode)} persons per CPU second; PostgreSQL's ${int(1 / cPg)} persons per CPU second across its backends):`,
  );
  for (const r of rows) console.log(r);
  console.log(
    `  balance at about ${wBest} workers (node's share of the per-person CPU × ${TARGET_CORES} cores): ${int(TARGET_CORES / c)} persons/s, 10,000,000 in ${secs((1e7 * c * 1000) / TARGET_CORES)} — an upper bound: it assumes PostgreSQL's CPU per person stays as measured with more writers (WAL, locks and I/O are shared) and that the runs have enough towns to keep W workers busy (20 counties × 9 towns = 180 parts; the largest ${int(m.largestPart)} persons)`,
  );
  const cores = m.cpu.machineCapacity / (m.ms / 1000);
  const scale = TARGET_CORES / cores;
  console.log(
    `  by the wall-clock rate instead: here ${WORKERS} process(es) on ${cores.toFixed(0)} cores gave ${int(measured)} persons/s (${int(measured / WORKERS)} a process); ${TARGET_CORES} cores as ${scale.toFixed(0)}× this machine, ${Math.round(WORKERS * scale)} workers ≈ ${int(measured * scale)} persons/s, 10,000,000 in ${secs((1e7 / (measured * scale)) * 1000)} — a floor, not a bound: this run had ${((100 * (node + pgCpu)) / m.cpu.machineCapacity).toFixed(0)} % of this machine's CPU (other work took ${((100 * Math.max(0, m.cpu.machineBusy - node - pgCpu)) / m.cpu.machineCapacity).toFixed(0)} %)`,
  );
}

/** Clock ticks of a process (utime + stime) from /proc/<pid>/stat, with its start time; null once gone. */
function procTicks(pid: number): { ticks: number; start: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields from 3 (state): utime 14, stime 15, starttime 22
    return { ticks: Number(f[11]) + Number(f[12]), start: Number(f[19]) };
  } catch {
    return null;
  }
}

/** The machine's busy and total CPU ticks (/proc/stat: all but idle and iowait). */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((s, n) => s + n, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

/**
 * CPU seconds over a phase: this process (process.cpuUsage), the workers and PostgreSQL's processes
 * (/proc). PostgreSQL's backends come and go (a pool closes idle connections), so they are sampled
 * every 500 ms through pg_stat_activity, by a connection of its own: each backend's ticks at its
 * last sample less its ticks at the phase's start (none if it started later). A backend that ends
 * between samples loses at most its last half second.
 */
class CpuMeter {
  private readonly base = new Map<number, number>();
  private readonly last = new Map<number, { ticks: number; kind: 'ours' | 'background' | 'others' }>();
  private readonly client = new pg.Client({ connectionString: process.env.DATABASE_URL, application_name: `${APP}-meter` });
  private timer: NodeJS.Timeout | null = null;
  private sampling: Promise<void> = Promise.resolve();
  private own = process.cpuUsage();
  private workerBase = new Map<number, number>();
  private machine = machineTicks();
  private startTicks = 0;
  constructor(private readonly workers: BenchWorker[]) {}

  async start(): Promise<void> {
    await this.client.connect();
    for (const b of await this.backends()) {
      const t = procTicks(b.pid);
      if (t) this.base.set(b.pid, t.ticks);
    }
    this.startTicks = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * CLK_TCK;
    for (const w of this.workers) this.workerBase.set(w.child.pid!, procTicks(w.child.pid!)?.ticks ?? 0);
    this.own = process.cpuUsage();
    this.machine = machineTicks();
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => undefined);
    }, 500);
  }

  private async backends(): Promise<Array<{ pid: number; kind: 'ours' | 'background' | 'others' }>> {
    const r = await this.client.query<{ pid: number; application_name: string; backend_type: string }>(
      'select pid, application_name, backend_type from pg_stat_activity where pid <> pg_backend_pid()',
    );
    return r.rows.map((b) => ({ pid: b.pid, kind: b.backend_type !== 'client backend' ? 'background' : b.application_name === APP ? 'ours' : 'others' }));
  }

  private async sample(): Promise<void> {
    for (const b of await this.backends()) {
      const t = procTicks(b.pid);
      if (!t) continue;
      // a backend started during the phase counts from zero; one we missed at the start but older than it is left out
      if (!this.base.has(b.pid)) {
        if (t.start < this.startTicks) continue;
        this.base.set(b.pid, 0);
      }
      this.last.set(b.pid, { ticks: t.ticks, kind: b.kind });
    }
  }

  async stop(): Promise<CpuFigures> {
    clearInterval(this.timer!);
    await this.sampling;
    await this.sample();
    const own = process.cpuUsage(this.own);
    const machine = machineTicks();
    const sum = (kind: string) =>
      [...this.last].filter(([, v]) => v.kind === kind).reduce((s, [pid, v]) => s + (v.ticks - (this.base.get(pid) ?? 0)), 0) / CLK_TCK;
    const figures: CpuFigures = {
      node: [
        { who: 'this process', seconds: (own.user + own.system) / 1e6 },
        ...this.workers.map((w) => ({
          who: `worker ${w.child.pid}`,
          seconds: ((procTicks(w.child.pid!)?.ticks ?? 0) - this.workerBase.get(w.child.pid!)!) / CLK_TCK,
        })),
      ],
      pgOurs: sum('ours'),
      pgBackground: sum('background'),
      pgOthers: sum('others'),
      machineBusy: (machine.busy - this.machine.busy) / CLK_TCK,
      machineCapacity: (machine.total - this.machine.total) / CLK_TCK,
    };
    await this.client.end();
    return figures;
  }
}

async function main(): Promise<void> {
  console.log(`# province simulation — ${new Date().toISOString()}`);
  console.log(`machine: ${machine()}; load average ${loadLine()}`);
  const { ctx, dir: work, close } = await benchDatabase('province');
  schema = ctx.handle.schema!;
  console.log(`work dir: ${work}${values.keep ? ' (kept)' : ''}`);
  const version = (await sql<{ server_version: string }>`show server_version`.execute(ctx.db)).rows[0]!.server_version;
  const pgSettings = (
    await sql<{
      name: string;
      setting: string;
      unit: string | null;
    }>`select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'checkpoint_timeout') order by name`.execute(
      ctx.db,
    )
  ).rows;
  console.log(`PostgreSQL ${version}: ${pgSettings.map((s) => `${s.name} ${s.setting}${s.unit ?? ''}`).join(', ')}`);

  try {
    // -- 1. the province ----------------------------------------------------------------------------
    const { counties, scopes } = await buildProvince(ctx);
    const catalogueOfCounty = new Map(counties.map((c, i) => [c.code, i % 2 === 0 ? 'nanxun' : 'daye']));
    for (const c of counties)
      await ctx.settings.set(
        ctx,
        scopes.get(c.code)!,
        c.code,
        catalogueSetting.name,
        catalogueOfCounty.get(c.code)!,
        `基准测试：${c.name}执行${catalogueOfCounty.get(c.code) === 'nanxun' ? '南浔区' : '大冶市'}清单`,
      );
    // parameters belong to a catalogue: set once, by the bureau of the first county that runs it
    for (const j of ['nanxun', 'daye']) {
      const first = ctx.catalogues.versions(j)[0]!;
      const owner = counties.find((c) => catalogueOfCounty.get(c.code) === j)!;
      for (const [name, value] of Object.entries(DEMO_PARAMETER_VALUES[j] ?? {})) {
        if (!first.parameters.has(name)) continue;
        await setParameter(ctx, scopes.get(owner.code)!, { jurisdiction: j, name, from: first.effective, value, note: '基准测试：演示示例值' });
      }
    }
    const towns = ctx.regions.all().filter((r) => r.level === 'town').length;
    const villages = ctx.regions.all().filter((r) => r.level === 'village').length;
    console.log(
      `\nprovince: ${ctx.regions.get(PROVINCE)!.name} → ${CITIES.length} cities → ${counties.length} county jurisdictions (${towns} towns, ${villages} villages; each county the demo county's towns and villages), inserted with insertRegions`,
    );
    console.log(
      `  catalogues: Nanxun on ${counties.filter((c) => catalogueOfCounty.get(c.code) === 'nanxun').length} counties, Daye on ${counties.filter((c) => catalogueOfCounty.get(c.code) === 'daye').length} (alternating; the setting set by each county's bureau_admin); parameters: DEMO_PARAMETER_VALUES, set by the first county of each`,
    );

    // -- 2. the register ------------------------------------------------------------------------------
    rss.phase();
    const seeded = await timed(() => seedPersons(ctx, counties));
    const { population, closedBefore, closedLater } = seeded.value;
    const persons = ELDERS;
    console.log(
      `\nregister: ${int(persons)} persons loaded with COPY (DbHandle.load) in batches of ${int(LOAD_BATCH)}, two in flight: ${secs(seeded.ms)}, ${int(persons / (seeded.ms / 1000))} rows/s — seeding, NOT part of any figure below; peak RSS ${mib(rss.phase())}`,
    );
    console.log(
      `  sizes: ${int(Math.min(...population.values()))} to ${int(Math.max(...population.values()))} persons a county (weights 1-2); status: ${int(closedBefore)} deceased before the runs' floor (never in a run), ${int(closedLater)} deceased or moved out during ${month2} (in both months' runs), the rest active`,
    );
    const analyzed = await timed(() => analyzeSchema(ctx));
    console.log(`  VACUUM ANALYZE persons, ANALYZE the schema's other tables: ${secs(analyzed.ms)}; database ${mib(await pgSchemaBytes(ctx.db, schema))}`);

    // -- 3. the runs ----------------------------------------------------------------------------------
    if (WORKERS > 1) await startWorkers(WORKERS - 1, work, schema, workers);
    console.log(
      `\nprocesses: this one (${RUNNER}, works on the parts of the runs it starts, as an app server does) and ${workers.length} \`yiyang worker\` process(es) (${workers.map((w) => w.child.pid).join(', ') || 'none'}); each works on at most ${ctx.config.runPartsPerProcess} parts at once (RUN_PARTS_PER_PROCESS); batch size ${ctx.config.runBatchSize}`,
    );
    const months: MonthFigures[] = [];
    for (const period of periods) months.push(await runMonth(ctx, period, counties, scopes, population));

    // -- 4. the estimate --------------------------------------------------------------------------------
    for (const m of months) estimate(m);
    console.log(`\ndatabase after the runs: ${mib(await pgSchemaBytes(ctx.db, schema))}`);
  } finally {
    await stopWorkers(workers);
    for (const w of workers) {
      const last = w
        .output()
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.includes(' done: '));
      if (last) console.log(`worker ${w.child.pid}: ${last.trim()}`);
    }
    const { sampledPeak, maxRss } = rss.stop();
    console.log(`process peak RSS: ${mib(maxRss)} (resourceUsage maxRSS), ${mib(sampledPeak)} (sampled every 100 ms); load average ${loadLine()}`);
    await close(values.keep === true);
    if (values.keep) console.log(`schema ${schema} kept`);
  }
}

await main();
