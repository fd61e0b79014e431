import type SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { AppContext } from '../src/platform/context.js';
import type { CivilDate } from '../src/platform/time.js';
import { dayNumber, fromDayNumber, mulberry32 } from '../src/modules/demo/generator.js';
import { DEMO_COUNTY } from '../src/modules/demo/regions.js';
import { seedRegionsAndUsers } from '../src/modules/demo/seed.js';

/**
 * Synthetic data for the indicators benchmark (issue 20), written straight into the capabilities'
 * own tables, set-wise: on SQLite one transaction of prepared multi-row inserts through the raw
 * better-sqlite3 handle; on PostgreSQL `insert … select from unnest($1::int[], …)` in chunks of
 * 50,000 rows. The large tables' secondary indexes are dropped before and rebuilt after (a sort
 * per index instead of 10,000,000 random b-tree inserts); the rebuild is part of the time.
 *
 * What it writes, for `elders` persons and `events` verified events (deterministic for a seed):
 * - regions: the demo county (seedRegionsAndUsers: its towns, users and accounts) widened to 20
 *   towns of 25 villages or communities each (500 leaves);
 * - persons: ages 60-105 skewed as a real population (about 12 % 80+), ~1 % deceased or moved out
 *   earlier in the year; ID, account and phone ciphers are one placeholder ciphertext made once by
 *   the project's own cipher; the capability assessment (capability_*) set for ~60 % of the 80+
 *   (and ~4 % of the younger), reference dates over the last 18 months valid a year, so ~1/3 of
 *   them have lapsed;
 * - care_events over the 365 days before `on`: home services (kind 'service', 60 %, for ~15 % of
 *   the elders, more of the 80+), visits (35 %), meals (5 %); 2 % voided, 15 % still 'recorded',
 *   the rest confirmed; region = the person's;
 * - visits: ~5 % of the elders in a monthly plan (10 % of them high-risk), a due per month of the
 *   last 12 and the current one (past ones 85 % done, the current one 40 % done so far);
 * - facilities: per town a public institution (rural towns: a 特困供养机构) and a regional centre,
 *   three private institutions, day care and community stations in ~40 % of the villages; beds
 *   (55-80 % nursing, some dementia), staff (caregivers, nurses, social workers, a manager),
 *   residents (~1 % of the elders, open stays); a supervision rating per institution;
 * - services: 30 providers, a meal point in every other village, family care beds (~0.3 %);
 * - alarms (about 4,000) and complaints (about 3,000) over the year.
 */

export interface IndicatorDataOptions {
  elders: number;
  events: number;
  seed?: number;
  /** the day the data is as of: events run up to the day before, the visit dues to its month */
  on: CivilDate;
}

export interface IndicatorDataSummary {
  persons: number;
  /** [first id, last id]: persons are id first..last, contiguous */
  personIds: [number, number];
  events: number;
  leaves: number;
  towns: number;
  counts: Record<string, number>;
  ms: number;
}

type ColType = 'int' | 'text' | 'float';
type Value = string | number | null;

/** Adds rows column-wise and writes them set-wise (SQLite prepared multi-row, PostgreSQL unnest). */
class Bulk {
  private readonly buf: Value[][];
  private n = 0;
  written = 0;
  private readonly rowsPerStmt: number;
  private readonly stmt?: SQLite.Statement;
  private readonly stmtParams: Value[] = [];
  constructor(
    private readonly ctx: AppContext,
    private readonly table: string,
    private readonly cols: Array<[string, ColType]>,
    private readonly chunk = 50_000,
  ) {
    this.buf = cols.map(() => []);
    this.rowsPerStmt = Math.max(1, Math.floor(8000 / cols.length));
    const sqlite = ctx.handle.sqlite;
    if (sqlite) {
      const one = `(${cols.map(() => '?').join(',')})`;
      this.stmt = sqlite.prepare(
        `insert into "${table}" (${cols.map(([c]) => `"${c}"`).join(',')}) values ${Array.from({ length: this.rowsPerStmt }, () => one).join(',')}`,
      );
    }
  }
  /** One row, its values in the order of the columns. */
  async add(...values: Value[]): Promise<void> {
    if (values.length !== this.cols.length) throw new Error(`${this.table}: ${values.length} values for ${this.cols.length} columns`);
    if (this.stmt) {
      for (const v of values) this.stmtParams.push(v);
      this.written++;
      if (this.stmtParams.length === this.rowsPerStmt * this.cols.length) {
        this.stmt.run(this.stmtParams);
        this.stmtParams.length = 0;
      }
      return;
    }
    for (let i = 0; i < values.length; i++) this.buf[i]!.push(values[i]!);
    this.n++;
    this.written++;
    if (this.n >= this.chunk) await this.flushPg();
  }
  private async flushPg(): Promise<void> {
    if (this.n === 0) return;
    const arrays = this.buf.map((a) => a.splice(0));
    this.n = 0;
    const pgType = (t: ColType) => (t === 'int' ? 'bigint[]' : t === 'float' ? 'float8[]' : 'text[]');
    await sql`insert into ${sql.table(this.table)} (${sql.join(this.cols.map(([c]) => sql.ref(c)))}) select * from unnest(${sql.join(
      arrays.map((a, i) => sql`${a}::${sql.raw(pgType(this.cols[i]![1]))}`),
    )})`.execute(this.ctx.db);
  }
  async done(): Promise<number> {
    const sqlite = this.ctx.handle.sqlite;
    if (sqlite) {
      const rest = this.stmtParams.length / this.cols.length;
      if (rest > 0) {
        const one = `(${this.cols.map(() => '?').join(',')})`;
        sqlite
          .prepare(`insert into "${this.table}" (${this.cols.map(([c]) => `"${c}"`).join(',')}) values ${Array.from({ length: rest }, () => one).join(',')}`)
          .run(this.stmtParams);
        this.stmtParams.length = 0;
      }
    } else {
      await this.flushPg();
    }
    return this.written;
  }
}

/** The table's secondary (non-constraint) indexes, dropped; returns how to rebuild them. */
async function dropIndexes(ctx: AppContext, table: string): Promise<string[]> {
  const sqlite = ctx.handle.sqlite;
  if (sqlite) {
    const rows = sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null`).all(table) as Array<{
      name: string;
      sql: string;
    }>;
    for (const r of rows) sqlite.exec(`drop index "${r.name}"`);
    return rows.map((r) => r.sql);
  }
  const rows = (
    await sql<{ indexname: string; indexdef: string }>`
      select i.indexname, i.indexdef from pg_indexes i
      where i.schemaname = current_schema() and i.tablename = ${table}
        and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(ctx.db)
  ).rows;
  for (const r of rows) await sql`drop index ${sql.ref(r.indexname)}`.execute(ctx.db);
  return rows.map((r) => r.indexdef);
}

async function rebuildIndexes(ctx: AppContext, ddl: string[]): Promise<void> {
  for (const d of ddl) {
    if (ctx.handle.sqlite) ctx.handle.sqlite.exec(d);
    else await sql.raw(d).execute(ctx.db);
  }
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '秀英兰芳玉珍桂花凤梅金华建国明德福贵志强海林春生荣文保成永平正红淑琴素华国庆宝山长发';

/** Age bands (years inclusive, share): 80+ about 12 %, 100+ 0.05 %, nobody over 105. */
const AGE_BANDS: Array<[number, number, number]> = [
  [60, 64, 0.32],
  [65, 69, 0.27],
  [70, 74, 0.185],
  [75, 79, 0.105],
  [80, 84, 0.065],
  [85, 89, 0.04],
  [90, 94, 0.012],
  [95, 99, 0.0025],
  [100, 105, 0.0005],
];

/** The leaves the bench adds beside the demo's: 20 towns of 25 leaves. */
export function benchRegionRows(existing: Array<{ code: string; parent_code: string | null; level: string }>) {
  const have = new Set(existing.map((r) => r.code));
  const out: Array<{ code: string; name: string; level: string; kind: string; parent_code: string; prefix: string }> = [];
  const towns = existing.filter((r) => r.level === 'town' && r.parent_code === DEMO_COUNTY).map((r) => r.code);
  for (let t = 108; towns.length < 20; t++) {
    const code = `${DEMO_COUNTY}${t}`;
    if (!have.has(code)) out.push({ code, name: `第${t - 100}镇`, level: 'town', kind: 'town', parent_code: DEMO_COUNTY, prefix: code });
    towns.push(code);
  }
  for (const town of towns) {
    const leaves = existing.filter((r) => r.parent_code === town).length + out.filter((r) => r.parent_code === town).length;
    let k = 0;
    for (let n = leaves; n < 25; n++) {
      let code: string;
      do code = `${town}${String(250 + k++).padStart(3, '0')}`;
      while (have.has(code));
      out.push({ code, name: `${town.slice(-3)}-${code.slice(-3)}村`, level: 'village', kind: 'village', parent_code: town, prefix: code });
    }
  }
  return out;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** An instant on a civil day as UTC ISO text, `min` minutes after 00:00 UTC (08:00 in Shanghai). */
const at = (day: CivilDate, min: number) => `${day}T${pad2(Math.floor(min / 60))}:${pad2(min % 60)}:00.000Z`;
const addDays = (d: CivilDate, n: number) => fromDayNumber(dayNumber(d) + n);
const addMonths = (d: CivilDate, n: number) => {
  const y = +d.slice(0, 4);
  const m = +d.slice(5, 7) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(yy, mm + 1, 0)).getUTCDate();
  return `${yy}-${pad2(mm + 1)}-${pad2(Math.min(+d.slice(8, 10), last))}`;
};

/** A person's facts the generator keeps in memory (index i is person id first + i). */
interface People {
  first: number;
  region: string[];
  birth: string[];
  old80: Uint8Array;
  active: Uint8Array;
}

export async function generateIndicatorData(ctx: AppContext, opts: IndicatorDataOptions): Promise<IndicatorDataSummary> {
  const t0 = performance.now();
  const seed = opts.seed ?? 20;
  const rng = mulberry32(seed);
  const on = opts.on;
  const onDay = dayNumber(on);
  const stamp = at(addDays(on, -1), 720); // 20:00 Shanghai the day before: every row predates the first refresh
  const counts: Record<string, number> = {};

  // -- regions, users ---------------------------------------------------------------------------
  if (!(await ctx.db.selectFrom('regions').select('code').where('code', '=', DEMO_COUNTY).executeTakeFirst())) await seedRegionsAndUsers(ctx);
  const existing = await ctx.db.selectFrom('regions').select(['code', 'parent_code', 'level']).execute();
  const add = benchRegionRows(existing);
  if (add.length) await ctx.db.insertInto('regions').values(add).execute();
  await ctx.regions.reload(ctx.db);
  const all = await ctx.db.selectFrom('regions').select(['code', 'parent_code', 'level', 'kind']).execute();
  const towns = all.filter((r) => r.level === 'town' && r.parent_code === DEMO_COUNTY).map((r) => r.code);
  const leaves = all.filter((r) => r.level === 'village' && r.code.startsWith(DEMO_COUNTY));
  // leaves' weights: communities (town seats, streets) larger than villages
  const leafWeight = leaves.map((l) => (l.kind === 'community' ? 1.6 : 0.6 + rng()));
  const cum: number[] = [];
  leafWeight.reduce((s, w, i) => (cum[i] = s + w), 0);
  const totalW = cum[cum.length - 1]!;
  const pickLeaf = () => {
    const x = rng() * totalW;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return leaves[lo]!.code;
  };

  const placeholder = ctx.cipher.encrypt('bench-placeholder');
  const sqlite = ctx.handle.sqlite;
  const ids = { first: 0 };
  // one transaction; a page cache that holds it (the server's 256 MiB spills pages into the WAL over
  // and over as 10,000,000 rows go in), put back afterwards for the measured work
  const cache = sqlite ? (sqlite.pragma('cache_size', { simple: true }) as number) : 0;
  if (sqlite) {
    sqlite.pragma('cache_size = -4000000');
    sqlite.exec('begin');
  }
  try {
    // -- persons ----------------------------------------------------------------------------------
    const personIdx = await dropIndexes(ctx, 'persons');
    const persons = new Bulk(ctx, 'persons', [
      ['id_hash', 'text'],
      ['id_enc', 'text'],
      ['id_masked', 'text'],
      ['name', 'text'],
      ['sex', 'text'],
      ['birth_date', 'text'],
      ['region_code', 'text'],
      ['hukou_local', 'int'],
      ['phone_enc', 'text'],
      ['phone_masked', 'text'],
      ['status', 'text'],
      ['closed_on', 'text'],
      ['hardship', 'text'],
      ['living_alone', 'int'],
      ['empty_nest', 'int'],
      ['left_behind', 'int'],
      ['solitary', 'int'],
      ['special_family', 'int'],
      ['disability_grade', 'int'],
      ['ltc_grade', 'text'],
      ['pension_type', 'text'],
      ['medical_insured', 'int'],
      ['capability_level', 'text'],
      ['capability_on', 'text'],
      ['capability_due', 'text'],
      ['capability_until', 'text'],
      ['provenance', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ]);
    const before = await ctx.db
      .selectFrom('persons')
      .select((eb) => eb.fn.max('id').as('m'))
      .executeTakeFirst();
    const first = Number(before?.m ?? 0) + 1;
    ids.first = first;
    const N = opts.elders;
    const people: People = { first, region: new Array(N), birth: new Array(N), old80: new Uint8Array(N), active: new Uint8Array(N) };
    const bandCum: number[] = [];
    AGE_BANDS.reduce((s, b, i) => (bandCum[i] = s + b[2]), 0);
    const levels = ['intact', 'mild', 'moderate', 'severe', 'complete'];
    const hardships: Array<[string, number]> = [
      ['dibao', 0.03],
      ['dibao_edge', 0.02],
      ['tekun_dispersed', 0.006],
      ['tekun_concentrated', 0.003],
    ];
    const pickHardship = () => {
      let x = rng();
      for (const [h, s] of hardships) if ((x -= s) < 0) return h;
      return 'none';
    };
    for (let i = 0; i < N; i++) {
      const x = rng() * bandCum[bandCum.length - 1]!;
      let b = 0;
      while (bandCum[b]! < x) b++;
      const [from, to] = AGE_BANDS[b]!;
      const age = from + Math.floor(rng() * (to - from + 1));
      const birth = fromDayNumber(onDay - Math.floor((age + rng()) * 365.25));
      const region = pickLeaf();
      const sex = rng() < (age >= 80 ? 0.6 : 0.52) ? 'F' : 'M';
      const r = rng();
      const status = r < 0.007 ? 'deceased' : r < 0.01 ? 'moved_out' : 'active';
      const closedOn = status === 'active' ? null : fromDayNumber(onDay - 1 - Math.floor(rng() * 300));
      const alone = rng() < 0.1 ? 1 : 0;
      let capLevel: string | null = null;
      let capOn: string | null = null;
      let capUntil: string | null = null;
      if (rng() < (age >= 80 ? 0.6 : 0.04)) {
        capLevel = levels[Math.min(4, Math.floor(rng() * rng() * 6))]!;
        capOn = fromDayNumber(onDay - 1 - Math.floor(rng() * 548));
        capUntil = addDays(addMonths(capOn, 12), -1);
      }
      people.region[i] = region;
      people.birth[i] = birth;
      people.old80[i] = age >= 80 ? 1 : 0;
      people.active[i] = status === 'active' ? 1 : 0;
      const idn = String(100000 + ((i * 7919) % 900000));
      await persons.add(
        `bench-${seed}-${i}`,
        placeholder,
        `990101********${idn.slice(-4)}`,
        SURNAMES[i % SURNAMES.length]! + GIVEN[(i >> 3) % GIVEN.length]! + GIVEN[(i * 13 + 5) % GIVEN.length]!,
        sex,
        birth,
        region,
        1,
        rng() < 0.7 ? placeholder : null,
        '138****0000',
        status,
        closedOn,
        pickHardship(),
        alone,
        alone ? 0 : rng() < 0.33 ? 1 : 0,
        0,
        alone && rng() < 0.1 ? 1 : 0,
        rng() < 0.008 ? 1 : 0,
        rng() < (age >= 80 ? 0.12 : 0.06) ? 1 + Math.floor(rng() * 4) : null,
        rng() < (age >= 80 ? 0.165 : 0.015) ? 'moderate' : null,
        'resident',
        1,
        capLevel,
        capOn,
        capUntil,
        capUntil,
        '{}',
        stamp,
        stamp,
      );
    }
    counts.persons = await persons.done();
    const after = await ctx.db
      .selectFrom('persons')
      .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi'), eb.fn.countAll().as('n')])
      .where('id', '>=', first)
      .executeTakeFirstOrThrow();
    if (Number(after.lo) !== first || Number(after.hi) !== first + N - 1 || Number(after.n) !== N) {
      throw new Error(`persons' ids are not contiguous: ${after.lo}..${after.hi} for ${N} from ${first}`);
    }
    await rebuildIndexes(ctx, personIdx);

    // -- pools: who gets home services, visits, meals ----------------------------------------------
    const service: number[] = [];
    const visitPlan: number[] = [];
    const visitOther: number[] = [];
    const meal: number[] = [];
    for (let i = 0; i < N; i++) {
      if (!people.active[i]) continue;
      const o = people.old80[i];
      if (rng() < (o ? 0.3 : 0.12)) service.push(i);
      if (rng() < (o ? 0.15 : 0.037)) visitPlan.push(i);
      else if (rng() < 0.1) visitOther.push(i);
      if (rng() < 0.04) meal.push(i);
    }
    const pickOf = (pool: number[]) => pool[Math.floor(rng() * pool.length)]!;

    // -- care events --------------------------------------------------------------------------------
    const eventIdx = await dropIndexes(ctx, 'care_events');
    const events = new Bulk(ctx, 'care_events', [
      ['client_id', 'text'],
      ['kind', 'text'],
      ['source', 'text'],
      ['source_id', 'int'],
      ['performer_id', 'int'],
      ['performer_role', 'text'],
      ['person_id', 'int'],
      ['region_code', 'text'],
      ['mode', 'text'],
      ['started_at', 'text'],
      ['ended_at', 'text'],
      ['duration_minutes', 'int'],
      ['findings', 'text'],
      ['status', 'text'],
      ['confirmed_kind', 'text'],
      ['confirmed_by', 'int'],
      ['confirmed_at', 'text'],
      ['void_reason', 'text'],
      ['voided_by', 'int'],
      ['voided_at', 'text'],
      ['recorded_by', 'int'],
      ['recorded_at', 'text'],
    ]);
    const E = opts.events;
    const days = 365;
    for (let e = 0; e < E; e++) {
      const day = fromDayNumber(onDay - days + Math.floor((e * days) / E));
      const k = rng();
      const kind = k < 0.6 ? 'service' : k < 0.95 ? 'visit' : 'meal';
      const i = kind === 'service' ? pickOf(service) : kind === 'visit' ? pickOf(rng() < 0.6 ? visitPlan : visitOther) : pickOf(meal);
      const start = Math.floor(rng() * 600);
      const dur = kind === 'service' ? 30 + Math.floor(rng() * 90) : kind === 'visit' ? 10 + Math.floor(rng() * 50) : 20;
      const s = rng();
      const status = s < 0.02 ? 'voided' : s < 0.17 ? 'recorded' : 'confirmed';
      const ended = at(day, start + dur);
      const performer = 100_000 + Math.floor(rng() * 2000);
      await events.add(
        `bench-${seed}-${String(e).padStart(9, '0')}`,
        kind,
        kind === 'service' ? 'services' : kind === 'visit' ? 'visits' : 'services',
        kind === 'visit' ? null : e,
        performer,
        kind === 'service' ? 'caregiver' : kind === 'visit' ? 'grid_worker' : 'provider',
        first + i,
        people.region[i]!,
        kind === 'visit' ? (rng() < 0.8 ? 'home' : 'phone') : 'home',
        at(day, start),
        ended,
        dur,
        '[]',
        status,
        status === 'confirmed' ? 'person' : null,
        status === 'confirmed' ? performer : null,
        status === 'confirmed' ? ended : null,
        status === 'voided' ? 'entered_in_error' : null,
        status === 'voided' ? 1 : null,
        status === 'voided' ? ended : null,
        performer,
        ended,
      );
    }
    counts.care_events = await events.done();
    await rebuildIndexes(ctx, eventIdx);

    // -- visit plans and dues -------------------------------------------------------------------------
    const members = new Bulk(ctx, 'visit_plan_members', [
      ['person_id', 'int'],
      ['region_code', 'text'],
      ['plan_key', 'text'],
      ['frequency', 'text'],
      ['modes', 'text'],
      ['high_risk', 'int'],
      ['rule', 'text'],
      ['joined_on', 'text'],
    ]);
    const monthStart = `${on.slice(0, 7)}-01`;
    const joined = addMonths(monthStart, -12);
    const highRisk = new Uint8Array(visitPlan.length);
    for (let m = 0; m < visitPlan.length; m++) {
      const i = visitPlan[m]!;
      highRisk[m] = rng() < 0.1 ? 1 : 0;
      await members.add(
        first + i,
        people.region[i]!,
        highRisk[m] ? 'high_risk' : 'monthly',
        highRisk[m] ? 'weekly' : 'monthly',
        '["home","phone","video"]',
        highRisk[m]!,
        'bench',
        joined,
      );
    }
    counts.visit_plan_members = await members.done();
    const memberFirst = Number(
      (
        await ctx.db
          .selectFrom('visit_plan_members')
          .select((eb) => eb.fn.min('id').as('m'))
          .where('rule', '=', 'bench')
          .executeTakeFirstOrThrow()
      ).m,
    );
    const dues = new Bulk(ctx, 'visit_dues', [
      ['member_id', 'int'],
      ['person_id', 'int'],
      ['region_code', 'text'],
      ['plan_key', 'text'],
      ['window_start', 'text'],
      ['window_end', 'text'],
      ['due_date', 'text'],
      ['high_risk', 'int'],
      ['status', 'text'],
      ['done_on', 'text'],
      ['created_at', 'text'],
    ]);
    // monthly plans: a window a month; high-risk plans: a calendar week (Monday to Sunday). Past
    // windows 85 % done (inside the window), the rest missed; windows still open 40 % done so far.
    const addDue = async (m: number, ws: CivilDate, we: CivilDate) => {
      const i = visitPlan[m]!;
      const closed = we < on;
      const done = rng() < (closed ? 0.85 : 0.4);
      const last = closed ? we : addDays(on, -1);
      if (!closed && last < ws) return dues.add(memberFirst + m, first + i, people.region[i]!, 'high_risk', ws, we, we, 1, 'open', null, at(ws, 0));
      return dues.add(
        memberFirst + m,
        first + i,
        people.region[i]!,
        highRisk[m] ? 'high_risk' : 'monthly',
        ws,
        we,
        we,
        highRisk[m]!,
        done ? 'done' : closed ? 'missed' : 'open',
        done ? addDays(ws, Math.floor(rng() * (dayNumber(last) - dayNumber(ws) + 1))) : null,
        at(ws, 0),
      );
    };
    for (let back = 12; back >= 0; back--) {
      const ws = addMonths(monthStart, -back);
      const we = addDays(addMonths(ws, 1), -1);
      for (let m = 0; m < visitPlan.length; m++) if (!highRisk[m]) await addDue(m, ws, we);
    }
    const firstDay = dayNumber(addMonths(monthStart, -12));
    const monday0 = firstDay - ((firstDay - 4 + 7 * 1e6) % 7);
    for (let d = monday0; d <= onDay; d += 7) {
      for (let m = 0; m < visitPlan.length; m++) if (highRisk[m]) await addDue(m, fromDayNumber(d), fromDayNumber(d + 6));
    }
    counts.visit_dues = await dues.done();

    // -- facilities, beds, staff, residents, ratings ----------------------------------------------------
    const facilities: Array<{ kind: string; region: string; beds: number; name: string; ownership: string; hardship: number; grade: string | null }> = [];
    for (const [t, town] of towns.entries()) {
      const rural = Number(town.slice(-3)) >= 100;
      const townLeaves = leaves.filter((l) => l.code.startsWith(town));
      facilities.push({
        kind: 'institution',
        region: town,
        beds: 120 + Math.floor(rng() * 80),
        name: `${t + 1}号敬老院`,
        ownership: 'public',
        hardship: rural ? 1 : 0,
        grade: rng() < 0.8 ? String(1 + Math.floor(rng() * 3)) : null,
      });
      facilities.push({ kind: 'regional_centre', region: town, beds: 0, name: `${t + 1}号区域性养老服务中心`, ownership: 'public', hardship: 0, grade: null });
      for (let p = 0; p < 3; p++) {
        facilities.push({
          kind: 'institution',
          region: townLeaves[Math.floor(rng() * townLeaves.length)]!.code,
          beds: 60 + Math.floor(rng() * 160),
          name: `${t + 1}-${p + 1}号颐养院`,
          ownership: rng() < 0.3 ? 'public_private' : 'private',
          hardship: 0,
          grade: rng() < 0.7 ? String(1 + Math.floor(rng() * 5)) : null,
        });
      }
      for (const l of townLeaves) {
        if (rng() < 0.15)
          facilities.push({
            kind: 'day_care',
            region: l.code,
            beds: 0,
            name: `${l.code.slice(-6)}日间照料中心`,
            ownership: 'public',
            hardship: 0,
            grade: null,
          });
        if (rng() < 0.3)
          facilities.push({
            kind: 'community_station',
            region: l.code,
            beds: 0,
            name: `${l.code.slice(-6)}居家养老服务站`,
            ownership: 'public',
            hardship: 0,
            grade: null,
          });
      }
    }
    const facFirst =
      Number(
        (
          await ctx.db
            .selectFrom('facilities')
            .select((eb) => eb.fn.max('id').as('m'))
            .executeTakeFirst()
        )?.m ?? 0,
      ) + 1;
    const fac = new Bulk(ctx, 'facilities', [
      ['name', 'text'],
      ['kind', 'text'],
      ['ownership', 'text'],
      ['region_code', 'text'],
      ['address', 'text'],
      ['grade', 'text'],
      ['government_work', 'int'],
      ['hardship_home', 'int'],
      ['active', 'int'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ]);
    for (const f of facilities)
      await fac.add(f.name, f.kind, f.ownership, f.region, '示范路 1 号', f.grade, f.ownership === 'public' ? 1 : 0, f.hardship, 1, stamp, stamp);
    counts.facilities = await fac.done();
    const bedFirst =
      Number(
        (
          await ctx.db
            .selectFrom('facility_beds')
            .select((eb) => eb.fn.max('id').as('m'))
            .executeTakeFirst()
        )?.m ?? 0,
      ) + 1;
    const beds = new Bulk(ctx, 'facility_beds', [
      ['facility_id', 'int'],
      ['label', 'text'],
      ['type', 'text'],
      ['added_on', 'text'],
      ['retired_on', 'text'],
    ]);
    const staff = new Bulk(ctx, 'facility_staff', [
      ['facility_id', 'int'],
      ['name', 'text'],
      ['role', 'text'],
      ['employment', 'text'],
      ['fte_pct', 'int'],
      ['certificates', 'text'],
      ['started_on', 'text'],
      ['ended_on', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
    ]);
    const ratings = new Bulk(ctx, 'supervision_ratings', [
      ['target_key', 'text'],
      ['target_name', 'text'],
      ['region_code', 'text'],
      ['computed_on', 'text'],
      ['window_from', 'text'],
      ['window_to', 'text'],
      ['score', 'int'],
      ['grade', 'text'],
      ['capped', 'int'],
      ['explanation', 'text'],
      ['computed_at', 'text'],
    ]);
    const bedList: Array<[number, number]> = []; // [facility id, bed id]
    let bedNo = 0;
    for (const [k, f] of facilities.entries()) {
      const fid = facFirst + k;
      if (f.kind !== 'institution') continue;
      const nursing = 0.55 + rng() * 0.25;
      for (let b = 0; b < f.beds; b++) {
        const type = b < f.beds * nursing ? 'nursing' : b < f.beds * (nursing + 0.05) ? 'dementia' : 'ordinary';
        const addedOn = rng() < 0.1 ? addDays(on, -Math.floor(rng() * 300)) : '2020-01-01';
        await beds.add(fid, `${1 + Math.floor(b / 20)}-${b % 20}`, type, addedOn, null);
        bedList.push([fid, bedFirst + bedNo++]);
      }
      const roles: Array<[string, number]> = [
        ['caregiver', Math.ceil(f.beds / 8)],
        ['nurse', Math.ceil(f.beds / 40)],
        ['social_worker', rng() < 0.7 ? 1 + Math.floor(f.beds / 150) : 0],
        ['manager', 1],
      ];
      for (const [role, n] of roles) {
        for (let s = 0; s < n; s++) {
          // half joined before the plan period (001: from 2021), the rest since, some this year
          const started = rng() < 0.5 ? '2019-06-01' : addDays(on, -Math.floor(rng() * 2000));
          await staff.add(
            fid,
            `员工${fid}-${role}-${s}`,
            role,
            'employed',
            100,
            role === 'caregiver' && rng() < 0.6
              ? JSON.stringify([
                  {
                    kind: '养老护理员',
                    level: '四级',
                    expiresOn: rng() < 0.9 ? addDays(on, Math.floor(rng() * 1500)) : addDays(on, -Math.floor(rng() * 300) - 1),
                  },
                ])
              : role === 'social_worker'
                ? JSON.stringify([{ kind: '社会工作者证', level: '初级', expiresOn: null }])
                : '[]',
            started,
            null,
            stamp,
            stamp,
          );
        }
      }
      const score = 60 + Math.floor(rng() * 40);
      await ratings.add(
        `facility:${fid}`,
        f.name,
        f.region,
        addDays(on, -10),
        addDays(on, -375),
        addDays(on, -11),
        score,
        score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : 'D',
        0,
        '{}',
        stamp,
      );
    }
    counts.facility_beds = await beds.done();
    counts.facility_staff = await staff.done();
    counts.supervision_ratings = await ratings.done();
    const bedCheck = await ctx.db
      .selectFrom('facility_beds')
      .select((eb) => [eb.fn.min('id').as('lo'), eb.fn.countAll().as('n')])
      .where('id', '>=', bedFirst)
      .executeTakeFirstOrThrow();
    if (Number(bedCheck.lo) !== bedFirst || Number(bedCheck.n) !== bedList.length) throw new Error('facility beds ids are not contiguous');
    // residents: ~1 % of the elders (more of the 80+), never more than 90 % of the beds
    const stays = new Bulk(ctx, 'facility_stays', [
      ['facility_id', 'int'],
      ['bed_id', 'int'],
      ['person_id', 'int'],
      ['region_code', 'text'],
      ['since', 'text'],
      ['until_date', 'text'],
      ['began', 'text'],
      ['source', 'text'],
      ['created_at', 'text'],
    ]);
    const residents = Math.min(Math.round(N * 0.01), Math.floor(bedList.length * 0.9));
    const order = bedList.map((_, k) => k).sort(() => rng() - 0.5);
    let placed = 0;
    for (let i = 0; i < N && placed < residents; i += 1 + Math.floor(rng() * 150)) {
      if (!people.active[i]) continue;
      const [fid, bid] = bedList[order[placed]!]!;
      await stays.add(fid, bid, first + i, people.region[i]!, addDays(on, -Math.floor(rng() * 900)), null, 'admission', 'direct', stamp);
      placed++;
    }
    counts.facility_stays = await stays.done();

    // -- services: providers, meal points, family care beds --------------------------------------------
    const provFirst =
      Number(
        (
          await ctx.db
            .selectFrom('service_providers')
            .select((eb) => eb.fn.max('id').as('m'))
            .executeTakeFirst()
        )?.m ?? 0,
      ) + 1;
    const providers = new Bulk(ctx, 'service_providers', [
      ['name', 'text'],
      ['jurisdiction', 'text'],
      ['region_code', 'text'],
      ['kind', 'text'],
      ['active', 'int'],
      ['created_by', 'int'],
      ['created_at', 'text'],
    ]);
    const P = 30;
    for (let p = 0; p < P; p++)
      await providers.add(
        `示范服务商${seed}-${p + 1}`,
        DEMO_COUNTY,
        towns[p % towns.length]!,
        ['home_service', 'canteen', 'family_bed', 'mixed'][p % 4]!,
        1,
        1,
        stamp,
      );
    counts.service_providers = await providers.done();
    const points = new Bulk(ctx, 'meal_points', [
      ['provider_id', 'int'],
      ['region_code', 'text'],
      ['name', 'text'],
      ['kind', 'text'],
      ['serves', 'text'],
      ['active', 'int'],
      ['created_at', 'text'],
    ]);
    for (const [k, l] of leaves.entries()) {
      if (k % 2) continue;
      const serves = [l.code, leaves[k + 1]?.code].filter((c) => c && c.slice(0, 9) === l.code.slice(0, 9));
      await points.add(
        provFirst + (k % P),
        l.code,
        `${l.code.slice(-6)}助餐点`,
        k % 6 === 0 ? 'canteen' : 'delivery_point',
        JSON.stringify(serves),
        rng() < 0.95 ? 1 : 0,
        stamp,
      );
    }
    counts.meal_points = await points.done();
    const fbeds = new Bulk(ctx, 'family_care_beds', [
      ['person_id', 'int'],
      ['provider_id', 'int'],
      ['region_code', 'text'],
      ['status', 'text'],
      ['opened_on', 'text'],
      ['closed_on', 'text'],
      ['adaptation', 'text'],
      ['devices', 'text'],
      ['created_by', 'int'],
      ['created_at', 'text'],
    ]);
    for (let i = 3; i < N; i += 200 + Math.floor(rng() * 266)) {
      if (!people.active[i]) continue;
      const opened = addDays(on, -Math.floor(rng() * 700));
      const closed = rng() < 0.1 ? addDays(on, -Math.floor(rng() * 30) - 1) : null;
      await fbeds.add(
        first + i,
        provFirst + (i % P),
        people.region[i]!,
        closed ? 'closed' : 'active',
        opened,
        closed && closed > opened ? closed : null,
        JSON.stringify([{ item: 'grab_bar', doneOn: opened }]),
        '[]',
        1,
        stamp,
      );
    }
    counts.family_care_beds = await fbeds.done();

    // -- alarms and complaints over the year ----------------------------------------------------------
    const alarms = new Bulk(ctx, 'alarms', [
      ['person_id', 'int'],
      ['region_code', 'text'],
      ['rule_key', 'text'],
      ['kind', 'text'],
      ['priority', 'int'],
      ['state', 'text'],
      ['raised_at', 'text'],
      ['event_count', 'int'],
      ['last_event_at', 'text'],
      ['escalation', 'int'],
      ['acknowledged_at', 'text'],
      ['resolved_at', 'text'],
      ['outcome', 'text'],
      ['version', 'int'],
    ]);
    const A = Math.max(20, Math.round(N * 0.004));
    for (let a = 0; a < A; a++) {
      const i = Math.floor(rng() * N);
      const day = fromDayNumber(onDay - 365 + Math.floor((a * 365) / A));
      const raised = at(day, Math.floor(rng() * 1400));
      const kinds = ['emergency', 'fall', 'service_request', 'no_movement', 'offline', 'battery_low'];
      const kind = kinds[Math.floor(rng() * rng() * kinds.length)]!;
      const open = dayNumber(day) >= onDay - 2 && rng() < 0.5;
      const ack = open ? null : raised.replace(/:00\.000Z$/, ':45.000Z');
      await alarms.add(
        first + i,
        people.region[i]!,
        kind === 'emergency' ? 'sos' : kind,
        kind,
        kind === 'emergency' || kind === 'fall' ? 1 : 3,
        open ? 'raised' : 'resolved',
        raised,
        1,
        raised,
        0,
        ack,
        ack,
        open ? null : rng() < 0.8 ? 'real' : 'false_alarm',
        1,
      );
    }
    counts.alarms = await alarms.done();
    const complaints = new Bulk(ctx, 'complaints', [
      ['tracking_hash', 'text'],
      ['source', 'text'],
      ['target_kind', 'text'],
      ['target_id', 'int'],
      ['category', 'text'],
      ['text_enc', 'text'],
      ['region_code', 'text'],
      ['status', 'text'],
      ['received_at', 'text'],
      ['received_on', 'text'],
      ['due_on', 'text'],
      ['deadline_days', 'int'],
      ['unit_code', 'text'],
      ['replied_at', 'text'],
      ['replied_on', 'text'],
      ['substantiated', 'text'],
      ['closed_at', 'text'],
      ['updated_at', 'text'],
    ]);
    const C = Math.max(15, Math.round(N * 0.003));
    for (let c = 0; c < C; c++) {
      const day = fromDayNumber(onDay - 365 + Math.floor((c * 365) / C));
      const f = Math.floor(rng() * facilities.length);
      const region = facilities[f]!.region;
      const recent = dayNumber(day) >= onDay - 20;
      const closed = !recent || rng() < 0.3;
      const replied = addDays(day, 1 + Math.floor(rng() * (rng() < 0.9 ? 14 : 30)));
      await complaints.add(
        `bench-${seed}-${c}`,
        rng() < 0.7 ? 'public' : 'hotline',
        'facility',
        facFirst + f,
        ['service_quality', 'fees', 'safety', 'attitude', 'other'][c % 5]!,
        placeholder,
        region,
        closed ? 'closed' : 'investigating',
        at(day, 100),
        day,
        addDays(day, 15),
        15,
        region.slice(0, 9),
        closed ? at(replied, 200) : null,
        closed ? replied : null,
        closed ? ['yes', 'no', 'partly'][c % 3]! : null,
        closed ? at(replied, 300) : null,
        stamp,
      );
    }
    counts.complaints = await complaints.done();
    if (sqlite) sqlite.exec('commit');
  } catch (e) {
    if (sqlite?.inTransaction) sqlite.exec('rollback');
    throw e;
  }
  if (sqlite) {
    sqlite.exec('analyze');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma(`cache_size = ${cache}`);
  } else await sql`analyze`.execute(ctx.db);
  return {
    persons: opts.elders,
    personIds: [ids.first, ids.first + opts.elders - 1],
    events: opts.events,
    leaves: leaves.length,
    towns: towns.length,
    counts,
    ms: performance.now() - t0,
  };
}

export interface DayChangesOptions {
  /** the day the changes happen (events start on it, deaths and assessments are dated it) */
  on: CivilDate;
  /** the instant the rows are stamped with (recorded_at, updated_at, created_at): after the last refresh */
  now: string;
  /** the generated persons' first and last id (generateIndicatorData's personIds) */
  personIds: readonly number[];
  seed?: number;
  /** new verified events (default 27,000: a county's day) */
  events?: number;
  /** register edits (default 3,000): 10 % deaths, 15 % moves within the county, 5 % newcomers, the rest attribute edits */
  edits?: number;
  /** new capability assessments (default 300), written to the persons' capability_* as register/capability.ts does */
  assessments?: number;
}

export interface DayChangesSummary {
  events: number;
  deaths: number;
  moves: number;
  newcomers: number;
  attributeEdits: number;
  assessments: number;
  duesDone: number;
  ms: number;
}

/**
 * A day's changes, applied set-wise and stamped `now` as the modules would write them: new events
 * (visits among them closing this month's open dues), deaths, moves, newcomers, attribute edits and
 * assessments. Birthdays crossing 80 are not written: they happen by moving the refresh's day on.
 */
export async function applyDayChanges(ctx: AppContext, opts: DayChangesOptions): Promise<DayChangesSummary> {
  const t0 = performance.now();
  const rng = mulberry32((opts.seed ?? 20) ^ dayNumber(opts.on));
  const lo = opts.personIds[0]!;
  const hi = opts.personIds[opts.personIds.length - 1]!;
  const n = hi - lo + 1;
  const E = opts.events ?? 27_000;
  const EDITS = opts.edits ?? 3_000;
  const AS = opts.assessments ?? 300;
  const now = opts.now;
  const tag = `day-${opts.on}-${now}`;
  const anyId = () => lo + Math.floor(rng() * n);
  const leaves = (await ctx.db.selectFrom('regions').select('code').where('level', '=', 'village').where('code', 'like', `${DEMO_COUNTY}%`).execute()).map(
    (r) => r.code,
  );
  const chunks = <T>(xs: T[], size = 5_000) => Array.from({ length: Math.ceil(xs.length / size) }, (_, k) => xs.slice(k * size, (k + 1) * size));

  return ctx.db.transaction().execute(async (trx) => {
    // this month's open dues: some are done today, by a visit event
    const monthStart = `${opts.on.slice(0, 7)}-01`;
    const open = await trx
      .selectFrom('visit_dues')
      .select(['id', 'person_id', 'region_code'])
      .where('status', '=', 'open')
      .where('window_start', '>=', monthStart)
      .where('window_start', '<=', opts.on)
      .execute();
    const done = open.filter(() => rng() < 0.05).slice(0, Math.floor(E / 3));
    // everyone's region now (the events carry the person's)
    const visitIds = new Set(done.map((d) => d.id));
    const rows: Array<Record<string, unknown>> = [];
    const people: number[] = [];
    for (let e = done.length; e < E; e++) people.push(anyId());
    const regionOf = new Map<number, string>();
    for (const c of chunks(people)) {
      for (const r of await trx.selectFrom('persons').select(['id', 'region_code']).where('id', 'in', c).execute()) regionOf.set(r.id, r.region_code);
    }
    const ev = (k: number, kind: string, person: number, region: string, sourceId: number | null) => {
      const start = 60 + Math.floor(rng() * 500);
      const dur = kind === 'visit' ? 10 + Math.floor(rng() * 50) : 30 + Math.floor(rng() * 90);
      const ended = at(opts.on, start + dur);
      const confirmed = rng() < 0.8;
      return {
        client_id: `${tag}-${k}`,
        kind,
        source: kind === 'visit' ? 'visits' : 'services',
        source_id: sourceId,
        performer_id: 100_000 + Math.floor(rng() * 2000),
        performer_role: kind === 'visit' ? 'grid_worker' : 'caregiver',
        person_id: person,
        region_code: region,
        mode: 'home',
        started_at: at(opts.on, start),
        ended_at: ended,
        duration_minutes: dur,
        findings: '[]',
        status: confirmed ? 'confirmed' : 'recorded',
        confirmed_kind: confirmed ? 'person' : null,
        confirmed_by: confirmed ? 1 : null,
        confirmed_at: confirmed ? now : null,
        recorded_by: 1,
        recorded_at: now,
      };
    };
    let k = 0;
    for (const d of done) rows.push(ev(k++, 'visit', d.person_id, d.region_code, d.id));
    for (const p of people) {
      const region = regionOf.get(p);
      if (!region) continue;
      rows.push(ev(k++, rng() < 0.7 ? 'service' : 'visit', p, region, null));
    }
    await ctx.handle.insertMany(trx, 'care_events', rows as never);
    for (const c of chunks([...visitIds])) {
      await trx
        .updateTable('visit_dues')
        .set({
          status: 'done',
          done_on: opts.on,
          event_id: sql<number>`(select e.id from care_events e where e.source = 'visits' and e.source_id = visit_dues.id and e.client_id like ${`${tag}-%`})`,
        })
        .where('id', 'in', c)
        .execute();
    }

    // register edits
    const deaths = Math.round(EDITS * 0.1);
    const moves = Math.round(EDITS * 0.15);
    const newcomers = Math.round(EDITS * 0.05);
    const attr = EDITS - deaths - moves - newcomers;
    const pickIds = (m: number) => {
      const s = new Set<number>();
      while (s.size < Math.min(m, n)) s.add(anyId());
      return [...s];
    };
    const dying = pickIds(deaths);
    for (const c of chunks(dying)) {
      await trx
        .updateTable('persons')
        .set({ status: 'deceased', closed_on: opts.on, updated_at: now })
        .where('id', 'in', c)
        .where('status', '=', 'active')
        .execute();
    }
    const moving = pickIds(moves);
    for (const id of moving) {
      await trx
        .updateTable('persons')
        .set({ region_code: leaves[Math.floor(rng() * leaves.length)]!, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
    const editing = pickIds(attr);
    const half = Math.floor(editing.length / 2);
    for (const c of chunks(editing.slice(0, half))) {
      await trx
        .updateTable('persons')
        .set({ living_alone: sql<number>`1 - living_alone`, updated_at: now })
        .where('id', 'in', c)
        .execute();
    }
    for (const c of chunks(editing.slice(half))) {
      await trx
        .updateTable('persons')
        .set({ hardship: sql<string>`case when hardship = 'none' then 'dibao' else 'none' end`, updated_at: now })
        .where('id', 'in', c)
        .execute();
    }
    const placeholder = (await trx.selectFrom('persons').select('id_enc').where('id', '=', lo).executeTakeFirstOrThrow()).id_enc;
    const born = Array.from({ length: newcomers }, (_, j) => ({
      id_hash: `${tag}-new-${j}`,
      id_enc: placeholder,
      id_masked: '990101********0000',
      name: `新${SURNAMES[j % SURNAMES.length]}${GIVEN[j % GIVEN.length]}`,
      sex: j % 2 ? 'F' : 'M',
      // a newcomer of 60 to 90
      birth_date: fromDayNumber(dayNumber(opts.on) - Math.floor((60 + rng() * 30) * 365.25)),
      region_code: leaves[Math.floor(rng() * leaves.length)]!,
      provenance: '{}',
      created_at: now,
      updated_at: now,
    }));
    await ctx.handle.insertMany(trx, 'persons', born as never);

    // assessments: the 80+ whose assessment lapsed or never was, first
    const cands = await trx
      .selectFrom('persons')
      .select('id')
      .where('status', '=', 'active')
      .where('birth_date', '<=', addMonths(opts.on, -12 * 80))
      .where((eb) => eb.or([eb('capability_until', 'is', null), eb('capability_until', '<', opts.on)]))
      .where('id', '>=', lo + Math.floor(rng() * (n / 2)))
      .orderBy('id')
      .limit(AS)
      .execute();
    const until = addDays(addMonths(opts.on, 12), -1);
    for (const c of chunks(cands.map((r) => r.id))) {
      await trx
        .updateTable('persons')
        .set({ capability_level: 'mild', capability_on: opts.on, capability_due: until, capability_until: until, updated_at: now })
        .where('id', 'in', c)
        .execute();
    }
    return {
      events: rows.length,
      deaths: dying.length,
      moves: moving.length,
      newcomers: born.length,
      attributeEdits: editing.length,
      assessments: cands.length,
      duesDone: done.length,
      ms: performance.now() - t0,
    };
  });
}
