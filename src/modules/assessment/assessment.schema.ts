import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { ADJUSTMENTS, LEVELS } from './instrument/types.js';

/**
 * The assessment API's contract (routes validate with these; the console imports the inferred
 * types). Enums here are what the tables' text columns hold.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');

export const level = z.enum(LEVELS);
export const adjustment = z.enum(ADJUSTMENTS);
/** A.1 评估地点 */
export const assessmentPlace = z.enum(['home', 'institution', 'hospital']);
/**
 * A.1 评估原因: first (首次), periodic (常规), change of condition (即时), on request (本人或家属申请),
 * before admission (入院前), quality (因评估结果有疑问进行的复评: a quality draw's re-assessment), other.
 */
export const assessmentReason = z.enum(['first', 'periodic', 'change', 'request', 'admission', 'quality', 'other']);
export const assessmentStatus = z.enum(['draft', 'submitted', 'reviewed']);
export type AssessmentPlace = z.infer<typeof assessmentPlace>;
export type AssessmentReason = z.infer<typeof assessmentReason>;
export type AssessmentStatus = z.infer<typeof assessmentStatus>;

const shortText = (max: number) => z.string().trim().max(max);
const count = z.number().int().min(0).max(99);

/**
 * A.2-A.4: the basic information the standard's forms carry beside the scores. The three facts C.4
 * adjusts by are here: the diagnoses (dementia, other mental and behavioural disorders) and the
 * care-risk events of the 30 days before the reference date (A.2.14).
 */
export const basicInfo = z
  .object({
    maritalStatus: z.enum(['unmarried', 'married', 'widowed', 'divorced', 'unknown']).default('unknown'),
    livingWith: z
      .array(z.enum(['alone', 'spouse', 'children', 'relatives', 'carer', 'institution', 'other']))
      .max(7)
      .default([]),
    medicalPayment: z
      .array(z.enum(['employee', 'resident', 'ltc_insurance', 'commercial', 'self', 'other']))
      .max(6)
      .default([]),
    incomeSource: z
      .array(z.enum(['pension', 'children', 'relatives', 'allowance', 'other']))
      .max(5)
      .default([]),
    /** A.3 信息提供者 */
    informant: z.object({ name: shortText(40).default(''), relation: shortText(20).default('') }).default({ name: '', relation: '' }),
    /** 痴呆 (F00-F03) */
    dementia: z.boolean().default(false),
    /** 其他精神和行为障碍 (F04-F99) diagnosed by a psychiatrist */
    mentalDisorder: z.boolean().default(false),
    diagnoses: shortText(500).default(''),
    medications: shortText(500).default(''),
    /** A.2.14 近30天内照护风险事件 */
    riskEvents: z
      .object({
        falls: count.default(0),
        choking: count.default(0),
        suicide: count.default(0),
        selfHarm: count.default(0),
        wandering: count.default(0),
        other: count.default(0),
      })
      .default({ falls: 0, choking: 0, suicide: 0, selfHarm: 0, wandering: 0, other: 0 }),
  })
  .strict();

/** A.5 健康相关问题. Coma is its own fact (C.4 a): B.3.9 = 0 covers stupor as well. */
export const healthInfo = z
  .object({
    coma: z.boolean().default(false),
    pressureInjury: z.enum(['none', 'stage1', 'stage2', 'stage3', 'stage4', 'unstageable']).default('none'),
    jointMobility: z.enum(['normal', 'limited']).default('normal'),
    wounds: z.boolean().default(false),
    specialCare: z
      .array(z.enum(['feeding_tube', 'catheter', 'tracheostomy', 'dialysis', 'stoma', 'oxygen', 'other']))
      .max(7)
      .default([]),
    pain: z.enum(['none', 'mild', 'moderate', 'severe']).default('none'),
    teeth: z.enum(['normal', 'missing', 'dentures']).default('normal'),
    swallowing: z.enum(['normal', 'difficult']).default('normal'),
    heightCm: z.number().int().min(80).max(230).nullable().default(null),
    weightKg: z.number().min(20).max(250).nullable().default(null),
    airwayClearance: z.enum(['normal', 'impaired']).default('normal'),
  })
  .strict();

/** A signature drawn on the screen: a PNG data URL, at most ~200 KB. */
export const signatureImage = z
  .string()
  .max(270_000)
  .regex(/^data:image\/png;base64,[A-Za-z0-9+/=]+$/, '签名应为 PNG 图像');
export const elderSignature = z.object({
  image: signatureImage,
  /** who signed for the elder */
  signer: z.enum(['elder', 'guardian', 'informant']),
  name: shortText(40).min(1),
});

/**
 * What a device sends, whole, every time (POST /api/assessments/sync): a new assessment (baseVersion
 * null) or an edit of the version it names. The clientId is the device's own id for the record: the
 * same send repeated is merged once; an edit against a version that is no longer the latest is kept
 * as a visible conflict and not applied.
 */
export const assessmentDraft = z
  .object({
    clientId: z.string().uuid(),
    baseVersion: z.number().int().min(1).nullable(),
    personId: z.number().int().positive(),
    instrumentVersion: z.string().max(20),
    referenceDate: civilDate,
    place: assessmentPlace,
    reason: assessmentReason,
    /** the second assessor (the standard requires two); needed before submitting */
    assessor2Id: z.number().int().positive().nullable().default(null),
    /** a correction of a reviewed assessment names it and says why */
    supersedesId: z.number().int().positive().nullable().default(null),
    correctionReason: shortText(500).nullable().default(null),
    /** scores by item code ('B.1.1' ...); items not yet answered are absent */
    answers: z.record(z.string().max(10), z.number()),
    basic: basicInfo,
    health: healthInfo,
    notes: shortText(2000).default(''),
    signatures: z
      .object({ assessor1: signatureImage.nullable().default(null), elder: elderSignature.nullable().default(null) })
      .default({ assessor1: null, elder: null }),
  })
  .strict();
export type AssessmentDraft = z.infer<typeof assessmentDraft>;
export type AssessmentDraftInput = z.input<typeof assessmentDraft>;

const userRef = z.object({ id: z.number(), name: z.string() });

/** The scores as the one scorer computed them (instrument/score.ts). */
export const scoring = z.object({
  subtotals: z.record(z.string(), z.number()),
  total: z.number(),
  answered: z.number(),
  items: z.number(),
  preliminary: level.nullable(),
  final: level.nullable(),
  adjustments: z.array(adjustment),
});

/** A row of a list: no answers, no health. */
export const assessmentSummary = z.object({
  id: z.number(),
  clientId: z.string(),
  version: z.number(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  referenceDate: z.string(),
  place: assessmentPlace,
  reason: assessmentReason,
  status: assessmentStatus,
  assessor1: userRef,
  assessor2: userRef.nullable(),
  cosigned: z.boolean(),
  total: z.number(),
  finalLevel: level.nullable(),
  /** a later reviewed assessment corrected this one */
  supersededBy: z.number().nullable(),
  supersedesId: z.number().nullable(),
  openConflicts: z.number(),
  updatedAt: z.string(),
});

/** One assessment whole: what the form, the review and the printed report show. */
export const assessmentView = assessmentSummary.extend({
  instrumentVersion: z.string(),
  sex: z.string(),
  birthDate: z.string(),
  ageAtReference: z.number(),
  correctionReason: z.string().nullable(),
  answers: z.record(z.string(), z.number()),
  basic: basicInfo,
  health: healthInfo,
  notes: z.string(),
  scoring,
  signatures: z.object({
    assessor1: signatureImage.nullable(),
    assessor2: signatureImage.nullable(),
    elder: elderSignature.nullable(),
  }),
  submittedAt: z.string().nullable(),
  cosignedAt: z.string().nullable(),
  reviewer: userRef.nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  nextDue: z.string().nullable(),
  validUntil: z.string().nullable(),
  /** set once reviewed: printed on the report, checked by the public page */
  verifyCode: z.string().nullable(),
  /** what the viewer may do with it now */
  can: z.object({ edit: z.boolean(), submit: z.boolean(), cosign: z.boolean(), review: z.boolean(), correct: z.boolean() }),
});
export type AssessmentView = z.infer<typeof assessmentView>;
export type AssessmentSummary = z.infer<typeof assessmentSummary>;

export const syncReply = z.object({
  /** created: new; updated: the edit applied; unchanged: the same send again, merged */
  outcome: z.enum(['created', 'updated', 'unchanged']),
  assessment: assessmentView,
});

export const assessmentsQuery = z.object({
  ...paging,
  status: assessmentStatus.optional(),
  personId: z.coerce.number().int().positive().optional(),
  regionCode: z.string().max(20).optional(),
  /** mine: where the viewer is first or second assessor; cosign: submitted and waiting for the viewer's co-signature */
  filter: z.enum(['all', 'mine', 'cosign', 'review', 'conflicts']).default('all'),
});
export const assessmentsReply = pageOf(assessmentSummary);

export const versionBody = z.object({ version: z.number().int().min(1) });
export const cosignBody = z.object({ version: z.number().int().min(1), signature: signatureImage });
export const reviewBody = z.object({ version: z.number().int().min(1), decision: z.enum(['approve', 'return']), note: shortText(500).default('') });

/** A stale edit kept beside the record it could not change. */
export const conflictView = z.object({
  id: z.number(),
  assessmentId: z.number(),
  baseVersion: z.number(),
  serverVersion: z.number(),
  by: userRef,
  at: z.string(),
  /** the edit as the device sent it */
  draft: assessmentDraft,
  resolvedAt: z.string().nullable(),
  resolution: z.enum(['kept_server', 'reapplied']).nullable(),
});
export const conflictsReply = z.object({ items: z.array(conflictView) });
export const resolveConflictBody = z.object({ resolution: z.enum(['kept_server', 'reapplied']) });

/** What the public page answers for a report's verification code: enough to check a paper, nothing more. */
export const verifyQuery = z.object({ code: z.string().trim().min(6).max(20) });
export const verifyReply = z.object({
  found: z.boolean(),
  /** the name with all but the first character hidden (张**) */
  nameMasked: z.string().nullable(),
  referenceDate: z.string().nullable(),
  finalLevel: level.nullable(),
  instrument: z.string().nullable(),
  /** current: the latest reviewed assessment of the person and still valid; superseded; expired */
  state: z.enum(['current', 'superseded', 'expired']).nullable(),
  validUntil: z.string().nullable(),
});

/** The profile's section: the level the rules read, the LTC insurance grade beside it, the history. */
export const personCapabilityReply = z.object({
  current: z
    .object({ assessmentId: z.number(), level, referenceDate: z.string(), nextDue: z.string(), validUntil: z.string(), expired: z.boolean() })
    .nullable(),
  ltc: z.object({ grade: z.string(), asOf: z.string().nullable(), source: z.string().nullable() }).nullable(),
  /** due date by the schedule (null: not on the schedule) and whether an assessment is asked for */
  due: z.string().nullable(),
  openRequest: z.object({ id: z.number(), reason: z.string(), note: z.string(), requestedAt: z.string() }).nullable(),
  assessments: z.array(assessmentSummary),
});
export type PersonCapabilityReply = z.infer<typeof personCapabilityReply>;

/** GET /api/assessors: the second-assessor picker (active assessors in the viewer's region subtree). */
export const assessorOption = z.object({ id: z.number(), name: z.string(), regionCode: z.string(), regionName: z.string() });
export const assessorsReply = z.object({ items: z.array(assessorOption) });
export type AssessorOption = z.infer<typeof assessorOption>;

/** The answer of a refused stale edit (409 ASSESSMENT_STALE / ASSESSMENT_DUPLICATE_CLIENT): `error.details`. */
export const staleEditDetails = z.object({ conflictId: z.number(), serverVersion: z.number() });
export type StaleEditDetails = z.infer<typeof staleEditDetails>;
