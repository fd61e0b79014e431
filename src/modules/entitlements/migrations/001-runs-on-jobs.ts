import type { Kysely } from 'kysely';

/**
 * A run's claim, heartbeat and cursor live in its job (platform/jobs.ts, migration 012-jobs); the
 * run row keeps only the domain record. The columns the run claimed itself with before (004) and
 * its own copy of the cursor go. Recorded as 'entitlements/001-runs-on-jobs'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['runner', 'heartbeat_at', 'cursor']) {
    await db.schema.alterTable('entitlement_runs').dropColumn(column).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The runs-on-jobs migration cannot be reverted.');
}
