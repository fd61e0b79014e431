import type { Kysely } from 'kysely';

/**
 * The indicators' reads over the verified events (care-events/indicator-persons.ts, issue 20): the
 * persons served by a kind of event in a date range (kind, started_at, with status and person_id so
 * the index alone answers), and the persons whose events were recorded or voided since the last
 * refresh (recorded_at, voided_at), at ten million events (bench/indicators.ts).
 * Recorded as 'care-events/002-indicator-indexes'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('care_events_kind').on('care_events').columns(['kind', 'person_id', 'started_at', 'status']).execute();
  await db.schema.createIndex('care_events_recorded').on('care_events').columns(['recorded_at', 'kind', 'person_id']).execute();
  await db.schema.createIndex('care_events_voided').on('care_events').columns(['voided_at', 'kind', 'person_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('care_events_voided').execute();
  await db.schema.dropIndex('care_events_recorded').execute();
  await db.schema.dropIndex('care_events_kind').execute();
}
