import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/** The verified-event record and its evidence. Recorded as 'care-events/001-care-events'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('care_events'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer')
    .addColumn('performer_id', 'integer', (c) => c.notNull())
    .addColumn('performer_role', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('location_enc', 'text')
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirmed_kind', 'text')
    .addColumn('confirmed_by', 'integer')
    .addColumn('confirmed_at', 'text')
    .addColumn('confirmation_note_enc', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('voided_by', 'integer')
    .addColumn('voided_at', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_events_person').on('care_events').columns(['person_id', 'started_at']).execute();
  await db.schema.createIndex('care_events_performer').on('care_events').columns(['performer_id', 'started_at']).execute();
  await db.schema.createIndex('care_events_source').on('care_events').columns(['source', 'source_id']).execute();
  await db.schema.createIndex('care_events_region').on('care_events').columns(['region_code', 'kind', 'started_at']).execute();

  await withId(db, db.schema.createTable('care_event_evidence'))
    .addColumn('event_id', 'integer', (c) => c.notNull().references('care_events.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('location_kept', 'integer', (c) => c.notNull())
    .addColumn('added_by', 'integer', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_event_evidence_event').on('care_event_evidence').columns(['event_id']).execute();
}
