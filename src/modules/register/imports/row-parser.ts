import { AppError } from '../../../platform/errors.js';
import type { CivilDate } from '../../../platform/time.js';
import { parseResidentId } from '../resident-id.js';
import { IGNORED_HEADERS, type Department } from '../sources/departments.js';
import { fields, type FieldKey } from '../sources/fields.js';
import { CUT_MARK, MAX_CELL_CHARS } from './reader.js';

/**
 * Turns one department row into typed values, or into row errors naming the column and reason.
 * Pure: the database checks (person exists, region in scope) happen in the import service.
 */
export interface RowError {
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
  code: string;
}

export interface ParsedRow {
  row: number;
  idNumber: string;
  birthDate: CivilDate;
  sex: 'M' | 'F';
  /** field → canonical value, only for non-empty cells */
  values: Partial<Record<FieldKey, string | null>>;
}

export interface HeaderMap {
  /** column index → field */
  columns: Array<{ index: number; field: FieldKey; header: string }>;
  width: number;
}

const normalise = (h: string) => h.replace(/^\uFEFF/, '').replace(/\s/g, '').replace(/（/g, '(').replace(/）/g, ')');

export function mapHeader(dept: Department, header: string[]): HeaderMap {
  const byTitle = new Map<string, FieldKey>();
  for (const c of dept.columns) for (const h of c.headers) byTitle.set(normalise(h), c.field);
  const ignored = new Set(IGNORED_HEADERS.map(normalise));
  const columns: HeaderMap['columns'] = [];
  const unknown: string[] = [];
  const seen = new Map<FieldKey, string>();
  const duplicated: string[] = [];
  header.forEach((raw, index) => {
    const title = normalise(raw);
    if (title === '' || ignored.has(title)) return;
    const field = byTitle.get(title);
    if (!field) { unknown.push(raw.trim()); return; }
    if (seen.has(field)) { duplicated.push(raw.trim()); return; }
    seen.set(field, raw.trim());
    columns.push({ index, field, header: raw.trim() });
  });
  const missing = dept.columns.filter((c) => c.required && !seen.has(c.field)).map((c) => c.headers[0]!);
  if (unknown.length || duplicated.length || missing.length) {
    const names = (l: string[]) => (l.length ? l.join('、') : '—');
    throw new AppError('IMPORT_COLUMNS', {
      source: { zh: dept.label, en: dept.labelEn }, unknown: names(unknown), duplicated: names(duplicated), missing: names(missing),
    }, {
      unknown, duplicated, missing, expected: dept.columns.map((c) => c.headers[0]),
    });
  }
  return { columns, width: header.length };
}

const ID_REASONS = {
  format: '身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X',
  checkDigit: '身份证号校验位错误',
  birthDate: '身份证号中的出生日期无效',
  futureBirth: '身份证号中的出生日期晚于今天',
} as const;

export function parseRow(dept: Department, map: HeaderMap, row: number, cells: string[], today: CivilDate): ParsedRow | RowError[] {
  const errors: RowError[] = [];
  const err = (column: string | null, value: string | null, code: string, reason: string) => errors.push({ row, column, value, code, reason });
  if (cells.length !== map.width) {
    err(null, null, 'ragged', `该行有 ${cells.length} 列，表头有 ${map.width} 列（可能有多余的逗号或未加引号的逗号）`);
    return errors;
  }
  const values: ParsedRow['values'] = {};
  let id: ReturnType<typeof parseResidentId> | undefined;
  for (const { index, field, header } of map.columns) {
    const cell = cells[index] ?? '';
    // the reader has cut such a cell to MAX_CELL_CHARS + 1 characters (or marked the cut)
    if (cell.length > MAX_CELL_CHARS || cell.includes(CUT_MARK)) {
      err(header, cell.replaceAll(CUT_MARK, '').slice(0, MAX_CELL_CHARS), 'too_long', `单元格超过 ${MAX_CELL_CHARS} 个字符，任何字段都不会这么长 / cell longer than ${MAX_CELL_CHARS} characters`);
      continue;
    }
    const raw = cell.trim();
    if (raw.includes('\uFFFD')) { err(header, raw, 'encoding', '含有无法识别的字符（文件编码混杂）'); continue; }
    if (raw.startsWith('#NUMBER:')) { err(header, raw.slice(8), 'excel_number', '该单元格被 Excel 存成了数字，末几位已丢失；请把该列设为“文本”后重新录入'); continue; }
    if (raw === '') {
      if (dept.columns.find((c) => c.field === field)?.required) err(header, '', 'required', '必填项为空');
      continue;
    }
    if (field === 'idNumber') {
      id = parseResidentId(raw, today);
      if (typeof id === 'string') err(header, raw, `id_${id}`, ID_REASONS[id]);
      continue;
    }
    const parsed = fields[field].parse(raw);
    if (!parsed.ok) err(header, raw, 'invalid', parsed.reason);
    else values[field] = parsed.value;
  }
  if (id && typeof id !== 'string') {
    const header = (f: FieldKey) => map.columns.find((c) => c.field === f)!.header;
    if (values.sex && values.sex !== id.sex) err(header('sex'), values.sex === 'M' ? '男' : '女', 'sex_mismatch', '性别与身份证号不符');
    if (values.birthDate && values.birthDate !== id.birthDate) err(header('birthDate'), values.birthDate, 'birth_mismatch', `出生日期与身份证号不符（身份证号为 ${id.birthDate}）`);
    if (values.birthDate && values.birthDate > today) err(header('birthDate'), values.birthDate, 'future_birth', '出生日期晚于今天');
    if (values.statusDate && values.statusDate > today) err(header('statusDate'), values.statusDate, 'future_date', '变动日期晚于今天');
  }
  if (errors.length || !id || typeof id === 'string') return errors;
  return { row, idNumber: id.value, birthDate: id.birthDate, sex: id.sex, values };
}
