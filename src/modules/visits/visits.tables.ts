import type { Generated, Selectable } from 'kysely';

/**
 * The visit programme's tables (探访关爱, issue 16). A person is in at most one plan at a time (the
 * first rule of the jurisdiction's plan list they meet); each plan period (a calendar week or
 * month) gives them one visit due with a window; a visit is a verified event (care-events) that
 * closes the due when it lies inside the window and meets the mode's minimum.
 */

/** A person's membership of a plan: from the refresh that put them in to the one that took them out. */
export interface VisitPlanMemberTable {
  id: Generated<number>;
  person_id: number;
  /** the person's region at the last refresh (scope) */
  region_code: string;
  /** the plan's key in the jurisdiction's setting (visits.settings.ts) */
  plan_key: string;
  /** weekly | monthly */
  frequency: string;
  /** JSON array of the modes that count: ['home', 'phone', 'video'] */
  modes: string;
  /** 1: the plan is of the highest-risk group (two missed windows in a row escalate) */
  high_risk: number;
  /** the rule text that put them there, as it read at the time */
  rule: string;
  joined_on: string;
  /** null while in the plan */
  left_on: string | null;
  /** why they left: 'rule' (no longer meets it) | 'plan_changed' | 'closed' (died, moved out) */
  left_reason: string | null;
}

/** One visit due: a window in which a visit counts. */
export interface VisitDueTable {
  id: Generated<number>;
  member_id: number;
  person_id: number;
  region_code: string;
  plan_key: string;
  /** civil dates, both inclusive; due_date is the window's last day */
  window_start: string;
  window_end: string;
  due_date: string;
  high_risk: number;
  /** open | done | missed | cancelled (the person left the plan before the window ended) */
  status: string;
  /** the verified event that closed it */
  event_id: number | null;
  done_on: string | null;
  created_at: string;
}

/** Who visits a person: a grid worker or a volunteer of the person's village. History kept: a reassignment ends the open row. */
export interface VisitAssignmentTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  worker_id: number;
  /** grid_worker | volunteer */
  worker_role: string;
  note: string | null;
  assigned_by: number;
  assigned_at: string;
  ended_by: number | null;
  ended_at: string | null;
}

/** A follow-up a finding raised, tracked to closure. */
export interface VisitFollowupTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  /** the event whose finding raised it; null for an escalation's hotline ticket */
  event_id: number | null;
  /** home_service | hotline | subsidy_review | reassessment */
  kind: string;
  /** the finding's code ('health.fall'), or 'escalation' */
  finding: string;
  /** sealed free text */
  note_enc: string | null;
  /** open | in_progress | closed */
  status: string;
  /** a reassessment's request in the assessment module */
  assessment_request_id: number | null;
  /** the escalation that raised it, if any */
  escalation_id: number | null;
  /** a hotline follow-up's ticket in the alarms module's hotline (opened with it; closing it closes this) */
  hotline_ticket_id: number | null;
  raised_by: number;
  raised_at: string;
  taken_by: number | null;
  taken_at: string | null;
  closed_by: number | null;
  closed_at: string | null;
  resolution: string | null;
}

/** Two missed windows in a row for a high-risk elder: on the village head's workbench and the hotline's queue the same day. */
export interface VisitEscalationTable {
  id: Generated<number>;
  person_id: number;
  region_code: string;
  /** JSON array of the missed dues' ids */
  due_ids: string;
  /** the last missed window's end: one escalation per person per such window */
  last_window_end: string;
  raised_at: string;
  /** open | acknowledged | closed */
  status: string;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
  closed_by: number | null;
  closed_at: string | null;
  resolution: string | null;
}

declare module '../../db/tables.js' {
  interface Database {
    visit_plan_members: VisitPlanMemberTable;
    visit_dues: VisitDueTable;
    visit_assignments: VisitAssignmentTable;
    visit_followups: VisitFollowupTable;
    visit_escalations: VisitEscalationTable;
  }
}

export type VisitPlanMemberRow = Selectable<VisitPlanMemberTable>;
export type VisitDueRow = Selectable<VisitDueTable>;
export type VisitAssignmentRow = Selectable<VisitAssignmentTable>;
export type VisitFollowupRow = Selectable<VisitFollowupTable>;
export type VisitEscalationRow = Selectable<VisitEscalationTable>;
