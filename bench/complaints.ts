import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openContext } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/database.js';
import { listComplaints } from '../src/modules/complaints/handling.js';
import { addDays, fileComplaint, trackComplaint } from '../src/modules/complaints/intake.js';
import { escalateOverdue } from '../src/modules/complaints/overdue.js';
import { complaintCountsByTarget, satisfactionByTarget } from '../src/modules/complaints/signals.js';
import { normaliseTracking, trackingHash } from '../src/modules/complaints/tracking.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { createProvider } from '../src/modules/services/providers.js';
import type { Insertable } from 'kysely';
import type { ComplaintTable, SurveyCallTable } from '../src/modules/complaints/complaints.tables.js';
import type { AppContext } from '../src/platform/context.js';
import { scopeOf } from '../src/platform/auth.js';
import { systemScope } from '../src/platform/scope.js';
import { nowIso, today } from '../src/platform/time.js';
import { int, machine, mib, percentile, RssSampler, secs, sqliteContext, timed } from './util.js';

/**
 * Benchmark: complaints at a province's scale (issue 19). Built by direct inserts: --complaints
 * (default 300,000) over two years in every town of the demo county, 70 % closed, the rest open,
 * 2 % of them past their deadline and never raised (so the daily run has work); 200,000 answered
 * survey calls. Then, --runs times each (p50/p95 where repeated):
 *   inbox      listComplaints as the town officer (open, page 1) and as the bureau (overdue only), audit entry included
 *   track      trackComplaint of a known and of a guessed number (keyed-hash lookup, decrypt, audit entry)
 *   file       fileComplaint from the public form (validation, target check, sealing, audit) — one each
 *   signals    complaintCountsByTarget and satisfactionByTarget over a year (what the credit ratings read)
 *   escalate   the daily escalation of every overdue complaint (once: a second run finds none)
 * With DATABASE_URL set (postgres://…) the same on PostgreSQL in a schema of its own (dropped after).
 * Usage: npx tsx bench/complaints.ts [--complaints 300000] [--runs 20]
 */
const { values } = parseArgs({ options: { complaints: { type: 'string' }, runs: { type: 'string' } } });
const N = Number(values.complaints ?? 300_000);
const RUNS = Number(values.runs ?? 20);
const SURVEYS = 200_000;
const TX = 10_000;
const PG_URL = process.env.DATABASE_URL;

const rss = new RssSampler();
console.log(`# complaints benchmark — ${new Date().toISOString()} — ${PG_URL ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
console.log(
  `load average (1, 5, 15 min): ${loadavg()
    .map((x) => x.toFixed(2))
    .join(', ')}`,
);
const dir = mkdtempSync(join(tmpdir(), 'yiyang-bench-complaints-'));
let ctx: AppContext;
let schema: string | null = null;
if (PG_URL) {
  schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  ctx = await openContext(loadConfig({ dataDir: dir, databaseUrl: PG_URL }), openPostgres(PG_URL, schema));
} else {
  ctx = await sqliteContext(resolve(dir));
}
await seedRegionsAndUsers(ctx);
const j = ctx.regions.counties()[0]!;
const county = systemScope(j.code, j.prefix, 'bench');
const towns = ctx.regions.all().filter((r) => r.level === 'town');
const villages = ctx.regions.all().filter((r) => r.level === 'village');
const providers: number[] = [];
for (let i = 0; i < 50; i++)
  providers.push((await createProvider(ctx, county, { name: `基准服务商${i}`, kind: 'home_service', regionCode: towns[i % towns.length]!.code })).id);
let state = 2026;
const rnd = () => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = (n: number) => Math.floor(rnd() * n);
const on = today();
const sealedText = ctx.cipher.encrypt('基准投诉内容：护理员上门迟到，服务时间不足。'.repeat(3));
const sealedPhone = ctx.cipher.encrypt('13800138000');
const now = nowIso();
const known = 'TS-0000-0000-0000-0001';

const build = await timed(async () => {
  for (let i = 0; i < N; i += TX) {
    const rows: Insertable<ComplaintTable>[] = [];
    for (let k = i; k < Math.min(N, i + TX); k++) {
      const v = villages[pick(villages.length)]!;
      const received = addDays(on, -pick(730));
      const due = addDays(received, 15);
      const closed = rnd() < 0.7 && due < on;
      const overdue = !closed && due < on && rnd() < 0.02;
      const open = !closed && !overdue;
      rows.push({
        tracking_hash: k === 0 ? trackingHash(ctx, normaliseTracking(known)!) : `h${k}-${pick(1e9)}`,
        source: 'public',
        source_id: null,
        target_kind: 'provider',
        target_id: providers[pick(providers.length)]!,
        target_name: null,
        category: 'service_quality',
        text_enc: sealedText,
        happened_on: null,
        contact_name_enc: null,
        contact_phone_enc: rnd() < 0.5 ? sealedPhone : null,
        region_code: v.code,
        status: closed ? 'closed' : open && due >= on ? 'investigating' : 'assigned',
        received_at: `${received}T02:00:00.000Z`,
        received_on: received,
        due_on: open && due < on ? addDays(on, 5) : due,
        deadline_days: 15,
        unit_code: v.parent_code!,
        officer_id: null,
        reply_enc: closed ? sealedText : null,
        replied_at: closed ? now : null,
        replied_on: closed ? addDays(received, pick(20)) : null,
        substantiated: closed ? ['yes', 'no', 'partly'][pick(3)]! : null,
        closed_at: closed ? now : null,
        escalated_on: null,
        updated_at: now,
      });
    }
    await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'complaints', rows));
  }
  const draw = await ctx.db
    .insertInto('survey_draws')
    .values({ period: on.slice(0, 7), region_prefix: j.prefix, seed: 'bench', params: '{}', drawn_by: null, drawn_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < SURVEYS; i += TX) {
    const rows: Insertable<SurveyCallTable>[] = [];
    for (let k = i; k < Math.min(SURVEYS, i + TX); k++) {
      const answered = addDays(on, -pick(365));
      rows.push({
        draw_id: draw.id,
        event_id: k + 1,
        person_id: k + 1,
        region_code: villages[k % villages.length]!.code,
        target_kind: 'provider',
        target_id: providers[k % providers.length]!,
        served_on: answered,
        status: 'answered',
        answers: '{}',
        given: 'yes',
        percent: pick(101),
        note_enc: null,
        complaint_id: null,
        answered_by: null,
        answered_at: `${answered}T02:00:00.000Z`,
        answered_on: answered,
        via: 'officer',
      });
    }
    await ctx.db.transaction().execute((trx) => ctx.handle.insertMany(trx, 'survey_calls', rows));
  }
});
const overdueRows = Number(
  (
    await ctx.db
      .selectFrom('complaints')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('status', '!=', 'closed')
      .where('replied_on', 'is', null)
      .where('due_on', '<', on)
      .executeTakeFirstOrThrow()
  ).n,
);
console.log(`built ${int(N)} complaints (${int(overdueRows)} overdue) and ${int(SURVEYS)} survey answers in ${secs(build.ms)}`);

const users = await ctx.db.selectFrom('users').selectAll().where('username', 'in', ['town1', 'admin']).execute();
const town1 = scopeOf(
  users.find((u) => u.username === 'town1')!,
  ctx.regions,
  null,
);
const bureau = scopeOf(
  users.find((u) => u.username === 'admin')!,
  ctx.regions,
  null,
);

async function series(name: string, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push((await timed(fn)).ms);
  ms.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} p50 ${percentile(ms, 50).toFixed(1)} ms   p95 ${percentile(ms, 95).toFixed(1)} ms   (${RUNS} runs)`);
}
await series('inbox: town officer, open, page 1', () => listComplaints(ctx, town1, { open: 'true', page: 1, pageSize: 20 }));
await series('inbox: bureau, overdue only, page 1', () => listComplaints(ctx, bureau, { overdue: 'true', page: 1, pageSize: 20 }));
await series('inbox: bureau, all, page 100', () => listComplaints(ctx, bureau, { page: 100, pageSize: 20 }));
await series('track: a known number', () => trackComplaint(ctx, known, null));
await series('track: a guessed number (not found)', () =>
  trackComplaint(ctx, `TS-${randomBytes(2).toString('hex').toUpperCase()}-0000-0000-0009`, null).catch(() => null),
);
await series('file: the public form', () =>
  fileComplaint(
    ctx,
    { targetKind: 'provider', targetId: providers[0]!, category: 'food', text: '送来的饭菜是凉的，已经连续三天了。', contactPhone: '13900001111' },
    null,
  ),
);
const year = { from: addDays(on, -365), to: on };
await series('signals: complaintCountsByTarget, a year', () => complaintCountsByTarget(ctx.db, year));
await series('signals: satisfactionByTarget, a year', () => satisfactionByTarget(ctx.db, year));
const esc = await timed(() => escalateOverdue(ctx, on));
console.log(`escalate: ${int(esc.value.length)} overdue complaints raised in ${secs(esc.ms)} (one transaction)`);
const peak = rss.stop();
console.log(`peak RSS ${mib(Math.max(peak.sampledPeak, peak.maxRss))}`);
await ctx.handle.close();
if (schema) {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
rmSync(dir, { recursive: true, force: true });
