import type { Kysely } from 'kysely';

/**
 * The organisation a user works for (a home-service provider, an institution): its staff see only
 * the persons it reaches (platform/scope.ts). No foreign key yet: organisations arrive with the
 * capabilities that own them. Null for the bureau's and the towns' officers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('organisation_id', 'integer').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('organisation_id').execute();
}
