import { sql, type Kysely } from 'kysely';
import { dialectOf, withId } from '../../../db/dialect.js';

/** The flat analytics table, the values the dashboards read, the refresh log and its lock. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  // SQLite: WITHOUT ROWID, the rows live in the primary key's tree (one tree less to write per fact)
  const sqlite = dialectOf(db) === 'sqlite';
  await db.schema
    .createTable('indicator_facts')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('bits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_facts_pk', ['month', 'person_id'])
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  // No index on the region: a drill-down scans the month in key order (1M persons: ~0.1 s on SQLite,
  // measured), while an index on (month, region) cost 3.5 s more on a month's first refresh.

  await db.schema
    .createTable('indicator_values')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('indicator_key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('num', 'double precision', (c) => c.notNull())
    .addColumn('den', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('indicator_values_pk', ['month', 'region_code', 'indicator_key'])
    .execute();
  // a series: one indicator and region over the months
  await db.schema.createIndex('indicator_values_series').on('indicator_values').columns(['indicator_key', 'region_code', 'month']).execute();

  await withId(db, db.schema.createTable('indicator_refreshes'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sources', 'text', (c) => c.notNull())
    .addColumn('sources_hash', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('since_at', 'text')
    .addColumn('since_on', 'text')
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('indicator_refreshes_month').on('indicator_refreshes').columns(['month', 'status', 'id']).execute();

  await db.schema
    .createTable('indicator_lock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.insertInto('indicator_lock').values({ id: 1, at: '' }).execute();
}
