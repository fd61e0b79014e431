import { sql, type Kysely } from 'kysely';

/**
 * Fewer indexes on visit_dues, so the daily refresh writes less (issue 16, the month's turn writes
 * half a million dues and marks as many missed). Recorded as 'visits/002-dues-indexes'.
 *
 * - visit_dues_person (person_id, window_end) goes: the unique (person_id, window_start, plan_key)
 *   already leads with the person, and a person has a few dues a month.
 * - visit_dues_window (window_end, status) becomes (window_end): the month's rate and the
 *   escalations read by the window's end, but it no longer changes with every status change. The
 *   open dues (the ones the refresh marks missed, batch by batch, by person) get a partial index,
 *   which holds only the open dues (about one per plan member) and loses a due when it is marked.
 * - visit_dues_region (region_code, status, window_end) becomes (region_code, window_end): marking
 *   half a million dues missed on a month's first day no longer rewrites their region entries
 *   (SQLite maintains only the indexes of the columns changed); the region's reads filter the
 *   status from the rows they read anyway.
 * Works on an existing database on both dialects (drop if it exists, create if it does not).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists visit_dues_person`.execute(db);
  await sql`drop index if exists visit_dues_window`.execute(db);
  await sql`create index visit_dues_window on visit_dues (window_end)`.execute(db);
  await sql`drop index if exists visit_dues_region`.execute(db);
  await sql`create index visit_dues_region on visit_dues (region_code, window_end)`.execute(db);
  await sql`create index if not exists visit_dues_open on visit_dues (person_id, window_end) where status = 'open'`.execute(db);
}
