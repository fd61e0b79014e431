import type { Generated, Selectable } from 'kysely';

/**
 * Complaints and reports (投诉举报, R9) and satisfaction surveys (004 §15). Personal content — the
 * complainant's name and phone, what happened, the reply, internal notes — is sealed at rest
 * (src/platform/crypto.ts); the tracking number is kept only as a keyed hash.
 */
export interface ComplaintTable {
  id: Generated<number>;
  /** keyed hash (HMAC) of the tracking number: the number itself is never stored */
  tracking_hash: string;
  /** public | hotline | survey */
  source: string;
  /** the hotline ticket or survey answer it came from; null for the public page */
  source_id: number | null;
  /** facility | provider | other */
  target_kind: string;
  target_id: number | null;
  /** the name given for an 'other' target (not personal: an organisation or a place) */
  target_name: string | null;
  category: string;
  /** sealed: what happened */
  text_enc: string;
  /** civil date it happened, when said */
  happened_on: string | null;
  /** sealed contact: name and phone; null when anonymous */
  contact_name_enc: string | null;
  contact_phone_enc: string | null;
  /** region the complaint is about (where it happened) */
  region_code: string;
  /** received | assigned | investigating | replied | closed */
  status: string;
  received_at: string;
  received_on: string;
  /** the deadline to reply (civil date, inclusive) and the days it was set from */
  due_on: string;
  deadline_days: number;
  /** the unit handling it: a town's region code (the complaint's town by default) */
  unit_code: string;
  /** the officer handling it, once assigned */
  officer_id: number | null;
  /** sealed: the reply to the complainant (shown on the tracking page) */
  reply_enc: string | null;
  replied_at: string | null;
  replied_on: string | null;
  /** yes | no | partly, at closing */
  substantiated: string | null;
  closed_at: string | null;
  /** the daily check flagged it overdue and raised it to the bureau */
  escalated_on: string | null;
  updated_at: string;
}

/** The complaint's timeline: every step, with a sealed note where one was written. */
export interface ComplaintStepTable {
  id: Generated<number>;
  complaint_id: number;
  /** received | assigned | investigating | note | replied | closed | escalated | classified */
  kind: string;
  /** sealed internal note (never on the tracking page) */
  note_enc: string | null;
  /** JSON of non-personal facts (the unit, the officer's id, the substantiation) */
  detail: string;
  by_user: number | null;
  at: string;
}

/** A month's survey draw: the seed and what it drew from, so anyone can re-run it. */
export interface SurveyDrawTable {
  id: Generated<number>;
  /** YYYY-MM of the services drawn from */
  period: string;
  /** the region subtree drawn (the jurisdiction's prefix, or a town's) */
  region_prefix: string;
  /** hex seed: each candidate's rank is sha256(seed|eventId) */
  seed: string;
  /** JSON: { percent, minPerProvider, maxPerProvider, candidates, providers } */
  params: string;
  drawn_by: number | null;
  drawn_at: string;
}

/** One recipient to call back about one verified service event. */
export interface SurveyCallTable {
  id: Generated<number>;
  draw_id: number;
  event_id: number;
  person_id: number;
  region_code: string;
  /** provider | facility */
  target_kind: string;
  target_id: number;
  /** the event's civil date */
  served_on: string;
  /** pending | answered | unreachable */
  status: string;
  /** JSON { overall, punctuality, attitude, quality } on 1..5 */
  answers: string | null;
  /** yes | no: was the service actually given */
  given: string | null;
  /** the mean of the answers on 0..100, kept for the ratings */
  percent: number | null;
  /** sealed remark */
  note_enc: string | null;
  /** the complaint a 'not given' answer opened */
  complaint_id: number | null;
  answered_by: number | null;
  answered_at: string | null;
  answered_on: string | null;
  /** officer | hotline */
  via: string | null;
}

declare module '../../db/tables.js' {
  interface Database {
    complaints: ComplaintTable;
    complaint_steps: ComplaintStepTable;
    survey_draws: SurveyDrawTable;
    survey_calls: SurveyCallTable;
  }
}

export type ComplaintRow = Selectable<ComplaintTable>;
export type ComplaintStepRow = Selectable<ComplaintStepTable>;
export type SurveyDrawRow = Selectable<SurveyDrawTable>;
export type SurveyCallRow = Selectable<SurveyCallTable>;
