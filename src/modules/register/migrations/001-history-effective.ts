import type { Kysely } from 'kysely';

/**
 * A change on the register may apply from an earlier date than its file's data date: a 低保 granted
 * from an earlier start (the file's 生效日期). Back-pay reads it (entitlements/differences.ts).
 * Recorded as 'register/001-history-effective'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('person_history').addColumn('effective_on', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The history-effective migration cannot be reverted.');
}
