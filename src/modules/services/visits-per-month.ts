import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { personLabels } from '../register/people.js';
import { serviceSettingsOf, type ServiceSettings } from './services.settings.js';

/**
 * "2-4 visits a month" (seed 001 专栏1): each purchasing catalogue item's `visitsPerMonth` is the
 * number of visits its monthly amount buys (Nanxun's defaults: nx-15's 50 yuan two visits, nx-11's
 * 120 yuan four). A person holding several takes the item of the largest amount (the sink's rule,
 * entitlement.sink.ts; on a tie, the most visits). 0 sets no number. The number is used both ways:
 *
 * - a maximum: an order beyond it in the month draws nothing from the entitlement — it is self-paid
 *   (orders.ts; the console asks for the self-paid tick as for a balance used up), so the money is
 *   spread over the visits it was meant for instead of spent on one long order early in the month;
 *   the entitlement's reply says visitsUsed / visitsAllowed and a balance of 0 once they are used;
 * - a minimum: once the month has ended, a person a provider served that month with fewer visits
 *   done (checked out, whichever provider made them) is listed on the provider's settlement as
 *   under-served (reason code 'under_served'): the officer sees who did not get what was bought.
 *   It pays and holds nothing by itself (worker protection, as for every exception).
 */

export const UNDER_SERVED = 'under_served' as const;

/** The visits a month the person's entitlement items buy, or null when none of them sets a number. */
export function visitsAllowed(settings: Pick<ServiceSettings, 'purchased'>, items: readonly string[]): number | null {
  let best: { amountFen: number; visits: number } | null = null;
  for (const p of settings.purchased) {
    if (!items.includes(p.item)) continue;
    if (!best || p.amountFen > best.amountFen || (p.amountFen === best.amountFen && p.visitsPerMonth > best.visits))
      best = { amountFen: p.amountFen, visits: p.visitsPerMonth };
  }
  return best && best.visits > 0 ? best.visits : null;
}

/** The person's orders of the month that draw on the entitlement (not cancelled, an entitled part above 0), any provider. */
export async function entitledVisits(db: Executor, personId: number, period: string): Promise<number> {
  const r = await db
    .selectFrom('service_orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('person_id', '=', personId)
    .where('period', '=', period)
    .where('status', '!=', 'cancelled')
    .where('entitled_fen', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface UnderServed {
  code: typeof UNDER_SERVED;
  personId: number;
  personName: string;
  /** visits done in the month (checked out or rated, any provider) */
  visits: number;
  /** the visits the entitlement buys */
  minimum: number;
}

/**
 * The persons the provider served in `period` (an order not cancelled) whose visits done that month
 * fall short of what their entitlement buys. Reads ids and counts; names through the register's
 * labels (the caller's read is audited with the month's persons, who include these).
 */
export async function underServed(ctx: AppContext, db: Executor, providerId: number, period: string): Promise<UnderServed[]> {
  // each entitlement by the settings of its person's jurisdiction (the region the run wrote)
  const settingsOf = new Map<string, ServiceSettings>();
  const settingsFor = (regionCode: string): ServiceSettings => {
    let s = settingsOf.get(regionCode);
    if (!s) settingsOf.set(regionCode, (s = serviceSettingsOf(ctx, regionCode)));
    return s;
  };
  const persons = (
    await db
      .selectFrom('service_orders')
      .select('person_id')
      .distinct()
      .where('provider_id', '=', providerId)
      .where('period', '=', period)
      .where('status', '!=', 'cancelled')
      .execute()
  ).map((r) => r.person_id);
  const out: Omit<UnderServed, 'personName'>[] = [];
  for (let i = 0; i < persons.length; i += 500) {
    const chunk = persons.slice(i, i + 500);
    const ents = await db
      .selectFrom('service_entitlements')
      .select(['person_id', 'region_code', 'items'])
      .where('period', '=', period)
      .where('amount_fen', '>', 0)
      .where('person_id', 'in', chunk)
      .execute();
    if (!ents.length) continue;
    const done = new Map<number, number>();
    for (const r of await db
      .selectFrom('service_orders')
      .select(['person_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('period', '=', period)
      .where('status', 'in', ['checked_out', 'rated'])
      .where('person_id', 'in', [...new Set(ents.map((e) => e.person_id))])
      .groupBy('person_id')
      .execute())
      done.set(r.person_id, Number(r.n));
    // a person entitled by their county and by their city (issue 21): one check over the items of both (entitlements.ts balanceOf)
    const byPerson = new Map<number, { person_id: number; region_code: string; items: string[] }>();
    for (const r of ents) {
      let items: string[];
      try {
        items = (JSON.parse(r.items) as unknown[]).map(String);
      } catch {
        items = [];
      }
      const seen = byPerson.get(r.person_id);
      if (seen) seen.items.push(...items.filter((i) => !seen.items.includes(i)));
      else byPerson.set(r.person_id, { person_id: r.person_id, region_code: r.region_code, items });
    }
    for (const e of byPerson.values()) {
      const items = e.items;
      const minimum = visitsAllowed(settingsFor(e.region_code), items);
      const visits = done.get(e.person_id) ?? 0;
      if (minimum !== null && visits < minimum) out.push({ code: UNDER_SERVED, personId: e.person_id, visits, minimum });
    }
  }
  out.sort((a, b) => a.personId - b.personId);
  const labels = await personLabels(
    db,
    out.map((u) => u.personId),
  );
  return out.map((u) => ({ ...u, personName: labels.get(u.personId)?.name ?? '' }));
}
