import type { Executor } from '../../db/database.js';
import { today, type CivilDate } from '../../platform/time.js';
import type { Level } from './instrument/types.js';

/**
 * THE answer to "what is this person's capability level now": the latest reviewed assessment (by
 * reference date, then id) that no reviewed correction has replaced, as long as its level still
 * counts (valid_until on or after the day asked about). Everything that needs the level (the
 * profile, the verification page, the person's row through register/capability.ts) agrees with it.
 */
export interface CurrentCapability {
  assessmentId: number;
  level: Level;
  referenceDate: CivilDate;
  nextDue: CivilDate;
  validUntil: CivilDate;
}

/** The person's latest reviewed assessment not superseded by a reviewed correction, valid or not; null when none. */
export async function latestReviewed(db: Executor, personId: number): Promise<CurrentCapability | null> {
  const row = await db
    .selectFrom('assessments as a')
    .select(['a.id', 'a.final_level', 'a.reference_date', 'a.next_due', 'a.valid_until'])
    .where('a.person_id', '=', personId)
    .where('a.status', '=', 'reviewed')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('assessments as c').select('c.id').whereRef('c.supersedes_id', '=', 'a.id').where('c.status', '=', 'reviewed'))),
    )
    .orderBy('a.reference_date', 'desc')
    .orderBy('a.id', 'desc')
    .executeTakeFirst();
  if (!row || !row.final_level || !row.next_due || !row.valid_until) return null;
  return { assessmentId: row.id, level: row.final_level as Level, referenceDate: row.reference_date, nextDue: row.next_due, validUntil: row.valid_until };
}

/** The person's current capability level on a day (today by default), or null: none reviewed, or the latest has expired. */
export async function currentCapability(db: Executor, personId: number, on: CivilDate = today()): Promise<CurrentCapability | null> {
  const latest = await latestReviewed(db, personId);
  return latest && latest.validUntil >= on ? latest : null;
}
