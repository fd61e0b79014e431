import type { Kysely } from 'kysely';

/**
 * Issue 21: a department's file imported again is passed over row by row where the row is the one
 * the same department last delivered for that person with the same data date (imports/merge.ts
 * rowDigest). Each person keeps, per source, "<data date>:<keyed digest>" of that row. Persons
 * registered before keep null and get theirs the next time their row is merged. Recorded as
 * 'register/012-source-digests'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('persons').addColumn('source_digests', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(_db: Kysely<any>): Promise<void> {
  throw new Error('The source-digests migration cannot be reverted.');
}
