import { sql, type RawBuilder } from 'kysely';
import type { Db, Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import type { CivilDate } from '../../platform/time.js';

/**
 * The register's reads for the assessment schedule (assessment/due.ts, coverage.ts, the
 * workbench): who is due for a capability assessment and who of the olderAge (80) and over holds a
 * valid one, counted over the persons' own columns (capability_due / _on / _until, written through
 * register/capability.ts). Nothing here knows the assessment module's tables: the caller hands in
 * the SQL over its own (open requests, assignments) as fragments keyed on the person id.
 *
 * Ages are whole years as platform/time.ts ageOn counts them, so "aged N on X" is the string
 * comparison `birth_date <= bornBy(X, N)` and the day someone reaches N is `birthdayAt(birth, N)`
 * (a 29 February birthday falls on 1 March in other years, as ageOn has it).
 */

/** The latest birth date of someone aged `age` or more on `on`. */
export function bornBy(on: CivilDate, age: number): string {
  return `${String(Number(on.slice(0, 4)) - age).padStart(4, '0')}${on.slice(4)}`;
}

/** The day someone born on `birth` reaches `age` (29 February → 1 March in a common year). */
export function birthdayAt(birth: CivilDate, age: number): CivilDate {
  const y = Number(birth.slice(0, 4)) + age;
  if (birth.slice(5) === '02-29' && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return `${String(y).padStart(4, '0')}-03-01`;
  return `${String(y).padStart(4, '0')}${birth.slice(4)}`;
}

/** SQL: the string of the day the person reaches `age` (sorts as birthdayAt; 02-29 of a common year sorts before 03-01). */
/** A date expression, but not before `start` (the same on both databases: no max()/greatest()). */
const notBefore = (e: RawBuilder<string>, start: CivilDate) => sql<string>`(case when ${e} < ${start} then ${start} else ${e} end)`;
const birthdaySql = (age: number) => sql<string>`((cast(substr(p.birth_date, 1, 4) as integer) + ${sql.lit(age)}) || substr(p.birth_date, 5))`;

const PERSON_ID = sql.ref('p.id');
/** A condition on the person (a fragment over the caller's own tables, keyed on the person id). */
export type PersonCondition = (personId: RawBuilder<unknown>) => RawBuilder<unknown>;

export type DueStateFilter = 'overdue' | 'due_soon' | 'requested' | 'all';

export interface DueSpec {
  /** the list's date */
  on: CivilDate;
  /** the last due date that counts as due soon (on + dueSoonDays) */
  soonUntil: CivilDate;
  /** the age from which a person never assessed is on the schedule */
  olderAge: number;
  /**
   * Never assessed: 'older' due on their olderAge birthday; 'all': everyone from 60 is due now
   * (on their olderAge birthday when that is earlier).
   */
  neverAssessed: 'older' | 'all';
  /** the day the schedule began: no one never assessed is due before it */
  start: CivilDate;
  /** the persons with an open request: `person_id in (…)` over the caller's table */
  requestedIds: RawBuilder<unknown>;
  /** the date a person was asked for (YYYY-MM-DD text; null: not), correlated on the person id */
  requestedOn: PersonCondition;
  state: DueStateFilter;
  /** further conditions (an assessor's assignments, none at all) */
  where?: PersonCondition[];
}

/** A person on the due list as the register holds them. */
export interface DuePerson {
  id: number;
  name: string;
  id_masked: string;
  birth_date: string;
  region_code: string;
  capability_level: string | null;
  capability_on: string | null;
  capability_due: string | null;
  /** the date the list sorts by: the earlier of the request and the scheduled due date */
  due_key: string;
  requested_on: string | null;
}

function dueQuery(db: Executor, scope: Scope, s: DueSpec) {
  const requested = sql<boolean>`p.id in (${s.requestedIds})`;
  // the scheduled due date: the level's, else the olderAge birthday (or today for 'all' under it)
  const scheduled =
    s.neverAssessed === 'all'
      ? sql<string>`case when p.capability_due is not null then p.capability_due when p.birth_date <= ${bornBy(s.on, s.olderAge)} then ${notBefore(birthdaySql(s.olderAge), s.start)} else ${s.on} end`
      : sql<string>`case when p.capability_due is not null then p.capability_due else ${notBefore(birthdaySql(s.olderAge), s.start)} end`;
  const neverBornBy = s.neverAssessed === 'all' ? bornBy(s.on, 60) : bornBy(s.soonUntil, s.olderAge);
  const onSchedule = sql<boolean>`((p.capability_due is not null and p.capability_due <= ${s.soonUntil}) or (p.capability_due is null and p.birth_date <= ${neverBornBy}))`;
  let q = db.selectFrom('persons as p').where('p.status', '=', 'active').where(inRegion(scope, 'p.region_code'));
  switch (s.state) {
    case 'requested':
      q = q.where(requested);
      break;
    case 'overdue':
      q = q
        .where(onSchedule)
        .where(sql<boolean>`not (${requested})`)
        .where(sql<boolean>`${scheduled} < ${s.on}`);
      break;
    case 'due_soon':
      q = q
        .where(onSchedule)
        .where(sql<boolean>`not (${requested})`)
        .where(sql<boolean>`${scheduled} >= ${s.on}`);
      break;
    case 'all':
      q = q.where(sql<boolean>`(${onSchedule} or ${requested})`);
  }
  for (const w of s.where ?? []) q = q.where(w(PERSON_ID) as RawBuilder<boolean>);
  const withRequest = s.state === 'all' || s.state === 'requested';
  const req = s.requestedOn(PERSON_ID) as RawBuilder<string | null>;
  // the request's date only for the few with one (the correlated read runs for those rows alone)
  const key = withRequest ? sql<string>`case when ${requested} and ${req} < ${scheduled} then ${req} else ${scheduled} end` : scheduled;
  const reqOrNull = withRequest ? sql<string | null>`case when ${requested} then ${req} end` : sql<string | null>`null`;
  return { q, key, req: reqOrNull };
}

/** How many persons the due list holds for this spec. */
export async function dueCount(db: Executor, scope: Scope, s: DueSpec): Promise<number> {
  const { q } = dueQuery(db, scope, s);
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One page of the due list, most overdue first (then by id). The sort reads the covering index
 * (register/003-capability-index) alone; only the page's rows are read from the table.
 */
export async function duePage(db: Executor, scope: Scope, s: DueSpec, limit: number, offset: number): Promise<DuePerson[]> {
  const { q, key, req } = dueQuery(db, scope, s);
  const page = await q
    .select(['p.id', key.as('due_key'), req.as('requested_on')])
    .orderBy(sql`due_key`)
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const rows = new Map<number, Omit<DuePerson, 'due_key' | 'requested_on'>>();
  for (let i = 0; i < page.length; i += 500)
    for (const r of await db
      .selectFrom('persons')
      .select(['id', 'name', 'id_masked', 'birth_date', 'region_code', 'capability_level', 'capability_on', 'capability_due'])
      .where(
        'id',
        'in',
        page.slice(i, i + 500).map((p) => p.id),
      )
      .execute())
      rows.set(r.id, r);
  return page.map((p) => ({ ...rows.get(p.id)!, due_key: p.due_key, requested_on: p.requested_on }));
}

/** Counts by region code (the persons' own, villages) of the active persons aged olderAge or more, and of those covered on `on`. */
export async function olderCoverage(
  db: Executor,
  scope: Scope,
  on: CivilDate,
  olderAge: number,
): Promise<{ regionCode: string; older: number; covered: number }[]> {
  const rows = await db
    .selectFrom('persons as p')
    .where('p.status', '=', 'active')
    .where(inRegion(scope, 'p.region_code'))
    .where('p.birth_date', '<=', bornBy(on, olderAge))
    .select([
      'p.region_code',
      (eb) => eb.fn.countAll<number>().as('older'),
      sql<number>`sum(case when p.capability_on <= ${on} and p.capability_until >= ${on} then 1 else 0 end)`.as('covered'),
    ])
    .groupBy('p.region_code')
    .execute();
  return rows.map((r) => ({ regionCode: r.region_code, older: Number(r.older), covered: Number(r.covered ?? 0) }));
}

/** A person's birth date and status, with their capability on record (a request's or an assignment's check). */
export async function capabilityRows(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, { birthDate: string; status: string; regionCode: string; level: string | null; on: string | null; due: string | null }>> {
  const out = new Map<number, { birthDate: string; status: string; regionCode: string; level: string | null; on: string | null; due: string | null }>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('persons')
      .select(['id', 'birth_date', 'status', 'region_code', 'capability_level', 'capability_on', 'capability_due'])
      .where('id', 'in', unique.slice(i, i + 500))
      .execute();
    for (const r of rows)
      out.set(r.id, {
        birthDate: r.birth_date,
        status: r.status,
        regionCode: r.region_code,
        level: r.capability_level,
        on: r.capability_on,
        due: r.capability_due,
      });
  }
  return out;
}

/**
 * After the schedule setting changed: recomputes every person's capability_due and
 * capability_until from their level's reference date and birth date (`dates` is schedule.ts
 * nextDue/validUntil under the new setting), in id batches each in its own transaction. The level
 * and its reference date do not change, so the history (which records levels) is not written.
 * Returns how many rows changed.
 */
export async function recomputeCapabilityDates(
  db: Db,
  // given the person's region: each county's own schedule dates its people
  dates: (birth: CivilDate, on: CivilDate, regionCode: string) => { due: CivilDate; until: CivilDate },
  batch = 5000,
): Promise<number> {
  let cursor = 0;
  let changed = 0;
  for (;;) {
    const rows = await db
      .selectFrom('persons')
      .select(['id', 'birth_date', 'region_code', 'capability_on', 'capability_due', 'capability_until'])
      .where('id', '>', cursor)
      .where('capability_on', 'is not', null)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (!rows.length) return changed;
    cursor = rows[rows.length - 1]!.id;
    await db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const d = dates(r.birth_date, r.capability_on!, r.region_code);
        if (d.due === r.capability_due && d.until === r.capability_until) continue;
        await trx.updateTable('persons').set({ capability_due: d.due, capability_until: d.until }).where('id', '=', r.id).execute();
        changed++;
      }
    });
  }
}
