import ExcelJS from 'exceljs';
import type { RegionRow } from '../../../db/tables.js';
import { CSV_BOM, csvLine } from '../../../platform/csv.js';
import type { RegionIndex } from '../../regions/regions.service.js';
import type { Scope } from '../../../platform/scope.js';
import { addSheet } from '../../../platform/xlsx.js';
import { makeResidentId } from '../resident-id.js';
import type { Department } from '../sources/departments.js';
import { fields, type FieldKey } from '../sources/fields.js';

/**
 * Templates that teach: a department's file as the import reads it — the header row of its column
 * map and one sample row of a synthetic person that imports cleanly — plus, in the XLSX, a sheet
 * saying what each column takes (the allowed values of coded columns, read from the fields' own
 * parsers) and a sheet of the region codes the viewer may import into. The CSV is the header and
 * the sample only: anything below them would be read as rows.
 *
 * The sample person is the same in every department's template (the household registration's
 * sample creates them, the others' attach to them), with a resident ID in the unused province
 * block 99, so no sample can be a real person.
 */
export const SAMPLE_ID_REGION = '990101';
const SAMPLE_BIRTH = '1944-03-15';
export const SAMPLE_ID = makeResidentId(SAMPLE_ID_REGION, SAMPLE_BIRTH, 1, 'M');

/** A sample cell per field, where the first allowed value would teach less. */
const SAMPLE: Partial<Record<FieldKey, string>> = {
  idNumber: SAMPLE_ID,
  name: '示例老人',
  sex: '男',
  birthDate: SAMPLE_BIRTH,
  hukouLocal: '本地',
  phone: '13900000000',
  status: '正常',
  hardship: '低保',
  livingSituation: '独居',
  pensionType: '城乡居民',
  lastCheckup: '2025-09-01',
  chronicDiseases: '高血压、糖尿病',
  medicalInsured: '参保',
  ltcGrade: '轻度失能',
  disabilityGrade: '二级',
  disabilityKind: '肢体',
  veteranCategory: '无',
};

/** How a free-form column is written, for the instructions sheet. */
const FORMAT: Partial<Record<FieldKey, { zh: string; en: string }>> = {
  idNumber: { zh: '18位居民身份证号（末位校验码，X 大写）', en: '18-character resident ID (check digit, capital X)' },
  name: { zh: '姓名（汉字或字母，可含间隔号·）', en: 'name (letters, the middle dot allowed)' },
  birthDate: { zh: '日期：YYYY-MM-DD（也可 YYYY/MM/DD、YYYYMMDD）', en: 'date: YYYY-MM-DD' },
  statusDate: { zh: '日期：YYYY-MM-DD；死亡、迁出时填写', en: 'date: YYYY-MM-DD; for a death or a move' },
  effectiveFrom: {
    zh: '日期：YYYY-MM-DD；本行信息自该日起生效（如低保追溯起始日），可空，空则自文件数据日期起',
    en: "date: YYYY-MM-DD; the row applies from then (e.g. a back-dated 低保), optional: else from the file's data date",
  },
  lastCheckup: { zh: '日期：YYYY-MM-DD', en: 'date: YYYY-MM-DD' },
  regionCode: { zh: '12位村（社区）代码，见“区划代码”表', en: '12-digit village/community code, see the region sheet' },
  phone: { zh: '手机11位或带区号的固定电话', en: 'mobile (11 digits) or landline with area code' },
  chronicDiseases: { zh: '病名，多个用顿号分隔', en: 'disease names, separated by 、' },
  livingSituation: { zh: '可多选，用顿号分隔', en: 'one or more, separated by 、' },
};

/** The values a coded column accepts, as its parser lists them when it refuses one; null for a free-form column. */
export function allowedValues(field: FieldKey): string[] | null {
  const probe = fields[field].parse('\u0001');
  return !probe.ok && probe.problem.code === 'not_allowed' ? probe.problem.allowed.split('/') : null;
}

/** The village or community a sample row lives in: the first in the viewer's scope, else the scope's own region. */
function sampleRegion(scope: Scope, regions: RegionIndex): string {
  const inScope = regions.inScope(scope).sort((a, b) => a.code.localeCompare(b.code));
  const village = inScope.find((r) => r.level === 'village');
  return village?.code ?? inScope.at(-1)?.code ?? scope.regionCode;
}

export interface Template {
  header: string[];
  sample: string[];
  columns: { header: string; field: FieldKey; label: string; required: boolean; allowed: string[] | null; format: string | null }[];
  regions: { code: string; name: string; level: string; path: string }[];
}

export function templateFor(dept: Department, scope: Scope, regions: RegionIndex): Template {
  const columns = dept.columns.map((c) => {
    const allowed = allowedValues(c.field);
    return {
      header: c.headers[0]!,
      field: c.field,
      label: fields[c.field].label,
      required: c.required,
      allowed,
      format: FORMAT[c.field]?.zh ?? null,
    };
  });
  const sampleOf = (f: FieldKey, allowed: string[] | null) =>
    f === 'regionCode' ? sampleRegion(scope, regions) : (SAMPLE[f] ?? (allowed?.includes('否') ? '否' : (allowed?.[0] ?? '')));
  const inScope: RegionRow[] = regions
    .inScope(scope)
    .filter((r) => r.level === 'village' || r.level === 'town')
    .sort((a, b) => a.code.localeCompare(b.code));
  return {
    header: columns.map((c) => c.header),
    sample: columns.map((c) => sampleOf(c.field, c.allowed)),
    columns,
    regions: inScope.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      path: regions
        .path(r.code)
        .filter((p) => p.level === 'town' || p.level === 'village')
        .map((p) => p.name)
        .join(' / '),
    })),
  };
}

export function templateCsv(t: Template): string {
  return CSV_BOM + csvLine(t.header) + csvLine(t.sample);
}

/** The XLSX: the data sheet first (the import reads the first sheet), then 填写说明, then 区划代码. */
export async function templateXlsx(dept: Department, t: Template): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const data = wb.addWorksheet('数据');
  data.columns = t.header.map((h) => ({ width: Math.max(12, h.length * 2 + 4) }));
  // every cell text: an ID or a code must not turn into a number (and lose digits) in Excel
  t.header.forEach((_h, i) => (data.getColumn(i + 1).numFmt = '@'));
  data.getRow(1).values = t.header;
  data.getRow(1).font = { bold: true };
  data.getRow(2).values = t.sample;
  data.getRow(2).font = { color: { argb: 'FF888888' }, italic: true };
  data.views = [{ state: 'frozen', ySplit: 1 }];

  addSheet(wb, {
    title: `${dept.label} 导入模板填写说明`,
    note: '“数据”表第2行为虚构示例（身份证号在不使用的99省级区划段），导入前请删除或改为真实数据；每列可填的值见下表。',
    sheetName: '填写说明',
    landscape: false,
    columns: [
      { header: '列名', width: 18, value: (c) => c.header },
      { header: '内容', width: 16, value: (c) => c.label },
      { header: '必填', width: 6, value: (c) => (c.required ? '是' : '否') },
      { header: '可填的值', width: 60, value: (c) => (c.allowed ? c.allowed.join('、') : (c.format ?? '')) },
      { header: '示例', width: 20, value: (_c, i) => t.sample[i] ?? '' },
    ],
    rows: t.columns,
  });
  addSheet(wb, {
    title: '可导入的区划代码（本账号管辖范围）',
    note: `共 ${t.regions.length} 个乡镇（街道）和村（社区）；“村（社区）代码”一列填村（社区）的代码。`,
    sheetName: '区划代码',
    landscape: false,
    columns: [
      { header: '代码', width: 16, value: (r) => r.code },
      { header: '名称', width: 20, value: (r) => r.name },
      { header: '级别', width: 10, value: (r) => (r.level === 'town' ? '乡镇（街道）' : '村（社区）') },
      { header: '所属', width: 30, value: (r) => r.path },
    ],
    rows: t.regions,
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
