import { parseArgs } from 'node:util';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { failingFacilities, facilityChecks } from '../src/modules/facilities/checks.js';
import { admitResident, freeBeds } from '../src/modules/facilities/directory.js';
import { publicFacilities } from '../src/modules/facilities/public.js';
import { systemScope } from '../src/platform/scope.js';
import { nowIso } from '../src/platform/time.js';
import { int, machine, mib, RssSampler, secs, timed, benchDatabase, loadLine } from './util.js';
import type { AppContext } from '../src/platform/context.js';

/**
 * Benchmark: facilities of a large county (issue 19, R8). Built by direct inserts: --institutions
 * institutions (default 400) of 100 beds each (80 nursing, 10 dementia, 10 ordinary), 1,600 other
 * facilities, 80 residents in each institution (persons with assessed levels spread over the five
 * GB/T 42195 levels; half the institutions 特困供养机构), and a roster of 12 per institution. Then:
 *   checks    facilityChecks of one institution (beds, stays, the residents' assessed disablement
 *             through the catalogue's person facts, roster), --runs times;
 *   failing   the bureau's list of failing facilities (every check of every facility of the county);
 *   map       the public map of the whole county (every active facility with beds and free beds);
 *   admit     --admissions admissions through admitResident one after another (each its own
 *             transaction, with its pause of home-based items and audit entry), and the same number
 *             of concurrent attempts, two at a time on the same bed (one must be refused).
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL in a schema of its own, dropped after.
 * Usage: npx tsx bench/facilities.ts [--institutions 400] [--runs 20] [--admissions 500]
 */
const { values } = parseArgs({
  options: { institutions: { type: 'string' }, runs: { type: 'string' }, admissions: { type: 'string' }, keep: { type: 'boolean' } },
});
const INSTITUTIONS = Number(values.institutions ?? 400);
const OTHERS = 4 * INSTITUTIONS;
const RUNS = Number(values.runs ?? 20);
const ADMISSIONS = Number(values.admissions ?? 500);
const BEDS = 100;
const RESIDENTS = 80;
const STAFF = 12;
const TX = 5_000;
const PG_URL = process.env.DATABASE_URL;

const rss = new RssSampler();
console.log(`# facilities benchmark — ${new Date().toISOString()} — ${PG_URL ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
console.log(`load average (1, 5, 15 min): ${loadLine()}`);

const { ctx, close } = await benchDatabase('facilities');
await seedRegionsAndUsers(ctx);
const j = ctx.regions.counties()[0]!;
const scope = systemScope(j.code, j.prefix, 'bench');
const villages = ctx.regions.all().filter((r) => r.level === 'village' && r.code.startsWith(j.prefix));
const now = nowIso();
let state = 19;
const rnd = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const LEVELS = ['intact', 'mild', 'moderate', 'severe', 'complete'];

const insert = (table: Parameters<AppContext['handle']['insertMany']>[1], rows: unknown[]) =>
  ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, table, rows as never));
async function inBatches<T>(total: number, make: (i: number) => T, table: Parameters<AppContext['handle']['insertMany']>[1]) {
  for (let i = 0; i < total; i += TX) {
    const rows: T[] = [];
    for (let k = i; k < Math.min(total, i + TX); k++) rows.push(make(k));
    await insert(table, rows);
  }
}

const persons = INSTITUTIONS * RESIDENTS + 3 * ADMISSIONS + 10;
const build = await timed(async () => {
  await inBatches(
    persons,
    (i) => {
      const level = LEVELS[Math.floor(rnd() * 5)]!;
      return {
        id_hash: `bench-${i}`,
        id_enc: 'x',
        id_masked: '990101********0000',
        name: `基准老人${i}`,
        sex: i % 2 ? 'F' : 'M',
        birth_date: '1940-01-01',
        region_code: villages[i % villages.length]!.code,
        hukou_local: 1,
        phone_enc: null,
        phone_masked: null,
        status: 'active',
        closed_on: null,
        hardship: i % 7 === 0 ? 'tekun_concentrated' : 'none',
        provenance: '{}',
        created_at: now,
        updated_at: now,
        capability_level: level,
        capability_on: '2026-01-01',
        capability_until: '2099-12-31',
      };
    },
    'persons',
  );
  await inBatches(
    INSTITUTIONS + OTHERS,
    (i) => ({
      name: `基准设施${i}`,
      kind: i < INSTITUTIONS ? 'institution' : ['day_care', 'community_station', 'canteen', 'regional_centre'][i % 4]!,
      ownership: i % 3 === 0 ? 'public' : 'private',
      region_code: villages[i % villages.length]!.code,
      address: '基准路',
      lat: 30 + rnd(),
      lng: 120 + rnd(),
      grade: i < INSTITUTIONS ? String(1 + (i % 5)) : null,
      government_work: i % 2,
      provider_id: null,
      hardship_home: i < INSTITUTIONS && i % 2 === 0 ? 1 : 0,
      active: 1,
      created_at: now,
      updated_at: now,
    }),
    'facilities',
  );
  const ids = (await ctx.db.selectFrom('facilities').select('id').where('kind', '=', 'institution').orderBy('id').execute()).map((r) => r.id);
  await inBatches(
    INSTITUTIONS * BEDS,
    (i) => ({
      facility_id: ids[Math.floor(i / BEDS)]!,
      label: `B-${i % BEDS}`,
      type: i % BEDS < 80 ? 'nursing' : i % BEDS < 90 ? 'dementia' : 'ordinary',
      added_on: '2025-01-01',
      retired_on: null,
    }),
    'facility_beds',
  );
  const beds = await ctx.db.selectFrom('facility_beds').select(['id', 'facility_id']).orderBy('id').execute();
  const firstPerson = (await ctx.db.selectFrom('persons').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
  await inBatches(
    INSTITUTIONS * RESIDENTS,
    (i) => {
      const bed = beds[Math.floor(i / RESIDENTS) * BEDS + (i % RESIDENTS)]!;
      return {
        facility_id: bed.facility_id,
        bed_id: bed.id,
        person_id: firstPerson + i,
        region_code: villages[i % villages.length]!.code,
        since: '2026-01-01',
        until_date: null,
        began: 'admission',
        source: 'direct',
        application_id: null,
        ended: null,
        note: null,
        created_at: now,
      };
    },
    'facility_stays',
  );
  await inBatches(
    INSTITUTIONS * STAFF,
    (i) => ({
      facility_id: ids[Math.floor(i / STAFF)]!,
      name: `员工${i}`,
      role: i % STAFF < 9 ? 'caregiver' : i % STAFF === 9 ? 'social_worker' : 'nurse',
      employment: i % 5 === 0 ? 'part_time' : 'full_time',
      fte_pct: i % 5 === 0 ? 50 : 100,
      certificates: '[]',
      started_on: '2024-01-01',
      ended_on: null,
      created_at: now,
      updated_at: now,
    }),
    'facility_staff',
  );
  return { ids, firstFree: firstPerson + INSTITUTIONS * RESIDENTS };
});
console.log(
  `built: ${int(persons)} persons, ${int(INSTITUTIONS + OTHERS)} facilities (${int(INSTITUTIONS)} institutions), ${int(INSTITUTIONS * BEDS)} beds, ${int(INSTITUTIONS * RESIDENTS)} residents, ${int(INSTITUTIONS * STAFF)} staff in ${secs(build.ms)}`,
);
const { ids } = build.value;
let nextPerson = build.value.firstFree;

const per: number[] = [];
for (let r = 0; r < RUNS; r++) per.push((await timed(() => facilityChecks(ctx.db, ctx, ids[r % ids.length]!))).ms);
per.sort((a, b) => a - b);
console.log(
  `checks   one institution (80 residents, 100 beds, 12 staff): median ${per[Math.floor(per.length / 2)]!.toFixed(1)} ms, max ${per.at(-1)!.toFixed(1)} ms over ${RUNS}`,
);

const failing = await timed(() => failingFacilities(ctx, scope));
console.log(`failing  every check of ${int(INSTITUTIONS + OTHERS)} facilities: ${secs(failing.ms)}, ${int(failing.value.length)} failing`);

const map = await timed(() => publicFacilities(ctx, {}));
console.log(`map      the county's public map: ${map.ms.toFixed(0)} ms, ${int(map.value.items.length)} facilities`);

// admissions one after another, into the free beds (20 a facility)
const targets: { facilityId: number; bedId: number }[] = [];
for (const id of ids) {
  for (const b of await freeBeds(ctx.db, id)) targets.push({ facilityId: id, bedId: b.bedId });
  if (targets.length >= 2 * ADMISSIONS) break;
}
const seq = await timed(async () => {
  for (let i = 0; i < ADMISSIONS; i++)
    await ctx.db.transaction().execute((trx) => admitResident(trx, scope, { ...targets[i]!, personId: nextPerson++, on: '2026-11-01', source: 'direct' }));
});
console.log(
  `admit    ${int(ADMISSIONS)} admissions one after another: ${secs(seq.ms)} (${(seq.ms / ADMISSIONS).toFixed(1)} ms each, pause and audit included)`,
);

let refused = 0;
let admitted = 0;
const race = await timed(async () => {
  for (let i = ADMISSIONS; i < Math.min(2 * ADMISSIONS, targets.length); i++) {
    const a = nextPerson++;
    const b = nextPerson++;
    const both = await Promise.allSettled(
      [a, b].map((personId) =>
        ctx.db.transaction().execute((trx) => admitResident(trx, scope, { ...targets[i]!, personId, on: '2026-11-01', source: 'queue' })),
      ),
    );
    admitted += both.filter((x) => x.status === 'fulfilled').length;
    refused += both.filter((x) => x.status === 'rejected' && (x.reason as { code?: string }).code === 'FACILITY_BED_TAKEN').length;
  }
});
console.log(
  `race     ${int(admitted + refused)} concurrent attempts on ${int(admitted)} beds: ${int(admitted)} admitted, ${int(refused)} refused FACILITY_BED_TAKEN, ${secs(race.ms)}`,
);
console.log(`peak RSS ${mib(rss.stop().maxRss)}`);

await close(Boolean(values.keep));
