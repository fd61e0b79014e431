import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { ageOn, type CivilDate } from '../../platform/time.js';
import type { PersonCard, PersonSource, PopulationSource, Since, Span } from '../indicators/contract.js';
import { overIds, selectArrays, selectIds, unionIds } from '../indicators/source-ids.js';
import { bornBy } from './capability.queries.js';

/**
 * The register's indicator sources (issue 20): the population every person indicator is a part of
 * (active elders aged 60 or more on the span's date, with their village), the 80-and-over, and the
 * capability on record that assessment.valid reads — over the register's own table, set-wise, each
 * an index range (register/004-indicator-indexes: birth_date and updated_at; the capability dates
 * read persons_capability alone).
 *
 * Ages are whole years as platform/time.ts ageOn counts them: "aged N on X" is `birth_date <=
 * bornBy(X, N)`, and "reached N in (a, b]" is a birth date in (bornBy(a, N), bornBy(b, N)].
 */

/**
 * The earliest instant from which a person's row may have been written and committed after
 * `since.at`: an import stamps its rows with the moment its apply began (merge.ts ctx.now) and
 * commits them over minutes, so rows of an import running at the last refresh, or finishing after
 * it, carry an updated_at before `since.at`. Reading from that import's start catches them.
 */
async function writtenAfter(db: Executor, since: Since): Promise<string> {
  const row = await db
    .selectFrom('imports')
    .select((eb) => eb.fn.min('started_at').as('at'))
    .where((eb) => eb.or([eb('status', '=', 'applying'), eb('finished_at', '>', since.at)]))
    .executeTakeFirst();
  const at = row?.at as string | null | undefined;
  return at && at < since.at ? at : since.at;
}

/** Persons whose row was written after the last refresh (a new person, an import's change, a closure, a capability). */
export async function personsWrittenSince(ctx: AppContext, db: Executor, since: Since): Promise<number[]> {
  const from = await writtenAfter(db, since);
  // from an import's start inclusive: its rows carry exactly that instant
  return selectIds(
    ctx,
    db,
    db
      .selectFrom('persons')
      .select('id')
      .where('updated_at', from === since.at ? '>' : '>=', from),
  );
}

/** Active persons who reach `age` in (since.on, asOf]: their bit flips with no row written. */
async function reaching(ctx: AppContext, db: Executor, age: number, span: Span, since: Since): Promise<number[]> {
  if (since.on >= span.asOf) return [];
  return selectIds(
    ctx,
    db,
    db
      .selectFrom('persons')
      .select('id')
      .where('birth_date', '>', bornBy(since.on, age))
      .where('birth_date', '<=', bornBy(span.asOf, age))
      .where('status', '=', 'active'),
  );
}

function agedQuery(db: Executor, age: number, on: CivilDate, chunk: readonly number[] | undefined) {
  let q = db.selectFrom('persons').where('birth_date', '<=', bornBy(on, age)).where('status', '=', 'active');
  if (chunk) q = q.where('id', 'in', chunk);
  return q;
}

/**
 * The region codes persons are registered at (SQLite): a skip over the index on region_code, one
 * seek per code rather than a scan of every row.
 */
async function personRegionCodes(ctx: AppContext, db: Executor): Promise<string[]> {
  const rows = await sql<{ c: string | null }>`with recursive r(c) as (
      select min(region_code) from persons
      union all
      select (select min(region_code) from persons where region_code > r.c) from r where r.c is not null
    ) select c from r where c is not null`.execute(db);
  return rows.rows.map((r) => r.c!);
}

const POPULATION_AGE = 60;
const OLDER_AGE = 80;

/**
 * The register's elders: active persons aged 60 or more on span.asOf, with their region (the
 * village, or the region the person is registered at). As the existing figures count them
 * (assessment/coverage.ts, services/coverage.ts): by today's status, so a month recomputed later
 * leaves out a person closed since.
 */
/**
 * Everyone's population answer, kept for the transaction it was read in (a refresh asks for it
 * through population.regions and again through facilities.atHome): a transaction writes no persons
 * while it refreshes, and the next one reads afresh. Not kept for reads outside a transaction.
 */
const everyone = new WeakMap<object, Map<string, Promise<unknown>>>();
function kept<T>(ctx: AppContext, db: Executor, key: string, read: () => Promise<T>): Promise<T> {
  if (db === ctx.db || !db.isTransaction) return read();
  let m = everyone.get(db);
  if (!m) everyone.set(db, (m = new Map()));
  let p = m.get(key) as Promise<T> | undefined;
  if (!p) m.set(key, (p = read()));
  return p;
}

export const population: PopulationSource = {
  key: 'register.population',
  label: { zh: '60岁及以上在册老年人', en: 'Registered elders aged 60 and over' },
  persons: (ctx, db, span, only) =>
    only === undefined
      ? kept(ctx, db, `persons:${span.asOf}`, async () => {
          const pairs = everyone.get(db)?.get(`regions:${span.asOf}`) as Promise<Array<[number, string]>> | undefined;
          if (pairs) return (await pairs).map((p) => p[0]);
          return selectIds(ctx, db, agedQuery(db, POPULATION_AGE, span.asOf, undefined).select('id'));
        })
      : overIds(only, (chunk) => selectIds(ctx, db, agedQuery(db, POPULATION_AGE, span.asOf, chunk).select('id'))),
  regions: (ctx, db, span, only) =>
    only === undefined ? kept(ctx, db, `regions:${span.asOf}`, () => readRegions(ctx, db, span, only)) : readRegions(ctx, db, span, only),
  changedSince: async (ctx, db, span, since) => unionIds(await personsWrittenSince(ctx, db, since), await reaching(ctx, db, POPULATION_AGE, span, since)),
};

async function readRegions(ctx: AppContext, db: Executor, span: Span, only: readonly number[] | undefined): Promise<Array<[number, string]>> {
  if (only === undefined && ctx.dialect === 'sqlite') {
    // SQLite, everyone: one plucked id list per region (persons_capability's region_code, status),
    // each pair sharing its region's string — half the time of a million [id, region] rows
    const out: Array<[number, string]> = [];
    for (const code of await personRegionCodes(ctx, db)) {
      const q = db
        .selectFrom('persons')
        .select('id')
        .where('region_code', '=', code)
        .where('status', '=', 'active')
        .where('birth_date', '<=', bornBy(span.asOf, POPULATION_AGE));
      for (const id of await selectIds(ctx, db, q)) out.push([id, code]);
    }
    return out;
  }
  if (only === undefined) {
    // PostgreSQL, everyone: one row per region with its ids as one text, not a million rows (the
    // client's time per row was most of it: 1.7-2.1 s against 0.3 s on the server)
    const rows = await sql<{ region_code: string; ids: string }>`select region_code, string_agg(id::text, ',') as ids from persons
      where status = 'active' and birth_date <= ${bornBy(span.asOf, POPULATION_AGE)} group by region_code`.execute(db);
    const out: Array<[number, string]> = [];
    for (const r of rows.rows) for (const id of r.ids.split(',')) out.push([Number(id), r.region_code]);
    return out;
  }
  return overIds(only, async (chunk) => {
    const rows = await selectArrays(ctx, db, agedQuery(db, POPULATION_AGE, span.asOf, chunk).select(['id', 'region_code']));
    return rows.map((r) => [Number(r[0]), String(r[1])] as [number, string]);
  });
}

/** Active persons aged 80 or more on span.asOf (seed 001 row 4, 000 §2, 004 §2: 80岁以上老年人). */
export const age80: PersonSource = {
  key: 'register.age80',
  label: { zh: '80岁及以上老年人', en: 'Elders aged 80 and over' },
  persons: (ctx, db, span, only) => overIds(only, (chunk) => selectIds(ctx, db, agedQuery(db, OLDER_AGE, span.asOf, chunk).select('id'))),
  changedSince: async (ctx, db, span, since) => unionIds(await personsWrittenSince(ctx, db, since), await reaching(ctx, db, OLDER_AGE, span, since)),
};

export const registerPersonSources: PersonSource[] = [age80];

/**
 * Persons holding a capability level that counts on `on`: its reference date on or before `on`
 * and its last valid day (capability_until) on or after it — the condition olderCoverage counts
 * (capability.queries.ts), so the 80+ coverage indicator equals GET /api/assessments/coverage.
 * For the assessment module's source (assessment/indicator-persons.ts), which owns the meaning.
 */
export function personsWithValidCapability(ctx: AppContext, db: Executor, on: CivilDate, only?: readonly number[]): Promise<number[]> {
  return overIds(only, (chunk) => {
    let q = db.selectFrom('persons').select('id').where('capability_on', '<=', on).where('capability_until', '>=', on);
    if (chunk) q = q.where('id', 'in', chunk);
    return selectIds(ctx, db, q);
  });
}

/** Persons ever given a capability level on record (any assessment reviewed and not withdrawn). */
export function personsWithCapability(ctx: AppContext, db: Executor, only?: readonly number[]): Promise<number[]> {
  return overIds(only, (chunk) => {
    let q = db.selectFrom('persons').select('id').where('capability_on', 'is not', null);
    if (chunk) q = q.where('id', 'in', chunk);
    return selectIds(ctx, db, q);
  });
}

/**
 * Persons whose capability may count differently on `span.asOf` than at the last refresh with no
 * row written: a level whose reference date falls in (since.on, asOf], or whose validity ends in
 * [since.on, asOf) (valid through capability_until, so it stops counting the day after).
 */
export async function capabilityDatesCrossed(ctx: AppContext, db: Executor, span: Span, since: Since): Promise<number[]> {
  if (since.on >= span.asOf) return [];
  return selectIds(
    ctx,
    db,
    db
      .selectFrom('persons')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('capability_on', '>', since.on), eb('capability_on', '<=', span.asOf)]),
          eb.and([eb('capability_until', '>=', since.on), eb('capability_until', '<', span.asOf)]),
        ]),
      ),
  );
}

/**
 * The cards a drill-down lists: name, masked ID number, sex, age on `on` and region code, in the
 * order of `ids` (an id not on the register is left out). The caller audits the read (auditedRead).
 */
export async function personCards(db: Executor, ids: readonly number[], on: CivilDate): Promise<PersonCard[]> {
  const byId = new Map<number, PersonCard>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('persons')
      .select(['id', 'name', 'id_masked', 'sex', 'birth_date', 'region_code'])
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows) byId.set(r.id, { id: r.id, name: r.name, idMasked: r.id_masked, sex: r.sex, age: ageOn(r.birth_date, on), region: r.region_code });
  }
  return ids.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
}
