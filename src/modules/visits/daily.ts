import { defineDaily } from '../../platform/daily.js';
import { refreshPlans } from './plans.js';

/**
 * The plans' daily refresh (platform/daily.ts: once a civil day across servers): membership by
 * rule, the day's dues, missed windows marked, escalations raised (plans.ts).
 */
export const visitPlansDaily = defineDaily({
  name: 'visit-plans',
  run: async (ctx, on) => {
    await refreshPlans(ctx, on);
  },
});
