import { AppError } from '../../../platform/errors.js';
import type { CivilDate } from '../../../platform/time.js';
import { parseResidentId } from '../resident-id.js';
import { IGNORED_HEADERS, type Department } from '../sources/departments.js';
import { fields, type FieldKey, type FieldProblem } from '../sources/fields.js';
import { CUT_MARK, MAX_CELL_CHARS } from './reader.js';
import type { RowReason } from './row-reasons.js';

/**
 * Turns one department row into typed values, or into row errors naming the column and reason.
 * Pure: the database checks (person exists, region in scope) happen in the import service.
 */
export type RowError = {
  row: number;
  column: string | null;
  value: string | null;
} & RowReason;

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

const normalise = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .replace(/\s/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')');

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
    if (!field) {
      unknown.push(raw.trim());
      return;
    }
    if (seen.has(field)) {
      duplicated.push(raw.trim());
      return;
    }
    seen.set(field, raw.trim());
    columns.push({ index, field, header: raw.trim() });
  });
  const missing = dept.columns.filter((c) => c.required && !seen.has(c.field)).map((c) => c.headers[0]!);
  if (unknown.length || duplicated.length || missing.length) {
    const names = (l: string[]) => (l.length ? l.join('、') : '—');
    throw new AppError(
      'IMPORT_COLUMNS',
      {
        source: { zh: dept.label, en: dept.labelEn },
        unknown: names(unknown),
        duplicated: names(duplicated),
        missing: names(missing),
      },
      {
        unknown,
        duplicated,
        missing,
        expected: dept.columns.map((c) => c.headers[0]),
      },
    );
  }
  return { columns, width: header.length };
}

export function parseRow(dept: Department, map: HeaderMap, row: number, cells: string[], today: CivilDate): ParsedRow | RowError[] {
  const errors: RowError[] = [];
  const err = (column: string | null, value: string | null, reason: RowReason) => errors.push({ row, column, value, ...reason });
  if (cells.length !== map.width) {
    err(null, null, { code: 'ragged', params: { cells: cells.length, width: map.width } });
    return errors;
  }
  const values: ParsedRow['values'] = {};
  let id: ReturnType<typeof parseResidentId> | undefined;
  for (const { index, field, header } of map.columns) {
    const cell = cells[index] ?? '';
    // the reader has cut such a cell to MAX_CELL_CHARS + 1 characters (or marked the cut)
    if (cell.length > MAX_CELL_CHARS || cell.includes(CUT_MARK)) {
      err(header, cell.replaceAll(CUT_MARK, '').slice(0, MAX_CELL_CHARS), { code: 'too_long', params: { max: MAX_CELL_CHARS } });
      continue;
    }
    const raw = cell.trim();
    if (raw.includes('\uFFFD')) {
      err(header, raw, { code: 'encoding' });
      continue;
    }
    if (raw.startsWith('#NUMBER:')) {
      err(header, raw.slice(8), { code: 'excel_number' });
      continue;
    }
    if (raw === '') {
      if (dept.columns.find((c) => c.field === field)?.required) err(header, '', { code: 'required' });
      continue;
    }
    if (field === 'idNumber') {
      id = parseResidentId(raw, today);
      if (typeof id === 'string') err(header, raw, { code: `id_${id}` });
      continue;
    }
    const parsed = fields[field].parse(raw);
    if (!parsed.ok) err(header, raw, fieldProblem(field, parsed.problem));
    else values[field] = parsed.value;
  }
  if (id && typeof id !== 'string') {
    const header = (f: FieldKey) => map.columns.find((c) => c.field === f)!.header;
    if (values.sex && values.sex !== id.sex) err(header('sex'), values.sex === 'M' ? '男' : '女', { code: 'sex_mismatch' });
    if (values.birthDate && values.birthDate !== id.birthDate)
      err(header('birthDate'), values.birthDate, { code: 'birth_mismatch', params: { idBirth: id.birthDate } });
    if (values.birthDate && values.birthDate > today) err(header('birthDate'), values.birthDate, { code: 'future_birth' });
    if (values.statusDate && values.statusDate > today) err(header('statusDate'), values.statusDate, { code: 'future_date' });
    if (values.effectiveFrom && values.effectiveFrom > today) err(header('effectiveFrom'), values.effectiveFrom, { code: 'future_effective' });
  }
  if (errors.length || !id || typeof id === 'string') return errors;
  return { row, idNumber: id.value, birthDate: id.birthDate, sex: id.sex, values };
}

/** A field's parse problem as a row reason; a value outside the allowed list names its field. */
function fieldProblem(field: FieldKey, p: FieldProblem): RowReason {
  switch (p.code) {
    case 'not_allowed':
      return { code: 'not_allowed', params: { field, value: p.value, allowed: p.allowed } };
    case 'bad_date':
      return { code: 'bad_date', params: { value: p.value } };
    default:
      return { code: p.code };
  }
}
