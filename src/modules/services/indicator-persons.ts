import type { PersonSource } from '../indicators/contract.js';
import { personsWithEvents, personsWithEventsChangedSince } from '../care-events/indicator-persons.js';

/**
 * The home services' indicator source (issue 20): a delivered home service is the verified event the
 * check-out records (evv.ts: care-events kind 'service'); voided (a correction, an anomaly upheld)
 * it no longer counts. The events are care-events' table, read through its public functions.
 */

/** Served at home at least once in the year to date: a home-service event not voided, begun in [span.yearFrom, span.asOf]. */
export const servedYtd: PersonSource = {
  key: 'services.servedYtd',
  label: { zh: '本年度接受过上门服务', en: 'Served at home this year' },
  persons: (ctx, db, span, only) => personsWithEvents(ctx, db, 'service', span.yearFrom, span.asOf, only),
  changedSince: (ctx, db, _span, since) => personsWithEventsChangedSince(ctx, db, 'service', since.at),
};

export const servicePersonSources: PersonSource[] = [servedYtd];
