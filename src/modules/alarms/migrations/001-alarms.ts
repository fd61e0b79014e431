import type { Kysely } from 'kysely';
import { makeAppendOnly, withId } from '../../../db/dialect.js';

/** Vendors, devices, events, rejects, nonces, alarms and their steps, rule overrides; the hotline's contacts, tickets, callbacks, articles. Recorded as 'alarms/001-alarms'. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('alarm_vendors'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('key_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('alarm_devices'))
    .addColumn('serial', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('vendor_id', 'integer', (c) => c.references('alarm_vendors.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('address_enc', 'text')
    .addColumn('provider_id', 'integer')
    .addColumn('installed_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('retired_on', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('battery', 'integer')
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarm_devices_person').on('alarm_devices').columns(['person_id']).execute();
  await db.schema.createIndex('alarm_devices_region').on('alarm_devices').columns(['region_code', 'status']).execute();
  await db.schema.createIndex('alarm_devices_seen').on('alarm_devices').columns(['status', 'last_seen_at']).execute();

  await withId(db, db.schema.createTable('alarm_events'))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('alarm_devices.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('battery', 'integer')
    .addColumn('value', 'integer')
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'integer')
    .addUniqueConstraint('alarm_events_message', ['device_id', 'message_id'])
    .execute();
  await db.schema.createIndex('alarm_events_device_time').on('alarm_events').columns(['device_id', 'occurred_at']).execute();
  await db.schema.createIndex('alarm_events_alarm').on('alarm_events').columns(['alarm_id']).execute();

  await withId(db, db.schema.createTable('alarm_rejects'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('alarm_rejects_at').on('alarm_rejects').columns(['at']).execute();

  await db.schema
    .createTable('alarm_nonces')
    .addColumn('vendor_id', 'integer', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alarm_nonces_pk', ['vendor_id', 'nonce'])
    .execute();
  await db.schema.createIndex('alarm_nonces_seen').on('alarm_nonces').columns(['seen_at']).execute();

  await withId(db, db.schema.createTable('alarms'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('device_id', 'integer', (c) => c.references('alarm_devices.id'))
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('last_event_at', 'text', (c) => c.notNull())
    .addColumn('escalation', 'integer', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'integer')
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('follow_up', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alarms_state').on('alarms').columns(['state', 'raised_at']).execute();
  await db.schema.createIndex('alarms_region').on('alarms').columns(['region_code', 'raised_at']).execute();
  await db.schema.createIndex('alarms_person').on('alarms').columns(['person_id', 'raised_at']).execute();
  await db.schema.createIndex('alarms_open_rule').on('alarms').columns(['device_id', 'rule_key', 'state']).execute();

  await withId(db, db.schema.createTable('alarm_steps'))
    .addColumn('alarm_id', 'integer', (c) => c.notNull().references('alarms.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by_user', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text')
    .addColumn('note_enc', 'text')
    .execute();
  await db.schema.createIndex('alarm_steps_alarm').on('alarm_steps').columns(['alarm_id', 'id']).execute();
  // a step, once taken, is history
  await makeAppendOnly(db, 'alarm_steps');

  await withId(db, db.schema.createTable('alarm_rule_overrides'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('rule_key', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('alarm_rule_overrides_person_rule', ['person_id', 'rule_key'])
    .execute();

  await withId(db, db.schema.createTable('hotline_contacts'))
    .addColumn('person_id', 'integer', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('phone_masked', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotline_contacts_person').on('hotline_contacts').columns(['person_id', 'rank']).execute();

  await withId(db, db.schema.createTable('hotline_tickets'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('person_id', 'integer')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('caller_phone_enc', 'text')
    .addColumn('caller_phone_hash', 'text')
    .addColumn('caller_name', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('notes_enc', 'text')
    .addColumn('alarm_id', 'integer')
    .addColumn('article_id', 'integer')
    .addColumn('follow_up', 'text')
    .addColumn('operator_id', 'integer', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('due_at', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('hotline_tickets_region').on('hotline_tickets').columns(['region_code', 'opened_at']).execute();
  await db.schema.createIndex('hotline_tickets_operator').on('hotline_tickets').columns(['operator_id', 'opened_at']).execute();
  await db.schema.createIndex('hotline_tickets_caller').on('hotline_tickets').columns(['caller_phone_hash']).execute();

  await withId(db, db.schema.createTable('hotline_callbacks'))
    .addColumn('person_id', 'integer')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('alarm_id', 'integer')
    .addColumn('ticket_id', 'integer')
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('note_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('hotline_callbacks_due').on('hotline_callbacks').columns(['status', 'due_on']).execute();

  await withId(db, db.schema.createTable('hotline_articles'))
    .addColumn('jurisdiction', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
