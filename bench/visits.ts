import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/database.js';
import type { NewPerson } from '../src/db/tables.js';
import { generateElders, mulberry32 } from '../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { listOverdue, overdueSummary } from '../src/modules/visits/overdue.js';
import { refreshPlans, type RefreshCounts } from '../src/modules/visits/plans.js';
import { visitRate } from '../src/modules/visits/rate.js';
import { plusDays } from '../src/modules/visits/windows.js';
import type { AppContext } from '../src/platform/context.js';
import { systemScope, type Scope } from '../src/platform/scope.js';
import { nowIso, today } from '../src/platform/time.js';
import { benchPersonRow, int, machine, mib, percentile, RssSampler, secs, sqliteContext, timed } from './util.js';

/**
 * Benchmark: the visit plans' refresh over 1,000,000 elders (issue 16, Performance: ≤ 10 s on
 * SQLite), and the overdue list of a town of about 50,000 elders (p95 < 1 s). The register is
 * inserted directly (generateElders seed 7, as bench/assessment.ts; not the import path), a third
 * of the 80+ and a tenth of the younger with a valid capability level. Then the refresh
 * (plans.ts refreshPlans, the daily task's function: a job in batches, audit entry included):
 *   A  three weeks ago, the first refresh: everyone in a plan joins, one due each;
 *   B  the same day again: nothing changes (the steady state's reading and rule evaluation);
 *   C  a week later, after 1 % of the persons changed (living alone toggled): joins and leaves,
 *      last week's weekly dues missed, the new week's created;
 *   D  a week later again, E today: the same with no change in the register.
 * With escalations (visits/escalation.ts) after each. Then, several runs each, the overdue list's
 * first page and the overdue summary (visits/overdue.ts, what the routes call) for the town
 * nearest 50,000 elders, and the county's monthly visit rate.
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL, in a schema of its own (dropped
 * after unless --keep).
 * Usage: npx tsx bench/visits.ts [--elders 1000000] [--runs 10] [--keep]
 */
const { values } = parseArgs({ options: { elders: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } } });
const ELDERS = Number(values.elders ?? 1_000_000);
const RUNS = Number(values.runs ?? 10);
const SEED = 7;
const INSERT_TX = 20_000;
const PG_URL = process.env.DATABASE_URL;
const onPg = Boolean(PG_URL);

const rss = new RssSampler();
const asOf = today();
console.log(`# visit plans benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
// the machine may be shared: its load when the run starts and ends says how much the wall times mean
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
console.log(`load average (1, 5, 15 min): ${load()}`);

const dir = mkdtempSync(join(tmpdir(), 'yiyang-bench-visits-'));
let ctx: AppContext;
let pgSchema: string | null = null;
if (onPg) {
  pgSchema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${pgSchema}`);
  await admin.end();
  const config = loadConfig({ dataDir: dir, databaseUrl: PG_URL });
  ctx = await openContext(config, openPostgres(PG_URL!, pgSchema));
  console.log(`database: PostgreSQL ${PG_URL!.replace(/:[^:@/]*@/, ':***@')}, schema ${pgSchema}`);
} else {
  ctx = await sqliteContext(resolve(dir));
  console.log(`database: SQLite in ${dir}`);
}
console.log(`batch size (RUN_BATCH_SIZE): ${ctx.config.runBatchSize}`);

// -- 1. the register, by direct inserts -------------------------------------------------------------
await seedRegionsAndUsers(ctx);
const rng = mulberry32(20261130);
const LEVELS = ['intact', 'mild', 'moderate', 'severe', 'complete'];
let assessed = 0;
const build = await timed(async () => {
  const now = nowIso();
  let persons: NewPerson[] = [];
  const flush = async () => {
    const p = persons;
    persons = [];
    await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'persons', p));
  };
  for (const e of generateElders({ elders: ELDERS, seed: SEED, asOf })) {
    const old = Number(asOf.slice(0, 4)) - Number(e.birthDate.slice(0, 4)) >= 80;
    const has = rng() < (old ? 0.33 : 0.1);
    if (has) assessed++;
    const on = plusDays(asOf, -Math.floor(rng() * 300));
    persons.push(
      benchPersonRow(e, now, {
        capability_level: has ? LEVELS[Math.floor(rng() * 5)]! : null,
        capability_on: has ? on : null,
        capability_due: has ? plusDays(on, 365) : null,
        capability_until: has ? plusDays(on, 455) : null,
        capability_assessment_id: has ? 1 : null,
      }),
    );
    if (persons.length >= INSERT_TX) await flush();
  }
  if (persons.length) await flush();
});
console.log(`\nbuilt: ${int(ELDERS)} persons (generateElders seed ${SEED}, asOf ${asOf}), ${int(assessed)} with a capability level`);
console.log(`  inserted directly in transactions of ${int(INSERT_TX)} in ${secs(build.ms)} (not a figure); peak RSS ${mib(rss.phase())}`);
if (ctx.handle.sqlite) ctx.handle.sqlite.exec('ANALYZE');
else await sql`analyze`.execute(ctx.db);

// -- 2. the refreshes ------------------------------------------------------------------------------
const fmt = (c: RefreshCounts) =>
  `members ${int(c.members)}, joined ${int(c.joined)}, left ${int(c.left)} (changed plan ${int(c.changed)}), dues ${int(c.dues)}, cancelled ${int(c.cancelled)}, missed ${int(c.missed)}, escalations ${int(c.escalations)}`;
const lines: string[] = [];
async function refresh(label: string, on: string) {
  rss.phase();
  const cpu = process.cpuUsage();
  const t = await timed(() => refreshPlans(ctx, on));
  const used = process.cpuUsage(cpu);
  // this process's CPU (user + system): the machine is shared, wall time includes waiting for it
  const cpuS = (used.user + used.system) / 1e6;
  lines.push(`| ${label} | ${on} | ${(t.ms / 1000).toFixed(2)} | ${cpuS.toFixed(2)} | ${mib(rss.phase())} | ${fmt(t.value)} |`);
  console.log(lines.at(-1));
}
async function toggleOnePercent() {
  // 1 % of persons: living alone toggled (the register's import would do it), in one statement
  const t = await timed(() =>
    sql`update persons set living_alone = 1 - living_alone, updated_at = ${nowIso()} where id % 100 = ${Math.floor(rng() * 100)}`.execute(ctx.db),
  );
  console.log(`  (1 % of persons changed in ${secs(t.ms)}, not a figure)`);
}
const D0 = plusDays(asOf, -21);
console.log(`\n| refresh | on | wall s | CPU s | peak RSS | counts |\n|---|---|---|---|---|---|`);
await refresh('A first (everyone joins)', D0);
await refresh('B same day again (no change)', D0);
await toggleOnePercent();
await refresh('C a week later, 1 % changed', plusDays(D0, 7));
await refresh('D a week later, no change', plusDays(D0, 14));
await refresh('E today, no change', asOf);
await refresh('F today again', asOf);
if (ctx.handle.sqlite) ctx.handle.sqlite.exec('ANALYZE');
else await sql`analyze`.execute(ctx.db);

// -- 3. the overdue list of a town of about 50,000 elders, and the rate -----------------------------
const county = ctx.regions.counties()[0]!;
const admin = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
const countyScope: Scope = { ...systemScope(county.code, county.prefix, 'bench'), role: 'bureau_admin', userId: admin.id };
const towns = ctx.regions.all().filter((r) => r.level === 'town');
let best = towns[0]!;
let bestN = -1;
for (const t of towns) {
  const n = Number(
    (
      await ctx.db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('region_code', '>=', t.prefix)
        .where('region_code', '<', `${t.prefix}\uffff`)
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (bestN < 0 || Math.abs(n - 50_000) < Math.abs(bestN - 50_000)) {
    best = t;
    bestN = n;
  }
}
const townScope: Scope = { ...countyScope, regionCode: best.code, regionPrefix: best.prefix };
console.log(`\ntown: ${best.name} (${best.code}), ${int(bestN)} elders`);
const cases: { label: string; run: () => Promise<string> }[] = [
  {
    label: `overdue list, town, first page of 20 + total (audited)`,
    run: async () => `total ${int((await listOverdue(ctx, countyScope, { region: best.code, page: 1, pageSize: 20 })).total)}`,
  },
  {
    label: `overdue list, town, high-risk only`,
    run: async () => `total ${int((await listOverdue(ctx, countyScope, { region: best.code, highRisk: true, page: 1, pageSize: 20 })).total)}`,
  },
  {
    label: `overdue summary, town (by worker, by village)`,
    run: async () => `${(await overdueSummary(ctx, ctx.db, townScope)).byRegion.length} villages`,
  },
  {
    label: `visit rate, county, this month`,
    run: async () => {
      const r = await visitRate(ctx.db, countyScope, asOf.slice(0, 7), asOf);
      return `${int(r.done)} of ${int(r.due)}`;
    },
  },
];
console.log(`\n| read | p50 (s) | p95 (s) | max (s) | answer |\n|---|---|---|---|---|`);
for (const c of cases) {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i < RUNS; i++) {
    const t = await timed(c.run);
    times.push(t.ms / 1000);
    answer = t.value;
  }
  const s = [...times].sort((a, b) => a - b);
  console.log(`| ${c.label} | ${percentile(s, 50).toFixed(3)} | ${percentile(s, 95).toFixed(3)} | ${s.at(-1)!.toFixed(3)} | ${answer} |`);
}
console.log(`\npeak RSS ${mib(rss.stop().maxRss)}; load average at the end: ${load()}`);

await ctx.handle.close();
if (pgSchema && !values.keep) {
  const admin2 = new pg.Client({ connectionString: PG_URL });
  await admin2.connect();
  await admin2.query(`DROP SCHEMA ${pgSchema} CASCADE`);
  await admin2.end();
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
