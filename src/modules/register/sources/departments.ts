import type { FieldKey } from './fields.js';
import { ownedColumns } from './facts.js';

/**
 * One column map per source department. `headers` lists the column titles each department's
 * office software exports (first is the canonical one, used in templates). Only public security
 * (household registration) creates persons; every other department's rows attach to a person
 * already in the register.
 */
export interface ColumnSpec {
  field: FieldKey;
  headers: string[];
  required: boolean;
}

export interface Department {
  key: string;
  label: string;
  labelEn: string;
  createsPersons: boolean;
  columns: ColumnSpec[];
}

const id: ColumnSpec = { field: 'idNumber', headers: ['身份证号', '公民身份号码', '身份证号码', 'idNumber'], required: true };
const name: ColumnSpec = { field: 'name', headers: ['姓名', 'name'], required: true };
const col = (field: FieldKey, headers: string[], required = false): ColumnSpec => ({ field, headers, required });

/** Columns any file may carry that hold nothing for the register (row numbers, remarks). */
export const IGNORED_HEADERS = ['序号', '编号', '备注', 'No', 'no', 'remark'];

export const departments: Department[] = [
  {
    key: 'public_security',
    label: '公安（户籍）',
    labelEn: 'Public security (household registration)',
    createsPersons: true,
    columns: [
      id,
      name,
      col('sex', ['性别', 'sex']),
      col('birthDate', ['出生日期', 'birthDate']),
      col('regionCode', ['村（社区）代码', '村(社区)代码', '村社区代码', '居住地代码', 'regionCode'], true),
      col('hukouLocal', ['户籍性质', 'hukou']),
      col('phone', ['联系电话', '手机号码', 'phone']),
      col('status', ['户籍状态', '人员状态', 'status']),
      col('statusDate', ['变动日期', 'statusDate']),
    ],
  },
  {
    key: 'civil_affairs',
    label: '民政',
    labelEn: 'Civil affairs',
    createsPersons: false,
    columns: [
      id,
      name,
      col('hardship', ['救助类别', '困难类别', 'hardship']),
      col('effectiveFrom', ['生效日期', '起始日期', '享受起始日期', 'effectiveFrom']),
      col('specialFamily', ['计生特殊家庭', 'specialFamily']),
      col('livingSituation', ['居住状况', 'livingSituation']),
      col('specialContribution', ['特殊贡献', 'specialContribution']),
      col('vagrant', ['流浪乞讨救助对象', 'vagrant']),
      // the account payments go into (register/sources/payee.ts)
      col('payeeCard', ['银行卡号', '社保卡号', '代发账号', '账号', 'payeeCard']),
      col('payeeBank', ['开户银行', '开户行', 'payeeBank']),
      col('payeeHolder', ['账户户名', '户名', '开户人', 'payeeHolder']),
    ],
  },
  {
    key: 'hr_social_security',
    label: '人社',
    labelEn: 'HR and social security',
    createsPersons: false,
    columns: [id, name, col('pensionType', ['养老保险类型', 'pensionType'], true)],
  },
  {
    key: 'health',
    label: '卫健',
    labelEn: 'Health',
    createsPersons: false,
    columns: [id, name, col('lastCheckup', ['最近体检日期', 'lastCheckup']), col('chronicDiseases', ['慢性病', 'chronicDiseases'])],
  },
  {
    key: 'medical_insurance',
    label: '医保',
    labelEn: 'Medical insurance',
    createsPersons: false,
    // Both optional (an empty cell is no information): a file may carry insurance status, care
    // grades or both; the care grade is filled only for those assessed.
    columns: [
      id,
      name,
      col('medicalInsured', ['医保参保状态', '参加基本医疗保险', 'medicalInsured']),
      col('ltcGrade', ['长护险失能等级', '失能等级', 'ltcGrade']),
    ],
  },
  {
    key: 'disabled_federation',
    label: '残联',
    labelEn: "Disabled persons' federation",
    createsPersons: false,
    columns: [id, name, col('disabilityGrade', ['残疾等级', 'disabilityGrade'], true), col('disabilityKind', ['残疾类别', 'disabilityKind'])],
  },
  {
    key: 'veterans_affairs',
    label: '退役军人事务',
    labelEn: 'Veterans affairs',
    createsPersons: false,
    columns: [id, name, col('veteranCategory', ['优抚类别', 'veteranCategory'], true), col('specialContribution', ['特殊贡献', 'specialContribution'])],
  },
];

// Columns that declared facts own join their department's column map (register/sources/facts.ts).
for (const { column, fact } of ownedColumns()) {
  const d = departments.find((x) => x.key === column.department);
  if (!d) throw new Error(`fact ${fact.name}: no department "${column.department}"`);
  d.columns.push(col(fact.name as FieldKey, column.headers));
}

export function findDepartment(key: string): Department | undefined {
  return departments.find((d) => d.key === key);
}
