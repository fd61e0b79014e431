import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { today } from '../../platform/time.js';

/**
 * What the complaints module tells the modules to its right (supervision's credit ratings), per
 * target: 'facility:<id>' (facilities) or 'provider:<id>' (a home-service provider of services).
 * Complaints about an 'other' target have no key and are left out. Counts only, no personal data.
 */
export type TargetKey = `facility:${number}` | `provider:${number}`;

export function targetKey(kind: string, id: number | null): TargetKey | null {
  if (id === null) return null;
  if (kind === 'facility') return `facility:${id}`;
  if (kind === 'provider') return `provider:${id}`;
  return null;
}

export interface ComplaintCounts {
  /** complaints received in the range */
  received: number;
  /** of those, closed as substantiated: 'yes' or 'partly' (a partly founded complaint still counts against the target) */
  substantiated: number;
  /** of those, replied after their deadline, or not replied and past it today */
  overdue: number;
}

/** Complaints received between from and to (civil dates, inclusive), per target. */
export async function complaintCountsByTarget(db: Executor, range: { from: string; to: string }): Promise<Map<string, ComplaintCounts>> {
  const now = today();
  const rows = await db
    .selectFrom('complaints')
    .select([
      'target_kind',
      'target_id',
      sql<number>`count(*)`.as('received'),
      sql<number>`sum(case when substantiated in ('yes', 'partly') then 1 else 0 end)`.as('substantiated'),
      sql<number>`sum(case when (replied_on is not null and replied_on > due_on) or (replied_on is null and due_on < ${now}) then 1 else 0 end)`.as('overdue'),
    ])
    .where('received_on', '>=', range.from)
    .where('received_on', '<=', range.to)
    .where('target_kind', 'in', ['facility', 'provider'])
    .where('target_id', 'is not', null)
    .groupBy(['target_kind', 'target_id'])
    .execute();
  const out = new Map<string, ComplaintCounts>();
  for (const r of rows) {
    const key = targetKey(r.target_kind, r.target_id);
    if (key) out.set(key, { received: Number(r.received), substantiated: Number(r.substantiated), overdue: Number(r.overdue) });
  }
  return out;
}

export interface Satisfaction {
  /** survey calls answered in the range with the questionnaire filled in */
  responses: number;
  /** the mean of their scores on 0..100 (each answer's four 1-5 scores averaged, 1 → 0, 5 → 100), one decimal */
  meanPercent: number;
}

/**
 * Satisfaction survey results answered between from and to (civil dates, inclusive), per target.
 * A recipient who says the service was not given rates nothing (there was nothing to rate): the
 * answer opens a complaint instead, which complaintCountsByTarget counts.
 */
export async function satisfactionByTarget(db: Executor, range: { from: string; to: string }): Promise<Map<string, Satisfaction>> {
  const rows = await db
    .selectFrom('survey_calls')
    .select(['target_kind', 'target_id', sql<number>`count(*)`.as('responses'), sql<number>`sum(percent)`.as('total')])
    .where('status', '=', 'answered')
    .where('percent', 'is not', null)
    .where('answered_on', '>=', range.from)
    .where('answered_on', '<=', range.to)
    .groupBy(['target_kind', 'target_id'])
    .execute();
  const out = new Map<string, Satisfaction>();
  for (const r of rows) {
    const key = targetKey(r.target_kind, r.target_id);
    const n = Number(r.responses);
    if (key && n > 0) out.set(key, { responses: n, meanPercent: Math.round((Number(r.total) * 10) / n) / 10 });
  }
  return out;
}

/** The percent of four 1-5 scores: their mean mapped 1 → 0, 5 → 100, rounded to a whole number. */
export function scorePercent(scores: readonly number[]): number {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return Math.round(((mean - 1) / 4) * 100);
}
