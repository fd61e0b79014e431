import { z } from 'zod';
import { fillTemplate, type Holes, type Locale, type Text } from '../../../platform/errors.js';
import { fields, type FieldKey } from '../sources/fields.js';

/**
 * Why an import row was refused: one entry per reason, in zh-CN and English, with typed
 * parameters. A row error is stored as its code and params (language-neutral) and worded in the
 * language of whoever reads it: the API, the CSV report. `{field}` is a field key, worded by the
 * field's declared label.
 */
export const rowReasons = {
  ragged: {
    zh: '该行有 {cells} 列，表头有 {width} 列（可能有多余的逗号或未加引号的逗号）',
    en: 'The row has {cells} columns, the header {width} (perhaps a stray or unquoted comma)',
  },
  too_long: { zh: '单元格超过 {max} 个字符，任何字段都不会这么长', en: 'The cell is longer than {max} characters, more than any field holds' },
  encoding: { zh: '含有无法识别的字符（文件编码混杂）', en: 'Holds unreadable characters (the file mixes encodings)' },
  excel_number: {
    zh: '该单元格被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新录入',
    en: 'Excel stored this cell as a number and lost its last digits: set the column to Text and enter it again',
  },
  required: { zh: '必填项为空', en: 'Required, but empty' },
  id_format: { zh: '身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X', en: 'A resident ID has 18 characters: 17 digits, then a digit or X' },
  id_checkDigit: { zh: '身份证号校验位错误', en: 'The resident ID check digit is wrong' },
  id_birthDate: { zh: '身份证号中的出生日期无效', en: 'The birth date in the resident ID is not a date' },
  id_futureBirth: { zh: '身份证号中的出生日期晚于今天', en: 'The birth date in the resident ID is after today' },
  not_allowed: { zh: '{field}“{value}”不在可选值中（{allowed}）', en: '{field}: "{value}" is not one of the allowed values ({allowed})' },
  bad_date: { zh: '“{value}”不是有效日期', en: '"{value}" is not a valid date' },
  name_chars: {
    zh: '姓名只能包含文字、“·”和空格，不能含数字、引号、尖括号等符号',
    en: 'A name holds only letters, "·" and spaces: no digits, quotes, angle brackets or other symbols',
  },
  region_format: { zh: '村（社区）代码应为 12 位数字', en: 'A village/community code has 12 digits' },
  phone_format: { zh: '联系电话应为 11 位手机号或带区号的固定电话', en: 'A phone number is an 11-digit mobile number or a landline with its area code' },
  card_format: { zh: '银行卡号应为 12 至 19 位数字', en: 'A bank card or account number has 12 to 19 digits' },
  card_check_digit: { zh: '银行卡号校验位错误（Luhn）', en: 'The bank card number check digit is wrong (Luhn)' },
  disease_chars: { zh: '慢性病名称含有不允许的符号', en: 'A chronic disease name holds symbols that are not allowed' },
  sex_mismatch: { zh: '性别与身份证号不符', en: 'The sex does not match the resident ID' },
  birth_mismatch: { zh: '出生日期与身份证号不符（身份证号为 {idBirth}）', en: 'The birth date does not match the resident ID (which gives {idBirth})' },
  future_birth: { zh: '出生日期晚于今天', en: 'The birth date is after today' },
  future_date: { zh: '变动日期晚于今天', en: 'The status date is after today' },
  future_effective: { zh: '生效日期晚于今天', en: 'The effective date is after today' },
  out_of_scope: {
    zh: '此人登记在您管辖范围以外的地区，不能由您导入（从本平台其他县迁入的，由上级市民政部门导入迁移记录）',
    en: 'This person is registered outside your region, so you cannot import them (a move from another county of the platform is imported by the city above both)',
  },
  not_in_register: { zh: '登记库中没有此人：请先导入公安户籍数据', en: 'This person is not in the register: import the public security (hukou) file first' },
  duplicate: { zh: '与第 {firstRow} 行的身份证号重复', en: 'Same resident ID as row {firstRow}' },
  unknown_region: { zh: '村（社区）代码 {region} 不存在或不在您的管辖范围内', en: 'Village/community code {region} does not exist or is outside your region' },
} as const satisfies Record<string, Text>;

export type RowReasonCode = keyof typeof rowReasons;

type Plain<C extends RowReasonCode> = {
  [K in Holes<(typeof rowReasons)[C]['zh']> | Holes<(typeof rowReasons)[C]['en']>]: K extends 'field' ? FieldKey : string | number;
};
export type RowReasonParams<C extends RowReasonCode> = Plain<C>;

/** A row reason as stored: the code and its params. */
export type RowReason = {
  [C in RowReasonCode]: Record<string, never> extends RowReasonParams<C> ? { code: C; params?: RowReasonParams<C> } : { code: C; params: RowReasonParams<C> };
}[RowReasonCode];

export const isRowReasonCode = (code: string): code is RowReasonCode => Object.hasOwn(rowReasons, code);

/** The reason in the reader's language. */
export function rowReasonText(reason: { code: RowReasonCode; params?: Record<string, string | number> }, locale: Locale): string {
  const values: Record<string, string | number | Text> = { ...reason.params };
  const field = reason.params?.field;
  if (typeof field === 'string' && field in fields) values.field = { zh: fields[field as FieldKey].label, en: fields[field as FieldKey].labelEn };
  return fillTemplate(rowReasons[reason.code], values, locale);
}

/**
 * A stored row error in the reader's language: from its code and params when it has them, else
 * (rows stored before reasons were codes) its Chinese reason as written then.
 */
export function storedRowReason(e: { code: string; params: string | null; reason: string }, locale: Locale): string {
  if (e.params === null || !isRowReasonCode(e.code)) return e.reason;
  return rowReasonText({ code: e.code, params: JSON.parse(e.params) as Record<string, string | number> }, locale);
}

/** The CSV error report's header and its note on rows not listed, in the requester's language. */
export function reportHeader(locale: Locale): string[] {
  return locale === 'en' ? ['row', 'column', 'value', 'reason'] : ['行号', '列', '值', '原因'];
}
export function reportMoreRows(n: number, locale: Locale): string {
  return fillTemplate({ zh: '另有 {n} 行有误，未全部列出', en: '{n} more rows have errors and are not all listed' }, { n }, locale);
}

/** The error report's query: the console's language, which a download link cannot send as a header. */
export const reportQuery = z.object({ lang: z.enum(['zh-CN', 'en']).optional() });
