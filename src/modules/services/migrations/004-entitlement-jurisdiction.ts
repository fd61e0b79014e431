import { sql, type Kysely } from 'kysely';
import { dialectOf, withId } from '../../../db/dialect.js';

/**
 * Issue 21: a city pays items of its own on top of its counties' (a city-level allowance), so one
 * person can hold a month's home-service entitlement from the county's run and another from the
 * city's. The rows were keyed by (period, person): the two runs overwrote each other's row, and a
 * re-run's cleanup could end the other jurisdiction's. Each row now names the jurisdiction whose run
 * wrote it (`jurisdiction_code`: the run's region code, entitlement_runs.region_code) and the key is
 * (period, person, jurisdiction). Existing rows are kept and given their run's jurisdiction ('' for a
 * row whose run is not recorded). SQLite cannot drop a table's unique constraint: the table is
 * rebuilt with its ids. Recorded as 'services/004-entitlement-jurisdiction'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const runRegion = sql`coalesce((select r.region_code from entitlement_runs r where r.id = service_entitlements.run_id), '')`;
  if (dialectOf(db) === 'postgres') {
    await db.schema
      .alterTable('service_entitlements')
      .addColumn('jurisdiction_code', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await sql`update service_entitlements set jurisdiction_code = ${runRegion}`.execute(db);
    await db.schema.alterTable('service_entitlements').dropConstraint('service_entitlements_person').execute();
    await db.schema
      .alterTable('service_entitlements')
      .addUniqueConstraint('service_entitlements_person', ['period', 'person_id', 'jurisdiction_code'])
      .execute();
    return;
  }
  await withId(db, db.schema.createTable('service_entitlements_next'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull().defaultTo(''))
    .addUniqueConstraint('service_entitlements_person', ['period', 'person_id', 'jurisdiction_code'])
    .execute();
  await sql`insert into service_entitlements_next (id, period, person_id, region_code, amount_fen, items, run_id, jurisdiction_code)
    select id, period, person_id, region_code, amount_fen, items, run_id, ${runRegion} from service_entitlements`.execute(db);
  await db.schema.dropTable('service_entitlements').execute();
  await db.schema.alterTable('service_entitlements_next').renameTo('service_entitlements').execute();
  await db.schema.createIndex('service_entitlements_run').on('service_entitlements').columns(['run_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The entitlement-jurisdiction migration cannot be reverted: a person may hold rows of two jurisdictions.');
}
