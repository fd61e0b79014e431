import { sql, type Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/** The admission queue's applications, position changes and offers. Recorded as 'admission/001-admission'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('admission_applications'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('facility_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('bed_type', 'text', (c) => c.notNull())
    .addColumn('applied_on', 'text', (c) => c.notNull())
    .addColumn('queue_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('tier', 'integer')
    .addColumn('tier_key', 'text')
    .addColumn('preferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer')
    .addColumn('declines', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closed_on', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('admission_applications_status', sql`status in ('waiting', 'offered', 'admitted', 'withdrawn', 'declined')`)
    .addCheckConstraint('admission_applications_bed_type', sql`bed_type in ('ordinary', 'nursing', 'dementia')`)
    .execute();
  // one open application per person per facility, whatever the code does
  await db.schema
    .createIndex('admission_applications_open')
    .on('admission_applications')
    .columns(['person_id', 'facility_id'])
    .unique()
    .where(sql<boolean>`status in ('waiting', 'offered')`)
    .execute();
  await db.schema.createIndex('admission_applications_queue').on('admission_applications').columns(['facility_id', 'bed_type', 'status']).execute();
  await db.schema.createIndex('admission_applications_region').on('admission_applications').columns(['region_code']).execute();

  await withId(db, db.schema.createTable('admission_position_changes'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('admission_applications.id'))
    .addColumn('from_position', 'integer')
    .addColumn('to_position', 'integer')
    .addColumn('cause', 'text', (c) => c.notNull())
    .addColumn('reason_zh', 'text', (c) => c.notNull())
    .addColumn('reason_en', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('admission_position_changes_app').on('admission_position_changes').columns(['application_id', 'id']).execute();
  await makeAppendOnly(db, 'admission_position_changes');

  await withId(db, db.schema.createTable('admission_offers'))
    .addColumn('application_id', 'integer', (c) => c.notNull().references('admission_applications.id'))
    .addColumn('bed_id', 'integer', (c) => c.notNull())
    .addColumn('bed_label', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('offered_by', 'integer')
    .addColumn('offered_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('resident_id', 'integer')
    .execute();
  await db.schema.createIndex('admission_offers_app').on('admission_offers').columns(['application_id']).execute();
  // a bed is offered to one applicant at a time
  await db.schema
    .createIndex('admission_offers_bed_pending')
    .on('admission_offers')
    .columns(['bed_id'])
    .unique()
    .where(sql<boolean>`outcome = 'pending'`)
    .execute();
}
