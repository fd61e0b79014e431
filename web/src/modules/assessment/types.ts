/**
 * The shapes of the assessment API: the types inferred from the server's zod schemas
 * (src/modules/assessment), the same that validate its answers. Type-only: nothing of src is bundled
 * from here (the instrument's level names come from ./levels.tsx).
 */
export type {
  AssessmentReason,
  AssessmentStatus,
  AssessmentSummary,
  AssessorOption,
  PersonCapabilityReply,
} from '../../../../src/modules/assessment/assessment.schema';
export type { Level } from '../../../../src/modules/assessment/instrument/types';
export type {
  AssignBody,
  AssignmentsReply,
  AssignmentView,
  AssignReply,
  CoverageReply,
  CoverageRow,
  DrawBody,
  DrawsReply,
  DrawSummary,
  DrawView,
  DueReply,
  DueRow,
  DueState,
  RequestBody,
  RequestReason,
  RequestView,
  SampleView,
} from '../../../../src/modules/assessment/schedule.schema';

import type { z } from 'zod';
import type { assessorsReply } from '../../../../src/modules/assessment/assessment.schema';
/** GET /api/assessors */
export type AssessorsReply = z.infer<typeof assessorsReply>;
