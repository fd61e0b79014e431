import { periodBounds, type CivilDate } from '../../platform/time.js';

/**
 * Plan periods (visit windows). Civil dates only (Asia/Shanghai, 'YYYY-MM-DD'); both ends of a
 * window are inclusive and its last day is the visit's due date.
 *
 * - monthly: the calendar month containing the day.
 * - weekly, week 'calendar' (the default): Monday to Sunday, the same for every worker, so a
 *   supervisor's count is per week.
 * - weekly, week 'rolling': consecutive 7-day windows counted from an anchor day — the day after
 *   the member's last counted visit, or the day they joined the plan when none counted yet (what
 *   the refresh passes, plans.ts). A visit on day d starts the next window on d + 1; a window
 *   missed is followed by the next 7 days. Without an anchor the window starts on the day itself.
 */
export function windowOf(on: string, frequency: 'weekly' | 'monthly', week: 'calendar' | 'rolling', anchor?: CivilDate): { start: string; end: string } {
  if (frequency === 'monthly') {
    const { start, end } = periodBounds(on.slice(0, 7));
    return { start, end };
  }
  const day = dayNumber(on);
  if (week === 'calendar') {
    // 1970-01-01 (day 0) was a Thursday: Monday is day 4 mod 7
    const monday = day - ((day - 4 + 7 * 1e6) % 7);
    return { start: civilOf(monday), end: civilOf(monday + 6) };
  }
  const a = anchor === undefined ? day : dayNumber(anchor);
  const start = a + Math.floor((day - a) / 7) * 7;
  return { start: civilOf(start), end: civilOf(start + 6) };
}

/** Days since 1970-01-01 of a civil date. */
export function dayNumber(d: CivilDate): number {
  return Math.round(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000);
}

/** The civil date of a day number. */
export function civilOf(n: number): CivilDate {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** A civil date plus some days (negative: before). */
export function plusDays(d: CivilDate, days: number): CivilDate {
  return civilOf(dayNumber(d) + days);
}
