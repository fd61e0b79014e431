import type { Kysely } from 'kysely';

/**
 * 待核实 (to verify): a person whose item cannot be decided because a fact its rule reads is
 * unknown is neither granted nor refused. The run lists them in its change list as kind 'verify',
 * with the unknown facts (comma-separated fact names) in `missing`; other kinds leave it NULL, so
 * existing rows need nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('decision_changes').addColumn('missing', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The verify migration cannot be reverted.');
}
