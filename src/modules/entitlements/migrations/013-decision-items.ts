import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../db/dialect.js';

/**
 * A run's decisions queryable per item: one row per person and item granted, written in the same
 * batch as the decision (whose `outcome` JSON stays the record the explanation is rebuilt from).
 * Rosters and duties read these rows instead of matching text in the JSON. The key is the run, the
 * item and the person: a run writes persons in id order, so each batch appends to the end of each
 * item's range (a run writes about ten rows a person); on SQLite the rows live in the key's b-tree
 * itself (WITHOUT ROWID), one b-tree to write instead of two. Decisions of earlier runs are copied in.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = dialectOf(db) === 'sqlite';
  await db.schema
    .createTable('decision_items')
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    // the outcome's value: an amount in fen, a percent, or 1 for a benefit without one
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('decision_items_pk', ['run_id', 'item_id', 'person_id'])
    .$call((t) => (sqlite ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  if (!sqlite) {
    await sql`insert into decision_items (run_id, item_id, region_code, person_id, value)
      select d.run_id, j.key, d.region_code, d.person_id, (j.value)::double precision
      from decisions d, jsonb_each_text(d.outcome::jsonb) j`.execute(db);
  } else {
    await sql`insert into decision_items (run_id, item_id, region_code, person_id, value)
      select d.run_id, j.key, d.region_code, d.person_id, j.value
      from decisions d, json_each(d.outcome) j`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The decision items migration cannot be reverted.');
}
