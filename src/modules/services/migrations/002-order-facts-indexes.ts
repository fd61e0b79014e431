import type { Kysely } from 'kysely';

/**
 * A month's bulk reads of the orders (issue 17: detection and settlement over 1,000,000 orders)
 * read the index alone, never the wide row with its sealed locations:
 * - service_orders_facts: the detector's columns (anomalies.ts monthFacts), by period;
 * - service_orders_settle: the settlement's columns (settlement.ts computeMonth), by provider and
 *   period; it starts with (provider_id, period, status), so it replaces service_orders_provider.
 * Recorded as 'services/002-order-facts-indexes'.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('service_orders_facts')
    .on('service_orders')
    .columns([
      'period',
      'status',
      'id',
      'person_id',
      'caregiver_id',
      'scheduled_on',
      'ordered_minutes',
      'entitled_fen',
      'check_in_at',
      'check_out_at',
      'check_in_cell',
      'check_out_cell',
      'check_in_distance_m',
      'check_in_accuracy_m',
      'provider_id',
    ])
    .execute();
  await db.schema
    .createIndex('service_orders_settle')
    .on('service_orders')
    .columns([
      'provider_id',
      'period',
      'status',
      'id',
      'person_id',
      'item_id',
      'caregiver_id',
      'scheduled_on',
      'region_code',
      'entitled_fen',
      'event_id',
      'self_paid_fen',
    ])
    .execute();
  await db.schema.dropIndex('service_orders_provider').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('service_orders_provider').on('service_orders').columns(['provider_id', 'period', 'status']).execute();
  await db.schema.dropIndex('service_orders_settle').execute();
  await db.schema.dropIndex('service_orders_facts').execute();
}
