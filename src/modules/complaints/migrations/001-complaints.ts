import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/** Complaints, their steps, survey draws and calls. Recorded as 'complaints/001-complaints'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('complaints'))
    .addColumn('tracking_hash', 'text', (c) => c.notNull().unique())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer')
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer')
    .addColumn('target_name', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('text_enc', 'text', (c) => c.notNull())
    .addColumn('happened_on', 'text')
    .addColumn('contact_name_enc', 'text')
    .addColumn('contact_phone_enc', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('deadline_days', 'integer', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('officer_id', 'integer')
    .addColumn('reply_enc', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('replied_on', 'text')
    .addColumn('substantiated', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('escalated_on', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('complaints_unit').on('complaints').columns(['unit_code', 'status']).execute();
  await db.schema.createIndex('complaints_region').on('complaints').columns(['region_code']).execute();
  await db.schema.createIndex('complaints_received').on('complaints').columns(['received_on']).execute();
  await db.schema.createIndex('complaints_due').on('complaints').columns(['status', 'due_on']).execute();
  // a hotline ticket or a survey answer opens one complaint at most
  await db.schema.createIndex('complaints_source').on('complaints').columns(['source', 'source_id']).unique().execute();

  await withId(db, db.schema.createTable('complaint_steps'))
    .addColumn('complaint_id', 'integer', (c) => c.notNull().references('complaints.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  // the timeline is append-only: a step is never edited or removed
  await makeAppendOnly(db, 'complaint_steps');
  await db.schema.createIndex('complaint_steps_complaint').on('complaint_steps').columns(['complaint_id', 'id']).execute();

  await withId(db, db.schema.createTable('survey_draws'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('region_prefix', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('drawn_by', 'integer')
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('survey_draws_period').on('survey_draws').columns(['period', 'region_prefix']).unique().execute();

  await withId(db, db.schema.createTable('survey_calls'))
    .addColumn('draw_id', 'integer', (c) => c.notNull().references('survey_draws.id'))
    .addColumn('event_id', 'integer', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('served_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answers', 'text')
    .addColumn('given', 'text')
    .addColumn('percent', 'integer')
    .addColumn('note_enc', 'text')
    .addColumn('complaint_id', 'integer')
    .addColumn('answered_by', 'integer')
    .addColumn('answered_at', 'text')
    .addColumn('answered_on', 'text')
    .addColumn('via', 'text')
    .execute();
  await db.schema.createIndex('survey_calls_draw').on('survey_calls').columns(['draw_id', 'status']).execute();
  await db.schema.createIndex('survey_calls_answered').on('survey_calls').columns(['answered_on']).execute();
}
