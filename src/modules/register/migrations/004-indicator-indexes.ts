import type { Kysely } from 'kysely';

/**
 * The indicators' reads over the register (register/indicator-persons.ts, issue 20): the elders
 * aged 60 / 80 or more on a date and those reaching that age between two dates are a range of
 * birth dates, and the persons changed since the last refresh a range of updated_at, each read from
 * an index alone at a million elders (bench/indicators.ts). Recorded as 'register/004-indicator-indexes'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('persons_birth').on('persons').columns(['birth_date', 'status', 'region_code', 'id']).execute();
  await db.schema.createIndex('persons_updated').on('persons').columns(['updated_at', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_updated').execute();
  await db.schema.dropIndex('persons_birth').execute();
}
