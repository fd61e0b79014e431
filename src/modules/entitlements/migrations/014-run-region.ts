import { sql, type Kysely } from 'kysely';

/**
 * Issue 21: one platform for several jurisdictions. A run evaluates the people of one jurisdiction
 * (a county, or a city for the items the city pays) against that jurisdiction's catalogue:
 * `region_code` is the jurisdiction's region, `jurisdiction` stays the catalogue's name. Runs
 * recorded before held the only county's people: they are given the first county of the tree (or
 * the top region where there is no county).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('entitlement_runs')
    .addColumn('region_code', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update entitlement_runs set region_code = coalesce(
      (select code from regions where level = 'county' order by code limit 1),
      (select code from regions order by length(prefix), code limit 1), '')`.execute(db);
  await db.schema.createIndex('runs_region_period').on('entitlement_runs').columns(['region_code', 'period', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The run-region migration cannot be reverted.');
}
