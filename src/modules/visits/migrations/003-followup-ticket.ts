import type { Kysely } from 'kysely';

/**
 * A hotline follow-up opens a real hotline ticket (issue 16: follow-ups tracked to closure): the
 * follow-up keeps the ticket's id, and closes when the ticket is closed. Recorded as
 * 'visits/003-followup-ticket'; the column is null for every other follow-up.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('visit_followups').addColumn('hotline_ticket_id', 'integer').execute();
  await db.schema.createIndex('visit_followups_ticket').on('visit_followups').column('hotline_ticket_id').execute();
}
