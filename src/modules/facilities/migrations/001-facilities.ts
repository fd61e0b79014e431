import { sql, type Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/**
 * Facilities (R8): every kind of place that serves elders, their beds, who lives in which bed
 * (stays), and the staff roster. Recorded as 'facilities/001-facilities'.
 * A bed cannot be double-booked and a person lives in one facility at a time: both are partial
 * unique indexes on the open stays (until_date is null), which SQLite and PostgreSQL both keep,
 * so two admissions racing for one bed cannot both commit whatever the code does.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('facilities'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ownership', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    // an institution's address is public information (the seeds publish the map), kept plain
    .addColumn('address', 'text', (c) => c.notNull())
    // WGS-84, as a GPS gives it; GCJ-02 is computed where a Chinese base map needs it
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('grade', 'text')
    .addColumn('government_work', 'integer', (c) => c.notNull())
    // a home-service provider (services' providers) that is also this facility
    .addColumn('provider_id', 'integer')
    // a 特困供养机构 (rural 敬老院): the staffing rule of 002 §14 / 001 专栏5 applies
    .addColumn('hardship_home', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('facilities_region').on('facilities').columns(['region_code']).execute();

  await withId(db, db.schema.createTable('facility_beds'))
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facilities.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    // ordinary | nursing (护理型) | dementia (认知症)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('added_on', 'text', (c) => c.notNull())
    .addColumn('retired_on', 'text')
    .execute();
  await db.schema.createIndex('facility_beds_label').on('facility_beds').columns(['facility_id', 'label']).unique().execute();

  // one row per stay in a bed; a transfer ends one stay and opens the next
  await withId(db, db.schema.createTable('facility_stays'))
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facilities.id'))
    .addColumn('bed_id', 'integer', (c) => c.notNull().references('facility_beds.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('since', 'text', (c) => c.notNull())
    .addColumn('until_date', 'text')
    // admission | transfer: how the stay began
    .addColumn('began', 'text', (c) => c.notNull())
    // queue | direct: where the admission came from (admission's queue or the facility itself)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('application_id', 'integer')
    // transfer | discharge | death: how it ended
    .addColumn('ended', 'text')
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE UNIQUE INDEX facility_stays_open_bed ON facility_stays (bed_id) WHERE until_date IS NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX facility_stays_open_person ON facility_stays (person_id) WHERE until_date IS NULL`.execute(db);
  await db.schema.createIndex('facility_stays_facility').on('facility_stays').columns(['facility_id', 'until_date']).execute();

  await withId(db, db.schema.createTable('facility_staff'))
    .addColumn('facility_id', 'integer', (c) => c.notNull().references('facilities.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // caregiver | nurse | doctor | social_worker | manager | other
    .addColumn('role', 'text', (c) => c.notNull())
    // full_time | part_time, and the share of a full-time post in hundredths (100 = full time)
    .addColumn('employment', 'text', (c) => c.notNull())
    .addColumn('fte_pct', 'integer', (c) => c.notNull())
    // JSON [{ kind, level, number, expires }]
    .addColumn('certificates', 'text', (c) => c.notNull())
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('facility_staff_fte', sql`fte_pct > 0 and fte_pct <= 100`)
    .execute();
  await db.schema.createIndex('facility_staff_facility').on('facility_staff').columns(['facility_id']).execute();
}
