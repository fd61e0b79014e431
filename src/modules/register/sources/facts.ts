import { T, type Type } from '../../../lib/rules/check.js';
import type { Value } from '../../../lib/rules/compile.js';
import type { FactDecl, OwnedColumn, Words } from '../../../lib/rules/facts.js';

/**
 * The person facts the register owns, declared once: each with its type, labels in both
 * languages, the columns it is loaded from and whether it may be unknown. Catalogue rules read
 * them; the run's column list, the fact builder, the profile schema, `GET /api/facts` and the
 * console's labels and self-check form, the register's search tags (`tags`: a flag is one unless
 * true by default) and the import fields of flags are derived from this list. Ages are on the last
 * day of the period.
 *
 * To add a fact read from a department file: one `flag(...)` (or `choice(...)`) line here with
 * `owns` naming its column, department and headers. The column is added at start-up, the
 * department's template and import carry it, and rules may use it.
 */
type Labels = Record<string, Words>;
const YES_NO: Labels = { true: { zh: '是', en: 'yes' }, false: { zh: '否', en: 'no' } };

const enumType = (name: string, values: Labels): Type => ({ t: 'enum', name, values: Object.keys(values) });
const w = (zh: string, en: string): Words => ({ zh, en });

/** The first letter in capitals: a tag's English label from a fact's ("lives alone" → "Lives alone"). */
const capital = (l: Words): Words => ({ zh: l.zh, en: l.en.charAt(0).toUpperCase() + l.en.slice(1) });

/**
 * A 0/1 register column. Unknown when NULL if `unknown`; otherwise NULL reads as "no". It is a
 * register search tag (the column's name, when it is 1) with the fact's label, or `tag`'s when the
 * label is too long for a tag; not when it is true `byDefault` (nearly everyone), or `tag: false`.
 */
function flag(
  name: string,
  label: Words,
  column: string,
  opts: { unknown?: boolean; owns?: Omit<OwnedColumn, 'name' | 'fact'>; ask?: boolean; byDefault?: boolean; tag?: Words | false } = {},
): FactDecl {
  const unknown = opts.unknown ?? false;
  const r = `r[${JSON.stringify(column)}]`;
  const tag = opts.tag ?? (opts.byDefault ? false : capital(label));
  return {
    inline: unknown ? `(${r} === null || ${r} === undefined ? null : ${r} === 1)` : `${r} === 1`,
    name,
    type: T.bool,
    label,
    values: YES_NO,
    owner: 'register',
    columns: [column],
    unknown,
    ask: opts.ask ?? true,
    load: unknown ? (r) => (r[column] === null || r[column] === undefined ? null : r[column] === 1) : (r) => r[column] === 1,
    profile: { default: opts.byDefault ?? false, toColumns: (v) => ({ [column]: v === null ? null : v ? 1 : 0 }) },
    ...(opts.owns ? { owns: { name: column, fact: name, ...opts.owns } } : {}),
    ...(tag ? { tags: [{ key: column, label: tag, column, when: { is: 1 } }] } : {}),
  };
}

/**
 * A text register column holding an enum value; NULL (or empty) reads as `none`. Its search tags:
 * `'values'`, one a value but `none` (keyed by the value, with its label); or one tag for "any
 * value but none" (`{ key, label }`); none by default.
 */
function choice(
  name: string,
  label: Words,
  column: string,
  values: Labels,
  opts: { none?: string; ask?: boolean; tags?: 'values' | { key: string; label: Words } } = {},
): FactDecl {
  const none = opts.none ?? 'none';
  const tags =
    opts.tags === 'values'
      ? Object.entries(values)
          .filter(([v]) => v !== none)
          .map(([v, l]) => ({ key: v, label: l, column, when: { is: v } }))
      : opts.tags
        ? [{ ...opts.tags, column, when: { notNone: [none, ''] } }]
        : [];
  return {
    inline: `(r[${JSON.stringify(column)}] || ${JSON.stringify(none)})`,
    name,
    type: enumType(name, values),
    label,
    values,
    owner: 'register',
    columns: [column],
    unknown: false,
    ask: opts.ask ?? true,
    load: (r) => (r[column] as string | null) || none,
    profile: { default: none, toColumns: (v) => ({ [column]: v === none || v === null ? null : v }) },
    ...(tags.length ? { tags } : {}),
  };
}

const HARDSHIP: Labels = {
  none: w('无', 'None'),
  dibao: w('低保', 'Dibao (minimum living allowance)'),
  dibao_edge: w('低保边缘', 'Near-dibao'),
  tekun_dispersed: w('特困（分散供养）', 'Extreme poverty (at home)'),
  tekun_concentrated: w('特困（集中供养）', 'Extreme poverty (in an institution)'),
};
const LTC: Labels = { none: w('无', 'None'), mild: w('轻度失能', 'Mild'), moderate: w('中度失能', 'Moderate'), severe: w('重度失能', 'Severe') };
const DISABILITY_KIND: Labels = {
  none: w('无', 'None'),
  visual: w('视力', 'Visual'),
  hearing: w('听力', 'Hearing'),
  speech: w('言语', 'Speech'),
  physical: w('肢体', 'Physical'),
  intellectual: w('智力', 'Intellectual'),
  mental: w('精神', 'Mental'),
  multiple: w('多重', 'Multiple'),
};
const DISABILITY_GRADE: Labels = { 0: w('无残疾', 'None'), 1: w('一级', 'Grade 1'), 2: w('二级', 'Grade 2'), 3: w('三级', 'Grade 3'), 4: w('四级', 'Grade 4') };
const PENSION: Labels = {
  none: w('无', 'None'),
  employee: w('企业职工', 'Employee'),
  public_service: w('机关事业', 'Public service'),
  resident: w('城乡居民', 'Urban and rural resident'),
};
const VETERAN: Labels = {
  none: w('无', 'None'),
  martyr_family: w('烈属', 'Martyr\u2019s family'),
  duty_death_family: w('因公牺牲军人遗属', 'Family of a soldier who died on duty'),
  illness_death_family: w('病故军人遗属', 'Family of a soldier who died of illness'),
  disabled_veteran: w('残疾军人', 'Disabled veteran'),
  demobilised: w('在乡复员军人', 'Demobilised soldier'),
  ill_returned: w('带病回乡退伍军人', 'Veteran returned home ill'),
  combat_veteran: w('参战参试退役军人', 'Combat or test veteran'),
};
const STATUS: Labels = { active: w('正常', 'Active'), deceased: w('死亡', 'Deceased'), moved_out: w('迁出', 'Moved out') };
const SEX: Labels = { M: w('男', 'Male'), F: w('女', 'Female') };

const str = (v: unknown) => v as string;

export const REGISTER_FACTS: FactDecl[] = [
  {
    name: 'age',
    type: T.int,
    label: w('年龄（周岁，按本期末日计）', 'age (whole years on the last day of the period)'),
    owner: 'register',
    columns: ['birth_date'],
    unknown: false,
    // platform/time.ageOn inlined on the date strings (this runs once per person per run): turns N
    // on the birthday; 29 February birthdays turn N on 1 March in common years.
    load: (r, c) => {
      const b = str(r.birth_date);
      return c.endYear - Number(b.slice(0, 4)) - (b.slice(5) > c.endMonthDay ? 1 : 0);
    },
    inline: 'c.endYear - Number(r.birth_date.slice(0, 4)) - (r.birth_date.slice(5) > c.endMonthDay ? 1 : 0)',
    // tags by age today (a row shows the highest it reaches; a search for 80+ finds the 90-year-olds too)
    tags: [
      { key: 'age80', label: w('80岁以上', '80+'), column: 'birth_date', when: { ageAtLeast: 80 } },
      { key: 'age90', label: w('90岁以上', '90+'), column: 'birth_date', when: { ageAtLeast: 90 } },
      { key: 'age100', label: w('百岁老人', 'Centenarian'), column: 'birth_date', when: { ageAtLeast: 100 } },
    ],
  },
  {
    ...choice('sex', w('性别', 'sex (male or female)'), 'sex', SEX, { none: 'M', ask: false }),
    load: (r) => str(r.sex),
    inline: 'r.sex',
    profile: { default: 'M', toColumns: (v) => ({ sex: v }) },
  },
  {
    name: 'active',
    type: T.bool,
    label: w('在本期内在册（未死亡、未迁出，或本期内才变动）', 'on the register during the period'),
    values: YES_NO,
    owner: 'register',
    columns: ['status', 'closed_on'],
    unknown: false,
    // Someone who died or moved away during the period is still counted for it; from the next
    // period on they are not ("次月停发").
    load: (r, c) => r.status === 'active' || (r.closed_on !== null && str(r.closed_on) >= c.start),
    inline: "(r.status === 'active' || (r.closed_on !== null && r.closed_on >= c.start))",
  },
  {
    name: 'status',
    type: enumType('status', STATUS),
    label: w('户籍状态', 'household registration status'),
    values: STATUS,
    owner: 'register',
    columns: ['status'],
    unknown: false,
    load: (r) => str(r.status),
    inline: 'r.status',
  },
  flag('hukouLocal', w('本地户籍', 'local household registration'), 'hukou_local', { byDefault: true }),
  {
    name: 'urban',
    type: T.bool,
    label: w('居住在城镇社区（非农村）', 'lives in an urban community'),
    values: YES_NO,
    owner: 'register',
    columns: ['region_code'],
    unknown: false,
    load: (r, c) => c.isUrban(str(r.region_code)),
    inline: 'c.isUrban(r.region_code)',
  },
  {
    name: 'birthdayInPeriod',
    type: T.bool,
    label: w('生日在本期月份', 'birthday falls in the period'),
    values: YES_NO,
    owner: 'register',
    columns: ['birth_date'],
    unknown: false,
    load: (r, c) => str(r.birth_date).slice(5, 7) === c.month,
    inline: 'r.birth_date.slice(5, 7) === c.month',
  },
  {
    ...choice('hardship', w('救助类别', 'social assistance category'), 'hardship', HARDSHIP, { tags: 'values' }),
    load: (r) => str(r.hardship) || 'none',
    profile: { default: 'none', toColumns: (v) => ({ hardship: v }) },
  },
  flag('livingAlone', w('独居', 'lives alone'), 'living_alone', { ask: false }),
  flag('emptyNest', w('空巢', 'empty-nest (no children living with them)'), 'empty_nest', { ask: false, tag: w('空巢', 'Empty nest') }),
  flag('leftBehind', w('留守', 'left behind (children working away)'), 'left_behind', { ask: false, tag: w('留守', 'Left behind') }),
  flag('solitary', w('孤寡', 'solitary, no children'), 'solitary', { ask: false }),
  flag('specialFamily', w('计生特殊家庭', 'special family (family planning)'), 'special_family', { tag: w('计生特殊家庭', 'Special family') }),
  {
    name: 'disabilityGrade',
    type: T.int,
    label: w('残疾等级（1-4，0 为无）', 'disability grade (1-4, 0 none)'),
    values: DISABILITY_GRADE,
    owner: 'register',
    columns: ['disability_grade'],
    unknown: false,
    ask: true,
    load: (r) => (r.disability_grade as number | null) ?? 0,
    inline: '(r.disability_grade ?? 0)',
    profile: { default: 0, toColumns: (v) => ({ disability_grade: v || null }) },
    tags: [{ key: 'disabled', label: w('残疾', 'Disabled'), column: 'disability_grade', when: { notNone: [0] } }],
  },
  choice('disabilityKind', w('残疾类别', 'type of disability'), 'disability_kind', DISABILITY_KIND),
  {
    ...choice('ltcGrade', w('失能等级', 'long-term care disability grade'), 'ltc_grade', LTC, {
      tags: { key: 'ltc', label: w('长护险失能', 'LTC disability') },
    }),
    profile: { default: 'none', toColumns: (v) => ({ ltc_grade: v }) },
    // The register reads no record as 'none' (a grade is claimed by being assessed: absent from
    // the long-term-care roster is not disabled for these items); a person filling in the
    // self-check may not know theirs, and the items that read it are then 需核实, not "no".
    unknown: true,
  },
  // 需要长期照护 (longTermCare) reads the capability assessment too: declared in assessment/facts.ts
  choice('pensionType', w('养老保险类型', 'pension insurance scheme'), 'pension_type', PENSION),
  choice('veteranCategory', w('优抚类别', 'veterans’ entitlement category'), 'veteran_category', VETERAN, {
    tags: { key: 'veteran', label: w('优抚对象', 'Veteran') },
  }),
  flag('activeServiceFamily', w('现役军人家属', 'family of a serving soldier'), 'active_service_family', {
    owns: { department: 'veterans_affairs', headers: ['现役军人家属', '军属', 'activeServiceFamily'] },
  }),
  flag('specialContribution', w('特殊贡献（见义勇为等）', 'special contribution (acts of bravery and the like)'), 'special_contribution', {
    tag: w('特殊贡献', 'Special contribution'),
  }),
  flag('medicalInsured', w('参加基本医疗保险', 'in basic medical insurance'), 'medical_insured', { byDefault: true }),
  flag('vagrant', w('流浪乞讨救助对象', 'vagrant under relief'), 'vagrant', { tag: w('流浪乞讨救助', 'Vagrant under relief') }),
];

/** Register columns that declared facts own (read from a department file), with their facts, for start-up and the imports. */
export function ownedColumns(): { column: OwnedColumn; fact: FactDecl }[] {
  return REGISTER_FACTS.flatMap((f) => (f.owns ? [{ column: f.owns, fact: f }] : []));
}

export type { Value };
