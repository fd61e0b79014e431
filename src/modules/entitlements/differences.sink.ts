import type { Transaction } from 'kysely';
import type { Database, RunRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import type { RunSinkFactory } from './decision-sinks.js';
import { findDifferences, type DifferenceReason, type MonthDifference } from './differences.js';
import type { RollKind } from './entitlements.schema.js';
import { failedPaymentsSource } from './payments.queries.js';

/**
 * The difference rolls of a run (补发 / 追回): at its end, in its closing transaction, the
 * differences over the approved months it looks back on, as one back-pay and one recovery roll per
 * item and town, a line per person (the months summed, never netted against this month's payment
 * or between back-pay and recovery), each month kept with its reasons. They are drafts made by the
 * run like its regular rolls, go through the same maker-checker steps, and are replaced the same way
 * when the month is run again. Registered before the regular rolls' sink, whose end carries over
 * and supersedes the month's earlier rolls, these included.
 */
export const differencesSink: RunSinkFactory = async (ctx, run, cat) => ({
  async batch() {},
  async finish(trx) {
    const found = await findDifferences(ctx, trx, run);
    await withFailedPayments(ctx, trx, run, found);
    const names = new Map(cat.items.map((i) => [i.id, i.name]));
    const groups = new Map<string, { kind: RollKind; item: string; town: string; lines: Map<number, MonthDifference[]> }>();
    for (const d of found) {
      const kind: RollKind = d.dueFen > d.paidFen ? 'backpay' : 'recovery';
      const town = ctx.regions.town(d.regionCode)?.code ?? d.regionCode;
      const k = `${kind}|${d.itemId}|${town}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { kind, item: d.itemId, town, lines: new Map() }));
      g.lines.set(d.personId, [...(g.lines.get(d.personId) ?? []), d]);
    }
    let backpay = 0;
    let recovery = 0;
    for (const g of groups.values()) {
      const lines = [...g.lines.entries()].map(([personId, months]) => ({
        personId,
        region: months[0]!.regionCode,
        amount: Math.abs(months.reduce((s, m) => s + m.dueFen - m.paidFen, 0)),
        months,
      }));
      const total = lines.reduce((s, l) => s + l.amount, 0);
      const roll = await trx
        .insertInto('payment_rolls')
        .values({
          run_id: run.id,
          period: run.period,
          item_id: g.item,
          item_name: names.get(g.item) ?? g.item,
          town_code: g.town,
          kind: g.kind,
          status: 'draft',
          lines: lines.length,
          total_fen: total,
          made_by: null,
          made_by_name: null,
          made_at: null,
          checked_by: null,
          checked_by_name: null,
          checked_at: null,
          note: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await ctx.handle.insertMany(
        trx,
        'roll_lines',
        lines.map((l) => ({
          roll_id: roll.id,
          person_id: l.personId,
          region_code: l.region,
          amount_fen: l.amount,
          standard_fen: l.amount,
          excluded: 0,
          remark: null,
        })),
      );
      const months: Database['difference_months'][] = lines.flatMap((l) =>
        l.months.map((m) => ({
          roll_id: roll.id,
          person_id: l.personId,
          item_id: g.item,
          month: m.month,
          due_fen: m.dueFen,
          paid_fen: m.paidFen,
          reasons: JSON.stringify(m.reasons),
        })),
      );
      await ctx.handle.insertMany(trx, 'difference_months', months);
      // the failed payments this roll pays again are its now (released if it is superseded before approval)
      const reissued = lines.flatMap((l) => l.months.flatMap((m) => m.failedLineIds ?? []));
      if (reissued.length) await failedPaymentsSource()!.markReissued(trx, reissued, roll.id);
      if (g.kind === 'backpay') backpay += lines.length;
      else recovery += lines.length;
    }
    return { backpayLines: backpay, recoveryLines: recovery };
  },
});

/**
 * Payments the bank returned as failed are paid again in the back-pay roll of the next run: as a
 * month whose payment did not arrive (its approved line counted it paid). The payments module hands
 * them in (entitlements/payments.queries.ts). What this month's earlier back-pay rolls carried, not
 * approved and about to be superseded, waits again first; an item and town whose back-pay roll of
 * the month is approved already keeps them for the next month.
 */
async function withFailedPayments(ctx: AppContext, trx: Transaction<Database>, run: RunRow, found: MonthDifference[]): Promise<void> {
  const src = failedPaymentsSource();
  const prefix = ctx.regions.get(run.region_code)?.prefix;
  if (!src || prefix === undefined) return;
  // this jurisdiction's earlier back-pay rolls of the month (another county's are its own)
  const older = await trx
    .selectFrom('payment_rolls')
    .innerJoin('entitlement_runs', 'entitlement_runs.id', 'payment_rolls.run_id')
    .select(['payment_rolls.id', 'payment_rolls.item_id', 'payment_rolls.town_code', 'payment_rolls.status'])
    .where('payment_rolls.period', '=', run.period)
    .where('payment_rolls.kind', '=', 'backpay')
    .where('payment_rolls.run_id', '!=', run.id)
    .where('entitlement_runs.region_code', '=', run.region_code)
    .execute();
  for (const o of older) if (o.status !== 'approved' && o.status !== 'superseded') await src.releaseReissued(trx, o.id);
  const approved = new Set(older.filter((o) => o.status === 'approved').map((o) => `${o.item_id}|${o.town_code}`));
  const byKey = new Map(found.map((d) => [`${d.personId}|${d.itemId}|${d.month}`, d]));
  for (const f of await src.failedUnreissued(trx, prefix)) {
    const town = ctx.regions.town(f.regionCode)?.code ?? f.regionCode;
    if (approved.has(`${f.itemId}|${town}`)) continue;
    const reason: DifferenceReason = { kind: 'payment_failed', rollId: f.rollId, bankCode: f.bankCode, reason: f.reason };
    const known = byKey.get(`${f.personId}|${f.itemId}|${f.period}`);
    if (known) {
      // the month's difference counted the failed payment as paid: it was not
      known.paidFen -= f.amountFen;
      known.reasons.push(reason);
      known.failedLineIds = [...(known.failedLineIds ?? []), f.lineId];
    } else {
      const d: MonthDifference = {
        personId: f.personId,
        regionCode: f.regionCode,
        itemId: f.itemId,
        month: f.period,
        dueFen: f.amountFen,
        paidFen: 0,
        reasons: [reason],
        failedLineIds: [f.lineId],
      };
      found.push(d);
      byKey.set(`${f.personId}|${f.itemId}|${f.period}`, d);
    }
  }
}
