import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../dialect.js';

/**
 * Figures that differ between jurisdictions (which catalogue a county runs; later visit
 * frequencies, response targets, ratios), keyed by the jurisdiction's region code. Append-only:
 * a change is a new row, so every earlier value stays with who set it, when and why; the value
 * in force is the latest row.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('jurisdiction_settings'))
    .addColumn('jurisdiction_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // JSON
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer')
    .addColumn('set_by_name', 'text', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jurisdiction_settings_name').on('jurisdiction_settings').columns(['jurisdiction_code', 'name', 'id']).execute();
  await makeAppendOnly(db, 'jurisdiction_settings');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('Jurisdiction settings are a record of who set what: the migration cannot be reverted.');
}
