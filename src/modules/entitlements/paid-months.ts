import type { Executor } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { periodBounds } from '../../platform/time.js';
import type { ParameterChange } from '../catalogue/parameter-guards.js';

/** The last period with an approved payment roll in a jurisdiction. */
export async function lastApprovedPeriod(db: Executor, jurisdiction: string): Promise<string | null> {
  const row = await db
    .selectFrom('payment_rolls')
    .innerJoin('entitlement_runs', 'entitlement_runs.id', 'payment_rolls.run_id')
    .select((eb) => eb.fn.max('payment_rolls.period').as('period'))
    .where('entitlement_runs.jurisdiction', '=', jurisdiction)
    .where('payment_rolls.status', '=', 'approved')
    .executeTakeFirst();
  return (row?.period as string | null | undefined) ?? null;
}

/**
 * The guard the payment rolls add to parameter changes (the catalogue's guard list, handed in by
 * this module's manifest): a paid month is never rewritten, so a value starts after every month
 * with an approved roll.
 */
export async function notIntoPaidMonth(db: Executor, change: ParameterChange): Promise<void> {
  const paid = await lastApprovedPeriod(db, change.jurisdiction);
  if (paid && change.from <= periodBounds(paid).end) {
    throw new AppError('PARAM_MONTH_PAID', { period: paid, end: periodBounds(paid).end });
  }
}
