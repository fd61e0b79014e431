import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { readMarker } from '../../platform/settings.js';
import type { PersonSource, Since } from '../indicators/contract.js';
import { unionIds } from '../indicators/source-ids.js';
import { capabilityDatesCrossed, personsWithCapability, personsWithValidCapability, personsWrittenSince } from '../register/indicator-persons.js';
import { scheduleDatesMarker } from './due.js';

/**
 * The assessment module's indicator sources (issue 20). A reviewed assessment puts its level on the
 * person's register row (register/capability.ts: reference date, due date, last valid day); the
 * 80+ coverage counts those columns (coverage.ts → register olderCoverage), and so do these, through
 * the register's public functions — so the indicator and GET /api/assessments/coverage agree.
 *
 * "Assessed" is read as holding a valid assessment on the date (its reference date on or before it,
 * its level still counting: capability_until, the next due date plus the grace days). `assessment.ever`
 * (any assessment on record) is there for the written-down decision and a reading that wants it.
 */

/**
 * Whether the capability dates of everyone were recomputed after the last refresh (the schedule
 * setting changed: due.ts ensureScheduleDates rewrites capability_due/_until without touching the
 * rows' updated_at, then leaves a marker with the moment it finished).
 */
async function recomputedSince(ctx: AppContext, db: Executor, since: Since): Promise<boolean> {
  const key = scheduleDatesMarker(ctx)?.key;
  if (!key) return false;
  const marker = await readMarker(db, key);
  if (!marker) return false; // not recomputed yet: the rows are as they were
  const at = (JSON.parse(marker) as { at?: string }).at;
  return typeof at !== 'string' || at > since.at;
}

/** A valid capability assessment on span.asOf (001 row 4, 000 §2, 004 §2: 80岁以上老年人能力评估覆盖率). */
export const assessmentValid: PersonSource = {
  key: 'assessment.valid',
  label: { zh: '持有有效能力评估', en: 'Holds a valid capability assessment' },
  persons: (ctx, db, span, only) => personsWithValidCapability(ctx, db, span.asOf, only),
  changedSince: async (ctx, db, span, since) => {
    if (await recomputedSince(ctx, db, since)) return personsWithCapability(ctx, db);
    // a review, a correction or a withdrawal writes the person's row; dates crossing write nothing
    return unionIds(await personsWrittenSince(ctx, db, since), await capabilityDatesCrossed(ctx, db, span, since));
  },
};

/** Any capability assessment on record, valid or lapsed. */
export const assessmentEver: PersonSource = {
  key: 'assessment.ever',
  label: { zh: '做过能力评估', en: 'Ever assessed' },
  persons: (ctx, db, _span, only) => personsWithCapability(ctx, db, only),
  changedSince: (ctx, db, _span, since) => personsWrittenSince(ctx, db, since),
};

export const assessmentPersonSources: PersonSource[] = [assessmentValid, assessmentEver];
