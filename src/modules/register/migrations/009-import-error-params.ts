import type { Kysely } from 'kysely';

/**
 * Import row errors are stored as a reason code with its parameters (JSON), worded in the
 * reader's language when read. Rows stored before keep their Chinese `reason` (params null),
 * shown as written; new rows also keep the Chinese wording there, for tools that read the table.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_errors').addColumn('params', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_errors').dropColumn('params').execute();
}
