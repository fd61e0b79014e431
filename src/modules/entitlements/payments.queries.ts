import type { Executor } from '../../db/database.js';
import type { RollRow } from '../../db/tables.js';
import { inRegion, type Scope } from '../../platform/scope.js';

/**
 * The rolls' public reads for the payments module (bank disbursement and reconciliation, to the
 * right on the data path): approved rolls in the viewer's region and their lines. Payments never
 * query payment_rolls or roll_lines themselves.
 */

export interface ApprovedRoll {
  id: number;
  period: string;
  itemId: string;
  itemName: string;
  /** regular (the month's payment), backpay or recovery (differences for earlier months) */
  kind: string;
  townCode: string;
  lines: number;
  totalFen: number;
  checkedAt: string | null;
  checkedByName: string | null;
  madeByName: string | null;
}

const present = (r: RollRow): ApprovedRoll => ({
  id: r.id,
  period: r.period,
  itemId: r.item_id,
  itemName: r.item_name,
  kind: r.kind,
  townCode: r.town_code,
  lines: r.lines,
  totalFen: r.total_fen,
  checkedAt: r.checked_at,
  checkedByName: r.checked_by_name,
  madeByName: r.made_by_name,
});

/**
 * An approved roll that pays (a month's payment or a back-pay) in the viewer's region, or undefined
 * (not found, out of scope, not approved, or a recovery list: amounts to recover, never paid out).
 */
export async function approvedRoll(db: Executor, scope: Scope, id: number): Promise<ApprovedRoll | undefined> {
  const r = await db
    .selectFrom('payment_rolls')
    .selectAll()
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .where('kind', '!=', 'recovery')
    .where(inRegion(scope, 'payment_rolls.town_code'))
    .executeTakeFirst();
  return r ? present(r) : undefined;
}

/** Whether a roll with this id exists in the viewer's region at all, approved or not; and its kind. */
export async function rollVisible(db: Executor, scope: Scope, id: number): Promise<{ kind: string } | undefined> {
  return db.selectFrom('payment_rolls').select('kind').where('id', '=', id).where(inRegion(scope, 'payment_rolls.town_code')).executeTakeFirst();
}

/** The approved rolls in the viewer's region, newest month first (optionally of one month). */
export async function approvedRolls(db: Executor, scope: Scope, opts: { period?: string; limit?: number } = {}): Promise<ApprovedRoll[]> {
  let q = db
    .selectFrom('payment_rolls')
    .selectAll()
    .where('status', '=', 'approved')
    .where('kind', '!=', 'recovery')
    .where(inRegion(scope, 'payment_rolls.town_code'));
  if (opts.period) q = q.where('period', '=', opts.period);
  const rows = await q
    .orderBy('period', 'desc')
    .orderBy('town_code')
    .orderBy('item_id')
    .limit(opts.limit ?? 500)
    .execute();
  return rows.map(present);
}

export interface RollLineOfRoll {
  personId: number;
  regionCode: string;
  amountFen: number;
  excluded: boolean;
}

/** A roll's lines (every line, held-back ones marked excluded), in region and person order. */
export async function rollLinesOf(db: Executor, rollId: number): Promise<RollLineOfRoll[]> {
  const rows = await db
    .selectFrom('roll_lines')
    .select(['person_id', 'region_code', 'amount_fen', 'excluded'])
    .where('roll_id', '=', rollId)
    .orderBy('region_code')
    .orderBy('person_id')
    .execute();
  return rows.map((r) => ({ personId: r.person_id, regionCode: r.region_code, amountFen: r.amount_fen, excluded: r.excluded === 1 }));
}

/**
 * Failed payments to pay again: the payments module (to the right) knows them, so it hands its
 * functions in at start (payments/index.ts), as the runs' sinks are handed in. The rolls' sink
 * reads them inside a run's batch transaction and marks the lines it put into a roll.
 */
export interface FailedPaymentLine {
  /** the payment line's id, handed back to markReissued */
  lineId: number;
  personId: number;
  regionCode: string;
  /** the month and item the failed payment was for */
  period: string;
  itemId: string;
  amountFen: number;
  /** the approved roll it failed in */
  rollId: number;
  bankCode: string | null;
  reason: string | null;
}

export interface FailedPaymentsSource {
  /** failed, not yet re-issued payments in a region subtree (a jurisdiction's prefix), oldest month first */
  failedUnreissued(db: Executor, regionPrefix: string): Promise<FailedPaymentLine[]>;
  /** marks them as carried by a later roll; returns how many were still waiting */
  markReissued(db: Executor, lineIds: readonly number[], intoRollId: number): Promise<number>;
  /** a roll that carried them was superseded or dropped before approval: they wait again; returns how many */
  releaseReissued(db: Executor, rollId: number): Promise<number>;
}

let failedPayments: FailedPaymentsSource | null = null;

/** Called by the payments module at start (idempotent: the last registration wins). */
export function registerFailedPayments(source: FailedPaymentsSource): void {
  failedPayments = source;
}

/** The failed payments' source, or null where no payments module runs (nothing to re-issue). */
export function failedPaymentsSource(): FailedPaymentsSource | null {
  return failedPayments;
}
