import type { AggregateSource, Cell, PersonSource } from './contract.js';
import { assessmentPersonSources } from '../assessment/indicator-persons.js';
import { alarmsAggregates } from '../alarms/indicator-aggregates.js';
import { complaintsAggregates } from '../complaints/indicator-aggregates.js';
import { facilitiesAggregates } from '../facilities/indicator-aggregates.js';
import { facilityPersonSources } from '../facilities/indicator-persons.js';
import { population, registerPersonSources } from '../register/indicator-persons.js';
import { servicesAggregates } from '../services/indicator-aggregates.js';
import { servicePersonSources } from '../services/indicator-persons.js';
import { supervisionAggregates } from '../supervision/indicator-aggregates.js';
import { visitsAggregates } from '../visits/indicator-aggregates.js';

/**
 * Every source the indicators read (issue 20): the register's population, the capabilities' person
 * sources (one bit per person and month) and aggregate sources, and the definitions over them. The
 * engine (refresh.ts) reads these lists; nothing here queries a table.
 */
export { population, personCards } from '../register/indicator-persons.js';
export { definitions, unsupportedRows } from './definitions.js';

export const personSources: PersonSource[] = [...registerPersonSources, ...assessmentPersonSources, ...facilityPersonSources, ...servicePersonSources];

/**
 * Certified caregivers per 10,000 elders (002 "每万名老年人拥有持证养老护理员达到27人以上"): the
 * caregivers facilities counts (facilities.certifiedCaregivers, at their organisation's region) over
 * the register's elders aged 60+ (at their own region) — two kinds of cell the engine adds up by
 * region prefix alike. The members are the organisations and their caregivers.
 */
function countByRegion(rows: ReadonlyArray<[number, string]>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [, region] of rows) out.set(region, (out.get(region) ?? 0) + 1);
  return out;
}

function perTenThousandElders(numerator: AggregateSource): AggregateSource {
  return {
    key: 'indicators.caregiversPer10k',
    label: { zh: '每万名老年人拥有持证养老护理员数', en: 'Certified caregivers per 10,000 elders' },
    async cells(ctx, db, span) {
      const cells: Cell[] = (await numerator.cells(ctx, db, span)).map((c) => ({ region: c.region, num: c.num, den: 0 }));
      // the refresh hands over the elders per region it has just written to the facts (no second
      // read of the population); a caller outside a refresh counts them itself
      const elders = span.elders ? await span.elders() : countByRegion(await population.regions(ctx, db, span));
      for (const [region, n] of elders) cells.push({ region, num: 0, den: n });
      return cells;
    },
    members: (ctx, db, span, prefixes) => numerator.members(ctx, db, span, prefixes),
  };
}

const certifiedCaregivers = facilitiesAggregates.find((s) => s.key === 'facilities.certifiedCaregivers');

export const aggregateSources: AggregateSource[] = [
  ...facilitiesAggregates,
  ...servicesAggregates,
  ...supervisionAggregates,
  ...alarmsAggregates,
  ...complaintsAggregates,
  ...visitsAggregates,
  ...(certifiedCaregivers ? [perTenThousandElders(certifiedCaregivers)] : []),
];
