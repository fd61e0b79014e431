import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * How a jurisdiction schedules capability assessments. The seeds' figures are the defaults; each
 * reading of an open point is written beside the field it decides.
 *
 * - Seed 002 §2 says "80周岁以上老年人每年、80周岁以下老年人每两年**可申请**免费评估一次". Read as: for
 *   80+ a schedule the bureau must run (000 §2 and 004 §2 set 80+ coverage at 100 % by 2025, a
 *   duty); below 80 a right on application: nobody under 80 is put on the schedule until they have
 *   been assessed once (on request, a change of condition, before admission), after which they are
 *   reassessed every two years (`scheduleUnder80`: 'after_first', or 'all' for a bureau that
 *   schedules every elder).
 * - "每年" is a span since the last assessment's reference date (12 months), not a calendar year
 *   (`span`: 'months'; 'calendar_year' makes it due by the end of the next calendar year instead).
 * - The age that decides the interval is the age on the date the shorter interval would fall due:
 *   someone assessed at 79½ turns 80 within the year and is due again after 12 months.
 * - Every reviewed assessment on the platform restarts the clock, whatever its reason (first,
 *   periodic, change, on request, before admission, a quality re-assessment); the long-term-care
 *   insurance's own grade is shown beside it but does not (it is a different instrument).
 * - A level counts for `graceDays` after its next assessment falls due (90 days by default), so an
 *   overdue reassessment shows on the due list before anyone's entitlement turns to 待核实.
 * - Someone never assessed falls due on their 80th birthday, but not before the schedule began
 *   (`scheduleStart`, by default 2025-01-01: seeds 000 §2 and 004 §2 set 80+ coverage "到2025年"): a
 *   99-year-old never assessed is due from the schedule's start, not 7,000 days overdue. The due list
 *   still puts the oldest first among those never assessed.
 */
export const assessmentSchedule = z
  .object({
    /** the age from which the shorter interval applies */
    olderAge: z.number().int().min(60).max(100),
    olderMonths: z.number().int().min(1).max(60),
    youngerMonths: z.number().int().min(1).max(120),
    scheduleUnder80: z.enum(['after_first', 'all']),
    span: z.enum(['months', 'calendar_year']),
    graceDays: z.number().int().min(0).max(365),
    /** due within this many days: listed as due soon */
    dueSoonDays: z.number().int().min(0).max(180),
    /** the day the schedule began: no one never assessed is due before it */
    scheduleStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD'),
    /** the share of reviewed assessments drawn for a second assessor's re-assessment, in per mille (50 = 5 %) */
    qualityPermille: z.number().int().min(1).max(1000),
  })
  .strict();
export type AssessmentSchedule = z.infer<typeof assessmentSchedule>;

export const DEFAULT_SCHEDULE: AssessmentSchedule = {
  olderAge: 80,
  olderMonths: 12,
  youngerMonths: 24,
  scheduleUnder80: 'after_first',
  span: 'months',
  graceDays: 90,
  dueSoonDays: 30,
  scheduleStart: '2025-01-01',
  qualityPermille: 50,
};

export const assessmentScheduleSetting = defineSetting<AssessmentSchedule>({
  name: 'assessment_schedule',
  label: { zh: '能力评估周期', en: 'Capability assessment schedule' },
  description: {
    zh: '老年人能力综合评估的周期：80周岁以上每年、以下每两年（浔政办发〔2023〕50号第2条）；80周岁以下是否未经首次评估也列入计划；“每年”按距上次评估的月数还是按自然年；评估到期后等级继续有效的宽限天数；临近到期提醒天数；评估计划起始日（从未评估的老人最早自该日起应评估）；质量抽检比例（‰）。',
    en: 'The cycle of capability assessments: yearly from 80, every two years below (Nanxun 2023 No. 50, item 2); whether elders under 80 are scheduled before a first assessment; whether a year is a span of months or a calendar year; the grace days a level still counts after it falls due; the days before due that count as due soon; the day the schedule began (no one never assessed is due before it); the quality re-assessment share (per mille).',
  },
  schema: assessmentSchedule,
  initial: () => DEFAULT_SCHEDULE,
});

export function scheduleOf(ctx: AppContext, regionCode: string): AssessmentSchedule {
  return ctx.settings.get(assessmentScheduleSetting, regionCode);
}
