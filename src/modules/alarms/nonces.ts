import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { vendorIngestLimitsOf } from './alarms.settings.js';

/**
 * Vendors' nonces (issue 18): a signed request's nonce is claimed once per vendor — insert-or-refuse
 * on the primary key (vendor_id, nonce), so two concurrent replays cannot both pass — and kept for
 * twice the signature window. Why twice: a request is accepted while its timestamp is within ±window
 * of our clock, so a request seen at t may carry a timestamp as late as t + window and stay
 * replayable until t + 2 × window; a nonce dropped earlier could be replayed.
 */

/** Claims the nonce for the vendor: true the first time, false for a replay. */
export async function claimNonce(db: Executor, vendorId: number, nonce: string, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('alarm_nonces')
    .values({ vendor_id: vendorId, nonce, seen_at: now.toISOString() })
    .onConflict((oc) => oc.columns(['vendor_id', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return row !== undefined;
}

/** Drops the nonces no request can replay any more (older than twice the window); the clock calls it. Returns how many. */
export async function purgeNonces(ctx: AppContext, now: Date = new Date()): Promise<number> {
  const keepMs = 2 * vendorIngestLimitsOf(ctx).signatureWindowSeconds * 1000;
  const r = await ctx.db
    .deleteFrom('alarm_nonces')
    .where('seen_at', '<', new Date(now.getTime() - keepMs).toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
