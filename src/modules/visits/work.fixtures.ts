import type { Executor } from '../../db/database.js';
import { nowIso } from '../../platform/time.js';

/**
 * Test fixtures of the visits module (not used by the app): plan members and dues written as the
 * refresh would, so tests of assignment, overdue, escalation and the workbench need not run it.
 */
export async function addPlanMember(
  db: Executor,
  m: { personId: number; regionCode: string; planKey?: string; frequency?: 'weekly' | 'monthly'; highRisk?: boolean; joinedOn?: string },
): Promise<number> {
  const highRisk = m.highRisk ?? true;
  const { id } = await db
    .insertInto('visit_plan_members')
    .values({
      person_id: m.personId,
      region_code: m.regionCode,
      plan_key: m.planKey ?? (highRisk ? 'weekly_high_risk' : 'monthly_special'),
      frequency: m.frequency ?? (highRisk ? 'weekly' : 'monthly'),
      modes: JSON.stringify(['home', 'phone', 'video']),
      high_risk: highRisk ? 1 : 0,
      rule: 'test',
      joined_on: m.joinedOn ?? '2026-01-01',
      left_on: null,
      left_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** One due of a member's plan: a window and its status ('missed', 'open', 'done'). */
export async function addDue(
  db: Executor,
  memberId: number,
  d: { windowStart: string; windowEnd: string; status: 'open' | 'done' | 'missed' | 'cancelled'; doneOn?: string },
): Promise<number> {
  const m = await db.selectFrom('visit_plan_members').selectAll().where('id', '=', memberId).executeTakeFirstOrThrow();
  const { id } = await db
    .insertInto('visit_dues')
    .values({
      member_id: m.id,
      person_id: m.person_id,
      region_code: m.region_code,
      plan_key: m.plan_key,
      window_start: d.windowStart,
      window_end: d.windowEnd,
      due_date: d.windowEnd,
      high_risk: m.high_risk,
      status: d.status,
      event_id: null,
      done_on: d.status === 'done' ? (d.doneOn ?? d.windowEnd) : null,
      created_at: nowIso(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Civil date `days` after (negative: before) `on`. */
export function shiftDays(on: string, days: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the calendar week containing `on`. */
export function mondayOf(on: string): string {
  const d = new Date(`${on}T00:00:00Z`);
  return shiftDays(on, -((d.getUTCDay() + 6) % 7));
}
