import type { Kysely } from 'kysely';

/**
 * An import's apply progress, committed with each batch: the last row applied and the fields
 * changed so far (its counts are the existing count columns). An import resumed after a crash
 * starts after that row with those counts, so it reports what an uninterrupted import would.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('imports')
    .addColumn('applied_through', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('imports').addColumn('applied_fields', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The import progress migration cannot be reverted.');
}
