import type { Generated, Selectable } from 'kysely';

/**
 * The public-institution admission queue (轮候, R8). One queue per facility and bed type (a nursing
 * bed and an ordinary bed are different waits: someone waiting for a nursing bed is not passed by
 * an ordinary-bed applicant). An application's place is recomputed by rule (ranking.ts) whenever
 * its queue changes and every day (facts change); each change of place is a row with its reason.
 */
export interface AdmissionApplicationTable {
  id: Generated<number>;
  person_id: number;
  facility_id: number;
  /** the person's region when they applied: whose officers see the application */
  region_code: string;
  /** ordinary | nursing | dementia */
  bed_type: string;
  applied_on: string;
  /**
   * The date the queue orders by within a tier: the application date, or the day a bed offer was
   * declined when the jurisdiction sends a decliner to the back of their tier (admission.settings.ts).
   */
  queue_on: string;
  /** waiting | offered | admitted | withdrawn | declined */
  status: string;
  /** the tracking code's keyed hash (platform/crypto.ts lookupHash): the code itself is not stored */
  code_hash: string;
  /** the tier's index in the jurisdiction's tiers (0 first) as last ranked; null: in none */
  tier: number | null;
  tier_key: string | null;
  /** 1: in the 同等条件下优先 group as last ranked */
  preferred: number;
  /** the place in the queue (1 first) while waiting or offered; null otherwise */
  position: number | null;
  declines: number;
  closed_on: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** A change of an application's place, with its reason in both languages. Append-only. */
export interface AdmissionPositionChangeTable {
  id: Generated<number>;
  application_id: number;
  /** null: entered the queue */
  from_position: number | null;
  /** null: left the queue */
  to_position: number | null;
  /** arrived | withdrawn | admitted | declined | facts | settings | joined | left */
  cause: string;
  reason_zh: string;
  reason_en: string;
  at: string;
}

/** A bed offered to the first waiting applicant, and how it ended. */
export interface AdmissionOfferTable {
  id: Generated<number>;
  application_id: number;
  bed_id: number;
  bed_label: string;
  /** pending | accepted | declined */
  outcome: string;
  offered_by: number | null;
  offered_at: string;
  decided_at: string | null;
  resident_id: number | null;
}

declare module '../../db/tables.js' {
  interface Database {
    admission_applications: AdmissionApplicationTable;
    admission_position_changes: AdmissionPositionChangeTable;
    admission_offers: AdmissionOfferTable;
  }
}

export type AdmissionApplicationRow = Selectable<AdmissionApplicationTable>;
export type AdmissionPositionChangeRow = Selectable<AdmissionPositionChangeTable>;
export type AdmissionOfferRow = Selectable<AdmissionOfferTable>;
