import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { defineSetting } from '../../platform/settings.js';
import { ruleProblem } from '../catalogue/person-rules.js';

/**
 * The admission queue's order (轮候排序), per jurisdiction. The seeds: 004 §5 (Changzhou) "完善公办养老
 * 机构入住管理制度,明确老年人入住条件和轮候排序原则,经济困难家庭中失能、残疾、空巢独居老年人,80周岁以上高龄老年人,
 * 计划生育特殊家庭老年人,为社会作出突出贡献的老年人优先入住。现役军人家属和烈士、因公牺牲军人、病故军人的遗属,符合规定
 * 条件申请入住公办养老机构的,同等条件下优先安排。" — with 特困 first (004 §5 满足城乡特困老年人集中供养; 000 §10, 003 §8).
 *
 * The tiers are rules in the shared rule language over person facts (catalogue/person-rules.ts),
 * tried in order: an applicant is in the first tier whose rule is true (unknown is not true); one
 * in no tier comes after every tier. Within a tier the 同等条件下优先 group, then the queue date
 * (the application date), then the application's number. The open points, decided here:
 *
 * - `hardshipQualifies`: does "经济困难家庭中" qualify only the first group (失能、残疾、空巢独居) or every
 *   group after it? Read as the sentence is punctuated: the 顿号 (、) joins 失能、残疾、空巢独居 under
 *   经济困难家庭中, and the commas start new groups ("80周岁以上高龄老年人" stands alone), so it qualifies
 *   the first group only ('first_group'). 'all_groups' makes the 80+, special-family and contribution
 *   tiers (those with `hardshipBySetting`) require `hardshipRule` too.
 * - `groupsOrdered`: the sentence lists the priority groups without ranking them; the default keeps
 *   the order they are listed in (true: the neediest, hardship with disability, first), which a
 *   family can read on the tracking page. false makes every 'priority' tier one tier (特困, a
 *   'bottom_line' tier, stays first either way).
 * - `preferencePassesEarlier`: 同等条件下优先 means "among equals, first": equal is the same tier, so a
 *   preferred applicant is placed before every non-preferred one of their tier, even one who applied
 *   earlier (true). false: preference only breaks a tie of the same tier and the same date.
 * - `onDecline`: a family that declines an offered bed of the type they asked for goes to the back
 *   of their tier ('back': the queue date becomes the day they declined — local 轮候 rules treat an
 *   unexplained refusal as giving up the place), keeps its place ('keep'), or leaves the queue ('leave').
 * - Tier 5, 为社会作出突出贡献: the register's `specialContribution` fact (特殊贡献（见义勇为等）).
 * - The 同等条件下优先 group is 004 §5's: families of serving soldiers (`activeServiceFamily`) and the
 *   survivors of martyrs, soldiers who died on duty or of illness (`veteranCategory`). 000 §10 and
 *   003 §8 also name 计划生育特别扶助对象 aged 60+ disabled or in hardship; a jurisdiction following
 *   them adds `specialFamily` to `preference.rule`.
 */
const words = z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(100) }).strict();

export const admissionTier = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/, '优先级代码应为小写字母、数字或下划线'),
    label: words,
    /** the rule in the shared rule language, over person facts */
    rule: z.string().min(1).max(2000),
    /** 'bottom_line' (特困: first whatever `groupsOrdered` says) | 'priority' (the listed priority groups) */
    kind: z.enum(['bottom_line', 'priority']),
    /** the tier also requires `hardshipRule` when `hardshipQualifies` is 'all_groups' */
    hardshipBySetting: z.boolean(),
    source: z.string().max(200),
  })
  .strict();
export type AdmissionTier = z.infer<typeof admissionTier>;

export const admissionSettings = z
  .object({
    tiers: z.array(admissionTier).min(1).max(20),
    hardshipRule: z.string().min(1).max(2000),
    hardshipQualifies: z.enum(['first_group', 'all_groups']),
    groupsOrdered: z.boolean(),
    preference: z.object({ label: words, rule: z.string().min(1).max(2000), source: z.string().max(200) }).strict(),
    preferencePassesEarlier: z.boolean(),
    onDecline: z.enum(['back', 'keep', 'leave']),
  })
  .strict();
export type AdmissionSettings = z.infer<typeof admissionSettings>;

const HARDSHIP = "hardship in ['dibao', 'dibao_edge', 'tekun_dispersed', 'tekun_concentrated']";
const SOURCE = '常政办发〔2023〕37号 第5条';

export const DEFAULT_ADMISSION_SETTINGS: AdmissionSettings = {
  tiers: [
    {
      key: 'tekun',
      label: { zh: '特困人员', en: 'Extreme poverty (tekun)' },
      rule: "hardship in ['tekun_dispersed', 'tekun_concentrated']",
      kind: 'bottom_line',
      hardshipBySetting: false,
      source: '常政办发〔2023〕37号 第5条；启政办发〔2024〕44号 第10条',
    },
    {
      key: 'hardship_care',
      label: { zh: '经济困难家庭中的失能、残疾、空巢独居老年人', en: 'Economic hardship and disabled, or with a disability, or living alone' },
      rule: `${HARDSHIP} && (disablement != 'none' || disabilityGrade in [1, 2, 3, 4] || livingAlone || emptyNest || solitary)`,
      kind: 'priority',
      hardshipBySetting: false,
      source: SOURCE,
    },
    {
      key: 'aged_80',
      label: { zh: '80周岁以上高龄老年人', en: 'Aged 80 or over' },
      rule: 'age >= 80',
      kind: 'priority',
      hardshipBySetting: true,
      source: SOURCE,
    },
    {
      key: 'special_family',
      label: { zh: '计划生育特殊家庭老年人', en: 'Special family (family planning)' },
      rule: 'specialFamily',
      kind: 'priority',
      hardshipBySetting: true,
      source: SOURCE,
    },
    {
      key: 'contribution',
      label: { zh: '为社会作出突出贡献的老年人', en: 'Outstanding contribution to society' },
      rule: 'specialContribution',
      kind: 'priority',
      hardshipBySetting: true,
      source: SOURCE,
    },
  ],
  hardshipRule: HARDSHIP,
  hardshipQualifies: 'first_group',
  groupsOrdered: true,
  preference: {
    label: {
      zh: '现役军人家属和烈士、因公牺牲军人、病故军人的遗属',
      en: 'Families of serving soldiers; survivors of martyrs and of soldiers who died on duty or of illness',
    },
    rule: "activeServiceFamily || veteranCategory in ['martyr_family', 'duty_death_family', 'illness_death_family']",
    source: SOURCE,
  },
  preferencePassesEarlier: true,
  onDecline: 'back',
};

export const admissionSetting = defineSetting<AdmissionSettings>({
  name: 'admission_queue',
  label: { zh: '公办养老机构轮候排序', en: 'Public institution admission queue' },
  description: {
    zh: '轮候排序规则：按顺序匹配的优先级（规则语言，读老年人信息）、“经济困难家庭中”是否限定其后各类人群、各优先级之间是否分先后、同等条件下优先对象是否排在同一优先级中更早申请者之前、放弃入住后排到本优先级末尾、保留原位或退出轮候。默认值依据常政办发〔2023〕37号第5条。',
    en: 'The queue order: priority tiers tried in order (the rule language over person facts), whether "in economic hardship" qualifies every later group, whether the tiers are ordered among themselves, whether the 同等条件下优先 group passes earlier applicants of its tier, and whether declining an offered bed sends the family to the back of its tier, keeps its place or leaves the queue. Defaults from Changzhou 2023 No. 37 item 5.',
  },
  schema: admissionSettings,
  initial: () => DEFAULT_ADMISSION_SETTINGS,
  check(value) {
    const keys = new Set<string>();
    for (const t of value.tiers) {
      if (keys.has(t.key)) return { zh: `优先级代码 ${t.key} 重复`, en: `Tier key ${t.key} appears twice` };
      keys.add(t.key);
      const problem = ruleProblem(t.rule);
      if (problem) return { zh: `优先级 ${t.key} 的规则有误：${problem}`, en: `The rule of tier ${t.key} is wrong: ${problem}` };
    }
    for (const [name, rule] of [
      ['hardshipRule', value.hardshipRule],
      ['preference.rule', value.preference.rule],
    ] as const) {
      const problem = ruleProblem(rule);
      if (problem) return { zh: `${name} 的规则有误：${problem}`, en: `The rule ${name} is wrong: ${problem}` };
    }
    return null;
  },
});

export function admissionSettingsOf(ctx: AppContext, regionCode: string): AdmissionSettings {
  return ctx.settings.get(admissionSetting, regionCode);
}
