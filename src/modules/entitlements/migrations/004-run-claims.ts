import type { Kysely } from 'kysely';

/**
 * Which process is executing a run, and when it last committed a batch. Several app servers may
 * share one PostgreSQL database and each resumes interrupted runs at start: the claim makes sure
 * exactly one of them carries a run on.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entitlement_runs').addColumn('runner', 'text').execute();
  await db.schema.alterTable('entitlement_runs').addColumn('heartbeat_at', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The run claims migration cannot be reverted.');
}
