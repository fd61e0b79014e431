/**
 * The shapes of the visits API: the types inferred from the server's zod schemas
 * (src/modules/visits/*.schema.ts), the same that validate its answers. Type-only: nothing of src is
 * bundled from here.
 */
import type { z } from 'zod';
import type {
  assignBody,
  assignReply,
  assignmentHistoryReply,
  escalationStatus,
  escalationView,
  followupKind,
  followupView,
  memberAssignment,
  overdueItem,
  overdueSummaryReply,
  villageBody,
  workerView,
} from '../../../../src/modules/visits/work.schema';
import type { dueView, membershipView, memberView, planView, rateReply, refreshView } from '../../../../src/modules/visits/plans.schema';
import type { personDueView, personVisitView } from '../../../../src/modules/visits/record.schema';
import type { WorkbenchReply } from '../../../../src/modules/workbench/workbench.schema';

export type { PersonPlanReply, PlansReply, RateReply } from '../../../../src/modules/visits/plans.schema';
export type { PersonVisitsReply } from '../../../../src/modules/visits/record.schema';

/** A text in both languages (a rule in words, a plan's label). */
export interface Words {
  zh: string;
  en: string;
}

export type PlanView = z.infer<typeof planView>;
export type RefreshView = z.infer<typeof refreshView>;
/** GET /api/visits/members */
export type MemberRow = z.infer<typeof memberView>;
export type RateRow = z.infer<typeof rateReply>['rows'][number];
export type MembershipView = z.infer<typeof membershipView>;
export type DueView = z.infer<typeof dueView> | z.infer<typeof personDueView>;
export type VisitEventView = z.infer<typeof personVisitView>;

/** GET /api/visits/workers (items) */
export type WorkerRow = z.infer<typeof workerView>;
/** GET /api/visits/assignments (items) */
export type AssignmentRow = z.infer<typeof memberAssignment>;
export type VisitAssignBody = z.input<typeof assignBody>;
export type VisitAssignReply = z.infer<typeof assignReply>;
export type VillageBody = z.input<typeof villageBody>;
export type AssignmentHistoryRow = z.infer<typeof assignmentHistoryReply>['items'][number];
export type OverdueRow = z.infer<typeof overdueItem>;
export type OverdueSummary = z.infer<typeof overdueSummaryReply>;
export type EscalationRow = z.infer<typeof escalationView>;
export type EscalationStatus = z.infer<typeof escalationStatus>;
export type FollowupRow = z.infer<typeof followupView>;
export type FollowupKind = z.infer<typeof followupKind>;
export type FollowupStatus = FollowupRow['status'];
export type DueStatus = DueView['status'];

/** The workbench's visits block (null for a role without visits.read). */
export type VisitsWorkbench = NonNullable<WorkbenchReply['visits']>;
