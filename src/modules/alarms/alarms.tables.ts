import type { Generated, Selectable } from 'kysely';

/**
 * Smart monitoring and the 24-hour hotline (R7, issue 18). Devices serve a person at an address;
 * their events arrive over MQTT and over vendors' signed HTTP, are stored once per device message
 * id before anyone is told they arrived, and rules turn them into alarms an operator acknowledges,
 * acts on and resolves, every step timed. Inbound calls are tickets; return visits (回访) follow
 * resolved alarms and complaints. Personal data (addresses, phones, notes) is sealed.
 */

/** A vendor's platform that posts events over HTTP: its key id is public, its secret sealed. */
export interface AlarmVendorTable {
  id: Generated<number>;
  name: string;
  /** the public key id sent in x-yiyang-key ('v-3f9a…') */
  key_id: string;
  /** sealed: the HMAC secret (needed in the clear to verify; shown once at creation) */
  secret_enc: string;
  active: number;
  created_by: number;
  created_at: string;
}

/** A device installed for a person. */
export interface AlarmDeviceTable {
  id: Generated<number>;
  /** the device's serial, unique on the platform (the MQTT topic's {serial}) */
  serial: string;
  /** emergency_button (红绿双键呼叫器) | call_terminal (紧急呼叫终端) | mattress (智能床垫) | bracelet (智能手环) | door_sensor (门磁) | smoke | gas | other */
  kind: string;
  model: string | null;
  /** the vendor whose platform may post its events over HTTP; null: MQTT only */
  vendor_id: number | null;
  person_id: number;
  /** the person's region at installation (scope) */
  region_code: string;
  /** sealed: the address served (where a dispatch goes) */
  address_enc: string | null;
  /** the services provider (organisation) that installed it, if any */
  provider_id: number | null;
  installed_on: string;
  /** active | retired */
  status: string;
  retired_on: string | null;
  /** state, updated by every stored event */
  last_seen_at: string | null;
  /** 0-100, the last reported */
  battery: number | null;
  /** online | offline (offline once not seen for the offline rule's hours) */
  link: string;
  created_by: number;
  created_at: string;
}

/**
 * One device message, stored once: (device_id, message_id) is unique, so a message delivered
 * twice (QoS 1 redelivery, a vendor's retry) is merged. Heartbeats are stored too.
 */
export interface AlarmEventTable {
  id: Generated<number>;
  device_id: number;
  /** the device's own message id */
  message_id: string;
  /** sos | service_call | fall | in_bed | out_of_bed | movement | door_open | door_close | heartbeat | battery | test */
  kind: string;
  /** the device's clock (ISO-8601 UTC) */
  occurred_at: string;
  /** the platform's clock at commit */
  received_at: string;
  /** mqtt | http */
  via: string;
  battery: number | null;
  /** a kind's reading (heart rate, minutes, …); never personal text */
  value: number | null;
  person_id: number;
  region_code: string;
  /** the alarm this event raised or folded into */
  alarm_id: number | null;
}

/** What was refused, with its reason (no payload kept: it may hold anything). */
export interface AlarmRejectTable {
  id: Generated<number>;
  /** the minute's start: one row per (via, source, reason, minute), its count raised (migration 002) */
  at: string;
  /** mqtt | http */
  via: string;
  /** the topic's serial, the vendor's key id, or '' */
  source: string;
  /** malformed | unknown_device | wrong_vendor | bad_signature | replayed | clock_skew | rate_limited | retired_device | too_large */
  reason: string;
  /** events folded into this row (a flood is one row per source and minute) */
  count: number;
  detail: string | null;
}

/** A vendor's nonce, kept for the timestamp window so a replay is refused. */
export interface AlarmNonceTable {
  vendor_id: number;
  nonce: string;
  seen_at: string;
}

/** An alarm: raised by a rule, acknowledged, acted on, resolved; every step timed. */
export interface AlarmTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  device_id: number | null;
  /** the rule that raised it ('sos', 'fall', 'no_movement', …) */
  rule_key: string;
  /** emergency | fall | service_request | no_movement | out_of_bed | door_night | offline | battery_low | other */
  kind: string;
  /** 1 highest */
  priority: number;
  /** raised | acknowledged | resolved */
  state: string;
  raised_at: string;
  /** the events folded in (aggregation window) */
  event_count: number;
  last_event_at: string;
  /** 0 none, 1 all operators, 2 supervisor */
  escalation: number;
  escalated_at: string | null;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  resolved_at: string | null;
  resolved_by: number | null;
  /** real | false_alarm | test */
  outcome: string | null;
  /** what came of it: a service order, a welfare check, a reassessment request ('order:12') */
  follow_up: string | null;
  /** bumped by every change: acknowledge and resolve are serialised on it */
  version: number;
}

/** A step of an alarm: raised, escalated, acknowledged, an action, a note, resolved. */
export interface AlarmStepTable {
  id: Generated<number>;
  alarm_id: number;
  at: string;
  /** 0: the platform */
  by_user: number;
  /** raised | folded | escalated | acknowledged | action | note | resolved */
  kind: string;
  /** called_elder | called_family | dispatched_grid_worker | dispatched_provider | called_120 | other (kind 'action') */
  action: string | null;
  /** sealed free text */
  note_enc: string | null;
}

/** A per-person change of a rule (a night-shift worker's day sleep, a device in a shared room). */
export interface AlarmRuleOverrideTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  rule_key: string;
  /** 0: this rule does not apply to the person */
  enabled: number;
  /** JSON of the rule's fields replaced (minutes, hours) */
  params: string;
  reason: string;
  set_by: number;
  set_at: string;
}

/** A person's emergency contacts for the hotline (family, neighbours). */
export interface HotlineContactTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  name: string;
  /** 子女 / 配偶 / 邻居 / 其他 */
  relation: string;
  /** sealed */
  phone_enc: string;
  /** masked for lists: 138****1234 */
  phone_masked: string;
  /** call order, 1 first */
  rank: number;
  updated_by: number;
  updated_at: string;
}

/** An inbound (or outbound) call: consultation, service request, complaint, emergency. */
export interface HotlineTicketTable {
  id: Generated<number>;
  /** consultation | service_request | complaint | emergency */
  kind: string;
  /** open | closed */
  status: string;
  person_id: number | null;
  /** the person's region, else the jurisdiction's (scope) */
  region_code: string;
  /** sealed: the caller's number */
  caller_phone_enc: string | null;
  /** keyed hash of the caller's number (finds earlier calls) */
  caller_phone_hash: string | null;
  caller_name: string | null;
  subject: string;
  /** sealed */
  notes_enc: string | null;
  /** the alarm it belongs to, if any */
  alarm_id: number | null;
  /** the knowledge-base article given as the answer */
  article_id: number | null;
  /** what came of it ('order:12', 'followup:3') */
  follow_up: string | null;
  operator_id: number;
  opened_at: string;
  closed_at: string | null;
  /** for complaints: the deadline to close */
  due_at: string | null;
  outcome: string | null;
}

/** A return visit (回访) after a resolved alarm or complaint. */
export interface HotlineCallbackTable {
  id: Generated<number>;
  person_id: number | null;
  region_code: string;
  alarm_id: number | null;
  ticket_id: number | null;
  due_on: string;
  /** open | done | unreachable */
  status: string;
  done_at: string | null;
  done_by: number | null;
  /** satisfied | unsatisfied | no_answer | other */
  outcome: string | null;
  /** sealed */
  note_enc: string | null;
  created_at: string;
}

/** The knowledge base: answers operators give (the catalogue's items are read from the catalogue, not copied). */
export interface HotlineArticleTable {
  id: Generated<number>;
  jurisdiction: string;
  title: string;
  body: string;
  /** comma-separated keywords for search */
  keywords: string;
  /** a catalogue item this answer is about, if any */
  item_id: string | null;
  active: number;
  updated_by: number;
  updated_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    alarm_vendors: AlarmVendorTable;
    alarm_devices: AlarmDeviceTable;
    alarm_events: AlarmEventTable;
    alarm_rejects: AlarmRejectTable;
    alarm_nonces: AlarmNonceTable;
    alarms: AlarmTable;
    alarm_steps: AlarmStepTable;
    alarm_rule_overrides: AlarmRuleOverrideTable;
    hotline_contacts: HotlineContactTable;
    hotline_tickets: HotlineTicketTable;
    hotline_callbacks: HotlineCallbackTable;
    hotline_articles: HotlineArticleTable;
  }
}

export type AlarmVendorRow = Selectable<AlarmVendorTable>;
export type AlarmDeviceRow = Selectable<AlarmDeviceTable>;
export type AlarmEventRow = Selectable<AlarmEventTable>;
export type AlarmRow = Selectable<AlarmTable>;
export type AlarmStepRow = Selectable<AlarmStepTable>;
export type AlarmRuleOverrideRow = Selectable<AlarmRuleOverrideTable>;
export type HotlineContactRow = Selectable<HotlineContactTable>;
export type HotlineTicketRow = Selectable<HotlineTicketTable>;
export type HotlineCallbackRow = Selectable<HotlineCallbackTable>;
export type HotlineArticleRow = Selectable<HotlineArticleTable>;
