import type { Database } from '../../db/tables.js';
import type { RunSinkFactory } from './decision-sinks.js';
import { findDifferences, type MonthDifference } from './differences.js';
import type { RollKind } from './entitlements.schema.js';

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
      if (g.kind === 'backpay') backpay += lines.length;
      else recovery += lines.length;
    }
    return { backpayLines: backpay, recoveryLines: recovery };
  },
});
