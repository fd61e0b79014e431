import type { Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect.js';

/**
 * The person facts packed per (month, region) instead of one row per (month, person) (facts.ts):
 * a county's month is ~500 rows instead of a million. The old rows are not converted: the months'
 * refresh log is cleared with them, so the nightly back-fill computes the last twelve months again
 * (in full) and a drill-down never reads a month whose facts are gone.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = dialectOf(db) === 'sqlite' ? 'blob' : 'bytea';
  await db.schema
    .createTable('indicator_fact_blocks')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('ids', bytes, (c) => c.notNull())
    .addColumn('bits', bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_fact_blocks_pk', ['month', 'region_code'])
    .execute();
  await db.schema.dropTable('indicator_facts').execute();
  await db.deleteFrom('indicator_refreshes').execute();
  await db.deleteFrom('indicator_values').execute();
}
