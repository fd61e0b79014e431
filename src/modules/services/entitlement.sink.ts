import { registerRunSink, sameMonthRuns, type RunSinkFactory } from '../entitlements/decision-sinks.js';
import { serviceSettingsOf } from './services.settings.js';

/**
 * The entitlement runs' sink: each finished run writes the month's government-purchased service
 * entitlement per person (services.settings `purchased`, 001 专栏1). A person granted several of the
 * purchasing items takes the largest amount (one standard a person, not the sum); `items` lists the
 * purchasing items they hold and the meal items the services read (free delivery, meals.ts). A
 * person granted a free-delivery item (nx-27) and no purchasing item gets a row of 0 fen naming it:
 * the meal price follows the catalogue's grant of that item itself, and 0 fen buys no home service
 * (orders draw nothing: self-paid; entitled.ts lists only rows above 0).
 *
 * Rows are written in each batch's transaction (upsert by month, person and jurisdiction, naming
 * this run), so a resumed run rewrites them the same; at the run's end the month's rows of this
 * jurisdiction's earlier runs that this run did not rewrite are deleted: a person who stopped
 * qualifying loses the month's entitlement (orders already drawn keep their draw; the anomalies
 * check flags a month drawn beyond the new amount). Re-running a month replaces, never adds.
 *
 * Issue 21: each jurisdiction's run writes its own row (`jurisdiction_code`, services/004). A city
 * that pays a home-service item of its own (a city-level allowance) writes a row beside the
 * county's for the same person and month; neither run overwrites or ends the other's. What an
 * order draws on is the sum of the rows (entitlements.ts balanceOf).
 */
let registered = false;

/** Upserts stay well under both databases' parameter limits (7 values a row). */
const CHUNK = 400;

export const serviceEntitlementsSink: RunSinkFactory = async (ctx, run) => {
  // the run's jurisdiction (run.region_code; run.jurisdiction names its catalogue) and its
  // settings, as the run found them when it (re)opened
  const region = ctx.regions.get(run.region_code);
  if (!region) throw new Error(`run ${run.id}: jurisdiction ${run.region_code} is not in the region tree`);
  const settings = serviceSettingsOf(ctx, region.code);
  const amounts = new Map(settings.purchased.map((p) => [p.item, p.amountFen]));
  const extras = settings.meals.freeDeliveryItems;
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
        for (const item of extras) if (item in d.outcome && !items.includes(item)) items.push(item);
        // nothing of either: no row; the free-delivery item alone (seed 002 item 27): a row of 0
        // fen, so the meal price reads the grant (meals.ts) while no home service draws on it
        if (items.length === 0) continue;
        if (amount < 0) amount = 0;
        rows.push({
          period: run.period,
          person_id: d.personId,
          region_code: d.regionCode,
          amount_fen: amount,
          items: JSON.stringify(items),
          run_id: run.id,
          jurisdiction_code: region.code,
        });
      }
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx
          .insertInto('service_entitlements')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['period', 'person_id', 'jurisdiction_code']).doUpdateSet((eb) => ({
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
      // the month's rows of this jurisdiction's earlier runs that this one did not rewrite
      const earlier = await sameMonthRuns(trx, run);
      const gone = earlier.length
        ? await trx
            .deleteFrom('service_entitlements')
            .where('period', '=', run.period)
            .where('run_id', 'in', earlier)
            .where('jurisdiction_code', '=', region.code)
            .executeTakeFirst()
        : { numDeletedRows: 0n };
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
