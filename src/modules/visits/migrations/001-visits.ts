import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/** Visit plans, dues, assignments, follow-ups and escalations. Recorded as 'visits/001-visits'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('visit_plan_members'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('plan_key', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('modes', 'text', (c) => c.notNull())
    .addColumn('high_risk', 'integer', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addColumn('left_on', 'text')
    .addColumn('left_reason', 'text')
    .execute();
  await db.schema.createIndex('visit_plan_members_person').on('visit_plan_members').columns(['person_id', 'left_on']).execute();
  await db.schema.createIndex('visit_plan_members_region').on('visit_plan_members').columns(['region_code', 'left_on']).execute();

  await withId(db, db.schema.createTable('visit_dues'))
    .addColumn('member_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('plan_key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('high_risk', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('event_id', 'integer')
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('visit_dues_person_window', ['person_id', 'window_start', 'plan_key'])
    .execute();
  await db.schema.createIndex('visit_dues_region').on('visit_dues').columns(['region_code', 'status', 'window_end']).execute();
  await db.schema.createIndex('visit_dues_window').on('visit_dues').columns(['window_end', 'status']).execute();
  await db.schema.createIndex('visit_dues_person').on('visit_dues').columns(['person_id', 'window_end']).execute();

  await withId(db, db.schema.createTable('visit_assignments'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('worker_id', 'integer', (c) => c.notNull())
    .addColumn('worker_role', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('assigned_by', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'integer')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('visit_assignments_worker').on('visit_assignments').columns(['worker_id', 'ended_at']).execute();
  await db.schema.createIndex('visit_assignments_person').on('visit_assignments').columns(['person_id', 'ended_at']).execute();

  await withId(db, db.schema.createTable('visit_followups'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('event_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assessment_request_id', 'integer')
    .addColumn('escalation_id', 'integer')
    .addColumn('raised_by', 'integer', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('taken_by', 'integer')
    .addColumn('taken_at', 'text')
    .addColumn('closed_by', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('visit_followups_region').on('visit_followups').columns(['region_code', 'status', 'kind']).execute();
  await db.schema.createIndex('visit_followups_person').on('visit_followups').columns(['person_id']).execute();

  await withId(db, db.schema.createTable('visit_escalations'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('due_ids', 'text', (c) => c.notNull())
    .addColumn('last_window_end', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'integer')
    .addColumn('acknowledged_at', 'text')
    .addColumn('closed_by', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('resolution', 'text')
    .addUniqueConstraint('visit_escalations_person_window', ['person_id', 'last_window_end'])
    .execute();
  await db.schema.createIndex('visit_escalations_region').on('visit_escalations').columns(['region_code', 'status']).execute();
}
