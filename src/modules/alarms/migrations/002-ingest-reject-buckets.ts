import type { Kysely } from 'kysely';

/**
 * Refusals are counted, not listed: one alarm_rejects row per (via, source, reason, minute), its
 * `count` raised by every further refusal of that minute (an upsert on this index), so a flooding
 * device or a forger hammering the endpoint adds a row a minute, not a row a message.
 * Recorded as 'alarms/002-ingest-reject-buckets'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('alarm_rejects_bucket').on('alarm_rejects').columns(['via', 'source', 'reason', 'at']).unique().execute();
}
