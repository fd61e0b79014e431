import type { Executor } from '../../db/database.js';
import { prefixUpperBound } from '../../db/dialect.js';

/**
 * The persons with a government-purchased service entitlement in a month, in a region subtree, by
 * person id (for the demo's providers to enrol; for issue 20's indicators later). No names: the
 * caller reads those through the register, audited, if it shows them.
 */
export async function entitledPersons(
  db: Executor,
  period: string,
  regionPrefix: string,
  limit = 10_000,
): Promise<{ personId: number; regionCode: string; amountFen: number }[]> {
  const rows = await db
    .selectFrom('service_entitlements')
    .select(['person_id', 'region_code', 'amount_fen'])
    .where('period', '=', period)
    // a row of 0 fen only names a meal benefit (free delivery, entitlement.sink.ts): not entitled to home services
    .where('amount_fen', '>', 0)
    .where('region_code', '>=', regionPrefix)
    .where('region_code', '<', prefixUpperBound(regionPrefix))
    .orderBy('person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ personId: r.person_id, regionCode: r.region_code, amountFen: r.amount_fen }));
}
