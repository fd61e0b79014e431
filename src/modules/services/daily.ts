import { defineDaily } from '../../platform/daily.js';
import { redetect } from './anomalies.js';

/** The month of a civil date, and the month before it. */
function monthsOf(on: string): [string, string] {
  const [y, m] = on.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return [on.slice(0, 7), prev];
}

/**
 * The exceptions' daily pass (platform/daily.ts: once a civil day across servers): check-in and
 * check-out raise their own exceptions as they arrive; what changes afterwards — an entitlement
 * lowered by a re-run, a certificate found expired — is caught here for this month and the last, so
 * the settlements' list reads stored exceptions instead of detecting a whole month on every view.
 * A provider's month is detected again whenever it is opened, exported or closed (settlement.ts).
 */
export const servicesDaily = defineDaily({
  name: 'services-anomalies',
  run: async (ctx, on) => {
    for (const period of monthsOf(on)) await redetect(ctx, { period });
  },
});
