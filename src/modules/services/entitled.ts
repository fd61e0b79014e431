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
  // a person entitled by their county and by their city (issue 21) is listed once, with the sum (entitlements.ts balanceOf)
  const rows = await db
    .selectFrom('service_entitlements')
    .select(['person_id', (eb) => eb.fn.max('region_code').as('region_code'), (eb) => eb.fn.sum<number>('amount_fen').as('amount_fen')])
    .where('period', '=', period)
    // a row of 0 fen only names a meal benefit (free delivery, entitlement.sink.ts): not entitled to home services
    .where('amount_fen', '>', 0)
    .where('region_code', '>=', regionPrefix)
    .where('region_code', '<', prefixUpperBound(regionPrefix))
    .groupBy('person_id')
    .orderBy('person_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ personId: r.person_id, regionCode: r.region_code, amountFen: Number(r.amount_fen) }));
}
