import { z } from 'zod';
import { GRADES, SEVERITIES, TERM_KEYS, checklist, ratingFormula } from './supervision.settings.js';

/** Requests and responses of supervision's routes (console types come from here). */
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');
const civil = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const targetKey = z.string().regex(/^(facility|provider):\d{1,12}$/, "'facility:<id>' or 'provider:<id>'");
const text = z.object({ zh: z.string(), en: z.string() });

// ---- pools and conflicts ----
export const RELATIONS = ['worked_there', 'relative_works', 'owns_share', 'other'] as const;
export const poolTarget = z.object({ key: z.string(), name: z.string(), kind: z.string(), regionCode: z.string(), stratum: z.string() });
export const poolsReply = z.object({
  targets: z.array(poolTarget),
  inspectors: z.array(z.object({ id: z.number(), name: z.string(), regionCode: z.string() })),
});
export const conflictView = z.object({
  id: z.number(),
  inspectorId: z.number(),
  inspectorName: z.string(),
  targetKey: z.string(),
  targetName: z.string(),
  relation: z.enum(RELATIONS),
  note: z.string().nullable(),
  createdAt: z.string(),
});
export type InspectorLinkView = z.infer<typeof conflictView>;
export const conflictsReply = z.object({ items: z.array(conflictView) });
export const conflictBody = z
  .object({ inspectorId: z.number().int().positive(), targetKey, relation: z.enum(RELATIONS), note: z.string().trim().max(200).nullish() })
  .strict();
export type ConflictBody = z.infer<typeof conflictBody>;

// ---- rounds ----
export const drawTarget = z.object({ key: z.string(), name: z.string(), stratum: z.string() });
export const drawPools = z.object({
  version: z.number(),
  targets: z.array(drawTarget),
  inspectors: z.array(z.object({ id: z.number(), name: z.string() })),
  conflicts: z.array(z.tuple([z.number(), z.string()])),
  counts: z.record(z.string(), z.number()),
  inspectorsPerTarget: z.number(),
});
export const drawResult = z.object({ targets: z.array(z.object({ key: z.string(), stratum: z.string(), inspectors: z.array(z.number()) })) });
export const roundView = z.object({
  id: z.number(),
  name: z.string(),
  status: z.enum(['announced', 'drawn']),
  checklistKey: z.string(),
  pools: drawPools,
  poolsDigest: z.string(),
  commitment: z.string(),
  externalSource: z.string(),
  externalRound: z.number(),
  externalAt: z.string(),
  announcedAt: z.string(),
  secret: z.string().nullable(),
  externalValue: z.string().nullable(),
  seed: z.string().nullable(),
  result: drawResult.nullable(),
  drawnAt: z.string().nullable(),
  algorithm: z.string(),
});
export type RoundView = z.infer<typeof roundView>;
export const roundSummary = roundView
  .pick({ id: true, name: true, status: true, poolsDigest: true, externalRound: true, externalAt: true, announcedAt: true, drawnAt: true })
  .extend({
    targets: z.number(),
    drawn: z.number(),
  });
export const roundsReply = z.object({ items: z.array(roundSummary) });
export const announceBody = z
  .object({
    name: z.string().trim().min(2).max(80),
    checklistKey: z.string().min(1).max(40),
    /** the drand mainnet round whose randomness will be the external value; must not be published yet */
    drandRound: z.number().int().positive(),
  })
  .strict();
export type AnnounceBody = z.infer<typeof announceBody>;
/** The announcement's answer: the round, and the secret, shown this once (keep it for the draw). */
export const announceReply = z.object({ round: roundView, secret: hex64 });
export const drawBody = z.object({ secret: hex64, externalValue: hex64 }).strict();
export type DrawBody = z.infer<typeof drawBody>;
export const drandHint = z.object({ chain: z.string(), genesis: z.number(), period: z.number(), suggestedRound: z.number(), suggestedAt: z.string() });

// ---- inspections ----
export const STATUSES = ['assigned', 'submitted', 'signed_off'] as const;
export const itemAnswer = z
  .object({ itemKey: z.string().min(1).max(60), result: z.enum(['pass', 'fail', 'na']), note: z.string().trim().max(500).nullish() })
  .strict();
export const inspectionView = z.object({
  id: z.number(),
  roundId: z.number().nullable(),
  targetKey: z.string(),
  targetName: z.string(),
  regionCode: z.string(),
  checklistKey: z.string(),
  checklist: checklist.nullable(),
  inspectors: z.array(z.object({ id: z.number(), name: z.string() })),
  status: z.enum(STATUSES),
  items: z.array(
    z.object({ itemKey: z.string(), result: z.enum(['pass', 'fail', 'na']), severity: z.enum(SEVERITIES).nullable(), note: z.string().nullable() }),
  ),
  findings: z.string().nullable(),
  inspectedOn: z.string().nullable(),
  rectificationDue: z.string().nullable(),
  followUpNote: z.string().nullable(),
  followedUpOn: z.string().nullable(),
  signedOffAt: z.string().nullable(),
});
export type InspectionView = z.infer<typeof inspectionView>;
export const inspectionsQuery = z.object({
  mine: z.enum(['1', '0']).optional(),
  status: z.enum(STATUSES).optional(),
  roundId: z.coerce.number().int().positive().optional(),
});
export const inspectionsReply = z.object({ items: z.array(inspectionView) });
export const submitBody = z
  .object({
    inspectedOn: civil,
    items: z.array(itemAnswer).min(1).max(200),
    findings: z.string().trim().max(2000).nullish(),
  })
  .strict();
export type SubmitBody = z.infer<typeof submitBody>;
export const signOffBody = z.object({ rectificationDue: civil.nullish() }).strict();
export const followUpBody = z.object({ note: z.string().trim().min(2).max(1000), on: civil }).strict();
export const adHocBody = z
  .object({ targetKey, checklistKey: z.string().min(1).max(40), inspectorIds: z.array(z.number().int().positive()).min(1).max(5) })
  .strict();
export type AdHocBody = z.infer<typeof adHocBody>;

// ---- ratings ----
export const ratingTerm = z.object({
  key: z.enum(TERM_KEYS),
  input: z.number(),
  pointsPerUnit: z.number(),
  maxPoints: z.number(),
  points: z.number(),
  applies: z.boolean(),
});
export const ratingExplanation = z.object({
  terms: z.array(ratingTerm),
  rawScore: z.number(),
  rawGrade: z.enum(GRADES),
  cap: z
    .object({
      reason: z.literal('serious_finding'),
      maxGrade: z.enum(GRADES),
      applied: z.boolean(),
      scoreBefore: z.number(),
      scoreAfter: z.number(),
      seriousFindings: z.array(z.object({ inspectionId: z.number(), itemKey: z.string() })),
    })
    .nullable(),
  score: z.number(),
  grade: z.enum(GRADES),
  satisfaction: z.object({ responses: z.number(), meanPercent: z.number() }).nullable(),
});
export const ratingView = z.object({
  targetKey: z.string(),
  targetName: z.string(),
  regionCode: z.string(),
  computedOn: z.string(),
  windowFrom: z.string(),
  windowTo: z.string(),
  score: z.number(),
  grade: z.enum(GRADES),
  capped: z.boolean(),
  explanation: ratingExplanation,
});
export type RatingView = z.infer<typeof ratingView>;
export const ratingsReply = z.object({ items: z.array(ratingView) });
export const computeReply = z.object({ computed: z.number(), on: z.string() });
export const formulaReply = z.object({
  formula: ratingFormula,
  drawShares: z.record(z.string(), z.number()),
  termLabels: z.record(z.string(), text),
  /** the checklists' names (the announce form's choice) and items (the public page's reading of results) */
  checklists: z.array(checklist),
});

// ---- public ----
export const publicResult = z.object({
  inspectionId: z.number(),
  roundId: z.number().nullable(),
  targetName: z.string(),
  checklistLabel: text,
  inspectedOn: z.string().nullable(),
  signedOffAt: z.string(),
  passed: z.number(),
  failed: z.array(z.object({ label: text, severity: z.enum(SEVERITIES) })),
  findings: z.string().nullable(),
  rectificationDue: z.string().nullable(),
  followedUpOn: z.string().nullable(),
});
export const publicResultsReply = z.object({ items: z.array(publicResult) });
export const publicRoundsReply = z.object({ items: z.array(roundSummary) });

export type RoundsReply = z.infer<typeof roundsReply>;
export type PoolsReply = z.infer<typeof poolsReply>;
export type PublicResult = z.infer<typeof publicResult>;
export type FormulaReply = z.infer<typeof formulaReply>;
export type DrandHint = z.infer<typeof drandHint>;
