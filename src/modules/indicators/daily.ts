import type { AppContext } from '../../platform/context.js';
import { defineDaily } from '../../platform/daily.js';
import { everywhere } from '../../platform/scope.js';
import { periodBounds, previousPeriod } from '../../platform/time.js';
import { backfillMonths, lastRefresh, refreshIndicators } from './refresh.js';
import type { Registry } from './engine.js';

/**
 * The nightly refresh. The current month: incremental (full the first time, or when the person
 * sources changed). The month before: once it has closed, recomputed in full one time at its last
 * day (its last refresh held at a day inside it); after that incremental, which catches late
 * entries (an event recorded in the new month for a day of the old one) exactly. Months older than
 * that are frozen as last computed; `yiyang indicators refresh --period YYYY-MM --full` (or the
 * console's refresh) recomputes one on purpose. Then every month of the last 12 never computed
 * (a new install, a gap) is computed in full, oldest first (backfillMonths); returns those months.
 */
export async function nightlyRefresh(ctx: AppContext, on: string, registry?: Registry, now: Date = new Date()): Promise<string[]> {
  const month = on.slice(0, 7);
  const before = previousPeriod(month);
  const last = await lastRefresh(ctx.db, before);
  if (last) {
    await refreshIndicators(ctx, { period: before, full: last.as_of !== periodBounds(before).end, registry, scope: everywhere('daily'), now });
  }
  await refreshIndicators(ctx, { period: month, registry, scope: everywhere('daily'), now });
  return backfillMonths(ctx, { registry, now, scope: everywhere('daily') });
}

defineDaily({
  name: 'indicators.refresh',
  run: async (ctx, on) => {
    const t = Date.now();
    const filled = await nightlyRefresh(ctx, on);
    // counts and months only: nothing personal
    if (filled.length)
      console.log(`Indicators: computed ${filled.length} earlier month(s) (${filled[0]} to ${filled.at(-1)}) in ${((Date.now() - t) / 1000).toFixed(1)} s.`);
  },
});
