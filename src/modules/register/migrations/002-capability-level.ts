import type { Kysely } from 'kysely';

/**
 * The capability level a reviewed assessment gave (the assessment module owns the record and
 * writes these through register/capability.ts): what the runs read as a person fact, and what the
 * due list and the 80+ coverage count, on the person's own row so that neither needs a join at a
 * million elders. Recorded as 'register/002-capability-level'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('persons').addColumn('capability_level', 'text').execute();
  await db.schema.alterTable('persons').addColumn('capability_on', 'text').execute();
  await db.schema.alterTable('persons').addColumn('capability_due', 'text').execute();
  await db.schema.alterTable('persons').addColumn('capability_until', 'text').execute();
  await db.schema.alterTable('persons').addColumn('capability_assessment_id', 'integer').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The capability-level migration cannot be reverted.');
}
