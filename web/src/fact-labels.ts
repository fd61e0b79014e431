import type { FactValue } from './entitlements-api';
import type { Locale } from './i18n';

/**
 * The person facts catalogue rules read (src/modules/catalogue/facts.ts) and the labels of their
 * values, in both languages: the self-check form and the explanations show them. A fact or value
 * missing here shows as its code.
 */
type Labels = Record<string, { zh: string; en: string }>;

export const factLabels: Labels = {
  age: { zh: '年龄', en: 'age' },
  sex: { zh: '性别', en: 'sex' },
  active: { zh: '本期在册', en: 'on the register' },
  status: { zh: '户籍状态', en: 'status' },
  hukouLocal: { zh: '本地户籍', en: 'local hukou' },
  urban: { zh: '居住在城镇社区', en: 'lives in an urban community' },
  birthdayInPeriod: { zh: '生日在本月', en: 'birthday this month' },
  hardship: { zh: '救助类别', en: 'hardship' },
  livingAlone: { zh: '独居', en: 'lives alone' },
  emptyNest: { zh: '空巢', en: 'empty nest' },
  leftBehind: { zh: '留守', en: 'left behind' },
  solitary: { zh: '孤寡', en: 'solitary' },
  specialFamily: { zh: '计生特殊家庭', en: 'special family' },
  disabilityGrade: { zh: '残疾等级', en: 'disability grade' },
  disabilityKind: { zh: '残疾类别', en: 'disability kind' },
  ltcGrade: { zh: '失能等级', en: 'LTC grade' },
  pensionType: { zh: '养老保险类型', en: 'pension type' },
  veteranCategory: { zh: '优抚类别', en: 'veteran category' },
  specialContribution: { zh: '特殊贡献', en: 'special contribution' },
  medicalInsured: { zh: '参加基本医疗保险', en: 'in basic medical insurance' },
  vagrant: { zh: '流浪乞讨救助对象', en: 'vagrant under relief' },
};

export const hardshipLabels: Labels = {
  none: { zh: '无', en: 'None' },
  dibao: { zh: '低保', en: 'Dibao (minimum living allowance)' },
  dibao_edge: { zh: '低保边缘', en: 'Near-dibao' },
  tekun_dispersed: { zh: '特困（分散供养）', en: 'Extreme poverty (at home)' },
  tekun_concentrated: { zh: '特困（集中供养）', en: 'Extreme poverty (in an institution)' },
};
export const livingLabels: Labels = {
  alone: { zh: '独居', en: 'Lives alone' },
  empty_nest: { zh: '空巢', en: 'Empty nest' },
  left_behind: { zh: '留守', en: 'Left behind' },
  solitary: { zh: '孤寡', en: 'Without family' },
};
export const ltcLabels: Labels = {
  none: { zh: '无', en: 'None' },
  mild: { zh: '轻度失能', en: 'Mild' },
  moderate: { zh: '中度失能', en: 'Moderate' },
  severe: { zh: '重度失能', en: 'Severe' },
};
export const disabilityKindLabels: Labels = {
  none: { zh: '无', en: 'None' },
  visual: { zh: '视力', en: 'Visual' },
  hearing: { zh: '听力', en: 'Hearing' },
  speech: { zh: '言语', en: 'Speech' },
  physical: { zh: '肢体', en: 'Physical' },
  intellectual: { zh: '智力', en: 'Intellectual' },
  mental: { zh: '精神', en: 'Mental' },
  multiple: { zh: '多重', en: 'Multiple' },
};
export const disabilityGradeLabels: Labels = {
  0: { zh: '无残疾', en: 'None' },
  1: { zh: '一级', en: 'Grade 1' },
  2: { zh: '二级', en: 'Grade 2' },
  3: { zh: '三级', en: 'Grade 3' },
  4: { zh: '四级', en: 'Grade 4' },
};
export const pensionLabels: Labels = {
  none: { zh: '无', en: 'None' },
  employee: { zh: '企业职工', en: 'Employee' },
  public_service: { zh: '机关事业', en: 'Public service' },
  resident: { zh: '城乡居民', en: 'Urban and rural resident' },
};
export const veteranLabels: Labels = {
  none: { zh: '无', en: 'None' },
  martyr_family: { zh: '烈属', en: 'Martyr\u2019s family' },
  duty_death_family: { zh: '因公牺牲军人遗属', en: 'Family of a soldier who died on duty' },
  illness_death_family: { zh: '病故军人遗属', en: 'Family of a soldier who died of illness' },
  disabled_veteran: { zh: '残疾军人', en: 'Disabled veteran' },
  demobilised: { zh: '在乡复员军人', en: 'Demobilised soldier' },
  ill_returned: { zh: '带病回乡退伍军人', en: 'Veteran returned home ill' },
  combat_veteran: { zh: '参战参试退役军人', en: 'Combat or test veteran' },
};
const statusLabels: Labels = { active: { zh: '正常', en: 'Active' }, deceased: { zh: '死亡', en: 'Deceased' }, moved_out: { zh: '迁出', en: 'Moved out' } };
const sexLabels: Labels = { M: { zh: '男', en: 'Male' }, F: { zh: '女', en: 'Female' } };

const valueLabels: Record<string, Labels> = {
  hardship: hardshipLabels, ltcGrade: ltcLabels, disabilityKind: disabilityKindLabels, disabilityGrade: disabilityGradeLabels,
  pensionType: pensionLabels, veteranCategory: veteranLabels, status: statusLabels, sex: sexLabels,
};

function pickLabel(labels: Labels | undefined, key: string, locale: Locale): string | undefined {
  const l = labels?.[key];
  return l ? (locale === 'en' ? l.en : l.zh) : undefined;
}

export function factLabel(name: string, locale: Locale): string {
  return pickLabel(factLabels, name, locale) ?? name;
}

/** A fact's value as people read it: 是/否, the enum's label, "82 周岁". */
export function factValueLabel(name: string, v: FactValue | null | undefined, locale: Locale): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'yes' : 'no') : (v ? '是' : '否');
  if (Array.isArray(v)) return `[${v.map((x) => factValueLabel(name, x, locale)).join(', ')}]`;
  if (name === 'age') return locale === 'en' ? `${String(v)}` : `${String(v)} 周岁`;
  return pickLabel(valueLabels[name], String(v), locale) ?? String(v);
}

export function options(labels: Labels, locale: Locale): { value: string; label: string }[] {
  return Object.entries(labels).map(([value, l]) => ({ value, label: locale === 'en' ? l.en : l.zh }));
}
