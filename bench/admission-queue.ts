import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { NewPerson } from '../src/db/tables.js';
import { applyFor } from '../src/modules/admission/applications.js';
import { admissionSettingsOf } from '../src/modules/admission/admission.settings.js';
import { placeQueue, requeue } from '../src/modules/admission/queue.js';
import { compileRanking } from '../src/modules/admission/ranking.js';
import { generateElders } from '../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { systemScope } from '../src/platform/scope.js';
import { nowIso, today } from '../src/platform/time.js';
import { benchPersonRow, int, machine, mib, RssSampler, secs, timed, benchDatabase, loadLine } from './util.js';

/**
 * Benchmark: ranking an admission queue of 100,000 applications (issue 19, target ≤ 2 s). The worst
 * case: every application in one queue (one public institution, ordinary beds), so a ranking reads
 * 100,000 persons' facts, places each by the tier rules and sorts them. The register (generateElders
 * seed 7) and the applications are inserted directly (not figures). Then, `--runs` times each:
 *   rank    the ranking alone, no writes (admission/queue.ts placeQueue: the applications, the
 *           persons' facts through the register's personColumns, the rules, the sort);
 *   steady  the daily refresh with nothing changed (requeue 'refresh': rank, compare, write nothing);
 * and once each:
 *   first   the first ranking: 100,000 positions written and 100,000 change rows ("joined");
 *   arrival a 特困 applicant arrives at the top (applyFor, as the route): all 100,000 move back one,
 *           100,000 positions and change rows written in the arrival's transaction.
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL, in a schema of its own (dropped after
 * unless --keep).
 * Usage: npx tsx bench/admission-queue.ts [--applications 100000] [--runs 3] [--keep]
 */
const { values } = parseArgs({ options: { applications: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } } });
const N = Number(values.applications ?? 100_000);
const RUNS = Number(values.runs ?? 3);
const PG_URL = process.env.DATABASE_URL;
const onPg = Boolean(PG_URL);
const TX = 20_000;

const rss = new RssSampler();
console.log(`# admission queue benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
const load = loadLine;
console.log(`load average (1, 5, 15 min): ${load()}`);

const { ctx, close } = await benchDatabase('admission');

// -- 1. the register, one public institution, the applications (direct inserts, not figures) ------
await seedRegionsAndUsers(ctx);
const asOf = today();
const j = ctx.regions.counties()[0]!;
const scope = systemScope(j.code, j.prefix, 'bench');
const build = await timed(async () => {
  const now = nowIso();
  let persons: NewPerson[] = [];
  const flush = async () => {
    const p = persons;
    persons = [];
    await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'persons', p));
  };
  // the tekun applicant who arrives last is kept out of the queue
  for (const e of generateElders({ elders: N + 1, seed: 7, asOf })) {
    persons.push(benchPersonRow(e, now));
    if (persons.length >= TX) await flush();
  }
  if (persons.length) await flush();
  const { id: facilityId } = await ctx.db
    .insertInto('facilities')
    .values({
      name: '县社会福利中心',
      kind: 'institution',
      ownership: 'public',
      region_code: j.code,
      address: '福利路 8 号',
      lat: null,
      lng: null,
      grade: null,
      government_work: 1,
      provider_id: null,
      hardship_home: 0,
      active: 1,
      created_at: now,
      updated_at: now,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids = (await ctx.db.selectFrom('persons').select(['id', 'region_code']).orderBy('id').limit(N).execute()) as { id: number; region_code: string }[];
  for (let i = 0; i < ids.length; i += TX) {
    const rows = ids.slice(i, i + TX).map((p, k) => ({
      person_id: p.id,
      facility_id: facilityId,
      region_code: p.region_code,
      bed_type: 'ordinary',
      applied_on: `202${4 + ((i + k) % 3)}-${String(1 + ((i + k) % 12)).padStart(2, '0')}-${String(1 + ((i + k) % 28)).padStart(2, '0')}`,
      queue_on: '',
      status: 'waiting',
      code_hash: `bench-${i + k}`,
      tier: null,
      tier_key: null,
      preferred: 0,
      position: null,
      declines: 0,
      closed_on: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    }));
    for (const r of rows) r.queue_on = r.applied_on;
    await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'admission_applications', rows));
  }
  return facilityId;
});
const facilityId = build.value;
const last = await ctx.db.selectFrom('persons').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
await ctx.db.updateTable('persons').set({ hardship: 'tekun_dispersed' }).where('id', '=', last.id).execute();
console.log(`\nbuilt: ${int(N)} persons and ${int(N)} applications in one queue in ${secs(build.ms)} (not a figure); peak RSS ${mib(rss.phase())}`);
if (ctx.handle.sqlite) ctx.handle.sqlite.exec('ANALYZE');
else await sql`analyze`.execute(ctx.db);

const settings = admissionSettingsOf(ctx, ctx.regions.counties()[0]!.code);
const ranking = compileRanking(settings);
const rows: string[] = [];
async function figure(label: string, fn: () => Promise<string>) {
  rss.phase();
  const cpu = process.cpuUsage();
  const t = await timed(fn);
  const used = process.cpuUsage(cpu);
  rows.push(`| ${label} | ${(t.ms / 1000).toFixed(2)} | ${((used.user + used.system) / 1e6).toFixed(2)} | ${mib(rss.phase())} | ${t.value} |`);
  console.log(rows.at(-1));
}
const tierCounts = (placed: { tier: number | null }[]) => {
  const c = new Map<string, number>();
  for (const p of placed) c.set(String(p.tier === null ? '-' : p.tier + 1), (c.get(String(p.tier === null ? '-' : p.tier + 1)) ?? 0) + 1);
  return [...c.entries()]
    .sort()
    .map(([k, v]) => `${k}:${int(v)}`)
    .join(' ');
};

console.log(`\n| phase | wall s | CPU s | peak RSS | result |\n|---|---|---|---|---|`);
await figure('first ranking (all positions written)', async () => {
  const r = await ctx.db.transaction().execute((trx) => requeue(ctx, trx, scope, facilityId, 'ordinary', { cause: 'refresh' }));
  return `${int(r.open)} open, ${int(r.moved)} moved`;
});
for (let i = 1; i <= RUNS; i++) {
  await figure(`rank only, run ${i}`, async () => {
    const placed = await placeQueue(ctx, ctx.db, ranking, settings, facilityId, 'ordinary');
    return `${int(placed.length)} placed; tiers ${tierCounts(placed)}`;
  });
}
for (let i = 1; i <= RUNS; i++) {
  await figure(`daily refresh, nothing changed, run ${i}`, async () => {
    const r = await ctx.db.transaction().execute((trx) => requeue(ctx, trx, scope, facilityId, 'ordinary', { cause: 'refresh' }));
    return `${int(r.open)} open, ${int(r.moved)} moved`;
  });
}
await figure('a 特困 arrival at the top (everyone moves)', async () => {
  const a = await applyFor(ctx, scope, { personId: last.id, facilityId, bedType: 'ordinary' });
  const moved = await ctx.db
    .selectFrom('admission_position_changes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cause', '=', 'arrived')
    .executeTakeFirstOrThrow();
  return `placed at ${a.application.position}; ${int(Number(moved.n))} moved back one`;
});

const { sampledPeak, maxRss } = rss.stop();
console.log(`\npeak RSS sampled ${mib(sampledPeak)}, max RSS ${mib(maxRss)}; load average at the end: ${load()}`);
await close(Boolean(values.keep));
