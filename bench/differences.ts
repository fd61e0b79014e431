import { parseArgs } from 'node:util';
import type { NewPerson, RunRow } from '../src/db/tables.js';
import { setParameter } from '../src/modules/catalogue/catalogue.service.js';
import { DEMO_PARAMETER_VALUES } from '../src/modules/demo/entitlements.js';
import { generateElders } from '../src/modules/demo/generator.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';
import { findDifferences, lookbackMonths } from '../src/modules/entitlements/differences.js';
import { startRun } from '../src/modules/entitlements/runs.service.js';
import { systemScope } from '../src/platform/scope.js';
import { nowIso, periodBounds, today } from '../src/platform/time.js';
import { benchDatabase, int, machine, MiB, mib, RssSampler, secs, timed, benchPersonRow } from './util.js';

/**
 * Benchmark: the back-pay and recovery computation (issue 14) over N elders with 12 past months of
 * approved rolls. The register is built by direct inserts; each month is run through startRun and
 * its rolls approved; then late facts arrive (deaths reported months after they happened, 低保
 * from a file dated in the past) for a share of the people, and `findDifferences` — what every run
 * does at its end — is timed for this month. `--param` also times it after a standard raised from
 * the first month looked back on (every person of every month is then a candidate). With
 * DATABASE_URL set (postgres://…) the same on PostgreSQL, in a schema of its own (dropped at the
 * end unless --keep).
 * Usage: [DATABASE_URL=postgres://…] npx tsx bench/differences.ts [--elders 1000000] [--late 0.01] [--param] [--keep]
 */
const { values } = parseArgs({ options: { elders: { type: 'string' }, late: { type: 'string' }, param: { type: 'boolean' }, keep: { type: 'boolean' } } });
const ELDERS = Number(values.elders ?? 1_000_000);
const LATE = Number(values.late ?? 0.01);
const MONTHS = 12;
const TARGET_S = 30;
const TARGET_RSS = 1536 * MiB;
const INSERT_TX = 20_000;

const rss = new RssSampler();
console.log(`# back-pay and recovery benchmark — ${new Date().toISOString()} — ${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}`);
console.log(`machine: ${machine()}`);
const { ctx, close, dir } = await benchDatabase('differences', { catalogue: 'nanxun' });
try {
  await seedRegionsAndUsers(ctx);
  // the first county's bureau: a run is its jurisdiction's (the demo is a city of two counties)
  const county = ctx.regions.counties()[0]!;
  const scope = systemScope(county.code, county.prefix, 'bench');
  const thisMonth = today().slice(0, 7);
  const months = lookbackMonths(thisMonth, MONTHS).reverse();
  const built = await timed(async () => {
    let rows: NewPerson[] = [];
    const flush = async () => {
      const batch = rows;
      rows = [];
      await ctx.db.transaction().execute(async (trx) => ctx.handle.insertMany(trx, 'persons', batch));
    };
    const now = nowIso();
    for (const e of generateElders({ elders: ELDERS, seed: 11, asOf: periodBounds(months[0]!).start })) {
      // as measured before the row mapping was shared: no diseases or check-up, the ID masked to its first six
      rows.push(benchPersonRow(e, now, { id_masked: `${e.idNumber.slice(0, 6)}************`, chronic_diseases: null, last_checkup: null }));
      if (rows.length === INSERT_TX) await flush();
    }
    if (rows.length) await flush();
  });
  console.log(`register: ${int(ELDERS)} persons in ${secs(built.ms)}`);
  const first = ctx.catalogues.versions('nanxun')[0]!;
  for (const [name, value] of Object.entries(DEMO_PARAMETER_VALUES.nanxun!)) {
    if (first.parameters.has(name)) await setParameter(ctx, scope, { jurisdiction: 'nanxun', name, from: first.effective, value, note: 'bench' });
  }

  // twelve months run and paid
  const runs = await timed(async () => {
    for (const period of months) {
      const { run, done } = await startRun(ctx, scope, period);
      await done;
      await ctx.db.updateTable('payment_rolls').set({ status: 'approved' }).where('run_id', '=', run.id).where('status', '=', 'draft').execute();
    }
  });
  const approved = await ctx.db
    .selectFrom('roll_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`${MONTHS} months (${months[0]} … ${months.at(-1)}) run and approved in ${secs(runs.ms)}: ${int(Number(approved.n))} paid lines`);
  rss.phase();

  // late facts: deaths from the fourth month on, and 低保 from a file dated in the third month
  const ids = (await ctx.db.selectFrom('persons').select('id').orderBy('id').execute()).map((p) => p.id);
  const step = Math.max(1, Math.round(1 / LATE));
  const died = ids.filter((_, i) => i % step === 0);
  const dibao = ids.filter((_, i) => i % step === Math.floor(step / 2));
  const at = nowIso();
  const diedOn = periodBounds(months[3]!).start;
  const dataDate = periodBounds(months[2]!).start;
  for (let i = 0; i < died.length; i += 5000) {
    const chunk = died.slice(i, i + 5000);
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('persons').set({ status: 'deceased', closed_on: diedOn }).where('id', 'in', chunk).execute();
      await ctx.handle.insertMany(
        trx,
        'person_history',
        chunk.map((id) => ({
          person_id: id,
          field: 'status',
          old_value: 'active',
          new_value: 'deceased',
          source: 'public_security',
          as_of: today(),
          import_id: null,
          at,
        })),
      );
    });
  }
  for (let i = 0; i < dibao.length; i += 5000) {
    const chunk = dibao.slice(i, i + 5000);
    await ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('persons').set({ hardship: 'dibao' }).where('id', 'in', chunk).execute();
      await ctx.handle.insertMany(
        trx,
        'person_history',
        chunk.map((id) => ({
          person_id: id,
          field: 'hardship',
          old_value: 'none',
          new_value: 'dibao',
          source: 'civil_affairs',
          as_of: dataDate,
          import_id: null,
          at,
        })),
      );
    });
  }
  console.log(`late facts: ${int(died.length)} deaths from ${diedOn}, ${int(dibao.length)} 低保 from ${dataDate} (recorded now)`);

  const now = { period: thisMonth, jurisdiction: 'nanxun', region_code: county.code } as RunRow;
  const measure = async (what: string) => {
    rss.phase();
    const r = await timed(() => findDifferences(ctx, ctx.db, now));
    const peak = rss.phase();
    const back = r.value.filter((d) => d.dueFen > d.paidFen);
    console.log(
      `${what}: ${secs(r.ms)} (target ≤ ${TARGET_S} s: ${(r.ms / 1000 / TARGET_S).toFixed(2)}× of it), peak RSS ${mib(peak)} (target < ${mib(TARGET_RSS)}); ` +
        `${int(r.value.length)} month differences (${int(back.length)} back-pay, ${int(r.value.length - back.length)} recovery)`,
    );
  };
  await measure('differences, late facts');
  if (values.param) {
    await setParameter(ctx, scope, { jurisdiction: 'nanxun', name: 'nx_high_age', from: periodBounds(months[0]!).start, value: 70, note: 'bench: back-dated' });
    await measure('differences, a standard raised from the first month looked back on');
  }
} finally {
  await close(!!values.keep);
  if (values.keep) console.log(`kept: ${ctx.handle.schema ? `schema ${ctx.handle.schema}, ` : ''}${dir}`);
  const { maxRss } = rss.stop();
  console.log(`max RSS of the process: ${mib(maxRss)}`);
}
