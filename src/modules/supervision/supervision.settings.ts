import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';

/**
 * A jurisdiction's supervision figures: the checklists its inspectors fill, the credit-rating
 * formula (published on the public page), and how many of each grade a round draws (differentiated
 * supervision, 000 §17 "根据信用评价结果采取差异化监管措施"). The seeds name the subjects (004 §15:
 * 建筑、消防、食品、卫生 and GB 38600 《养老机构服务安全基本规范》) but no items, weights or shares:
 * the defaults below are this platform's choice, each a setting the bureau changes.
 */
const text = z.object({ zh: z.string().min(1).max(120), en: z.string().min(1).max(200) }).strict();
export const SEVERITIES = ['minor', 'major', 'serious'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const checklistItem = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/), label: text, severity: z.enum(SEVERITIES) }).strict();
export const checklist = z.object({ key: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/), label: text, items: z.array(checklistItem).min(1).max(100) }).strict();
export type Checklist = z.infer<typeof checklist>;

/** The rating's terms, each an input counted over the window, points taken per unit, at most `maxPoints`. */
export const TERM_KEYS = [
  'finding_minor',
  'finding_major',
  'finding_serious',
  'complaint_substantiated',
  'complaint_overdue',
  'service_anomaly',
  'satisfaction_shortfall',
] as const;
export type TermKey = (typeof TERM_KEYS)[number];
export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export const ratingFormula = z
  .object({
    /** the look-back window in days, ending on the day of computation */
    windowDays: z
      .number()
      .int()
      .min(30)
      .max(3 * 366),
    terms: z
      .array(
        z
          .object({
            key: z.enum(TERM_KEYS),
            /** points taken per unit of input (satisfaction: per percentage point below `satisfactionTarget`) */
            pointsPerUnit: z.number().min(0).max(100),
            maxPoints: z.number().int().min(0).max(100),
          })
          .strict(),
      )
      .min(1),
    /** satisfaction: mean below this (percent) costs points; fewer than `satisfactionMinResponses` answers count as none */
    satisfactionTarget: z.number().int().min(0).max(100),
    satisfactionMinResponses: z.number().int().min(1).max(1000),
    /** lowest score of each grade; below C is D */
    bands: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }).strict(),
    /** a serious finding in the window caps the grade at this, whatever the rest (the star rating’s cap) */
    seriousFindingCap: z.enum(GRADES),
  })
  .strict();
export type RatingFormula = z.infer<typeof ratingFormula>;

export const supervisionSettings = z
  .object({
    checklists: z.array(checklist).min(1).max(30),
    formula: ratingFormula,
    /** percent of each stratum a round draws (rounded up); 'unrated' for targets never rated */
    drawShares: z
      .object({
        A: z.number().int().min(0).max(100),
        B: z.number().int().min(0).max(100),
        C: z.number().int().min(0).max(100),
        D: z.number().int().min(0).max(100),
        unrated: z.number().int().min(0).max(100),
      })
      .strict(),
    inspectorsPerTarget: z.number().int().min(1).max(5),
    /** days the inspected target has to rectify a failed item, by the worst severity failed */
    rectificationDays: z
      .object({ minor: z.number().int().min(1).max(365), major: z.number().int().min(1).max(365), serious: z.number().int().min(1).max(365) })
      .strict(),
  })
  .strict();
export type SupervisionSettings = z.infer<typeof supervisionSettings>;

const item = (key: string, zh: string, en: string, severity: Severity) => ({ key, label: { zh, en }, severity });

export const DEFAULT_SUPERVISION: SupervisionSettings = {
  checklists: [
    {
      key: 'comprehensive',
      label: { zh: '综合检查（消防、食品、卫生、安全基本规范、服务记录）', en: 'Comprehensive (fire, food, hygiene, safety basics, records)' },
      items: [
        item('fire_exits', '疏散通道、安全出口畅通，无锁闭、堵塞', 'Escape routes and exits open, not locked or blocked', 'serious'),
        item('fire_equipment', '灭火器、消防栓完好有效，定期检查有记录', 'Extinguishers and hydrants in order, checks recorded', 'major'),
        item('fire_drill', '每半年至少组织一次消防演练', 'A fire drill at least every six months', 'minor'),
        item('food_licence', '食品经营许可、从业人员健康证在有效期内', 'Food licence and staff health certificates valid', 'major'),
        item('food_samples', '每餐食品留样 48 小时并记录', 'A sample of every meal kept 48 hours, recorded', 'major'),
        item('hygiene_disinfection', '餐具、居室定期消毒并记录', 'Tableware and rooms disinfected on schedule, recorded', 'minor'),
        item('risk_assessment', '入院时开展风险评估（GB 38600）', 'Risk assessment on admission (GB 38600)', 'major'),
        item('fall_prevention', '防跌倒、防噎食、防压疮措施落实', 'Fall, choking and pressure-injury prevention in place', 'serious'),
        item('medication', '药品管理规范，代管药品有交接记录', 'Medication managed, handovers recorded', 'major'),
        item('emergency_plan', '突发事件应急预案完备并演练', 'Emergency plans in place and rehearsed', 'major'),
        item('service_records', '服务记录完整、真实，可追溯', 'Service records complete, true and traceable', 'minor'),
      ],
    },
    {
      key: 'home_service',
      label: { zh: '居家上门服务检查', en: 'Home-service provider' },
      items: [
        item('caregiver_certificates', '护理员持证上岗，证书在有效期内', 'Caregivers certified, certificates valid', 'major'),
        item('service_records', '服务工单、签到签退记录完整真实', 'Orders and check-in/out records complete and true', 'major'),
        item('safety_training', '开展上门服务安全培训并记录', 'Home-visit safety training held and recorded', 'minor'),
        item('complaint_handling', '投诉处理及时、有记录', 'Complaints handled on time, recorded', 'minor'),
        item('elder_safety', '无侵害老年人人身财产安全行为', 'No harm to elders’ person or property', 'serious'),
      ],
    },
  ],
  formula: {
    windowDays: 365,
    terms: [
      { key: 'finding_minor', pointsPerUnit: 1, maxPoints: 10 },
      { key: 'finding_major', pointsPerUnit: 4, maxPoints: 24 },
      { key: 'finding_serious', pointsPerUnit: 10, maxPoints: 30 },
      { key: 'complaint_substantiated', pointsPerUnit: 3, maxPoints: 15 },
      { key: 'complaint_overdue', pointsPerUnit: 1, maxPoints: 5 },
      { key: 'service_anomaly', pointsPerUnit: 0.5, maxPoints: 10 },
      { key: 'satisfaction_shortfall', pointsPerUnit: 0.5, maxPoints: 10 },
    ],
    satisfactionTarget: 90,
    satisfactionMinResponses: 5,
    bands: { A: 90, B: 75, C: 60 },
    seriousFindingCap: 'C',
  },
  drawShares: { A: 10, B: 20, C: 50, D: 100, unrated: 30 },
  inspectorsPerTarget: 2,
  rectificationDays: { minor: 30, major: 15, serious: 7 },
};

export const supervisionSetting = defineSetting<SupervisionSettings>({
  name: 'supervision',
  label: { zh: '监管（检查表、信用评价公式、抽查比例）', en: 'Supervision (checklists, rating formula, draw shares)' },
  description: {
    zh: '双随机抽查的检查表（每项不合格时的严重程度）、信用评价公式（各项扣分、上限、等级分数线、严重问题封顶）和按信用等级的抽查比例（差异化监管，启东方案第17条）。公式在公开页面公布。',
    en: 'The inspection checklists (each item’s severity if failed), the credit-rating formula (points per term, caps, grade bands, the serious-finding cap) and the share of each grade a round draws (differentiated supervision, Qidong plan §17). The formula is published on the public page.',
  },
  schema: supervisionSettings,
  initial: () => DEFAULT_SUPERVISION,
  check(value) {
    const keys = new Set(value.checklists.map((c) => c.key));
    if (keys.size !== value.checklists.length) return { zh: '检查表代码重复', en: 'A checklist key appears twice' };
    for (const c of value.checklists)
      if (new Set(c.items.map((i) => i.key)).size !== c.items.length)
        return { zh: `检查表 ${c.key} 的检查项代码重复`, en: `An item key appears twice in checklist ${c.key}` };
    const b = value.formula.bands;
    if (!(b.A > b.B && b.B > b.C && b.C > 0 && b.A <= 100))
      return { zh: '等级分数线须满足 100 ≥ A > B > C > 0', en: 'Grade bands must satisfy 100 ≥ A > B > C > 0' };
    if (new Set(value.formula.terms.map((t) => t.key)).size !== value.formula.terms.length)
      return { zh: '评价公式的扣分项重复', en: 'A rating term appears twice' };
    return null;
  },
});

export function supervisionSettingsOf(ctx: AppContext, regionCode: string): SupervisionSettings {
  return ctx.settings.get(supervisionSetting, regionCode);
}
