import type { Kysely } from 'kysely';

/**
 * The assessment schedule's reads over the register (register/capability.queries.ts: the due list,
 * its counts on the workbench, the 80+ coverage) filter on region, status, the capability dates and
 * the birth date: one covering index lets both the count and the page's sort read the index alone,
 * at a million elders (bench/assessment.ts). Recorded as 'register/003-capability-index'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('persons_capability')
    .on('persons')
    .columns(['region_code', 'status', 'capability_due', 'birth_date', 'capability_on', 'capability_until', 'id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_capability').execute();
}
