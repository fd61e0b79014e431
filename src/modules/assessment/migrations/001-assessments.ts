import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/**
 * Capability assessments (GB/T 42195-2022): the records, the stale edits kept as conflicts, the
 * assignments of persons to assessors, the requests that make a person due now (change of
 * condition, on application), and the quality draws with their re-assessments.
 * Recorded as 'assessment/001-assessments'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('assessments'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('instrument_version', 'text', (c) => c.notNull())
    .addColumn('reference_date', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('supersedes_id', 'integer')
    .addColumn('correction_reason', 'text')
    .addColumn('assessor1_id', 'integer', (c) => c.notNull())
    .addColumn('assessor2_id', 'integer')
    .addColumn('cosigned_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('reviewer_id', 'integer')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addColumn('content_enc', 'text', (c) => c.notNull())
    .addColumn('signatures_enc', 'text')
    .addColumn('subtotals', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('answered', 'integer', (c) => c.notNull())
    .addColumn('preliminary_level', 'text')
    .addColumn('final_level', 'text')
    .addColumn('adjustments', 'text', (c) => c.notNull())
    .addColumn('next_due', 'text')
    .addColumn('valid_until', 'text')
    .addColumn('verify_code', 'text', (c) => c.unique())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessments_person').on('assessments').columns(['person_id', 'status', 'reference_date']).execute();
  await db.schema.createIndex('assessments_region').on('assessments').columns(['region_code', 'status']).execute();
  await db.schema.createIndex('assessments_assessor1').on('assessments').columns(['assessor1_id', 'status']).execute();
  await db.schema.createIndex('assessments_assessor2').on('assessments').columns(['assessor2_id', 'status']).execute();
  // "is this one superseded by a reviewed correction": asked for every candidate of a person's latest
  await db.schema.createIndex('assessments_supersedes').on('assessments').columns(['supersedes_id', 'status']).execute();

  await withId(db, db.schema.createTable('assessment_conflicts'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull().references('assessments.id'))
    .addColumn('base_version', 'integer', (c) => c.notNull())
    .addColumn('server_version', 'integer', (c) => c.notNull())
    .addColumn('payload_enc', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('resolved_by', 'integer')
    .addColumn('resolved_at', 'text')
    .addColumn('resolution', 'text')
    .execute();
  await db.schema.createIndex('assessment_conflicts_open').on('assessment_conflicts').columns(['assessment_id', 'resolved_at']).execute();

  await withId(db, db.schema.createTable('assessment_assignments'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('assessor_id', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('assigned_by', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'integer')
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('assessment_assignments_assessor').on('assessment_assignments').columns(['assessor_id', 'ended_at']).execute();
  await db.schema.createIndex('assessment_assignments_person').on('assessment_assignments').columns(['person_id', 'ended_at']).execute();

  await withId(db, db.schema.createTable('assessment_requests'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('assessment_id', 'integer')
    .execute();
  await db.schema.createIndex('assessment_requests_open').on('assessment_requests').columns(['person_id', 'closed_at']).execute();

  await withId(db, db.schema.createTable('assessment_quality_draws'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text', (c) => c.notNull())
    .addColumn('share_permille', 'integer', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('drawn_by', 'integer', (c) => c.notNull())
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .execute();
  await withId(db, db.schema.createTable('assessment_quality_samples'))
    .addColumn('draw_id', 'integer', (c) => c.notNull().references('assessment_quality_draws.id'))
    .addColumn('assessment_id', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('reassessor_id', 'integer')
    .addColumn('reassessment_id', 'integer')
    .addColumn('agreed', 'integer')
    .execute();
  await db.schema.createIndex('assessment_quality_samples_draw').on('assessment_quality_samples').columns(['draw_id']).execute();
  await db.schema
    .createIndex('assessment_quality_samples_assessment')
    .unique()
    .on('assessment_quality_samples')
    .columns(['draw_id', 'assessment_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The assessments migration cannot be reverted.');
}
