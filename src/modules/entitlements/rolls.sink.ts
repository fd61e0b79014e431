import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import type { RunSinkFactory } from './decision-sinks.js';
import { pausesFor } from './pauses.js';
import { approvedKeys, carryOver } from './rerun.js';

/**
 * Payment rolls (发放名册), the first sink of a run: per cash item and town, a line for each person
 * granted a positive amount. Lines commit with their batch; the rolls are 'pending' until the run
 * finishes (a failed run's partial roll is never shown or paid), then drafts replacing the month's
 * earlier rolls (rerun.ts). A month, item and town with an approved roll gets no line: it is paid once.
 * A person eligible but not payable (no account, an officer's pause: pauses.ts) gets a paused line,
 * with the amount due kept and the reason, paying nothing.
 * Registered by the module's manifest (index.ts).
 */
export const rollsSink: RunSinkFactory = async (ctx, run, cat) => {
  const cash = new Map(cat.items.filter((i) => i.benefit.kind === 'cash_monthly').map((i) => [i.id, i]));
  const towns = new Map<string, string>();
  const townOf = (code: string) => {
    let t = towns.get(code);
    if (t === undefined) {
      t = ctx.regions.town(code)?.code ?? code;
      towns.set(code, t);
    }
    return t;
  };
  // rolls of this run (a resumed run finds the ones already made)
  const rolls = new Map<string, number>();
  for (const r of await ctx.db
    .selectFrom('payment_rolls')
    .select(['id', 'item_id', 'town_code'])
    .where('run_id', '=', run.id)
    .where('kind', '=', 'regular')
    .execute())
    rolls.set(`${r.item_id}|${r.town_code}`, r.id);

  const rollId = async (trx: Transaction<Database>, item: string, town: string): Promise<number> => {
    const k = `${item}|${town}`;
    let id = rolls.get(k);
    // made since this sink opened, by the process that held this town's part before (a run split
    // by town: each roll's town is in one part, made by whichever process worked on it first)
    if (id === undefined) {
      id = (
        await trx
          .selectFrom('payment_rolls')
          .select('id')
          .where('run_id', '=', run.id)
          .where('item_id', '=', item)
          .where('town_code', '=', town)
          .where('kind', '=', 'regular')
          .executeTakeFirst()
      )?.id;
      if (id !== undefined) rolls.set(k, id);
    }
    if (id === undefined) {
      const row = await trx
        .insertInto('payment_rolls')
        .values({
          run_id: run.id,
          period: run.period,
          item_id: item,
          item_name: cash.get(item)!.name,
          town_code: town,
          status: 'pending',
          lines: 0,
          total_fen: 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
      rolls.set(k, id);
    }
    return id;
  };

  return {
    async batch(trx, decided) {
      // read at every batch: a roll may be approved while the run works (finish checks once more)
      const approved = await approvedKeys(trx, run.period);
      const payable = decided.filter((d) => Object.entries(d.outcome).some(([id, amount]) => cash.has(id) && amount > 0)).map((d) => d.personId);
      const paused = await pausesFor(trx, run.period, [...cash.keys()], payable);
      const lines = [];
      for (const d of decided) {
        for (const id in d.outcome) {
          const amount = d.outcome[id]!;
          if (!cash.has(id) || amount <= 0) continue;
          const town = townOf(d.regionCode);
          if (approved.has(`${id}|${town}`)) continue;
          const pause = paused.get(d.personId)?.get(id);
          lines.push({
            roll_id: await rollId(trx, id, town),
            person_id: d.personId,
            region_code: d.regionCode,
            amount_fen: pause ? 0 : amount,
            standard_fen: amount,
            excluded: pause ? 1 : 0,
            remark: pause?.remark ?? null,
            pause: pause?.reason ?? null,
            pause_id: pause?.pauseId ?? null,
          });
        }
      }
      await ctx.handle.insertMany(trx, 'roll_lines', lines);
    },
    async finish(trx) {
      const totals = await trx
        .selectFrom('roll_lines')
        .innerJoin('payment_rolls', 'payment_rolls.id', 'roll_lines.roll_id')
        .select(['roll_lines.roll_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('roll_lines.amount_fen').as('total')])
        .where('payment_rolls.run_id', '=', run.id)
        .groupBy('roll_lines.roll_id')
        .execute();
      for (const t of totals) {
        await trx
          .updateTable('payment_rolls')
          .set({ lines: Number(t.n), total_fen: Number(t.total), status: 'draft' })
          .where('id', '=', t.roll_id)
          .execute();
      }
      // The earlier rolls of the month are replaced by this run's, keeping what people did on them;
      // none is made where a roll of the month, item and town was approved meanwhile.
      return carryOver(trx, run);
    },
  };
};
