import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { periodBounds, today } from '../../platform/time.js';
import type { ParameterChange } from '../catalogue/parameter-guards.js';
import { backpayMonthsSetting, lookbackMonths } from './differences.js';
import { catalogueOwners } from '../catalogue/jurisdictions.js';

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
 * this module's manifest). A paid month is never rewritten: its approved rolls stay as they are.
 * With back-pay on (backpay.months > 0), a value may start in a paid month the next run still
 * looks back on: the run then pays the difference (补发) or lists it for recovery (追回). Before that
 * window, or with back-pay off, a value must start after every paid month.
 */
export async function notIntoPaidMonth(ctx: AppContext, db: Executor, change: ParameterChange): Promise<void> {
  const paid = await lastApprovedPeriod(db, change.jurisdiction);
  if (!paid || change.from > periodBounds(paid).end) return;
  // the back-pay window of the jurisdictions running the catalogue: the shortest, so no county's paid month is rewritten against its own setting
  const owners = catalogueOwners(ctx, change.jurisdiction);
  const months = Math.min(
    ...(owners.length ? owners.map((j) => j.code) : [ctx.regions.top()?.code ?? '']).map((c) => ctx.settings.get(backpayMonthsSetting, c)),
  );
  if (months === 0) throw new AppError('PARAM_MONTH_PAID', { period: paid, end: periodBounds(paid).end });
  // the next run is at least this month's: it looks back `months` before it
  const earliest = lookbackMonths(today().slice(0, 7), months).at(-1)!;
  if (change.from < periodBounds(earliest).start) throw new AppError('PARAM_BEFORE_LOOKBACK', { months, earliest: periodBounds(earliest).start });
}
