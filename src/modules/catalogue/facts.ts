import type { PersonRow } from '../../db/tables.js';
import type { Type } from '../../lib/rules/check.js';
import type { Facts } from '../../lib/rules/compile.js';
import { periodBounds } from '../../platform/time.js';

/**
 * The person facts a catalogue rule may read: the register's attributes, as the rules see them.
 * Every fact is total (no null): unknown disability grade is 0, unknown LTC grade is 'none', so a
 * rule never has to reason about missing values. Ages are on the last day of the period.
 */
export interface FactDef {
  name: string;
  type: Type;
  label: string;
  labelEn: string;
  /** display labels of enum values and booleans */
  values?: Record<string, string>;
}

const en = (name: string, values: Record<string, string>): Type => ({ t: 'enum', name, values: Object.keys(values) });
const bool = (label: string, labelEn: string, name: string): FactDef => ({ name, type: { t: 'bool' }, label, labelEn, values: { true: '是', false: '否' } });

const HARDSHIP = { none: '无', dibao: '低保', dibao_edge: '低保边缘', tekun_dispersed: '特困（分散供养）', tekun_concentrated: '特困（集中供养）' };
const LTC = { none: '无', mild: '轻度失能', moderate: '中度失能', severe: '重度失能' };
const DISABILITY_KIND = { none: '无', visual: '视力', hearing: '听力', speech: '言语', physical: '肢体', intellectual: '智力', mental: '精神', multiple: '多重' };
const PENSION = { none: '无', employee: '企业职工', public_service: '机关事业', resident: '城乡居民' };
const VETERAN = {
  none: '无', martyr_family: '烈属', duty_death_family: '因公牺牲军人遗属', illness_death_family: '病故军人遗属', disabled_veteran: '残疾军人',
  demobilised: '在乡复员军人', ill_returned: '带病回乡退伍军人', combat_veteran: '参战参试退役军人',
};
const STATUS = { active: '正常', deceased: '死亡', moved_out: '迁出' };
const SEX = { M: '男', F: '女' };

export const FACTS: FactDef[] = [
  { name: 'age', type: { t: 'int' }, label: '年龄（周岁，按本期末日计）', labelEn: 'age (whole years on the last day of the period)' },
  { name: 'sex', type: en('sex', SEX), label: '性别', labelEn: 'sex', values: SEX },
  bool('在本期内在册（未死亡、未迁出，或本期内才变动）', 'on the register during the period', 'active'),
  { name: 'status', type: en('status', STATUS), label: '户籍状态', labelEn: 'status', values: STATUS },
  bool('本地户籍', 'local household registration', 'hukouLocal'),
  bool('居住在城镇社区（非农村）', 'lives in an urban community', 'urban'),
  bool('生日在本期月份', 'birthday falls in the period', 'birthdayInPeriod'),
  { name: 'hardship', type: en('hardship', HARDSHIP), label: '救助类别', labelEn: 'hardship', values: HARDSHIP },
  bool('独居', 'lives alone', 'livingAlone'),
  bool('空巢', 'empty nest', 'emptyNest'),
  bool('留守', 'left behind', 'leftBehind'),
  bool('孤寡', 'solitary, no children', 'solitary'),
  bool('计生特殊家庭', 'special family (family planning)', 'specialFamily'),
  { name: 'disabilityGrade', type: { t: 'int' }, label: '残疾等级（1-4，0 为无）', labelEn: 'disability grade (1-4, 0 none)' },
  { name: 'disabilityKind', type: en('disabilityKind', DISABILITY_KIND), label: '残疾类别', labelEn: 'disability kind', values: DISABILITY_KIND },
  { name: 'ltcGrade', type: en('ltcGrade', LTC), label: '失能等级', labelEn: 'LTC grade', values: LTC },
  { name: 'pensionType', type: en('pensionType', PENSION), label: '养老保险类型', labelEn: 'pension type', values: PENSION },
  { name: 'veteranCategory', type: en('veteranCategory', VETERAN), label: '优抚类别', labelEn: 'veteran category', values: VETERAN },
  bool('特殊贡献（见义勇为等）', 'special contribution', 'specialContribution'),
  bool('参加基本医疗保险', 'in basic medical insurance', 'medicalInsured'),
  bool('流浪乞讨救助对象', 'vagrant under relief', 'vagrant'),
];

export const FACT_BY_NAME = new Map(FACTS.map((f) => [f.name, f]));

/** What the fact builder needs of a person: the register's columns. */
export type FactSource = Pick<PersonRow,
  'birth_date' | 'sex' | 'status' | 'closed_on' | 'hukou_local' | 'region_code' | 'hardship' | 'living_alone' | 'empty_nest'
  | 'left_behind' | 'solitary' | 'special_family' | 'disability_grade' | 'disability_kind' | 'ltc_grade' | 'pension_type'
  | 'veteran_category' | 'special_contribution'> & { medical_insured?: number; vagrant?: number };

/**
 * Builds facts for one period. Age follows platform/time.ageOn (turns N on the birthday; 29
 * February birthdays turn N on 1 March in common years), inlined on the date strings because this
 * runs once per person per run.
 */
export function factBuilder(period: string, isUrban: (regionCode: string) => boolean) {
  const { start, end } = periodBounds(period);
  const ey = Number(end.slice(0, 4));
  const emd = end.slice(5);
  const mm = period.slice(5, 7);
  return (r: FactSource): Facts => {
    const b = r.birth_date;
    let age = ey - Number(b.slice(0, 4));
    if (b.slice(5) > emd) age -= 1;
    return {
      age,
      sex: r.sex,
      // Someone who died or moved away during the period is still counted for it; from the next
      // period on they are not ("次月停发").
      active: r.status === 'active' || (r.closed_on !== null && r.closed_on >= start),
      status: r.status,
      hukouLocal: r.hukou_local === 1,
      urban: isUrban(r.region_code),
      birthdayInPeriod: b.slice(5, 7) === mm,
      hardship: r.hardship || 'none',
      livingAlone: r.living_alone === 1,
      emptyNest: r.empty_nest === 1,
      leftBehind: r.left_behind === 1,
      solitary: r.solitary === 1,
      specialFamily: r.special_family === 1,
      disabilityGrade: r.disability_grade ?? 0,
      disabilityKind: r.disability_kind || 'none',
      ltcGrade: r.ltc_grade || 'none',
      pensionType: r.pension_type || 'none',
      veteranCategory: r.veteran_category || 'none',
      specialContribution: r.special_contribution === 1,
      medicalInsured: r.medical_insured === 1,
      vagrant: r.vagrant === 1,
    };
  };
}

/** A profile as a case file or the public self-check states it → the register's columns. */
export function profileSource(p: {
  birthDate: string; sex: string; status: string; closedOn?: string | null; hukouLocal: boolean; hardship: string; living: string[];
  specialFamily: boolean; disabilityGrade: number; disabilityKind: string; ltcGrade: string; pensionType: string; veteranCategory: string;
  specialContribution: boolean; medicalInsured: boolean; vagrant: boolean;
}): FactSource {
  const has = (t: string) => (p.living.includes(t) ? 1 : 0);
  return {
    birth_date: p.birthDate, sex: p.sex, status: p.status, closed_on: p.closedOn ?? null, hukou_local: p.hukouLocal ? 1 : 0,
    region_code: '', hardship: p.hardship, living_alone: has('alone'), empty_nest: has('empty_nest'), left_behind: has('left_behind'),
    solitary: has('solitary'), special_family: p.specialFamily ? 1 : 0, disability_grade: p.disabilityGrade || null,
    disability_kind: p.disabilityKind === 'none' ? null : p.disabilityKind, ltc_grade: p.ltcGrade, pension_type: p.pensionType,
    veteran_category: p.veteranCategory === 'none' ? null : p.veteranCategory, special_contribution: p.specialContribution ? 1 : 0,
    medical_insured: p.medicalInsured ? 1 : 0, vagrant: p.vagrant ? 1 : 0,
  };
}
