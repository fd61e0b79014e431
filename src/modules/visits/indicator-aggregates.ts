import type { AppContext } from '../../platform/context.js';
import { everywhere } from '../../platform/scope.js';
import type { AggregateSource, Cell, Member } from '../indicators/contract.js';
import { personCards } from '../register/indicator-persons.js';
import { visitRateByPerson, visitRateByRegion } from './rate.js';

/**
 * The visit programme's indicator source (issue 20; 001 专栏2 月探访率100%): THE monthly visit rate
 * of rate.ts, the one the workbench, the phone and the visits page show — dues met over dues
 * counted for span.month as of span.asOf (a due belongs to the month its window ends in; it counts
 * once its window has closed, or earlier when already done; a cancelled due never does; it is met
 * when done inside its window on or before span.asOf). A weekly plan counts each week's due. Cells
 * sit at the dues' region (the person's village when the due was made), so a region's figure is the
 * visits page's row for it.
 *
 * Members are the persons with counted dues, each with their own count ("应探访 4 次，已探访 3 次"),
 * in the numerator when every counted due was met; names as the register's drill-down cards show them.
 */
const SYSTEM = everywhere('indicators');

export const visitRateSource: AggregateSource = {
  key: 'visits.rate',
  label: { zh: '月探访率（应探访人次）', en: 'Monthly visit rate (visits due)' },
  async cells(_ctx, db, span) {
    const cells: Cell[] = [];
    for (const [region, r] of await visitRateByRegion(db, SYSTEM, span.month, span.asOf)) cells.push({ region, num: r.done, den: r.due });
    return cells;
  },
  async members(_ctx: AppContext, db, span, prefixes) {
    const byPerson = new Map<number, { region: string; due: number; done: number }>();
    for (const prefix of prefixes)
      for (const [id, r] of await visitRateByPerson(db, SYSTEM, span.month, span.asOf, { regionPrefix: prefix })) byPerson.set(id, r);
    const cards = new Map((await personCards(db, [...byPerson.keys()], span.asOf)).map((c) => [c.id, c]));
    const items: Member[] = [];
    for (const [id, r] of byPerson) {
      const card = cards.get(id);
      if (!card) continue;
      items.push({
        kind: 'person',
        id,
        name: card.name,
        region: r.region,
        detail: { zh: `应探访 ${r.due} 次，已探访 ${r.done} 次`, en: `${r.due} visit${r.due === 1 ? '' : 's'} due, ${r.done} made` },
        inNumerator: r.due > 0 && r.done === r.due,
      });
    }
    return items;
  },
};

export const visitsAggregates: AggregateSource[] = [visitRateSource];
