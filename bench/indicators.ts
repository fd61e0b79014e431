import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { DEMO_COUNTY } from '../src/modules/demo/regions.js';
import { defaultRegistry, spanOf } from '../src/modules/indicators/engine.js';
import { lastRefresh, refreshIndicators } from '../src/modules/indicators/refresh.js';
import { previousPeriod, today } from '../src/platform/time.js';
import { call, loginAs, type Session } from '../src/testing/http.js';
import { applyDayChanges, generateIndicatorData } from './indicators-data.js';
import { benchDatabase, int, loadLine, machine, mib, percentile, RssSampler, secs, timed } from './util.js';

/**
 * Benchmark: the indicators (issue 20). Targets: the full indicator set over 1,000,000 elders and
 * 10,000,000 verified events computed ≤ 5 s, refreshed incrementally after a day's changes ≤ 1 s;
 * dashboard API p95 < 300 ms; each drill-down level p95 < 1 s. Prints figures, asserts nothing.
 *
 * The data (bench/indicators-data.ts, not a figure) is as of `--on` (default: the 20th of last
 * month, so the month has 19 days of events behind it); the engine runs with its clock on that day.
 *   full         refreshIndicators({ full: true }) of the month, `--runs` times;
 *   incremental  `--runs` days: a day's changes (27,000 events, 3,000 register edits, 300
 *                assessments; applyDayChanges, stamped now), then refreshIndicators with the clock a
 *                day on (birthdays crossing 80, assessments lapsing), then a full recompute of the
 *                same day: its values must equal the incremental's (OK/DIFF), and its time is
 *                another full figure;
 *   dashboard    GET /api/indicators (the county and every town) and GET /api/indicators/:key/regions
 *                (county and towns, every indicator in turn) through app.inject as the county bureau's
 *                admin (a real session: login, cookie, access check, zod serialisation);
 *   drill-down   per level, a person indicator (the 80+ assessment coverage): county → its towns
 *                (/:key/regions), a town → its villages, a village (/api/indicators?region=),
 *                the members page of a village's gap, and of the county's gap (deep pages).
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL, in a schema of its own.
 * Usage: npx tsx bench/indicators.ts [--elders 1000000] [--events 10000000] [--small] [--runs 3]
 *        [--requests 200] [--drill 100] [--on YYYY-MM-DD] [--keep]
 */
const { values } = parseArgs({
  options: {
    elders: { type: 'string' },
    events: { type: 'string' },
    small: { type: 'boolean' },
    runs: { type: 'string' },
    requests: { type: 'string' },
    drill: { type: 'string' },
    on: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const ELDERS = Number(values.elders ?? (values.small ? 100_000 : 1_000_000));
const EVENTS = Number(values.events ?? (values.small ? 1_000_000 : 10_000_000));
const RUNS = Number(values.runs ?? 3);
const REQUESTS = Number(values.requests ?? 200);
const DRILL = Number(values.drill ?? 100);
const ON = values.on ?? `${previousPeriod(today().slice(0, 7))}-20`;
const MONTH = ON.slice(0, 7);
const onPg = Boolean(process.env.DATABASE_URL);

const rss = new RssSampler();
console.log(`# indicators benchmark — ${new Date().toISOString()} — ${onPg ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
console.log(`load average (1, 5, 15 min): ${loadLine()}`);
console.log(`size: ${int(ELDERS)} elders, ${int(EVENTS)} events; data as of ${ON} (month ${MONTH}); ${RUNS} runs`);

const { ctx, close } = await benchDatabase('indicators');
const gen = await generateIndicatorData(ctx, { elders: ELDERS, events: EVENTS, seed: 20, on: ON });
console.log(`\ngenerated in ${secs(gen.ms)} (not a figure): ${gen.towns} towns, ${gen.leaves} villages/communities; peak RSS ${mib(rss.phase())}`);
console.log(
  Object.entries(gen.counts)
    .map(([k, v]) => `  ${k}: ${int(v)}`)
    .join('\n'),
);

/** The engine's clock on a civil day: 22:00 in Shanghai (14:00 UTC). */
const clockOn = (day: string) => new Date(`${day}T14:00:00.000Z`);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const reg = await defaultRegistry();
const fulls: number[] = [];
const fullCpu: number[] = [];
const incs: number[] = [];
const incCpu: number[] = [];
const checks: string[] = [];
let fullPersons = 0;

async function refresh(full: boolean, day: string) {
  const cpu = process.cpuUsage();
  const phases: Array<[string, number, number]> = [];
  const t = await timed(() => refreshIndicators(ctx, { full, period: MONTH, now: clockOn(day), onPhase: (p, ms, cpuMs) => phases.push([p, ms, cpuMs]) }));
  const used = process.cpuUsage(cpu);
  const top = [...phases]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([p, ms, c]) => `${p} ${(ms / 1000).toFixed(2)} s (CPU ${(c / 1000).toFixed(2)})`)
    .join('; ');
  return { ms: t.ms, cpu: (used.user + used.system) / 1000, reply: t.value, phases: `    phases, longest first: ${top}` };
}

async function snapshot(): Promise<Map<string, string>> {
  const rows = await ctx.db.selectFrom('indicator_values').select(['indicator_key', 'region_code', 'num', 'den']).where('month', '=', MONTH).execute();
  return new Map(rows.map((r) => [`${r.indicator_key}|${r.region_code}`, `${Number(r.num)}/${Number(r.den)}`]));
}

console.log(`\n## full refresh of ${MONTH} (as of ${ON})`);
for (let i = 1; i <= RUNS; i++) {
  rss.phase();
  const r = await refresh(true, ON);
  fulls.push(r.ms);
  fullCpu.push(r.cpu);
  fullPersons = r.reply.persons;
  console.log(
    `full run ${i}: ${secs(r.ms)} (CPU ${secs(r.cpu)}), ${int(r.reply.persons)} persons, ${int(r.reply.persons / (r.ms / 1000))} persons/s; peak RSS ${mib(rss.phase())}; load ${loadLine()}`,
  );
  console.log(r.phases);
}

// where a full refresh's time goes: each source asked once for the whole month, as the refresh asks (a diagnostic, not a figure)
{
  const settings = await reg.settings(ctx, ctx.regions.counties()[0]!.code);
  const span = spanOf(MONTH, settings.planFrom, ON)!;
  const parts: Array<[string, number, number]> = [];
  await ctx.db.transaction().execute(async (trx) => {
    const t = await timed(() => reg.population.regions(ctx, trx, span));
    parts.push([`${reg.population.key} (regions)`, t.ms, t.value.length]);
    for (const s of reg.personSources) {
      const p = await timed(() => s.persons(ctx, trx, span));
      parts.push([s.key, p.ms, p.value.length]);
    }
    for (const s of reg.aggregateSources) {
      const c = await timed(() => s.cells(ctx, trx, span));
      parts.push([s.key, c.ms, c.value.length]);
    }
  });
  const total = parts.reduce((a, [, ms]) => a + ms, 0);
  console.log(`sources, each asked once for the month (${secs(total)} in all; ms, persons or cells):`);
  for (const [key, ms, n] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${key}: ${ms.toFixed(0)} ms, ${int(n)}`);
}

// every indicator's county figure after the first full refresh: each source must count something, else the bench measures nothing
{
  const rows = await ctx.db
    .selectFrom('indicator_values')
    .select(['indicator_key', 'num', 'den'])
    .where('month', '=', MONTH)
    .where('region_code', '=', DEMO_COUNTY)
    .orderBy('indicator_key')
    .execute();
  console.log(`county figures (numerator / denominator): ${rows.map((r) => `${r.indicator_key} ${int(Number(r.num))}/${int(Number(r.den))}`).join('; ')}`);
  const empty = rows.filter((r) => Number(r.num) === 0).map((r) => r.indicator_key);
  if (empty.length) console.log(`indicators with a zero numerator on this data: ${empty.join(', ')}`);
}

/** What each person source's changedSince names after the first day's changes, and its time (a diagnostic, not a figure). */
async function changedBySource(day: string) {
  const settings = await reg.settings(ctx, ctx.regions.counties()[0]!.code);
  const span = spanOf(MONTH, settings.planFrom, day)!;
  const last = (await lastRefresh(ctx.db, MONTH))!;
  const since = { at: last.started_at, on: last.as_of };
  const all = new Set<number>();
  const parts: string[] = [];
  for (const s of [reg.population, ...reg.personSources]) {
    const t = await timed(() => s.changedSince(ctx, ctx.db, span, since));
    for (const id of t.value) all.add(id);
    parts.push(`${s.key} ${int(t.value.length)} (${t.ms.toFixed(0)} ms)`);
  }
  console.log(`  changedSince by source: ${parts.join('; ')}; union ${int(all.size)}`);
}

console.log(`\n## a day's changes, then the incremental refresh (clock a day on), checked against a full recompute`);
for (let i = 1; i <= RUNS; i++) {
  const day = addDays(ON, i);
  const ch = await applyDayChanges(ctx, { on: day, now: new Date().toISOString(), personIds: gen.personIds, seed: 20 });
  if (i === 1) await changedBySource(day);
  const r = await refresh(false, day);
  incs.push(r.ms);
  incCpu.push(r.cpu);
  const inc = await snapshot();
  const f = await refresh(true, day);
  fulls.push(f.ms);
  fullCpu.push(f.cpu);
  const full = await snapshot();
  const diff = [...new Set([...inc.keys(), ...full.keys()])].filter((k) => inc.get(k) !== full.get(k));
  const verdict =
    r.reply.mode !== 'incremental' ? `NOT INCREMENTAL (${r.reply.mode})` : diff.length === 0 ? 'OK' : `DIFF in ${diff.length} of ${full.size} values`;
  checks.push(verdict);
  console.log(
    `day ${i} (${day}): changes ${int(ch.events)} events (${int(ch.duesDone)} closing dues), ${ch.deaths} deaths, ${ch.moves} moves, ${ch.newcomers} newcomers, ${int(ch.attributeEdits)} edits, ${ch.assessments} assessments, written in ${secs(ch.ms)}`,
  );
  console.log(
    `  incremental: ${secs(r.ms)} (CPU ${secs(r.cpu)}), ${int(r.reply.persons)} persons recomputed; full recompute ${secs(f.ms)} (CPU ${secs(f.cpu)}); incremental = full: ${verdict}`,
  );
  console.log(`  incremental ${r.phases.trim()}`);
  console.log(`  full ${f.phases.trim()}`);
  for (const k of diff.slice(0, 8)) console.log(`    ${k}: incremental ${inc.get(k) ?? '—'}, full ${full.get(k) ?? '—'}`);
}
const lastDay = addDays(ON, RUNS);

// -- the API, as the county bureau's admin -------------------------------------------------------
const app: FastifyInstance = await buildApp(ctx);
await app.ready();
const session: Session = await loginAs(app, 'admin');
const towns = ctx.regions
  .all()
  .filter((r) => r.parent_code === DEMO_COUNTY)
  .map((r) => r.code);
const villagesOf = (town: string) =>
  ctx.regions
    .all()
    .filter((r) => r.parent_code === town)
    .map((r) => r.code);
const villages = towns.flatMap(villagesOf);
const keys = reg.definitions.map((d) => d.key);
const personKey = reg.definitions.find((d) => d.person?.numerator.includes('assessment.valid'))?.key ?? reg.definitions.find((d) => d.person)?.key ?? keys[0]!;

async function get(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await call(app, session, { method: 'GET', url });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`GET ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
  return ms;
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1]!, n: s.length };
};
const ms1 = (x: number) => x.toFixed(1);

const apiRows: Array<{ what: string; p50: number; p95: number; max: number; n: number; target: number }> = [];
async function measure(what: string, target: number, urls: (i: number) => string, n: number) {
  for (let i = 0; i < Math.min(10, n); i++) await get(urls(i)); // warm-up, not counted
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await get(urls(i)));
  const s = stats(times);
  apiRows.push({ what, target, ...s });
  console.log(`${what}: p50 ${ms1(s.p50)} ms, p95 ${ms1(s.p95)} ms, max ${ms1(s.max)} ms (${s.n} requests)`);
}

console.log(`\n## dashboard API (app.inject, session of 'admin', county bureau); month ${MONTH}, computed as of ${lastDay}`);
const dash = [DEMO_COUNTY, ...towns];
await measure('GET /api/indicators, county and towns', 300, (i) => `/api/indicators?period=${MONTH}&region=${dash[i % dash.length]}`, REQUESTS);
await measure(
  'GET /api/indicators/:key/regions, county and towns, every key',
  300,
  (i) => `/api/indicators/${keys[i % keys.length]}/regions?period=${MONTH}&region=${dash[Math.floor(i / keys.length) % dash.length]}`,
  REQUESTS,
);

console.log(`\n## drill-down per level, indicator ${personKey}`);
await measure('county → towns (/:key/regions?region=county)', 1000, () => `/api/indicators/${personKey}/regions?period=${MONTH}&region=${DEMO_COUNTY}`, DRILL);
await measure(
  'town → villages (/:key/regions?region=town)',
  1000,
  (i) => `/api/indicators/${personKey}/regions?period=${MONTH}&region=${towns[i % towns.length]}`,
  DRILL,
);
await measure('village (/api/indicators?region=village)', 1000, (i) => `/api/indicators?period=${MONTH}&region=${villages[(i * 7) % villages.length]}`, DRILL);
await measure(
  "members: a village's gap, page 1 (20)",
  1000,
  (i) => `/api/indicators/${personKey}/members?period=${MONTH}&region=${villages[(i * 7) % villages.length]}&part=gap&page=1&pageSize=20`,
  DRILL,
);
await measure(
  "members: the county's gap, pages 1-50 (20)",
  1000,
  (i) => `/api/indicators/${personKey}/members?period=${MONTH}&region=${DEMO_COUNTY}&part=gap&page=${1 + (i % 50)}&pageSize=20`,
  DRILL,
);
await app.close();

// -- summary ----------------------------------------------------------------------------------------
const range = (xs: number[], f = (x: number) => (x / 1000).toFixed(2)) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
console.log(`\n## summary (${onPg ? 'PostgreSQL' : 'SQLite'}, ${int(ELDERS)} elders, ${int(EVENTS)} events)\n`);
console.log('| figure | measured | target | measured / target |');
console.log('|---|---|---|---|');
console.log(
  `| full refresh, wall s (${fulls.length} runs; CPU s) | ${range(fulls)} (${range(fullCpu)}); ${int(fullPersons)} persons | ≤ 5 s | ${range(
    fulls.map((x) => x / 5000),
    (x) => x.toFixed(2),
  )} |`,
);
console.log(
  `| incremental after a day, wall s (${incs.length} runs; CPU s) | ${range(incs)} (${range(incCpu)}) | ≤ 1 s | ${range(
    incs.map((x) => x / 1000),
    (x) => x.toFixed(2),
  )} |`,
);
console.log(`| incremental = full recompute | ${checks.join(', ')} | equal | |`);
for (const r of apiRows)
  console.log(`| ${r.what}, p95 ms (p50; ${r.n} requests) | ${ms1(r.p95)} (${ms1(r.p50)}) | < ${r.target} ms | ${(r.p95 / r.target).toFixed(2)} |`);
const { sampledPeak, maxRss } = rss.stop();
console.log(`\npeak RSS sampled ${mib(sampledPeak)}, max RSS ${mib(maxRss)}; load average at the end: ${loadLine()}`);
await close(Boolean(values.keep));
