import type { Catalogue } from '../catalogue/catalogue.loader.js';

/**
 * The items a run lists person by person (decision_items): those read as lists, the calendar
 * duties (birthday, 重阳) and the insurers' rosters. Monthly cash is read from the payment rolls
 * and monthly changes from the change list.
 */
export function listedItems(cat: Catalogue): Set<string> {
  return new Set(cat.items.filter((i) => i.when !== 'monthly' || i.benefit.kind === 'insurance').map((i) => i.id));
}
