import type { Generated, Selectable } from 'kysely';

/**
 * The verified-event record (ARCHITECTURE.md: "someone did something for someone, somewhere, at
 * some time, with evidence"): a visit today; a home service, a meal, volunteer hours and an alarm
 * response later. One table owned by this module; the capabilities that create events (visits,
 * services, alarms) name themselves in `source` and keep their own row's id in `source_id`.
 */
export interface CareEventTable {
  id: Generated<number>;
  /** the device's own id for the event: a resend carries it and is stored once */
  client_id: string;
  /** visit | service | meal | volunteer | alarm_response */
  kind: string;
  /** the module that created it ('visits') and its own row (a visit due's id); null when none */
  source: string;
  source_id: number | null;
  /** who did it: a user (grid worker, volunteer, caregiver, operator) and their role then */
  performer_id: number;
  performer_role: string;
  /** for whom: a register person, and their region when it happened (the event's scope) */
  person_id: number;
  region_code: string;
  /** home | phone | video (visits); onsite | remote ... as later kinds need */
  mode: string;
  /** instants (UTC ISO); ended_at >= started_at */
  started_at: string;
  ended_at: string;
  /** whole minutes between start and end (kept for sums and minimum checks) */
  duration_minutes: number;
  /** sealed JSON { lat, lng, accuracy } where the device gave one; null otherwise */
  location_enc: string | null;
  /** JSON array of finding codes (problems found, with reason codes): ['health.fall', 'needs.meal'] */
  findings: string;
  /** sealed free text: notes */
  notes_enc: string | null;
  /** recorded | confirmed | voided */
  status: string;
  /** person | proxy | officer: who confirmed that it happened */
  confirmed_kind: string | null;
  confirmed_by: number | null;
  confirmed_at: string | null;
  /** sealed: the proxy's name/relation or the officer's note */
  confirmation_note_enc: string | null;
  void_reason: string | null;
  voided_by: number | null;
  voided_at: string | null;
  recorded_by: number;
  recorded_at: string;
}

/** Evidence of an event: a photo today. The bytes are sealed; location metadata stripped unless kept. */
export interface CareEventEvidenceTable {
  id: Generated<number>;
  event_id: number;
  /** photo */
  kind: string;
  /** image/jpeg | image/png | image/webp */
  mime: string;
  bytes: number;
  /** hex SHA-256 of the stored (stripped) bytes */
  sha256: string;
  /** sealed base64 of the bytes */
  content_enc: string;
  /** 1 when the worker chose to keep the photo's location metadata */
  location_kept: number;
  added_by: number;
  added_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    care_events: CareEventTable;
    care_event_evidence: CareEventEvidenceTable;
  }
}

export type CareEventRow = Selectable<CareEventTable>;
export type CareEventEvidenceRow = Selectable<CareEventEvidenceTable>;
