import type { Executor } from '../../db/database.js';
import { inRegion, type Scope } from '../../platform/scope.js';

/** Counts the workbench (src/modules/workbench) shows of bank payments: aggregates only, no person. */

/** Payments the bank returned as failed in the viewer's region and not yet paid again (the next back-pay roll pays them). */
export async function failedPaymentCount(db: Executor, scope: Scope): Promise<number> {
  const r = await db
    .selectFrom('payment_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'failed')
    .where('reissued_roll_id', 'is', null)
    .where(inRegion(scope, 'payment_lines.region_code'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
