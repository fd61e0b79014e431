import type { PersonRow } from '../../../db/tables.js';
import { parseLooseDate } from '../../../platform/time.js';
import type { FactDecl, Words } from '../../../lib/rules/facts.js';
import { REGISTER_FACTS } from './facts.js';
import { cardDigits, isCardNumber, luhnValid } from './payee.js';
import { capabilityColumns } from '../capability.js';

/**
 * The register's attributes as department files supply them. Each field parses a cell into a
 * canonical text value (what is compared, kept in history and shown in conflicts) and writes
 * that value into the person's columns. A parse failure returns a problem (a code of the import's
 * row reasons, see imports/row-reasons.ts) for the row report.
 */
export type FieldKey =
  | 'idNumber'
  | 'name'
  | 'sex'
  | 'birthDate'
  | 'regionCode'
  | 'hukouLocal'
  | 'phone'
  | 'status'
  | 'statusDate'
  | 'effectiveFrom'
  | 'hardship'
  | 'specialFamily'
  | 'livingSituation'
  | 'pensionType'
  | 'lastCheckup'
  | 'chronicDiseases'
  | 'ltcGrade'
  | 'capabilityLevel'
  | 'disabilityGrade'
  | 'disabilityKind'
  | 'veteranCategory'
  | 'specialContribution'
  | 'medicalInsured'
  | 'vagrant'
  | 'payeeCard'
  | 'payeeBank'
  | 'payeeHolder';

/** Why a cell does not parse, worded by the import's row reasons. */
export type FieldProblem =
  | { code: 'not_allowed'; value: string; allowed: string }
  | { code: 'bad_date'; value: string }
  | { code: 'name_chars' | 'region_format' | 'phone_format' | 'disease_chars' | 'card_format' | 'card_check_digit' };

export type Parsed = { ok: true; value: string | null } | { ok: false; problem: FieldProblem };

const ok = (value: string | null): Parsed => ({ ok: true, value });
const bad = (problem: FieldProblem): Parsed => ({ ok: false, problem });

function oneOf(table: Record<string, string>) {
  const allowed = [...new Set(Object.keys(table))].join('/');
  return (raw: string): Parsed => {
    const v = table[raw.replace(/\s/g, '')];
    return v === undefined ? bad({ code: 'not_allowed', value: raw, allowed }) : ok(v);
  };
}

const yesNo = oneOf({ 是: '1', 否: '0', Y: '1', N: '0', '1': '1', '0': '0', 有: '1', 无: '0' });

// Names: letters of any script, the middle dot of minority names, spaces and hyphens. Anything
// else (digits, quotes, angle brackets, semicolons) is refused so no markup or SQL text enters.
const NAME_RE = /^[\p{L}\p{M}·•．.\- ]{1,40}$/u;

export interface FieldDef {
  key: FieldKey;
  label: string;
  labelEn: string;
  parse(raw: string): Parsed;
  /** person columns for a canonical value */
  toColumns?(value: string | null): Partial<PersonRow>;
  /** the canonical value currently held for a person */
  fromPerson?(p: PersonRow): string | null;
  /** true when the field is kept encrypted and shown masked */
  sensitive?: 'idNumber' | 'phone' | 'bankCard';
}

const LIVING = { 独居: 'alone', 空巢: 'empty_nest', 留守: 'left_behind', 孤寡: 'solitary' } as const;
const LIVING_COLUMNS = { alone: 'living_alone', empty_nest: 'empty_nest', left_behind: 'left_behind', solitary: 'solitary' } as const;

const simple = (column: keyof PersonRow) => ({
  toColumns: (v: string | null) => ({ [column]: v }) as Partial<PersonRow>,
  fromPerson: (p: PersonRow) => (p[column] === null ? null : String(p[column])),
});

/** The register's 0/1 flags that department files supply: their fields are derived below, from the facts' declarations. */
type FlagKey = 'hukouLocal' | 'specialFamily' | 'specialContribution' | 'medicalInsured' | 'vagrant';

/** Every field that is not a flag, written here; the flags' are added below. */
const listed: Record<Exclude<FieldKey, FlagKey>, FieldDef> = {
  idNumber: { key: 'idNumber', label: '身份证号', labelEn: 'resident ID', parse: (r) => ok(r.trim().toUpperCase()), sensitive: 'idNumber' },
  name: {
    key: 'name',
    label: '姓名',
    labelEn: 'full name',
    parse: (r) => (NAME_RE.test(r.trim()) ? ok(r.trim()) : bad({ code: 'name_chars' })),
    ...simple('name'),
  },
  sex: { key: 'sex', label: '性别', labelEn: 'sex (male or female)', parse: oneOf({ 男: 'M', 女: 'F', M: 'M', F: 'F' }) },
  birthDate: {
    key: 'birthDate',
    label: '出生日期',
    labelEn: 'birth date',
    parse: (r) => {
      const d = parseLooseDate(r);
      return d ? ok(d) : bad({ code: 'bad_date', value: r });
    },
  },
  regionCode: {
    key: 'regionCode',
    label: '村（社区）代码',
    labelEn: 'village/community code',
    parse: (r) => (/^\d{12}$/.test(r.trim()) ? ok(r.trim()) : bad({ code: 'region_format' })),
    ...simple('region_code'),
  },
  phone: {
    key: 'phone',
    label: '联系电话',
    labelEn: 'phone number',
    sensitive: 'phone',
    parse: (r) => {
      const v = r.replace(/[\s-]/g, '');
      return /^(1\d{10}|0\d{9,11})$/.test(v) ? ok(v) : bad({ code: 'phone_format' });
    },
  },
  status: {
    key: 'status',
    label: '户籍状态',
    labelEn: 'household registration status',
    parse: oneOf({ 正常: 'active', 在册: 'active', 死亡: 'deceased', 迁出: 'moved_out', 注销: 'moved_out' }),
    ...simple('status'),
  },
  statusDate: {
    key: 'statusDate',
    label: '变动日期',
    labelEn: 'status date',
    parse: (r) => {
      const d = parseLooseDate(r);
      return d ? ok(d) : bad({ code: 'bad_date', value: r });
    },
  },
  // The date from which the row's values apply (a 低保 granted from an earlier start): a change it
  // brings reaches back to then, and runs pay what was missed (back-pay). Not stored on the person.
  effectiveFrom: {
    key: 'effectiveFrom',
    label: '生效日期',
    labelEn: 'effective from',
    parse: (r) => {
      const d = parseLooseDate(r);
      return d ? ok(d) : bad({ code: 'bad_date', value: r });
    },
  },
  hardship: {
    key: 'hardship',
    label: '救助类别',
    labelEn: 'social assistance category',
    parse: oneOf({
      无: 'none',
      低保: 'dibao',
      低保对象: 'dibao',
      低保边缘: 'dibao_edge',
      低边: 'dibao_edge',
      '特困(分散供养)': 'tekun_dispersed',
      '特困（分散供养）': 'tekun_dispersed',
      特困分散: 'tekun_dispersed',
      特困分散供养: 'tekun_dispersed',
      '特困(集中供养)': 'tekun_concentrated',
      '特困（集中供养）': 'tekun_concentrated',
      特困集中: 'tekun_concentrated',
      特困集中供养: 'tekun_concentrated',
    }),
    ...simple('hardship'),
  },
  livingSituation: {
    key: 'livingSituation',
    label: '居住状况',
    labelEn: 'living situation',
    parse: (r) => {
      const parts = r
        .split(/[、,，;；/ ]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      if (parts.length === 0 || (parts.length === 1 && ['与家人同住', '同住', '无'].includes(parts[0]!))) return ok('');
      const out: string[] = [];
      for (const p of parts) {
        const v = LIVING[p as keyof typeof LIVING];
        if (!v) return bad({ code: 'not_allowed', value: p, allowed: '独居/空巢/留守/孤寡/与家人同住' });
        out.push(v);
      }
      return ok([...new Set(out)].sort().join(','));
    },
    toColumns: (v) => {
      const set = new Set((v ?? '').split(',').filter(Boolean));
      const cols: Partial<PersonRow> = {};
      for (const [k, col] of Object.entries(LIVING_COLUMNS)) (cols as Record<string, number>)[col] = set.has(k) ? 1 : 0;
      return cols;
    },
    fromPerson: (p) =>
      Object.entries(LIVING_COLUMNS)
        .filter(([, col]) => p[col] === 1)
        .map(([k]) => k)
        .sort()
        .join(','),
  },
  pensionType: {
    key: 'pensionType',
    label: '养老保险类型',
    labelEn: 'pension type',
    parse: oneOf({ 企业职工: 'employee', 城镇职工: 'employee', 机关事业: 'public_service', 城乡居民: 'resident', 无: 'none' }),
    ...simple('pension_type'),
  },
  lastCheckup: {
    key: 'lastCheckup',
    label: '最近体检日期',
    labelEn: 'last checkup',
    parse: (r) => {
      if (!r.trim()) return ok(null);
      const d = parseLooseDate(r);
      return d ? ok(d) : bad({ code: 'bad_date', value: r });
    },
    ...simple('last_checkup'),
  },
  chronicDiseases: {
    key: 'chronicDiseases',
    label: '慢性病',
    labelEn: 'chronic diseases',
    parse: (r) => {
      const v = r
        .split(/[、,，;；]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      return v.every((s) => NAME_RE.test(s)) ? ok(v.length ? v.join('、') : null) : bad({ code: 'disease_chars' });
    },
    ...simple('chronic_diseases'),
  },
  ltcGrade: {
    key: 'ltcGrade',
    label: '长护险失能等级',
    labelEn: 'LTC grade',
    parse: oneOf({ 无: 'none', 轻度: 'mild', 轻度失能: 'mild', 中度: 'moderate', 中度失能: 'moderate', 重度: 'severe', 重度失能: 'severe' }),
    ...simple('ltc_grade'),
  },
  // written by the assessment module (register/capability.ts), never read from a department's file
  capabilityLevel: {
    key: 'capabilityLevel',
    label: '能力评估等级',
    labelEn: 'capability level',
    parse: (raw) => bad({ code: 'not_allowed', value: raw, allowed: '' }),
    toColumns: (v) => capabilityColumns(v),
  },
  disabilityGrade: {
    key: 'disabilityGrade',
    label: '残疾等级',
    labelEn: 'disability grade',
    parse: oneOf({ 一级: '1', 二级: '2', 三级: '3', 四级: '4', '1': '1', '2': '2', '3': '3', '4': '4', 无: '' }),
    toColumns: (v) => ({ disability_grade: v ? Number(v) : null }),
    fromPerson: (p) => (p.disability_grade === null ? '' : String(p.disability_grade)),
  },
  disabilityKind: {
    key: 'disabilityKind',
    label: '残疾类别',
    labelEn: 'disability kind',
    parse: oneOf({ 视力: 'visual', 听力: 'hearing', 言语: 'speech', 肢体: 'physical', 智力: 'intellectual', 精神: 'mental', 多重: 'multiple', 无: '' }),
    toColumns: (v) => ({ disability_kind: v || null }),
    fromPerson: (p) => p.disability_kind ?? '',
  },
  veteranCategory: {
    key: 'veteranCategory',
    label: '优抚类别',
    labelEn: 'veteran category',
    parse: oneOf({
      无: '',
      烈属: 'martyr_family',
      因公牺牲军人遗属: 'duty_death_family',
      病故军人遗属: 'illness_death_family',
      残疾军人: 'disabled_veteran',
      在乡复员军人: 'demobilised',
      带病回乡退伍军人: 'ill_returned',
      参战参试退役军人: 'combat_veteran',
    }),
    toColumns: (v) => ({ veteran_category: v || null }),
    fromPerson: (p) => p.veteran_category ?? '',
  },
  // The payee account (register/sources/payee.ts). The number is encrypted by the import's merge,
  // which holds the cipher; here it is parsed, and shown masked (the profile reads fromPerson).
  payeeCard: {
    key: 'payeeCard',
    label: '银行卡号',
    labelEn: 'bank card number',
    sensitive: 'bankCard',
    parse: (r) => {
      const v = cardDigits(r);
      if (!/^\d{12,19}$/.test(v)) return bad({ code: 'card_format' });
      // a card number (16–19 digits, UnionPay and the social-security card's financial account)
      // carries a Luhn check digit; a passbook account number (12–15) does not
      return isCardNumber(v) && !luhnValid(v) ? bad({ code: 'card_check_digit' }) : ok(v);
    },
    fromPerson: (p) => p.payee_card_masked ?? null,
  },
  payeeBank: {
    key: 'payeeBank',
    label: '开户银行',
    labelEn: 'bank',
    parse: (r) => (NAME_RE.test(r.trim()) ? ok(r.trim()) : bad({ code: 'name_chars' })),
    ...simple('payee_bank'),
  },
  payeeHolder: {
    key: 'payeeHolder',
    label: '账户户名',
    labelEn: 'account holder',
    parse: (r) => (NAME_RE.test(r.trim()) ? ok(r.trim()) : bad({ code: 'name_chars' })),
    ...simple('payee_holder'),
  },
};
export const fields = listed as Record<FieldKey, FieldDef>;

/** Chinese labels of canonical values, for display (the first accepted spelling of each value). */
const DISPLAY: Partial<Record<FieldKey, Record<string, string>>> = {
  sex: { M: '男', F: '女' },
  status: { active: '正常', deceased: '死亡', moved_out: '迁出' },
  hardship: { none: '无', dibao: '低保', dibao_edge: '低保边缘', tekun_dispersed: '特困（分散供养）', tekun_concentrated: '特困（集中供养）' },
  pensionType: { employee: '企业职工', public_service: '机关事业', resident: '城乡居民', none: '无' },
  ltcGrade: { none: '无', mild: '轻度失能', moderate: '中度失能', severe: '重度失能' },
  disabilityGrade: { '1': '一级', '2': '二级', '3': '三级', '4': '四级', '': '无' },
  disabilityKind: { visual: '视力', hearing: '听力', speech: '言语', physical: '肢体', intellectual: '智力', mental: '精神', multiple: '多重', '': '无' },
  veteranCategory: {
    '': '无',
    martyr_family: '烈属',
    duty_death_family: '因公牺牲军人遗属',
    illness_death_family: '病故军人遗属',
    disabled_veteran: '残疾军人',
    demobilised: '在乡复员军人',
    ill_returned: '带病回乡退伍军人',
    combat_veteran: '参战参试退役军人',
  },
};
const LIVING_LABELS: Record<string, string> = { alone: '独居', empty_nest: '空巢', left_behind: '留守', solitary: '孤寡' };

/**
 * How a department's file words a flag where it is not 是/否, and the department's name for the
 * column where it differs from the fact's label (what the profile, conflicts and audit show).
 * Nothing else about a flag is written here.
 */
const FLAG_WORDING: Partial<Record<FieldKey, { label?: Words; spellings: Record<string, '1' | '0'>; display: { '1': string; '0': string } }>> = {
  hukouLocal: {
    label: { zh: '户籍性质', en: 'local hukou' },
    spellings: { 本地: '1', 本市: '1', 本区: '1', 本县: '1', 外地: '0', 非本地: '0', 是: '1', 否: '0' },
    display: { '1': '本地', '0': '外地' },
  },
  medicalInsured: {
    label: { zh: '参加基本医疗保险', en: 'basic medical insurance' },
    spellings: { 参保: '1', 已参保: '1', 是: '1', '1': '1', 未参保: '0', 否: '0', '0': '0' },
    display: { '1': '参保', '0': '未参保' },
  },
};

/**
 * The register's 0/1 flags (register/sources/facts.ts, `flag(...)`: a boolean fact with a
 * profile, loaded from one column) as department files supply them: label, column and values
 * from the declaration, 是/否 in the file unless worded above. The four living flags are not
 * fields of their own (居住状况 writes them). A column a fact owns stays NULL until a department
 * states it.
 */
function isFlag(d: FactDecl): boolean {
  return d.type.t === 'bool' && d.profile !== undefined && d.columns.length === 1 && !Object.values(LIVING_COLUMNS).includes(d.columns[0] as never);
}
for (const fact of REGISTER_FACTS.filter(isFlag)) {
  const key = fact.name as FieldKey;
  const col = fact.columns[0] as keyof PersonRow;
  const worded = FLAG_WORDING[key];
  const label = worded?.label ?? fact.label;
  const nullable = fact.owns !== undefined || fact.unknown;
  fields[key] = {
    key,
    label: label.zh,
    labelEn: label.en,
    parse: worded ? oneOf(worded.spellings) : yesNo,
    toColumns: (v) => ({ [col]: v === null ? (nullable ? null : 0) : v === '1' ? 1 : 0 }) as Partial<PersonRow>,
    fromPerson: (p) => (p[col] === null || p[col] === undefined ? null : String(p[col])),
  };
  DISPLAY[key] = worded?.display ?? { '1': fact.values?.true?.zh ?? '是', '0': fact.values?.false?.zh ?? '否' };
}

export function displayValue(field: FieldKey, value: string | null): string | null {
  if (value === null) return null;
  if (field === 'livingSituation')
    return value === ''
      ? '与家人同住'
      : value
          .split(',')
          .map((v) => LIVING_LABELS[v] ?? v)
          .join('、');
  return DISPLAY[field]?.[value] ?? value;
}
