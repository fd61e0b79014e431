import type { Kysely } from 'kysely';

/**
 * Issue 21: a run reads who moved region after its period's first day (register/people.ts
 * regionsOn); the index finds the region changes by date without reading every change of every
 * field. Recorded as 'register/011-history-moves'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('person_history_field_date').on('person_history').columns(['field', 'as_of']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The history-moves migration cannot be reverted.');
}
