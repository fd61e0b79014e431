import type { Kysely } from 'kysely';

/**
 * The indicators' incremental refresh asks which persons' capability level began or lapsed between
 * two dates with no row written (register/indicator-persons.ts capabilityDatesCrossed): two small
 * indexes over the assessed persons only (partial: the unassessed majority is not in them, so a
 * write of their rows costs nothing more), instead of a walk over persons_capability's million
 * entries (80-110 ms a refresh at a million elders, bench/indicators.ts). Both dates in each, so the
 * persons valid on a date (capability_on <= d and capability_until >= d) read this index alone too.
 * Recorded as 'register/010-capability-dates'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('persons_capability_on')
    .on('persons')
    .columns(['capability_on', 'capability_until', 'id'])
    .where('capability_on', 'is not', null)
    .execute();
  await db.schema
    .createIndex('persons_capability_until')
    .on('persons')
    .columns(['capability_until', 'capability_on', 'id'])
    .where('capability_until', 'is not', null)
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_capability_until').execute();
  await db.schema.dropIndex('persons_capability_on').execute();
}
