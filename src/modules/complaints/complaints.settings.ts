import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * How a jurisdiction handles complaints and surveys.
 * - deadlineDays: days to reply to a complaint. The seeds give no figure for complaints to the
 *   civil-affairs bureau; 15 days follows 《信访工作条例》 第三十二条 (a 信访事项 is answered within
 *   15 days of receipt), the practice most county bureaus apply to 投诉举报 as well.
 * - survey: each month a share of every provider's verified services is drawn for a call back
 *   (004 §15 "服务对象满意度调查"); at least minPerProvider where it has that many, at most
 *   maxPerProvider. The questionnaire is fixed here: four questions on a 1-5 scale and "was the
 *   service actually given?" (yes/no).
 */
export const question = z
  .object({
    key: z.enum(['overall', 'punctuality', 'attitude', 'quality']),
    label: z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(120) }).strict(),
  })
  .strict();

export const complaintSettings = z
  .object({
    deadlineDays: z.number().int().min(1).max(90),
    deadlineSource: z.object({ zh: z.string().max(200), en: z.string().max(300) }).strict(),
    survey: z
      .object({
        percent: z.number().int().min(1).max(100),
        minPerProvider: z.number().int().min(0).max(200),
        maxPerProvider: z.number().int().min(1).max(1000),
        questions: z.array(question).length(4),
      })
      .strict(),
  })
  .strict();
export type ComplaintSettings = z.infer<typeof complaintSettings>;

export const DEFAULT_COMPLAINTS: ComplaintSettings = {
  deadlineDays: 15,
  deadlineSource: {
    zh: '《信访工作条例》第三十二条：自受理之日起15日内答复',
    en: 'Regulation on Letters and Visits, art. 32: answered within 15 days of receipt',
  },
  survey: {
    percent: 10,
    minPerProvider: 3,
    maxPerProvider: 30,
    questions: [
      { key: 'overall', label: { zh: '总体满意吗？', en: 'Overall, are you satisfied?' } },
      { key: 'punctuality', label: { zh: '服务人员准时吗？', en: 'Did the carer come on time?' } },
      { key: 'attitude', label: { zh: '服务态度好吗？', en: 'Was the carer kind and polite?' } },
      { key: 'quality', label: { zh: '服务做得好吗？', en: 'Was the work done well?' } },
    ],
  },
};

export const complaintSetting = defineSetting<ComplaintSettings>({
  name: 'complaints',
  label: { zh: '投诉举报与满意度调查', en: 'Complaints and satisfaction surveys' },
  description: {
    zh: '投诉举报的答复期限（天，及其依据）；每月满意度回访的抽样比例、每个服务机构的最少和最多抽样数，以及回访问题（1-5分）。',
    en: 'The days to reply to a complaint (and where the figure comes from); the monthly satisfaction survey: the share of each provider’s services drawn, the fewest and most per provider, and the questions (scored 1-5).',
  },
  schema: complaintSettings,
  initial: () => DEFAULT_COMPLAINTS,
  check(value) {
    if (value.survey.minPerProvider > value.survey.maxPerProvider)
      return { zh: '每个机构的最少抽样数大于最多抽样数', en: 'The fewest calls per provider is more than the most' };
    const keys = new Set(value.survey.questions.map((q) => q.key));
    return keys.size === 4 ? null : { zh: '回访问题重复', en: 'A survey question appears twice' };
  },
});

export function complaintSettingsOf(ctx: AppContext, regionCode: string): ComplaintSettings {
  return ctx.settings.get(complaintSetting, regionCode);
}
