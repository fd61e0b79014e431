import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';
import { ruleProblem } from './plan-rules.js';

/**
 * Who must be visited, how often and by which modes (探访关爱), per jurisdiction. The plans are
 * tried in order and a person is in the first whose rule is true, so the weekly plan comes first.
 * The defaults read the seeds; each open point issue 16 names is decided here, in the field it
 * touches:
 *
 * - 004 §4 (Changzhou): "对80周岁及以上高龄的、经济困难家庭以及计划生育特殊家庭中失能(半失能)空巢独居老年人
 *   … 通过上门走访、电话、视频形式,每周至少开展一次". Read as: (80+ or economic hardship or special
 *   family) and disabled and (living alone or empty-nest) → weekly, by home visit, phone or video.
 *   - 失能(半失能): 半失能 is partly disabled, so 轻度失能 counts with 中度, 重度 and 完全失能 — the
 *     `disablement` fact (the capability assessment, else the LTC grade) in any level but 'none'.
 *   - 空巢独居: an elderly couple living together with no children at home is 空巢, and counts (the
 *     `emptyNest` fact), as does someone living alone (`livingAlone`) or with no children (`solitary`).
 *   - 经济困难家庭: 低保, 低保边缘 and 特困 (both kinds) — every hardship the register records. The
 *     register has no separate 低收入 category; a jurisdiction that records one edits the rule.
 * - 001 §1 (Rugao): "全市特殊困难老年人月探访率达到100%" → monthly for the other special-difficulty
 *   elders. Rugao names them differently in §1 (独居/空巢/留守/计生) and §23 (高龄/独居/失能/计生), and
 *   Nanxun's item 24 lists 独居、空巢、留守、失能、重残、计划生育特殊困难. The default takes the union of
 *   the named groups except 高龄 alone (every 80-year-old monthly would put a sixth of the elders on
 *   a grid worker's list; 高龄 counts where it meets disability or living alone, as in 004 §4):
 *   living alone, empty-nest, left behind, solitary, special family, disabled (moderate or worse),
 *   or a grade 1-2 disability (重残).
 * - Rugao and Daye name no modes: the monthly plan accepts a home visit, a phone or a video call,
 *   as 004 §4 does for its stricter group; a jurisdiction that wants home visits only edits `modes`.
 * - 每周 is a calendar week, Monday to Sunday (`week: 'calendar'`), so a week's window is the same for
 *   every worker and the supervisor's count is per week; 'rolling' makes it 7 days from the last visit.
 * - A text or WeChat message is not a contact (it does not see or hear the elder): 'message' is not
 *   a mode any default plan accepts, and a jurisdiction may add it.
 * - A phone or video visit counts when it lasts at least `minMinutes` of its mode (5 minutes by
 *   default); a home visit at least 10.
 */
export const visitMode = z.enum(['home', 'phone', 'video', 'message']);
export type VisitMode = z.infer<typeof visitMode>;

const words = z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(80) }).strict();

export const visitPlan = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/, '计划代码应为小写字母、数字或下划线'),
    label: words,
    /** the rule in the shared rule language, over person facts */
    rule: z.string().min(1).max(2000),
    frequency: z.enum(['weekly', 'monthly']),
    modes: z.array(visitMode).min(1),
    /** the highest-risk group: two missed windows in a row escalate */
    highRisk: z.boolean(),
    /** the seed paragraph it reads */
    source: z.string().max(200),
  })
  .strict();
export type VisitPlan = z.infer<typeof visitPlan>;

export const visitSettings = z
  .object({
    plans: z.array(visitPlan).min(1).max(20),
    week: z.enum(['calendar', 'rolling']),
    /** the least minutes a visit of each mode must last to count */
    minMinutes: z
      .object({
        home: z.number().int().min(0).max(240),
        phone: z.number().int().min(0).max(240),
        video: z.number().int().min(0).max(240),
        message: z.number().int().min(0).max(240),
      })
      .strict(),
    /** missed windows in a row (high-risk plans) that escalate to the village head and the hotline */
    escalateAfter: z.number().int().min(1).max(10),
    /** a visit's photo: the largest accepted, in bytes */
    photoMaxBytes: z.number().int().min(10_000).max(20_000_000),
    /** the monthly visit rate's target, in per cent (001 §1: 100 %) */
    rateTargetPercent: z.number().int().min(1).max(100),
  })
  .strict();
export type VisitSettings = z.infer<typeof visitSettings>;

const HARDSHIP = "hardship in ['dibao', 'dibao_edge', 'tekun_dispersed', 'tekun_concentrated']";

export const DEFAULT_VISIT_SETTINGS: VisitSettings = {
  plans: [
    {
      key: 'weekly_high_risk',
      label: { zh: '每周探访（高龄、困难或计生特殊家庭的失能空巢独居老人）', en: 'Weekly (80+, hardship or special family; disabled; alone or empty-nest)' },
      rule: `(age >= 80 || ${HARDSHIP} || specialFamily) && disablement != 'none' && (livingAlone || emptyNest || solitary)`,
      frequency: 'weekly',
      modes: ['home', 'phone', 'video'],
      highRisk: true,
      source: '常政办发〔2023〕37号 第4条',
    },
    {
      key: 'monthly_special',
      label: { zh: '每月探访（其他特殊困难老年人）', en: 'Monthly (other special-difficulty elders)' },
      rule: "age >= 60 && (livingAlone || emptyNest || leftBehind || solitary || specialFamily || disablement in ['moderate', 'severe', 'complete'] || disabilityGrade in [1, 2])",
      frequency: 'monthly',
      modes: ['home', 'phone', 'video'],
      highRisk: false,
      source: '如皋市“十四五”养老服务发展规划 第6条；南浔区清单第24项',
    },
  ],
  week: 'calendar',
  minMinutes: { home: 10, phone: 5, video: 5, message: 0 },
  escalateAfter: 2,
  photoMaxBytes: 5_000_000,
  rateTargetPercent: 100,
};

export const visitSettingsSetting = defineSetting<VisitSettings>({
  name: 'visit_plans',
  label: { zh: '探访关爱计划', en: 'Visit plans' },
  description: {
    zh: '探访对象、频次与方式：按顺序匹配的计划规则（规则语言，读老年人信息与能力等级）、每周按自然周还是任意7天、各方式最短时长、连续漏访几次升级、照片大小上限、月探访率目标。默认值依据常政办发〔2023〕37号第4条、如皋市规划第6条与南浔区清单第24项。',
    en: 'Who is visited, how often and how: plan rules tried in order (the rule language over person facts and the capability level), whether a week is a calendar week or any 7 days, the least minutes per mode, how many missed windows in a row escalate, the photo size limit, and the monthly visit rate target. Defaults from Changzhou 2023 No. 37 item 4, Rugao’s plan item 6 and Nanxun’s list item 24.',
  },
  schema: visitSettings,
  initial: () => DEFAULT_VISIT_SETTINGS,
  check(value) {
    const keys = new Set<string>();
    for (const p of value.plans) {
      if (keys.has(p.key)) return { zh: `计划代码 ${p.key} 重复`, en: `Plan key ${p.key} appears twice` };
      keys.add(p.key);
      const problem = ruleProblem(p.rule);
      if (problem) return { zh: `计划 ${p.key} 的规则有误：${problem}`, en: `The rule of plan ${p.key} is wrong: ${problem}` };
    }
    return null;
  },
});

export function visitSettingsOf(ctx: AppContext, regionCode: string): VisitSettings {
  return ctx.settings.get(visitSettingsSetting, regionCode);
}
