import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { level } from './assessment.schema.js';

/**
 * The schedule's API contract: the due list, assignments of persons to assessors, requests that
 * make a person due now, 80+ coverage and the quality draws (routes validate with these; the
 * console imports the inferred types).
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const regionCode = z.string().trim().min(1).max(20);
export const userRef = z.object({ id: z.number(), name: z.string() });
export type UserRef = z.infer<typeof userRef>;

/* ---- the due list ---- */

/**
 * overdue: the due date is past; due_soon: due today or within dueSoonDays; requested: an open
 * request (a change of condition, an application, before admission) makes the person due now.
 */
export const dueState = z.enum(['overdue', 'due_soon', 'requested']);
export type DueState = z.infer<typeof dueState>;

const dueFilters = {
  /** a region within the viewer's (a town, a village); absent: the viewer's whole region */
  regionCode: regionCode.optional(),
  /** all: everyone due (overdue, due soon or requested) */
  state: z.enum(['overdue', 'due_soon', 'requested', 'all']).default('all'),
  /** only the persons with an open assignment to this assessor */
  assessorId: z.coerce.number().int().positive().optional(),
  /** 'true': only the persons with no open assignment */
  unassigned: z.enum(['true', 'false']).optional(),
};
export const dueQuery = z.object({ ...paging, ...dueFilters });
export type DueQuery = z.infer<typeof dueQuery>;
export const dueExportQuery = z.object(dueFilters);
export type DueExportQuery = z.infer<typeof dueExportQuery>;

export const openRequestRef = z.object({
  id: z.number(),
  reason: z.enum(['change', 'request', 'admission']),
  note: z.string(),
  requestedAt: z.string(),
});

export const dueRow = z.object({
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  /** whole years on the list's date */
  age: z.number().int(),
  regionCode: z.string(),
  regionName: z.string(),
  /** the latest reviewed assessment on the person's row; null: never assessed */
  last: z.object({ referenceDate: z.string(), level }).nullable(),
  /** when the person falls (fell) due; a requested person is due on the request's date */
  dueDate: z.string(),
  /** days past the due date (0 or negative: not yet overdue, e.g. -12 = due in 12 days) */
  daysOverdue: z.number().int(),
  state: dueState,
  /** the open assignment, null when nobody is assigned */
  assignment: z.object({ id: z.number(), assessor: userRef, assignedAt: z.string() }).nullable(),
  openRequest: openRequestRef.nullable(),
});
export type DueRow = z.infer<typeof dueRow>;
export const dueReply = pageOf(dueRow).extend({
  /** the civil date the list is counted on */
  on: z.string(),
});
export type DueReply = z.infer<typeof dueReply>;

/* ---- assignments ---- */

export const assignBody = z.object({
  personIds: z.array(z.number().int().positive()).min(1).max(500),
  assessorId: z.number().int().positive(),
  note: z.string().trim().max(200).default(''),
});
export type AssignBody = z.infer<typeof assignBody>;

export const assignmentView = z.object({
  id: z.number(),
  personId: z.number(),
  regionCode: z.string(),
  assessor: userRef,
  note: z.string().nullable(),
  assignedBy: userRef,
  assignedAt: z.string(),
  endedBy: userRef.nullable(),
  endedAt: z.string().nullable(),
});
export type AssignmentView = z.infer<typeof assignmentView>;

export const assignReply = z.object({
  /** newly opened assignments (of persons assigned to nobody or to someone else) */
  assigned: z.number().int(),
  /** of those, persons whose open assignment to another assessor was ended (kept in the history) */
  reassigned: z.number().int(),
  /** persons already assigned to this assessor: left as they were */
  unchanged: z.number().int(),
  items: z.array(assignmentView),
});
export type AssignReply = z.infer<typeof assignReply>;

/** A person's assignments, newest first (open and ended). */
export const assignmentsReply = z.object({ items: z.array(assignmentView) });
export type AssignmentsReply = z.infer<typeof assignmentsReply>;

/* ---- requests ---- */

export const requestReason = z.enum(['change', 'request', 'admission']);
export type RequestReason = z.infer<typeof requestReason>;
/** note: required for a change of condition (what changed) */
export const requestBody = z.object({ reason: requestReason, note: z.string().trim().max(500).default('') });
export type RequestBody = z.infer<typeof requestBody>;

export const requestView = z.object({
  id: z.number(),
  personId: z.number(),
  regionCode: z.string(),
  reason: requestReason,
  note: z.string(),
  requestedBy: userRef,
  requestedAt: z.string(),
  /** set when the next reviewed assessment closes it */
  closedAt: z.string().nullable(),
  assessmentId: z.number().nullable(),
});
export type RequestView = z.infer<typeof requestView>;
export const requestsReply = z.object({ items: z.array(requestView) });
export type RequestsReply = z.infer<typeof requestsReply>;

/* ---- 80+ coverage ---- */

export const coverageQuery = z.object({ regionCode: regionCode.optional() });
export type CoverageQuery = z.infer<typeof coverageQuery>;

export const coverageRow = z.object({
  code: z.string(),
  name: z.string(),
  /** active persons aged olderAge (80) or more on the date */
  older: z.number().int(),
  /** of them, those with a valid assessment: capability_on <= date <= capability_until */
  covered: z.number().int(),
  /** covered / older (0..1); null when there is nobody that old */
  rate: z.number().nullable(),
});
export type CoverageRow = z.infer<typeof coverageRow>;
export const coverageReply = z.object({
  on: z.string(),
  olderAge: z.number().int(),
  /** the target rate (1 = 100 %, seeds 000 §2, 004 §2) */
  target: z.number(),
  region: coverageRow,
  children: z.array(coverageRow),
});
export type CoverageReply = z.infer<typeof coverageReply>;

/* ---- quality draws ---- */

export const drawBody = z.object({
  /** a region within the viewer's; absent: the viewer's whole region */
  regionCode: regionCode.optional(),
  from: civilDate,
  to: civilDate,
  /** the share in per mille; absent: the setting's qualityPermille (50 = 5 %) */
  permille: z.number().int().min(1).max(1000).optional(),
});
export type DrawBody = z.infer<typeof drawBody>;

export const drawSummary = z.object({
  id: z.number(),
  regionCode: z.string(),
  regionName: z.string(),
  from: z.string(),
  to: z.string(),
  permille: z.number().int(),
  /**
   * The draw's seed: the candidates (reviewed assessments, reason not 'quality', reference date in
   * [from, to], in the region, reviewed before drawnAt) ordered by sha256(seed + ':' + id) in hex,
   * the first ceil(population × permille / 1000) taken.
   */
  seed: z.string(),
  population: z.number().int(),
  sampleSize: z.number().int(),
  reassessed: z.number().int(),
  agreed: z.number().int(),
  /** agreed / reassessed; null before any re-assessment */
  agreementRate: z.number().nullable(),
  drawnBy: userRef,
  drawnAt: z.string(),
});
export type DrawSummary = z.infer<typeof drawSummary>;
export const drawsQuery = z.object({ ...paging });
export const drawsReply = pageOf(drawSummary);
export type DrawsReply = z.infer<typeof drawsReply>;

export const sampleView = z.object({
  id: z.number(),
  drawId: z.number(),
  assessmentId: z.number(),
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  original: z.object({ referenceDate: z.string(), level: level.nullable(), assessor1: userRef, assessor2: userRef.nullable() }),
  reassessor: userRef.nullable(),
  /** the person's first reviewed assessment with reason 'quality' reviewed after the draw */
  reassessment: z.object({ id: z.number(), referenceDate: z.string(), level: level.nullable() }).nullable(),
  /** same final level; null while not re-assessed */
  agreed: z.boolean().nullable(),
});
export type SampleView = z.infer<typeof sampleView>;
export const drawView = drawSummary.extend({ samples: z.array(sampleView) });
export type DrawView = z.infer<typeof drawView>;

export const assignSampleBody = z.object({ assessorId: z.number().int().positive() });
export type AssignSampleBody = z.infer<typeof assignSampleBody>;
