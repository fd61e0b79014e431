import type { Db } from '../../db/database.js';
import { ensureMonthPartitions, monthsAhead } from '../../db/partitions.js';
import { defineDaily } from '../../platform/daily.js';

/**
 * On PostgreSQL the verified events are partitioned by month (migrations/003-partition-by-month):
 * the partitions of this month and the next two are made at every start and once a day, so that an
 * event lands in its month's partition; one outside them (a device whose clock was far off, a server
 * not restarted for three months without its daily pass) lands in the DEFAULT partition and is moved
 * into its month's when that partition is made. Nothing on SQLite.
 */
export const MONTHS_AHEAD = 2;

export function ensureCareEventPartitions(db: Db, now: Date = new Date()): Promise<string[]> {
  return ensureMonthPartitions(db, 'care_events', monthsAhead(MONTHS_AHEAD, now));
}

defineDaily({
  name: 'care-events-partitions',
  run: async (ctx) => {
    await ensureCareEventPartitions(ctx.db);
  },
});
