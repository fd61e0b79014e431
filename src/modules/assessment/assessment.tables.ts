import type { Generated, Selectable } from 'kysely';

/**
 * The assessment module's tables, merged into the database's typed schema here, beside the module
 * that owns them (migrations/001-assessments.ts).
 */

/** One capability assessment. Answers, health sections, notes and signatures are sealed (content_enc, signatures_enc). */
export interface AssessmentTable {
  id: Generated<number>;
  /** the device's own id for the record: a resend carries it and is merged once */
  client_id: string;
  person_id: number;
  /** the person's region when the assessment was taken (scope of the record) */
  region_code: string;
  /** 1 when created, +1 per accepted edit: an edit names the version it replaces */
  version: number;
  instrument_version: string;
  /** the assessment's reference date (a civil date) */
  reference_date: string;
  place: string;
  reason: string;
  /** draft | submitted | reviewed */
  status: string;
  /** the reviewed assessment this one corrects, and why */
  supersedes_id: number | null;
  correction_reason: string | null;
  assessor1_id: number;
  assessor2_id: number | null;
  cosigned_at: string | null;
  submitted_at: string | null;
  reviewer_id: number | null;
  reviewed_at: string | null;
  review_note: string | null;
  /** sealed JSON: answers, basic information, health, notes */
  content_enc: string;
  /** sealed JSON: the captured signatures */
  signatures_enc: string | null;
  /** JSON: sub-totals by indicator */
  subtotals: string;
  total: number;
  answered: number;
  preliminary_level: string | null;
  final_level: string | null;
  /** JSON array of the C.4 adjustments applied */
  adjustments: string;
  /** set on review: when the next assessment falls due, and until when this one's level counts */
  next_due: string | null;
  valid_until: string | null;
  /** set on review: the code the printed report carries and the public page checks */
  verify_code: string | null;
  created_by: number;
  created_at: string;
  updated_by: number;
  updated_at: string;
}

/** A stale edit: sent against a version that was no longer the latest. Kept, never applied. */
export interface AssessmentConflictTable {
  id: Generated<number>;
  assessment_id: number;
  base_version: number;
  server_version: number;
  /** sealed JSON: the edit as the device sent it */
  payload_enc: string;
  by_user: number;
  at: string;
  resolved_by: number | null;
  resolved_at: string | null;
  /** 'kept_server' | 'reapplied' */
  resolution: string | null;
}

/** A person assigned to an assessor; ending it keeps the row (history). */
export interface AssessmentAssignmentTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  assessor_id: number;
  note: string | null;
  assigned_by: number;
  assigned_at: string;
  ended_by: number | null;
  ended_at: string | null;
}

/** A reason a person is due now: a change of condition, an application, before admission. Closed by the next reviewed assessment. */
export interface AssessmentRequestTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  reason: string;
  note: string;
  requested_by: number;
  requested_at: string;
  closed_at: string | null;
  assessment_id: number | null;
}

/** A reproducible random draw of reviewed assessments for a second assessor's re-assessment. */
export interface AssessmentQualityDrawTable {
  id: Generated<number>;
  region_code: string;
  from_date: string;
  to_date: string;
  share_permille: number;
  seed: string;
  population: number;
  drawn_by: number;
  drawn_at: string;
}

export interface AssessmentQualitySampleTable {
  id: Generated<number>;
  draw_id: number;
  assessment_id: number;
  person_id: number;
  region_code: string;
  reassessor_id: number | null;
  reassessment_id: number | null;
  /** 1 the re-assessment reached the same final level, 0 not, null not yet re-assessed */
  agreed: number | null;
}

declare module '../../db/tables.js' {
  interface Database {
    assessments: AssessmentTable;
    assessment_conflicts: AssessmentConflictTable;
    assessment_assignments: AssessmentAssignmentTable;
    assessment_requests: AssessmentRequestTable;
    assessment_quality_draws: AssessmentQualityDrawTable;
    assessment_quality_samples: AssessmentQualitySampleTable;
  }
}

export type AssessmentRow = Selectable<AssessmentTable>;
