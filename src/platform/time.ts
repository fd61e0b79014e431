/**
 * Time in one place: civil dates are 'YYYY-MM-DD', periods 'YYYY-MM', instants UTC ISO strings.
 * "Today" is the civil date in the jurisdiction's zone (Asia/Shanghai).
 */
export const ZONE = 'Asia/Shanghai';

export type CivilDate = string;

const civilFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export function nowIso(): string {
  return new Date().toISOString();
}

export function today(at: Date = new Date()): CivilDate {
  return civilFormat.format(at);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCivilDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Age in whole years on a date: a person turns N on their birthday. Someone born on 29 February
 * turns N on 1 March in a common year (the day after 28 February), the rule most Chinese civil
 * affairs offices apply.
 */
export function ageOn(birth: CivilDate, on: CivilDate): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age -= 1;
  return age;
}

/** Parses the dates department files contain: 2024-03-05, 2024/3/5, 20240305, 2024年3月5日. */
export function parseLooseDate(raw: string): CivilDate | null {
  const s = raw.trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const out = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCivilDate(out) ? out : null;
}

/** The first and last day of a period 'YYYY-MM'. */
export function periodBounds(period: string): { start: string; end: string; month: number } {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { start: `${period}-01`, end: `${period}-${String(last).padStart(2, '0')}`, month: m };
}

/** The month after a period 'YYYY-MM'. */
export function nextPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before a period 'YYYY-MM'. */
export function previousPeriod(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
