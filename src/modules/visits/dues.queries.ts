import type { Executor } from '../../db/database.js';

export interface OpenDue {
  dueId: number;
  personId: number;
  regionCode: string;
  planKey: string;
  windowStart: string;
  windowEnd: string;
  highRisk: boolean;
  modes: string[];
}

/**
 * The open dues whose window contains `on` in a region subtree, with their plan's modes: what a
 * day's work is made of. For the demo's history and the benchmarks; lists for people go through
 * the audited routes.
 */
export async function openDuesOn(db: Executor, on: string, regionPrefix: string): Promise<OpenDue[]> {
  const rows = await db
    .selectFrom('visit_dues as d')
    .innerJoin('visit_plan_members as m', 'm.id', 'd.member_id')
    .select(['d.id', 'd.person_id', 'd.region_code', 'd.plan_key', 'd.window_start', 'd.window_end', 'd.high_risk', 'm.modes'])
    .where('d.status', '=', 'open')
    .where('d.window_start', '<=', on)
    .where('d.window_end', '>=', on)
    .where('d.region_code', '>=', regionPrefix)
    .where('d.region_code', '<', `${regionPrefix}\uffff`)
    .orderBy('d.id')
    .execute();
  return rows.map((r) => ({
    dueId: r.id,
    personId: r.person_id,
    regionCode: r.region_code,
    planKey: r.plan_key,
    windowStart: r.window_start,
    windowEnd: r.window_end,
    highRisk: r.high_risk === 1,
    modes: JSON.parse(r.modes) as string[],
  }));
}

/** Open plan members of a region subtree (person id and region), for assigning a village's people. */
export async function openMembers(db: Executor, regionPrefix: string): Promise<{ personId: number; regionCode: string; highRisk: boolean }[]> {
  const rows = await db
    .selectFrom('visit_plan_members')
    .select(['person_id', 'region_code', 'high_risk'])
    .where('left_on', 'is', null)
    .where('region_code', '>=', regionPrefix)
    .where('region_code', '<', `${regionPrefix}\uffff`)
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, regionCode: r.region_code, highRisk: r.high_risk === 1 }));
}
