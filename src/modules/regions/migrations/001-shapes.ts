import type { Kysely } from 'kysely';
import { withId } from '../../../db/dialect.js';

/** Region outlines for the indicator map. Recorded as 'regions/001-shapes'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('region_shapes'))
    .addColumn('region_code', 'text', (c) => c.notNull().unique())
    .addColumn('parent_code', 'text')
    .addColumn('geometry', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('region_shapes_parent').on('region_shapes').columns(['parent_code']).execute();
}
