import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import { visitorOnly, workerPersons } from './assignments.js';
import { escalationsQuery } from './escalation.js';
import { followupsQuery } from './followups.js';
import { overduePersons } from './overdue.js';
import { visitRate, type VisitRate } from './rate.js';
import { visitSettingsOf } from './visits.settings.js';

/**
 * The visits block of the workbench (issue 16), counts only (no one is named): this month's and last
 * month's visit rate (rate.ts, the one formula) over the viewer's region — a grid worker's or volunteer's over
 * their people; persons overdue now and how many of them high-risk; escalations not closed (the
 * village head's card); follow-ups not closed (the hotline operator's queue: hotline tickets); and
 * for a visitor the persons still to visit in the window containing today.
 */
export interface VisitsWorkbench {
  month: string;
  rate: VisitRate;
  /** last month's rate, the same formula over the whole month (on the 1st this month's has little in it yet) */
  rateLastMonth: VisitRate & { month: string };
  targetPercent: number;
  overdue: number;
  overdueHighRisk: number;
  escalationsOpen: number;
  followupsOpen: number;
  /** a grid worker's or volunteer's persons with a due open in today's window; null for other roles */
  myDueToday: number | null;
}

export async function visitsWorkbench(ctx: AppContext, db: Executor, scope: Scope, on: string = today()): Promise<VisitsWorkbench> {
  const month = on.slice(0, 7);
  const visitor = visitorOnly(scope);
  const whose = visitor ? { workerId: scope.userId ?? -1 } : {};
  const rate = await visitRate(db, scope, month, on, whose);
  const lastMonth = previousPeriod(month);
  const rateLastMonth = { month: lastMonth, ...(await visitRate(db, scope, lastMonth, on, whose)) };
  const overdue = await overduePersons(db, scope, {}, on);
  const esc = await escalationsQuery(db, scope, 'active')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const fol = await followupsQuery(db, scope, { status: 'active' })
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let myDueToday: number | null = null;
  if (visitor) {
    const r = await db
      .selectFrom('visit_dues')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'open')
      .where('window_start', '<=', on)
      .where('window_end', '>=', on)
      .where('person_id', 'in', workerPersons(scope.userId ?? -1))
      .executeTakeFirstOrThrow();
    myDueToday = Number(r.n);
  }
  return {
    month,
    rate,
    rateLastMonth,
    targetPercent: visitSettingsOf(ctx, scope.regionCode).rateTargetPercent,
    overdue: overdue.length,
    overdueHighRisk: overdue.filter((p) => p.highRisk).length,
    escalationsOpen: Number(esc.n),
    followupsOpen: Number(fol.n),
    myDueToday,
  };
}
