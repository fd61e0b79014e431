import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import type { PersonSource, Since, Span } from '../indicators/contract.js';
import { addDays, selectIds, unionIds } from '../indicators/source-ids.js';
import { population } from '../register/indicator-persons.js';

/**
 * The facilities module's indicator sources (issue 20): who lives in an institution on the span's
 * date (an open stay: begun on or before it, not ended by it — a stay ending on a day no longer
 * counts that day, as checks.ts counts residents), and who of the elders lives at home (the rest).
 */

function residentsQuery(db: Executor, span: Span) {
  return db
    .selectFrom('facility_stays')
    .select('person_id')
    .distinct()
    .where('since', '<=', span.asOf)
    .where((eb) => eb.or([eb('until_date', 'is', null), eb('until_date', '>', span.asOf)]));
}

/**
 * How far back a discharge or a death may be recorded late and still be seen by the next
 * incremental refresh: a stay's end is written onto its row with no time of writing, so the
 * refresh looks at every stay ended on or after this many days before the last one (a superset;
 * residents are few beside the elders). An end recorded later than that needs a full refresh.
 */
export const LATE_END_DAYS = 366;

/** Persons whose residence may have changed since the last refresh. */
async function staysChanged(ctx: AppContext, db: Executor, span: Span, since: Since): Promise<number[]> {
  const back = addDays(since.on, -LATE_END_DAYS);
  return selectIds(
    ctx,
    db,
    db
      .selectFrom('facility_stays')
      .select('person_id')
      .distinct()
      .where((eb) =>
        eb.or([eb('created_at', '>', since.at), eb.and([eb('since', '>', since.on), eb('since', '<=', span.asOf)]), eb('until_date', '>=', back)]),
      ),
  );
}

/** Living in an institution (an open residence stay) on span.asOf. */
export const inInstitution: PersonSource = {
  key: 'facilities.inInstitution',
  label: { zh: '机构入住', en: 'Living in an institution' },
  // residents are few beside the elders (a county's ten thousand): everyone's list, filtered by
  // `only` here, is one short read rather than a lookup per person asked about
  persons: async (ctx, db, span, only) => {
    const all = await selectIds(ctx, db, residentsQuery(db, span));
    if (only === undefined) return all;
    const asked = new Set(only);
    return all.filter((id) => asked.has(id));
  },
  changedSince: staysChanged,
};

/**
 * Living at home on span.asOf: the register's elders less the residents (001 row 1 and 000 §11's
 * home-service coverage is over the elders living at home).
 */
export const atHome: PersonSource = {
  key: 'facilities.atHome',
  label: { zh: '居家老年人', en: 'Living at home' },
  persons: async (ctx, db, span, only) => {
    const elders = await population.persons(ctx, db, span, only);
    const residents = new Set(await inInstitution.persons(ctx, db, span, only));
    return residents.size ? elders.filter((id) => !residents.has(id)) : elders;
  },
  changedSince: async (ctx, db, span, since) => unionIds(await staysChanged(ctx, db, span, since), await population.changedSince(ctx, db, span, since)),
};

export const facilityPersonSources: PersonSource[] = [inInstitution, atHome];
