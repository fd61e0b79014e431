import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { FINDINGS } from './findings.js';

/**
 * Shapes of the visits-work endpoints (assignment, overdue, escalations, follow-ups). Pure zod:
 * the console imports the inferred types.
 */

const ref = z.object({ id: z.number().int(), name: z.string() });
const words = z.object({ zh: z.string(), en: z.string() });
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const regionCode = z.string().regex(/^\d{1,20}$/);

// issue 18 (alarms-rules): + welfare_check (raised by the alarms' clock)
export const followupKind = z.enum(['home_service', 'hotline', 'subsidy_review', 'reassessment', 'welfare_check']);
export const workerRef = z.object({ id: z.number().int(), name: z.string(), role: z.string() });

/* ---- workers and assignments ---- */

export const workersQuery = z.object({ region: regionCode.optional() });
export const workerView = z.object({
  id: z.number().int(),
  name: z.string(),
  role: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  /** persons assigned to them now */
  people: z.number().int(),
  /** of them, overdue now */
  overdue: z.number().int(),
});
export const workersReply = z.object({ items: z.array(workerView) });
export type WorkersReply = z.infer<typeof workersReply>;

export const assignmentsQuery = z.object({
  region: regionCode.optional(),
  worker: z.coerce.number().int().positive().optional(),
  unassigned: flag.optional(),
  plan: z.string().max(40).optional(),
  ...paging,
});
export type AssignmentsQuery = z.infer<typeof assignmentsQuery>;
export const memberAssignment = z.object({
  personId: z.number().int(),
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  planKey: z.string(),
  frequency: z.string(),
  highRisk: z.boolean(),
  joinedOn: z.string(),
  worker: workerRef.nullable(),
});
export const assignmentsReply = pageOf(memberAssignment);
export type AssignmentsReply = z.infer<typeof assignmentsReply>;

export const assignBody = z.object({
  personIds: z.array(z.number().int().positive()).min(1).max(500),
  workerId: z.number().int().positive(),
  note: z.string().trim().max(200).nullish(),
});
export const assignReply = z.object({
  /** newly opened assignments (persons assigned to nobody or to someone else) */
  assigned: z.number().int(),
  /** of those, persons whose open assignment to another worker was ended (kept in the history) */
  reassigned: z.number().int(),
  /** already assigned to this worker: left as they were */
  unchanged: z.number().int(),
  worker: workerRef,
});
export const villageBody = z.object({
  regionCode,
  fromWorkerId: z.number().int().positive().nullish(),
  toWorkerId: z.number().int().positive(),
  note: z.string().trim().max(200).nullish(),
});

export const assignmentHistoryReply = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      worker: workerRef,
      note: z.string().nullable(),
      assignedBy: ref,
      assignedAt: z.string(),
      endedBy: ref.nullable(),
      endedAt: z.string().nullable(),
    }),
  ),
});

/* ---- overdue ---- */

export const overdueQuery = z.object({
  region: regionCode.optional(),
  worker: z.coerce.number().int().positive().optional(),
  highRisk: flag.optional(),
  ...paging,
});
export type OverdueQuery = z.infer<typeof overdueQuery>;
export const overdueItem = z.object({
  personId: z.number().int(),
  name: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  planKey: z.string(),
  highRisk: z.boolean(),
  /** missed windows in a row up to the latest ended one */
  consecutive: z.number().int(),
  since: z.string(),
  lastWindowEnd: z.string(),
  worker: workerRef.nullable(),
});
export const overdueReply = pageOf(overdueItem);
export type OverdueReply = z.infer<typeof overdueReply>;
export const overdueSummaryQuery = z.object({ region: regionCode.optional() });
export const overdueSummaryReply = z.object({
  byWorker: z.array(z.object({ workerId: z.number().int().nullable(), name: z.string(), overdue: z.number().int() })),
  byRegion: z.array(z.object({ regionCode: z.string(), name: z.string(), overdue: z.number().int() })),
});

/* ---- escalations ---- */

export const escalationStatus = z.enum(['open', 'acknowledged', 'closed']);
export const escalationsQuery = z.object({
  status: z.enum(['open', 'acknowledged', 'closed', 'active', 'all']).default('active'),
  region: regionCode.optional(),
  ...paging,
});
export const escalationView = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  /** how many windows were missed in a row */
  missedWindows: z.number().int(),
  lastWindowEnd: z.string(),
  raisedAt: z.string(),
  status: escalationStatus,
  acknowledgedBy: ref.nullable(),
  acknowledgedAt: z.string().nullable(),
  closedBy: ref.nullable(),
  closedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  /** the hotline ticket raised with it */
  followupId: z.number().int().nullable(),
});
export const escalationsReply = pageOf(escalationView);
export const resolutionBody = z.object({ resolution: z.string().trim().min(1).max(500) });

/* ---- follow-ups ---- */

export const followupsQuery = z.object({
  kind: followupKind.optional(),
  status: z.enum(['open', 'in_progress', 'closed', 'active', 'all']).default('active'),
  region: regionCode.optional(),
  personId: z.coerce.number().int().positive().optional(),
  ...paging,
});
export const followupView = z.object({
  id: z.number().int(),
  personId: z.number().int(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  eventId: z.number().int().nullable(),
  kind: followupKind,
  kindWords: words,
  finding: z.string(),
  findingWords: words,
  note: z.string().nullable(),
  status: z.enum(['open', 'in_progress', 'closed']),
  assessmentRequestId: z.number().int().nullable(),
  escalationId: z.number().int().nullable(),
  /** a hotline follow-up's ticket (alarms' hotline), opened with it */
  hotlineTicketId: z.number().int().nullable(),
  raisedBy: ref,
  raisedAt: z.string(),
  takenBy: ref.nullable(),
  takenAt: z.string().nullable(),
  closedBy: ref.nullable(),
  closedAt: z.string().nullable(),
  resolution: z.string().nullable(),
});
export const followupsReply = pageOf(followupView);
export const followupBody = z.object({
  personId: z.number().int().positive(),
  eventId: z.number().int().positive().nullish(),
  kind: followupKind,
  /** a checklist code (findings.ts), or 'other' */
  finding: z.enum(['other', ...FINDINGS.map((f) => f.code)] as [string, ...string[]]),
  note: z.string().trim().max(500).nullish(),
});
