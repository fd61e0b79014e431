/**
 * The assessment API's shapes: the types inferred from the server's zod schemas
 * (src/modules/assessment/assessment.schema.ts), type-only, nothing of the server is bundled.
 */
import type { z } from 'zod';
import type { conflictsReply, syncReply, verifyReply } from '../../../../src/modules/assessment/assessment.schema';

export type {
  AssessmentDraft,
  AssessmentDraftInput,
  AssessmentPlace,
  AssessmentReason,
  AssessmentStatus,
  AssessmentSummary,
  AssessmentView,
  PersonCapabilityReply,
} from '../../../../src/modules/assessment/assessment.schema';
export type { Adjustment, Level } from '../../../../src/modules/assessment/instrument/types';

export type SyncReply = z.infer<typeof syncReply>;
export type ConflictsReply = z.infer<typeof conflictsReply>;
export type ConflictView = ConflictsReply['items'][number];
export type VerifyReply = z.infer<typeof verifyReply>;
export type BasicInfo = z.output<typeof import('../../../../src/modules/assessment/assessment.schema').basicInfo>;
export type HealthInfo = z.output<typeof import('../../../../src/modules/assessment/assessment.schema').healthInfo>;

/** GET /api/assessors: the people who may be the second assessor (shape read leniently: an array or { items }). */
export interface AssessorRow {
  id: number;
  name: string;
  regionName?: string;
}
