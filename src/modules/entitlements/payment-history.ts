import type { Locale } from '../../platform/errors.js';
import { notFound } from '../../platform/errors.js';
import type { AppContext } from '../../platform/context.js';
import { auditedRead } from '../../platform/reads.js';
import { requireAction, type Scope } from '../../platform/scope.js';
import { personPermitted } from '../register/people.js';
import { differenceMonths, type DifferenceMonthView } from './differences.js';
import type { RollKind, RollStatus } from './entitlements.schema.js';

/** One line of a person's payment history: a month's payment, or a back-pay or recovery with its months. */
export interface PaymentHistoryLine {
  rollId: number;
  period: string;
  itemId: string;
  itemName: string;
  kind: RollKind;
  status: RollStatus;
  /** what the line says is due (for a difference line: the difference) */
  standardFen: number;
  /** what it pays: 0 when held back */
  amountFen: number;
  excluded: boolean;
  remark: string | null;
  /** approved and not held back: paid (or, for a recovery, to be recovered) */
  settled: boolean;
  months: DifferenceMonthView[] | null;
}

/**
 * A person's payments (the profile's 发放记录): every line on a roll that is not superseded or
 * still being written, newest month first, with the months of back-pay and recovery lines. A read
 * of personal data (amounts paid to a named person), audited.
 */
export async function paymentHistory(ctx: AppContext, scope: Scope, personId: number, locale: Locale = 'zh-CN'): Promise<{ items: PaymentHistoryLine[] }> {
  requireAction(scope, 'entitlements.read');
  const lines = await auditedRead(
    ctx.db,
    scope,
    async (trx) => {
      if (!(await personPermitted(trx, scope, personId))) throw notFound('person');
      return trx
        .selectFrom('roll_lines')
        .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
        .select([
          'payment_rolls.id as roll_id',
          'payment_rolls.period',
          'payment_rolls.item_id',
          'payment_rolls.item_name',
          'payment_rolls.kind',
          'payment_rolls.status',
          'roll_lines.standard_fen',
          'roll_lines.amount_fen',
          'roll_lines.excluded',
          'roll_lines.remark',
        ])
        .where('roll_lines.person_id', '=', personId)
        .where('payment_rolls.status', 'in', ['draft', 'submitted', 'returned', 'approved'])
        .orderBy('payment_rolls.period', 'desc')
        .orderBy('payment_rolls.item_id')
        .orderBy('payment_rolls.kind')
        .limit(500)
        .execute();
    },
    () => ({ action: 'entitlements.payments_read', entityType: 'person', entityId: personId, persons: [personId] }),
  );
  const items: PaymentHistoryLine[] = [];
  for (const l of lines) {
    const months = l.kind === 'regular' ? null : ((await differenceMonths(ctx.db, l.roll_id, [personId], locale)).get(personId) ?? []);
    items.push({
      rollId: l.roll_id,
      period: l.period,
      itemId: l.item_id,
      itemName: l.item_name,
      kind: l.kind,
      status: l.status,
      standardFen: l.standard_fen,
      amountFen: l.amount_fen,
      excluded: l.excluded === 1,
      remark: l.remark,
      settled: l.status === 'approved' && l.excluded === 0,
      months,
    });
  }
  return { items };
}
