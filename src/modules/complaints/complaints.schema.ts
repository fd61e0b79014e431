import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { facilityKind } from '../facilities/facilities.schema.js';

/** Requests and answers of the complaints module (public form, tracking page, officer's inbox, surveys). */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM');

export const COMPLAINT_CATEGORIES = ['service_quality', 'abuse_neglect', 'fees', 'food', 'safety', 'staff_attitude', 'fraud', 'other'] as const;
export const complaintCategory = z.enum(COMPLAINT_CATEGORIES);
export type ComplaintCategory = z.infer<typeof complaintCategory>;
/** A category in words, for what the server writes (the indicators' drill-down); the console has its own messages (cp.cat.*). */
export const COMPLAINT_CATEGORY_WORDS: Record<ComplaintCategory, { zh: string; en: string }> = {
  service_quality: { zh: '服务质量', en: 'Service quality' },
  abuse_neglect: { zh: '虐待或疏于照料', en: 'Abuse or neglect' },
  fees: { zh: '乱收费', en: 'Fees' },
  food: { zh: '饮食', en: 'Food' },
  safety: { zh: '安全隐患', en: 'Safety' },
  staff_attitude: { zh: '工作人员态度', en: 'Staff attitude' },
  fraud: { zh: '虚报冒领、骗取补贴', en: 'Fraud' },
  other: { zh: '其他', en: 'Other' },
};
export const COMPLAINT_STATUSES = ['received', 'assigned', 'investigating', 'replied', 'closed'] as const;
export const complaintStatus = z.enum(COMPLAINT_STATUSES);
export type ComplaintStatus = z.infer<typeof complaintStatus>;
export const targetKind = z.enum(['facility', 'provider', 'other']);
export type TargetKind = z.infer<typeof targetKind>;
export const substantiation = z.enum(['yes', 'no', 'partly']);
export type Substantiation = z.infer<typeof substantiation>;
export const complaintSource = z.enum(['public', 'hotline', 'survey']);

/** The public form (no login). Text is plain words: markup is refused (COMPLAINT_MARKUP). */
export const fileBody = z
  .object({
    targetKind,
    targetId: z.number().int().positive().optional(),
    targetName: z.string().trim().min(2).max(100).optional(),
    category: complaintCategory,
    text: z.string().trim().min(10).max(2000),
    happenedOn: civilDate.optional(),
    /** required for an 'other' target; otherwise the target's own region */
    regionCode: z
      .string()
      .regex(/^\d{6,12}$/)
      .optional(),
    contactName: z.string().trim().min(1).max(40).optional(),
    contactPhone: z.string().trim().min(7).max(24).optional(),
    /** the complainant ticked the consent box (the setting public.consent): only then are name and phone kept (R12) */
    consent: z.boolean().optional(),
  })
  .strict();
export type FileBody = z.infer<typeof fileBody>;

export const fileReply = z.object({ trackingNumber: z.string(), dueOn: civilDate, receivedOn: civilDate });
export type FileReply = z.infer<typeof fileReply>;

export const trackBody = z.object({ trackingNumber: z.string().trim().min(1).max(40) }).strict();
export type TrackBody = z.infer<typeof trackBody>;

/** What the complainant sees: status, dates, deadline, the unit and the reply. Nothing else. */
export const trackReply = z.object({
  status: complaintStatus,
  category: complaintCategory,
  receivedOn: civilDate,
  dueOn: civilDate,
  repliedOn: civilDate.nullable(),
  closedOn: civilDate.nullable(),
  unit: z.string(),
  reply: z.string().nullable(),
});
export type TrackReply = z.infer<typeof trackReply>;

export const publicTarget = z.object({ kind: z.enum(['facility', 'provider']), id: z.number(), name: z.string(), regionName: z.string() });
export const publicTargetsReply = z.object({
  targets: z.array(publicTarget),
  towns: z.array(z.object({ code: z.string(), name: z.string() })),
  deadlineDays: z.number().int(),
});
export type PublicTargetsReply = z.infer<typeof publicTargetsReply>;

// ---- the officer's side ----

export const complaintsQuery = z.object({
  status: complaintStatus.optional(),
  /** open: anything not closed */
  open: z.enum(['true', 'false']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  category: complaintCategory.optional(),
  targetKind: targetKind.optional(),
  targetId: z.coerce.number().int().positive().optional(),
  ...paging,
});
export type ComplaintsQuery = z.infer<typeof complaintsQuery>;

export const complaintItem = z.object({
  id: z.number(),
  source: complaintSource,
  /** facilityKind: a facility's kind (day-care centre, meal point…), null for a provider or another target */
  target: z.object({ kind: targetKind, id: z.number().nullable(), name: z.string(), facilityKind: facilityKind.nullable() }),
  category: complaintCategory,
  status: complaintStatus,
  regionCode: z.string(),
  regionName: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  officer: z.object({ id: z.number(), name: z.string() }).nullable(),
  receivedOn: civilDate,
  dueOn: civilDate,
  /** days past the deadline without a reply (0 when not overdue) */
  daysOverdue: z.number().int(),
  escalatedOn: civilDate.nullable(),
  substantiated: substantiation.nullable(),
});
export type ComplaintItem = z.infer<typeof complaintItem>;
export const complaintsReply = pageOf(complaintItem);
export type ComplaintsReply = z.infer<typeof complaintsReply>;

export const complaintStep = z.object({
  id: z.number(),
  kind: z.enum(['received', 'assigned', 'investigating', 'note', 'classified', 'replied', 'closed', 'escalated']),
  at: z.string(),
  by: z.string().nullable(),
  note: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type ComplaintStep = z.infer<typeof complaintStep>;

export const complaintDetail = complaintItem.extend({
  text: z.string(),
  happenedOn: civilDate.nullable(),
  contactName: z.string().nullable(),
  contactPhoneMasked: z.string().nullable(),
  reply: z.string().nullable(),
  deadlineDays: z.number().int(),
  deadlineSource: z.object({ zh: z.string(), en: z.string() }),
  steps: z.array(complaintStep),
  /** the officers the complaint may be assigned to (the unit's town officers) */
  officers: z.array(z.object({ id: z.number(), name: z.string() })),
});
export type ComplaintDetail = z.infer<typeof complaintDetail>;

export const assignBody = z
  .object({
    unitCode: z
      .string()
      .regex(/^\d{6,12}$/)
      .optional(),
    officerId: z.number().int().positive().optional(),
  })
  .strict();
export type AssignBody = z.infer<typeof assignBody>;
export const noteBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export type NoteBody = z.infer<typeof noteBody>;
export const classifyBody = z
  .object({
    targetKind,
    targetId: z.number().int().positive().optional(),
    targetName: z.string().trim().min(2).max(100).optional(),
    category: complaintCategory,
  })
  .strict();
export type ClassifyBody = z.infer<typeof classifyBody>;
export const replyBody = z.object({ reply: z.string().trim().min(10).max(2000) }).strict();
export type ReplyBody = z.infer<typeof replyBody>;
export const closeBody = z.object({ substantiated: substantiation, note: z.string().trim().max(2000).optional() }).strict();
export type CloseBody = z.infer<typeof closeBody>;
export const contactReply = z.object({ contactName: z.string().nullable(), contactPhone: z.string().nullable() });
export type ContactReply = z.infer<typeof contactReply>;

// ---- satisfaction surveys ----

export const drawBody = z.object({ period }).strict();
export type DrawBody = z.infer<typeof drawBody>;
export const drawReply = z.object({ id: z.number(), period, seed: z.string(), drawn: z.number().int(), candidates: z.number().int(), created: z.boolean() });
export type DrawReply = z.infer<typeof drawReply>;

export const surveysQuery = z.object({
  period: period.optional(),
  status: z.enum(['pending', 'answered', 'unreachable']).optional(),
  flagged: z.enum(['true', 'false']).optional(),
  ...paging,
});
export type SurveysQuery = z.infer<typeof surveysQuery>;

export const surveyAnswers = z.object({
  overall: z.number().int().min(1).max(5),
  punctuality: z.number().int().min(1).max(5),
  attitude: z.number().int().min(1).max(5),
  quality: z.number().int().min(1).max(5),
});
export const surveyCall = z.object({
  id: z.number(),
  period,
  eventId: z.number(),
  person: z.object({ id: z.number(), name: z.string(), idMasked: z.string() }),
  regionName: z.string(),
  target: z.object({ kind: z.enum(['provider', 'facility']), id: z.number(), name: z.string() }),
  servedOn: civilDate,
  status: z.enum(['pending', 'answered', 'unreachable']),
  given: z.enum(['yes', 'no']).nullable(),
  answers: surveyAnswers.nullable(),
  percent: z.number().nullable(),
  complaintId: z.number().nullable(),
  answeredOn: civilDate.nullable(),
});
export type SurveyCall = z.infer<typeof surveyCall>;
export const surveysReply = pageOf(surveyCall).extend({
  questions: z.array(z.object({ key: z.string(), label: z.object({ zh: z.string(), en: z.string() }) })),
});
export type SurveysReply = z.infer<typeof surveysReply>;

export const answerBody = z
  .object({
    outcome: z.enum(['answered', 'unreachable']),
    given: z.enum(['yes', 'no']).optional(),
    answers: surveyAnswers.optional(),
    note: z.string().trim().max(500).optional(),
    via: z.enum(['officer', 'hotline']).default('officer'),
  })
  .strict();
export type AnswerBody = z.infer<typeof answerBody>;

export const resultsQuery = z.object({ from: civilDate, to: civilDate });
export const resultsReply = z.object({
  items: z.array(
    z.object({
      target: z.object({ kind: z.enum(['provider', 'facility']), id: z.number(), name: z.string() }),
      responses: z.number().int(),
      meanPercent: z.number(),
      notGiven: z.number().int(),
      complaints: z.number().int(),
      substantiated: z.number().int(),
    }),
  ),
});
export type ResultsReply = z.infer<typeof resultsReply>;
