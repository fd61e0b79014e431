import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/** Conflicts, rounds, inspections, checklist answers, ratings. Recorded as 'supervision/001-supervision'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('supervision_conflicts'))
    .addColumn('inspector_id', 'integer', (c) => c.notNull())
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'integer')
    .execute();
  await db.schema.createIndex('supervision_conflicts_inspector').on('supervision_conflicts').columns(['inspector_id', 'target_key']).execute();

  await withId(db, db.schema.createTable('supervision_rounds'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checklist_key', 'text', (c) => c.notNull())
    .addColumn('pools', 'text', (c) => c.notNull())
    .addColumn('pools_digest', 'text', (c) => c.notNull())
    .addColumn('commitment', 'text', (c) => c.notNull())
    .addColumn('external_source', 'text', (c) => c.notNull())
    .addColumn('external_round', 'integer', (c) => c.notNull())
    .addColumn('external_at', 'text', (c) => c.notNull())
    .addColumn('announced_by', 'integer', (c) => c.notNull())
    .addColumn('announced_at', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('external_value', 'text')
    .addColumn('seed', 'text')
    .addColumn('result', 'text')
    .addColumn('drawn_by', 'integer')
    .addColumn('drawn_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('supervision_inspections'))
    .addColumn('round_id', 'integer', (c) => c.references('supervision_rounds.id'))
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('checklist_key', 'text', (c) => c.notNull())
    .addColumn('inspectors', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('findings', 'text')
    .addColumn('rectification_due', 'text')
    .addColumn('follow_up_note', 'text')
    .addColumn('followed_up_on', 'text')
    .addColumn('inspected_on', 'text')
    .addColumn('submitted_by', 'integer')
    .addColumn('submitted_at', 'text')
    .addColumn('signed_off_by', 'integer')
    .addColumn('signed_off_at', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_inspections_round').on('supervision_inspections').columns(['round_id', 'target_key']).execute();
  await db.schema.createIndex('supervision_inspections_status').on('supervision_inspections').columns(['status', 'signed_off_at']).execute();

  await db.schema
    .createTable('supervision_inspectors')
    .addColumn('inspection_id', 'integer', (c) => c.notNull().references('supervision_inspections.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('supervision_inspectors_pk', ['inspection_id', 'user_id'])
    .execute();
  await db.schema.createIndex('supervision_inspectors_user').on('supervision_inspectors').columns(['user_id']).execute();

  await withId(db, db.schema.createTable('supervision_items'))
    .addColumn('inspection_id', 'integer', (c) => c.notNull().references('supervision_inspections.id'))
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('severity', 'text')
    .addColumn('note', 'text')
    .addColumn('on_date', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_items_inspection').on('supervision_items').columns(['inspection_id', 'item_key']).unique().execute();
  // the ratings count failed items per target in a window
  await db.schema.createIndex('supervision_items_rating').on('supervision_items').columns(['on_date', 'target_key']).execute();

  await withId(db, db.schema.createTable('supervision_ratings'))
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('computed_on', 'text', (c) => c.notNull())
    .addColumn('window_from', 'text', (c) => c.notNull())
    .addColumn('window_to', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('capped', 'integer', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('supervision_ratings_target').on('supervision_ratings').columns(['target_key', 'id']).execute();
}
