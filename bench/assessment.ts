import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/database.js';
import type { NewPerson } from '../src/db/tables.js';
import { DEFAULT_SCHEDULE } from '../src/modules/assessment/assessment.settings.js';
import { coverage } from '../src/modules/assessment/coverage.js';
import { dueCounts, dueList } from '../src/modules/assessment/due.js';
import { nextDue, validUntil, addDays } from '../src/modules/assessment/schedule.js';
import { generateElders, mulberry32 } from '../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import type { AppContext } from '../src/platform/context.js';
import { systemScope, type Scope } from '../src/platform/scope.js';
import { ageOn, nowIso, today } from '../src/platform/time.js';
import { benchPersonRow, int, machine, mib, RssSampler, secs, sqliteContext, timed } from './util.js';

/**
 * Benchmark: the assessment schedule's reads over 1,000,000 elders and 1,000,000 assessments
 * (issue 15, Performance: due list and 80+ coverage ≤ 5 s on SQLite). The register and the
 * assessments are inserted directly (generateElders seed 7, as bench/entitlements.ts; not the
 * import path), each person's latest reviewed assessment written onto their row's capability
 * columns as register/capability.ts would. Then, several runs each, through the service functions
 * the routes call (audit entry included): the due list's first page with its total (county, one
 * town; all states and overdue only), the workbench's three due counts, and the 80+ coverage of
 * the county by town.
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL, in a schema of its own (dropped
 * after unless --keep).
 * Usage: npx tsx bench/assessment.ts [--elders 1000000] [--assessments 1000000] [--runs 5] [--keep]
 */
const { values } = parseArgs({
  options: { elders: { type: 'string' }, assessments: { type: 'string' }, runs: { type: 'string' }, keep: { type: 'boolean' } },
});
const ELDERS = Number(values.elders ?? 1_000_000);
const ASSESSMENTS = Number(values.assessments ?? ELDERS);
const RUNS = Number(values.runs ?? 5);
const SEED = 7;
const INSERT_TX = 20_000;
const PG_URL = process.env.DATABASE_URL;
const onPg = Boolean(PG_URL);

const rss = new RssSampler();
const asOf = today();
console.log(`# assessment schedule benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);

const dir = mkdtempSync(join(tmpdir(), 'yiyang-bench-assessment-'));
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

// -- 1. the register and the assessments, by direct inserts ---------------------------------------
await seedRegionsAndUsers(ctx);
const assessorIds = (await ctx.db.selectFrom('users').select(['id', 'role']).execute()).filter((u) => u.role === 'assessor').map((u) => u.id);
const s = DEFAULT_SCHEDULE;
const rng = mulberry32(20261130);
let assessments = 0;
let requests = 0;
let assignments = 0;
const build = await timed(async () => {
  const now = nowIso();
  let persons: NewPerson[] = [];
  let recs: Record<string, unknown>[] = [];
  let reqs: Record<string, unknown>[] = [];
  let asg: Record<string, unknown>[] = [];
  const flush = async () => {
    const [p, a, r, g] = [persons, recs, reqs, asg];
    persons = [];
    recs = [];
    reqs = [];
    asg = [];
    await ctx.db.transaction().execute(async (trx) => {
      await ctx.handle.insertMany(trx, 'persons', p);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench rows, typed by the table
      if (a.length) await ctx.handle.insertMany(trx, 'assessments', a as any);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (r.length) await ctx.handle.insertMany(trx, 'assessment_requests', r as any);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      if (g.length) await ctx.handle.insertMany(trx, 'assessment_assignments', g as any);
    });
  };
  let id = 0;
  for (const e of generateElders({ elders: ELDERS, seed: SEED, asOf })) {
    id++;
    const age = ageOn(e.birthDate, asOf);
    // 80+: most assessed, up to three times; younger: about half once (on request); stop at ASSESSMENTS
    const x = rng();
    let k = age >= 80 ? (x < 0.2 ? 0 : x < 0.45 ? 1 : x < 0.7 ? 2 : 3) : x < 0.3 ? 0 : x < 0.8 ? 1 : 2;
    k = Math.min(k, ASSESSMENTS - assessments);
    let latest: { level: string; on: string; due: string; until: string; id: number } | null = null;
    // the latest reference date within the last 15 months, earlier ones a year apart
    const last = addDays(asOf, -Math.floor(rng() * 450));
    for (let i = k - 1; i >= 0; i--) {
      const ref = addDays(last, -365 * i);
      if (ref <= e.birthDate) continue;
      assessments++;
      const level = ['intact', 'mild', 'moderate', 'severe', 'complete'][Math.floor(rng() * 5)]!;
      const due = nextDue(e.birthDate, ref, s);
      const a1 = assessorIds[Math.floor(rng() * assessorIds.length)] ?? 1;
      recs.push({
        client_id: `bench-${assessments}`,
        person_id: id,
        region_code: e.regionCode,
        version: 1,
        instrument_version: 'GB/T 42195-2022',
        reference_date: ref,
        place: 'home',
        reason: i === k - 1 ? 'first' : 'periodic',
        status: 'reviewed',
        supersedes_id: null,
        correction_reason: null,
        assessor1_id: a1,
        assessor2_id: null,
        cosigned_at: now,
        submitted_at: now,
        reviewer_id: null,
        reviewed_at: now,
        review_note: null,
        content_enc: 'bench-placeholder',
        signatures_enc: null,
        subtotals: '{}',
        total: 60,
        answered: 26,
        preliminary_level: level,
        final_level: level,
        adjustments: '[]',
        next_due: due,
        valid_until: validUntil(due, s),
        verify_code: null,
        created_by: a1,
        created_at: now,
        updated_by: a1,
        updated_at: now,
      });
      latest = { level, on: ref, due, until: validUntil(due, s), id: assessments };
    }
    // every row with the same columns (PostgreSQL's multi-row inserts)
    const capability = {
      capability_level: latest?.level ?? null,
      capability_on: latest?.on ?? null,
      capability_due: latest?.due ?? null,
      capability_until: latest?.until ?? null,
      capability_assessment_id: latest?.id ?? null,
    };
    persons.push(benchPersonRow(e, now, capability as Partial<NewPerson>));
    const y = rng();
    if (y < 0.002) {
      requests++;
      reqs.push({
        person_id: id,
        region_code: e.regionCode,
        reason: 'change',
        note: 'bench',
        requested_by: 1,
        requested_at: now,
        closed_at: null,
        assessment_id: null,
      });
    } else if (age >= 80 && y < 0.2 && assessorIds.length) {
      assignments++;
      asg.push({
        person_id: id,
        region_code: e.regionCode,
        assessor_id: assessorIds[0]!,
        note: null,
        assigned_by: 1,
        assigned_at: now,
        ended_by: null,
        ended_at: null,
      });
    }
    if (persons.length >= INSERT_TX) await flush();
  }
  if (persons.length) await flush();
});
console.log(
  `\nbuilt: ${int(ELDERS)} persons (generateElders seed ${SEED}, asOf ${asOf}), ${int(assessments)} reviewed assessments, ${int(requests)} open requests, ${int(assignments)} open assignments`,
);
console.log(`  inserted directly in transactions of ${int(INSERT_TX)} persons in ${secs(build.ms)} (not a figure); peak RSS ${mib(rss.phase())}`);
if (ctx.handle.sqlite) ctx.handle.sqlite.exec('ANALYZE');
else await sql`analyze`.execute(ctx.db);

// -- 2. the reads ----------------------------------------------------------------------------------
const county = ctx.regions.counties()[0]!;
const town = ctx.regions.all().find((r) => r.level === 'town')!;
const admin = await ctx.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
const countyScope: Scope = { ...systemScope(county.code, county.prefix, 'bench'), role: 'bureau_admin', userId: admin.id };
const townScope: Scope = { ...countyScope, regionCode: town.code, regionPrefix: town.prefix };

const cases: { label: string; run: () => Promise<string> }[] = [
  {
    label: `due list, county (${county.name}), all states, first page of 20 + total`,
    run: async () => `total ${int((await dueList(ctx, countyScope, { page: 1, pageSize: 20, state: 'all' })).total)}`,
  },
  {
    label: `due list, county, overdue only, first page + total`,
    run: async () => `total ${int((await dueList(ctx, countyScope, { page: 1, pageSize: 20, state: 'overdue' })).total)}`,
  },
  {
    label: `due list, county, page 50 (offset 980)`,
    run: async () => `total ${int((await dueList(ctx, countyScope, { page: 50, pageSize: 20, state: 'all' })).total)}`,
  },
  {
    label: `due list, one town (${town.name}), all states, first page + total`,
    run: async () => `total ${int((await dueList(ctx, townScope, { page: 1, pageSize: 20, state: 'all' })).total)}`,
  },
  {
    label: `due list, county, unassigned only, first page + total`,
    run: async () => `total ${int((await dueList(ctx, countyScope, { page: 1, pageSize: 20, state: 'all', unassigned: 'true' })).total)}`,
  },
  {
    label: `workbench due counts, county (overdue, due soon, requested)`,
    run: async () => {
      const c = await dueCounts(ctx, ctx.db, countyScope);
      return `${int(c.overdue)} / ${int(c.dueSoon)} / ${int(c.requested)}`;
    },
  },
  {
    label: `80+ coverage, county by town`,
    run: async () => {
      const c = await coverage(ctx, countyScope, {});
      return `${int(c.region.covered)} of ${int(c.region.older)} (${((c.region.rate ?? 0) * 100).toFixed(1)} %), ${c.children.length} towns`;
    },
  },
  {
    label: `80+ coverage, one town by village`,
    run: async () => {
      const c = await coverage(ctx, countyScope, { regionCode: town.code });
      return `${int(c.region.covered)} of ${int(c.region.older)}, ${c.children.length} villages`;
    },
  },
];

console.log(`\n| read | runs (s) | min–max (s) | answer |\n|---|---|---|---|`);
for (const c of cases) {
  const times: number[] = [];
  let answer = '';
  for (let i = 0; i < RUNS; i++) {
    const t = await timed(c.run);
    times.push(t.ms);
    answer = t.value;
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `| ${c.label} | ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} | ${(sorted[0]! / 1000).toFixed(2)}–${(sorted.at(-1)! / 1000).toFixed(2)} | ${answer} |`,
  );
}
console.log(`\npeak RSS ${mib(rss.stop().maxRss)}`);

await ctx.handle.close();
if (pgSchema && !values.keep) {
  const admin2 = new pg.Client({ connectionString: PG_URL });
  await admin2.connect();
  await admin2.query(`DROP SCHEMA ${pgSchema} CASCADE`);
  await admin2.end();
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept ${dir}`);
