import type { Generated, Selectable } from 'kysely';

/**
 * Supervision (监管, R9): inspectors' declared links to targets, 双随机 rounds, inspections with
 * their checklist answers, and the credit ratings computed from them and from the other modules'
 * signals. A target is 'facility:<id>' (facilities) or 'provider:<id>' (services' providers).
 */

/** An inspector's declared link to a target: they are never assigned to it (managed by the bureau). */
export interface SupervisionConflictTable {
  id: Generated<number>;
  inspector_id: number;
  target_key: string;
  /** worked_there | relative_works | owns_share | other */
  relation: string;
  note: string | null;
  created_by: number;
  created_at: string;
  /** set when the link is withdrawn; withdrawn links no longer enter a pool */
  ended_at: string | null;
  ended_by: number | null;
}

/** A 双随机 round: announced (pools, digest, commitment, drand round), then drawn (secret, value, seed, result). */
export interface SupervisionRoundTable {
  id: Generated<number>;
  name: string;
  /** the jurisdiction's region code (whose targets and inspectors the pools hold) */
  region_code: string;
  /** announced | drawn */
  status: string;
  checklist_key: string;
  /** the pools' canonical JSON (src/lib/draw.ts canonicalPools), frozen at announcement */
  pools: string;
  pools_digest: string;
  /** SHA-256 of the secret (hex); the secret itself is shown once to the announcing officer */
  commitment: string;
  /** e.g. 'drand-mainnet' */
  external_source: string;
  external_round: number;
  /** the drand round's time (UTC ISO): the draw is refused before it */
  external_at: string;
  announced_by: number;
  announced_at: string;
  secret: string | null;
  external_value: string | null;
  seed: string | null;
  /** JSON DrawResult */
  result: string | null;
  drawn_by: number | null;
  drawn_at: string | null;
}

/** One inspection of one target (from a round's draw or ad hoc), its checklist filled by its inspectors. */
export interface SupervisionInspectionTable {
  id: Generated<number>;
  round_id: number | null;
  target_key: string;
  target_name: string;
  /** the target's region (scope of officers) */
  region_code: string;
  checklist_key: string;
  /** JSON number[]: the assigned inspectors (user ids) */
  inspectors: string;
  /** assigned | submitted | signed_off */
  status: string;
  /** the inspectors' findings (no personal data: the form says so) */
  findings: string | null;
  rectification_due: string | null;
  /** the follow-up of the rectification: null until done */
  follow_up_note: string | null;
  followed_up_on: string | null;
  /** the civil date of the visit */
  inspected_on: string | null;
  submitted_by: number | null;
  submitted_at: string | null;
  signed_off_by: number | null;
  signed_off_at: string | null;
  created_by: number;
  created_at: string;
}

/** One inspector per inspection: "my inspections" reads it. */
export interface SupervisionInspectorTable {
  inspection_id: number;
  user_id: number;
}

/** One checklist item's answer. A failed item keeps the severity the checklist gave it then. */
export interface SupervisionItemTable {
  id: Generated<number>;
  inspection_id: number;
  target_key: string;
  item_key: string;
  /** pass | fail | na */
  result: string;
  /** minor | major | serious (the checklist's, for a failed item); null otherwise */
  severity: string | null;
  note: string | null;
  /** the inspection's date: the ratings' window reads it */
  on_date: string;
}

/** A credit rating computed for one target on one day, with its explanation term by term. */
export interface SupervisionRatingTable {
  id: Generated<number>;
  target_key: string;
  target_name: string;
  region_code: string;
  computed_on: string;
  window_from: string;
  window_to: string;
  score: number;
  grade: string;
  /** 1 when a cap lowered the grade */
  capped: number;
  /** JSON RatingExplanation */
  explanation: string;
  computed_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    supervision_conflicts: SupervisionConflictTable;
    supervision_rounds: SupervisionRoundTable;
    supervision_inspections: SupervisionInspectionTable;
    supervision_inspectors: SupervisionInspectorTable;
    supervision_items: SupervisionItemTable;
    supervision_ratings: SupervisionRatingTable;
  }
}

export type SupervisionConflictRow = Selectable<SupervisionConflictTable>;
export type SupervisionRoundRow = Selectable<SupervisionRoundTable>;
export type SupervisionInspectionRow = Selectable<SupervisionInspectionTable>;
export type SupervisionItemRow = Selectable<SupervisionItemTable>;
export type SupervisionRatingRow = Selectable<SupervisionRatingTable>;
