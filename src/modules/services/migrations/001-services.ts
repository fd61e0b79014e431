import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/** Providers, caregivers, items, clients, entitlements, orders, anomalies, settlements, beds, meals. Recorded as 'services/001-services'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('service_providers'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text')
    .addColumn('contact_phone_enc', 'text')
    .addColumn('contact_name', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_providers_name', ['jurisdiction', 'name'])
    .execute();

  await withId(db, db.schema.createTable('service_caregivers'))
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('user_id', 'integer', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text')
    .addColumn('skill_level', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_caregivers_provider').on('service_caregivers').columns(['provider_id']).execute();

  await withId(db, db.schema.createTable('service_certificates'))
    .addColumn('caregiver_id', 'integer', (c) => c.notNull().references('service_caregivers.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('added_by', 'integer', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_certificates_caregiver').on('service_certificates').columns(['caregiver_id']).execute();

  await withId(db, db.schema.createTable('service_items'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('standard_minutes', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_items_code', ['jurisdiction', 'code'])
    .execute();

  await withId(db, db.schema.createTable('service_clients'))
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('home_enc', 'text', (c) => c.notNull())
    .addColumn('home_cell', 'text', (c) => c.notNull())
    .addColumn('card_hash', 'text')
    .addColumn('enrolled_by', 'integer', (c) => c.notNull())
    .addColumn('enrolled_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('service_clients_provider').on('service_clients').columns(['provider_id', 'person_id']).execute();
  await db.schema.createIndex('service_clients_person').on('service_clients').columns(['person_id']).execute();

  await withId(db, db.schema.createTable('service_entitlements'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addUniqueConstraint('service_entitlements_person', ['period', 'person_id'])
    .execute();
  await db.schema.createIndex('service_entitlements_run').on('service_entitlements').columns(['run_id']).execute();

  await withId(db, db.schema.createTable('service_orders'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('service_items.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('scheduled_on', 'text', (c) => c.notNull())
    .addColumn('ordered_minutes', 'integer', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('entitled_fen', 'integer', (c) => c.notNull())
    .addColumn('self_paid_fen', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_via', 'text', (c) => c.notNull())
    .addColumn('source_id', 'integer')
    .addColumn('caregiver_id', 'integer')
    .addColumn('check_in_at', 'text')
    .addColumn('check_in_enc', 'text')
    .addColumn('check_in_cell', 'text')
    .addColumn('check_in_accuracy_m', 'integer')
    .addColumn('check_in_distance_m', 'integer')
    .addColumn('check_out_at', 'text')
    .addColumn('check_out_enc', 'text')
    .addColumn('check_out_cell', 'text')
    .addColumn('check_out_accuracy_m', 'integer')
    .addColumn('check_out_distance_m', 'integer')
    .addColumn('items_done', 'text')
    .addColumn('event_id', 'integer')
    .addColumn('rating', 'integer')
    .addColumn('rating_by', 'text')
    .addColumn('rated_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_orders_provider').on('service_orders').columns(['provider_id', 'period', 'status']).execute();
  await db.schema.createIndex('service_orders_person').on('service_orders').columns(['person_id', 'period']).execute();
  await db.schema.createIndex('service_orders_caregiver').on('service_orders').columns(['caregiver_id', 'check_in_at']).execute();
  await db.schema.createIndex('service_orders_region').on('service_orders').columns(['region_code', 'period']).execute();

  await withId(db, db.schema.createTable('service_order_history'))
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_order_history_order').on('service_order_history').columns(['order_id']).execute();

  await withId(db, db.schema.createTable('service_anomalies'))
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addColumn('provider_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('resolution_code', 'text')
    .addColumn('resolution_note', 'text')
    .addColumn('resolved_by', 'integer')
    .addColumn('resolved_at', 'text')
    .addColumn('reviewed_by', 'integer')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_note', 'text')
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('service_anomalies_order_code', ['order_id', 'code'])
    .execute();
  await db.schema.createIndex('service_anomalies_provider').on('service_anomalies').columns(['provider_id', 'status']).execute();
  await db.schema.createIndex('service_anomalies_region').on('service_anomalies').columns(['region_code', 'status']).execute();

  await withId(db, db.schema.createTable('service_settlements'))
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull())
    .addColumn('payable_fen', 'integer', (c) => c.notNull())
    .addColumn('adjustments_fen', 'integer', (c) => c.notNull())
    .addColumn('statement_sha256', 'text')
    .addColumn('closed_by', 'integer')
    .addColumn('closed_at', 'text')
    .addUniqueConstraint('service_settlements_month', ['provider_id', 'period'])
    .execute();

  await withId(db, db.schema.createTable('service_settlement_lines'))
    .addColumn('settlement_id', 'integer', (c) => c.notNull().references('service_settlements.id'))
    .addColumn('order_id', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('adjusts_period', 'text')
    .execute();
  await db.schema.createIndex('service_settlement_lines_settlement').on('service_settlement_lines').columns(['settlement_id']).execute();
  await db.schema.createIndex('service_settlement_lines_order').on('service_settlement_lines').columns(['order_id']).execute();

  await withId(db, db.schema.createTable('service_feedback_calls'))
    .addColumn('order_id', 'integer', (c) => c.notNull().unique())
    .addColumn('provider_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('called_by', 'integer')
    .addColumn('called_at', 'text')
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_feedback_calls_month').on('service_feedback_calls').columns(['provider_id', 'period']).execute();

  await withId(db, db.schema.createTable('family_care_beds'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('opened_on', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('adaptation', 'text', (c) => c.notNull())
    .addColumn('devices', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('family_care_beds_person').on('family_care_beds').columns(['person_id', 'status']).execute();
  await db.schema.createIndex('family_care_beds_region').on('family_care_beds').columns(['region_code', 'status']).execute();

  await withId(db, db.schema.createTable('meal_points'))
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('service_providers.id'))
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('serves', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('meal_servings'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('point_id', 'integer', (c) => c.notNull().references('meal_points.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('served_on', 'text', (c) => c.notNull())
    .addColumn('meal', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('discount_fen', 'integer', (c) => c.notNull())
    .addColumn('delivery_fen', 'integer', (c) => c.notNull())
    .addColumn('paid_fen', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('meal_servings_once', ['person_id', 'served_on', 'meal'])
    .execute();
  await db.schema.createIndex('meal_servings_point').on('meal_servings').columns(['point_id', 'served_on']).execute();
  await db.schema.createIndex('meal_servings_region').on('meal_servings').columns(['region_code', 'served_on']).execute();

  // corrections never overwrite: the order's history is append-only
  await makeAppendOnly(db, 'service_order_history');
}
