import { parseArgs } from 'node:util';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { computeRatings, scoreTargets, windowOf } from '../src/modules/supervision/ratings.js';
import { supervisionSettingsOf } from '../src/modules/supervision/supervision.settings.js';
import { systemScope } from '../src/platform/scope.js';
import { nowIso } from '../src/platform/time.js';
import { int, machine, mib, RssSampler, secs, timed, benchDatabase, loadLine } from './util.js';
import type { AppContext } from '../src/platform/context.js';

/**
 * Benchmark: credit scores for 10,000 facilities and providers from 1,000,000 events (issue 19,
 * target ≤ 10 s). Built by direct inserts (not figures): 7,000 facilities and 3,000 home-service
 * providers in the jurisdiction; over the year before the day of computation, 400,000 checklist
 * answers of 40,000 signed-off inspections (about 8 % failed, severities mixed), 250,000 complaints
 * (a third substantiated, some overdue), 200,000 service anomalies of providers (a third upheld)
 * and 150,000 answered satisfaction-survey calls. Then, `--runs` times each:
 *   score   supervision/ratings.ts scoreTargets alone: the four signals (findings here, complaints'
 *           complaintCountsByTarget and satisfactionByTarget, services' upheldAnomalyCountsByProvider)
 *           read once each over the window, and rate() per target, no writes;
 *   compute computeRatings as the route runs it: the target pool (facilities' listFacilities,
 *           services' providerSummaries, the latest grades), scoring, 10,000 rating rows written
 *           with their explanations, one audit entry, in one transaction.
 * The day of computation is --on (default 2026-12-01). With DATABASE_URL set (postgres://…) the
 * same on PostgreSQL in a schema of its own (dropped after unless --keep).
 * Usage: npx tsx bench/credit-scores.ts [--runs 3] [--on 2026-12-01] [--keep]
 */
const { values } = parseArgs({ options: { runs: { type: 'string' }, on: { type: 'string' }, keep: { type: 'boolean' } } });
const RUNS = Number(values.runs ?? 3);
const ON = values.on ?? '2026-12-01';
const PG_URL = process.env.DATABASE_URL;
const onPg = Boolean(PG_URL);
const FACILITIES = 7_000;
const PROVIDERS = 3_000;
const INSPECTIONS = 40_000;
const ITEMS_EACH = 10;
const COMPLAINTS = 250_000;
const ANOMALIES = 200_000;
const SURVEYS = 150_000;
const TX = 10_000;

const rss = new RssSampler();
console.log(`# credit scores benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
const load = loadLine;
console.log(`load average (1, 5, 15 min): ${load()}`);

const { ctx, close } = await benchDatabase('credit');

await seedRegionsAndUsers(ctx);
const j = ctx.regions.counties()[0]!;
const scope = systemScope(j.code, j.prefix, 'bench');
const towns = ctx.regions.all().filter((r) => r.level === 'town' && r.code.startsWith(j.prefix));
const now = nowIso();
// a deterministic stream, so that every run builds the same data
let state = 2026;
const rnd = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = (n: number) => Math.floor(rnd() * n);
const dayIn = (): string => windowOf(ON, 1 + pick(365)).from;

async function inBatches<T>(total: number, make: (i: number) => T, write: (rows: T[]) => Promise<unknown>) {
  for (let i = 0; i < total; i += TX) {
    const rows: T[] = [];
    for (let k = i; k < Math.min(total, i + TX); k++) rows.push(make(k));
    await write(rows);
  }
}
const insert = (table: Parameters<AppContext['handle']['insertMany']>[1]) => (rows: unknown[]) =>
  ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, table, rows as never));

const build = await timed(async () => {
  await inBatches(
    FACILITIES,
    (i) => ({
      name: `基准机构${i}`,
      kind: i % 5 === 0 ? 'day_care' : 'institution',
      ownership: 'private',
      region_code: towns[i % towns.length]!.code,
      address: '基准路',
      lat: null,
      lng: null,
      grade: null,
      government_work: 0,
      provider_id: null,
      hardship_home: 0,
      active: 1,
      created_at: now,
      updated_at: now,
    }),
    insert('facilities'),
  );
  await inBatches(
    PROVIDERS,
    (i) => ({
      name: `基准服务商${i}`,
      jurisdiction: j.code,
      region_code: towns[i % towns.length]!.code,
      kind: 'home_service',
      credit_code: null,
      contact_phone_enc: null,
      contact_name: null,
      active: 1,
      created_by: 0,
      created_at: now,
    }),
    insert('service_providers'),
  );
  const fac = (await ctx.db.selectFrom('facilities').select('id').execute()).map((r) => r.id);
  const prov = (await ctx.db.selectFrom('service_providers').select('id').execute()).map((r) => r.id);
  const target = (i: number) => (i % 10 < 7 ? { kind: 'facility', id: fac[i % fac.length]! } : { kind: 'provider', id: prov[i % prov.length]! });
  const dates: string[] = [];
  await inBatches(
    INSPECTIONS,
    (i) => {
      const t = target(pick(1_000_000));
      dates[i] = dayIn();
      return {
        round_id: null,
        target_key: `${t.kind}:${t.id}`,
        target_name: 'x',
        region_code: towns[i % towns.length]!.code,
        checklist_key: 'comprehensive',
        inspectors: '[]',
        status: 'signed_off',
        findings: null,
        rectification_due: null,
        follow_up_note: null,
        followed_up_on: null,
        inspected_on: dates[i]!,
        submitted_by: null,
        submitted_at: now,
        signed_off_by: null,
        signed_off_at: now,
        created_by: 0,
        created_at: now,
      };
    },
    insert('supervision_inspections'),
  );
  const inspections = await ctx.db.selectFrom('supervision_inspections').select(['id', 'target_key', 'inspected_on']).orderBy('id').execute();
  const severities = ['minor', 'minor', 'major', 'serious'];
  await inBatches(
    INSPECTIONS * ITEMS_EACH,
    (k) => {
      const s = inspections[Math.floor(k / ITEMS_EACH)]!;
      const fail = rnd() < 0.08;
      return {
        inspection_id: s.id,
        target_key: s.target_key,
        item_key: `item_${k % ITEMS_EACH}`,
        result: fail ? 'fail' : 'pass',
        severity: fail ? severities[pick(4)]! : null,
        note: null,
        on_date: s.inspected_on!,
      };
    },
    insert('supervision_items'),
  );
  await inBatches(
    COMPLAINTS,
    (i) => {
      const t = target(pick(1_000_000));
      const on = dayIn();
      const late = rnd() < 0.1;
      return {
        tracking_hash: `bench-${i}`,
        source: 'bench',
        source_id: i,
        target_kind: t.kind,
        target_id: t.id,
        target_name: null,
        category: 'service_quality',
        text_enc: 'x',
        happened_on: null,
        contact_name_enc: null,
        contact_phone_enc: null,
        region_code: j.code,
        status: 'closed',
        received_at: `${on}T02:00:00.000Z`,
        received_on: on,
        due_on: windowOf(on, -14).from,
        deadline_days: 15,
        unit_code: j.code,
        officer_id: null,
        reply_enc: null,
        replied_at: null,
        replied_on: late ? windowOf(on, -29).from : on,
        substantiated: rnd() < 0.33 ? 'yes' : 'no',
        closed_at: now,
        escalated_on: null,
        updated_at: now,
      };
    },
    insert('complaints'),
  );
  await inBatches(
    ANOMALIES,
    (i) => ({
      order_id: i + 1,
      provider_id: prov[pick(prov.length)]!,
      region_code: j.code,
      code: 'too_short',
      detail: '{}',
      status: rnd() < 0.33 ? 'rejected' : 'accepted',
      resolution_code: null,
      resolution_note: null,
      resolved_by: null,
      resolved_at: null,
      reviewed_by: null,
      reviewed_at: null,
      review_note: null,
      raised_at: `${dayIn()}T03:00:00.000Z`,
    }),
    insert('service_anomalies'),
  );
  const { id: drawId } = await ctx.db
    .insertInto('survey_draws')
    .values({ period: '2026-11', region_prefix: j.prefix, seed: 'bench', params: '{}', drawn_by: null, drawn_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await inBatches(
    SURVEYS,
    (i) => {
      const t = target(pick(1_000_000));
      const on = dayIn();
      return {
        draw_id: drawId,
        event_id: i + 1,
        person_id: 1,
        region_code: j.code,
        target_kind: t.kind,
        target_id: t.id,
        served_on: on,
        status: 'answered',
        answers: null,
        given: 'yes',
        percent: 50 + pick(51),
        note_enc: null,
        complaint_id: null,
        answered_by: null,
        answered_at: now,
        answered_on: on,
        via: 'phone',
      };
    },
    insert('survey_calls'),
  );
  return fac.length + prov.length;
});
const events = INSPECTIONS * ITEMS_EACH + COMPLAINTS + ANOMALIES + SURVEYS;
console.log(`built ${int(build.value)} targets and ${int(events)} events in ${secs(build.ms)} (not a figure)`);

const formula = supervisionSettingsOf(ctx, ctx.regions.counties()[0]!.code).formula;
const keys = [
  ...(await ctx.db.selectFrom('facilities').select('id').execute()).map((r) => `facility:${r.id}`),
  ...(await ctx.db.selectFrom('service_providers').select('id').execute()).map((r) => `provider:${r.id}`),
];
async function figure(label: string, fn: () => Promise<string>) {
  const cpu0 = process.cpuUsage();
  const t = await timed(fn);
  const cpu = process.cpuUsage(cpu0);
  console.log(`| ${label} | ${(t.ms / 1000).toFixed(2)} | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} | ${mib(process.memoryUsage().rss)} | ${t.value} |`);
}
console.log(`\n| phase | wall s | CPU s (this process) | RSS | result |\n|---|---|---|---|---|`);
for (let i = 1; i <= RUNS; i++) {
  await figure(`score only, run ${i}`, async () => {
    const scores = await scoreTargets(ctx.db, formula, keys, windowOf(ON, formula.windowDays));
    const grades: Record<string, number> = {};
    for (const x of scores.values()) grades[x.grade] = (grades[x.grade] ?? 0) + 1;
    return `${int(scores.size)} scored; ${Object.entries(grades)
      .sort()
      .map(([g, n]) => `${g} ${int(n)}`)
      .join(', ')}`;
  });
}
for (let i = 1; i <= RUNS; i++) {
  await figure(`compute and store, run ${i}`, async () => {
    const r = await computeRatings(ctx, scope, ON);
    return `${int(r.computed)} ratings written`;
  });
}

const { sampledPeak, maxRss } = rss.stop();
console.log(`\npeak RSS sampled ${mib(sampledPeak)}, max RSS ${mib(maxRss)}; load average at the end: ${load()}`);
await close(Boolean(values.keep));
