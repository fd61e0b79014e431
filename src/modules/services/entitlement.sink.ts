import { registerRunSink, type RunSinkFactory } from '../entitlements/decision-sinks.js';
import { serviceSettingsSetting } from './services.settings.js';

/**
 * The entitlement runs' sink: each finished run writes the month's government-purchased service
 * entitlement per person (services.settings `purchased`, 001 专栏1). A person granted several of the
 * purchasing items takes the largest amount (one standard a person, not the sum); `items` lists the
 * purchasing items they hold and the meal items the services read (free delivery, meals.ts).
 *
 * Rows are written in each batch's transaction (upsert by month and person, naming this run), so a
 * resumed run rewrites them the same; at the run's end the month's rows of earlier runs that this
 * run did not rewrite are deleted: a person who stopped qualifying loses the month's entitlement
 * (orders already drawn keep their draw; the anomalies check flags a month drawn beyond the new
 * amount). Re-running a month replaces, never adds.
 */
let registered = false;

/** Upserts stay well under both databases' parameter limits (7 values a row). */
const CHUNK = 400;

export const serviceEntitlementsSink: RunSinkFactory = async (ctx, run) => {
  // the run's jurisdiction's settings, as the run found them when it (re)opened
  const settings = ctx.settings.get(serviceSettingsSetting, run.jurisdiction);
  const amounts = new Map(settings.purchased.map((p) => [p.item, p.amountFen]));
  const extras = settings.meals.freeDeliveryItems;
  const prefix = ctx.regions.get(run.jurisdiction)?.prefix ?? ctx.regions.jurisdiction()?.prefix ?? '';
  return {
    async batch(trx, decided) {
      const rows = [];
      for (const d of decided) {
        let amount = -1;
        const items: string[] = [];
        for (const [item, fen] of amounts) {
          if (!(item in d.outcome)) continue;
          items.push(item);
          if (fen > amount) amount = fen;
        }
        if (amount < 0) continue;
        for (const item of extras) if (item in d.outcome && !items.includes(item)) items.push(item);
        rows.push({ period: run.period, person_id: d.personId, region_code: d.regionCode, amount_fen: amount, items: JSON.stringify(items), run_id: run.id });
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx
          .insertInto('service_entitlements')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['period', 'person_id']).doUpdateSet((eb) => ({
              region_code: eb.ref('excluded.region_code'),
              amount_fen: eb.ref('excluded.amount_fen'),
              items: eb.ref('excluded.items'),
              run_id: eb.ref('excluded.run_id'),
            })),
          )
          .execute();
      }
    },
    async finish(trx) {
      const gone = await trx
        .deleteFrom('service_entitlements')
        .where('period', '=', run.period)
        .where('run_id', '!=', run.id)
        .where('region_code', 'like', `${prefix}%`)
        .executeTakeFirst();
      const kept = await trx
        .selectFrom('service_entitlements')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('run_id', '=', run.id)
        .executeTakeFirstOrThrow();
      return { serviceEntitlements: Number(kept.n), serviceEntitlementsEnded: Number(gone.numDeletedRows) };
    },
  };
};

export function registerEntitlementSink(): void {
  if (registered) return;
  registered = true;
  registerRunSink('service_entitlements', serviceEntitlementsSink);
}
