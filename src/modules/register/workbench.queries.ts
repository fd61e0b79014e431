import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';

/** Counts the workbench (src/modules/workbench) shows of the register: aggregates only, no person. */

/** The age bands of the workbench's figures, youngest first; an age below the first band is not counted. */
export const AGE_BANDS = [
  { band: '60-69', min: 60 },
  { band: '70-79', min: 70 },
  { band: '80-89', min: 80 },
  { band: '90-99', min: 90 },
  { band: '100+', min: 100 },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['band'];

/** The latest birth date of someone aged `years` or more on `on` (civil dates compare as text). */
function bornBy(on: string, years: number): string {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  // 29 February: one is a year older on 1 March in a common year, so the latest birth date is 28 February
  const day = m === 2 && d === 29 ? 28 : d;
  return `${String(y - years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Active persons in the viewer's region by region code and age band on `on`. */
export async function activeByRegionAndAgeBand(db: Executor, scope: Scope, on: string): Promise<{ regionCode: string; band: AgeBand; n: number }[]> {
  // oldest band first: the first cut-off a birth date is on or before names its band
  const cases = [...AGE_BANDS].reverse().map((b) => sql`when persons.birth_date <= ${bornBy(on, b.min)} then ${b.band}`);
  const band = sql<AgeBand | null>`case ${sql.join(cases, sql` `)} else null end`;
  const rows = await db
    .selectFrom('persons')
    .select(['persons.region_code', band.as('band'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('persons.status', '=', 'active')
    .where(inRegion(scope, 'persons.region_code'))
    // by position: PostgreSQL would not see the CASE with its own parameters as the selected one
    .groupBy([sql`1`, sql`2`])
    .execute();
  return rows.filter((r) => r.band !== null).map((r) => ({ regionCode: r.region_code, band: r.band as AgeBand, n: Number(r.n) }));
}

/** Open conflicts (an incoming value that differs from the register's) on persons in the viewer's region. */
export async function openConflictCount(db: Executor, scope: Scope): Promise<number> {
  const r = await db
    .selectFrom('attribute_conflicts')
    .innerJoin('persons', 'persons.id', 'attribute_conflicts.person_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('attribute_conflicts.status', '=', 'open')
    .where(inRegion(scope, 'persons.region_code'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Imports into the viewer's region that failed or whose file was rejected, started at or after `since` (ISO). */
export async function failedImportCount(db: Executor, scope: Scope, since: string): Promise<number> {
  const r = await db
    .selectFrom('imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', 'in', ['failed', 'rejected'])
    .where('started_at', '>=', since)
    .where(inRegion(scope, 'imports.region_code'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The latest imports into the viewer's region: what came in, when, how it ended (no person). */
export function recentImports(db: Executor, scope: Scope, limit: number) {
  return db
    .selectFrom('imports')
    .select(['id', 'source', 'status', 'started_at', 'finished_at', 'created', 'updated', 'conflicts'])
    .where(inRegion(scope, 'imports.region_code'))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
