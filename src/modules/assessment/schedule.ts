import { ageOn, type CivilDate } from '../../platform/time.js';
import type { AssessmentSchedule } from './assessment.settings.js';

/**
 * When an assessment falls due again, and until when its level counts (assessment.settings.ts says
 * why each rule reads as it does). Pure: the review writes both on the record and on the person's row.
 */

/** `date` plus whole months, clamped to the month's last day (2024-02-29 + 12 → 2025-02-28). */
export function addMonths(date: CivilDate, months: number): CivilDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const ny = y + Math.floor(m / 12);
  const nm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  const d = Math.min(Number(date.slice(8, 10)), last);
  return `${String(ny).padStart(4, '0')}-${String(nm + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * The next due date after an assessment on `referenceDate` of someone born on `birthDate`: the
 * shorter interval when the person is `olderAge` or more on the day it would fall due, else the
 * longer one. With `span: 'calendar_year'`, the end of the calendar year the interval ends in.
 */
export function nextDue(birthDate: CivilDate, referenceDate: CivilDate, s: AssessmentSchedule): CivilDate {
  const short = addMonths(referenceDate, s.olderMonths);
  const due = ageOn(birthDate, short) >= s.olderAge ? short : addMonths(referenceDate, s.youngerMonths);
  return s.span === 'calendar_year' ? `${due.slice(0, 4)}-12-31` : due;
}

/** The last day a level counts: its due date plus the grace days. */
export function validUntil(due: CivilDate, s: AssessmentSchedule): CivilDate {
  return addDays(due, s.graceDays);
}
