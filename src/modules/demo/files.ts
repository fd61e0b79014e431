import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { makeResidentId } from '../register/resident-id.js';
import { departments } from '../register/sources/departments.js';
import type { FieldKey } from '../register/sources/fields.js';
import { luhnValid } from '../register/sources/payee.js';
import {
  dayNumber,
  fromDayNumber,
  generateElders,
  mulberry32,
  seedBits,
  type DemoElder,
  type DemoOptions,
  type DisabilityKind,
  type Hardship,
  type LivingTag,
  type LtcGrade,
  type PensionType,
  type VeteranCategory,
} from './generator.js';
import { DEMO_UNKNOWN_VILLAGE } from './regions.js';
import { csvLine } from '../../platform/csv.js';

/**
 * Writes the demo county as the departments would hand it over: one UTF-8 CSV per department
 * (no BOM, CRLF line ends), headed by each column's canonical header, cells in the texts
 * fields.ts parses. Rows stream out as the elders are generated, so a million is fine.
 */

export interface DemoFileOptions extends DemoOptions {
  /** share (0..1) of public-security rows made bad on purpose; default 0 */
  badRate?: number;
}

export interface DemoFile {
  /** department key, e.g. 'public_security' */
  source: string;
  path: string;
  /** data rows, header excluded */
  rows: number;
  /** rows made bad on purpose (public security only; 0 elsewhere) */
  badRows: number;
}

const SEX = { M: '男', F: '女' } as const;
const HARDSHIP: Record<Hardship, string> = {
  none: '无',
  dibao: '低保',
  dibao_edge: '低保边缘',
  tekun_dispersed: '特困分散供养',
  tekun_concentrated: '特困集中供养',
};
const LIVING: Record<LivingTag, string> = { alone: '独居', empty_nest: '空巢', left_behind: '留守', solitary: '孤寡' };
const PENSION: Record<PensionType, string> = { employee: '城镇职工', public_service: '机关事业', resident: '城乡居民', none: '无' };
const LTC: Record<LtcGrade, string> = { mild: '轻度失能', moderate: '中度失能', severe: '重度失能' };
const GRADE = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as const;
const KIND: Record<DisabilityKind, string> = {
  visual: '视力',
  hearing: '听力',
  speech: '言语',
  physical: '肢体',
  intellectual: '智力',
  mental: '精神',
  multiple: '多重',
};
const VETERAN: Record<VeteranCategory, string> = {
  martyr_family: '烈属',
  duty_death_family: '因公牺牲军人遗属',
  illness_death_family: '病故军人遗属',
  disabled_veteran: '残疾军人',
  demobilised: '在乡复员军人',
  ill_returned: '带病回乡退伍军人',
  combat_veteran: '参战参试退役军人',
};
const yesNo = (b: boolean) => (b ? '是' : '否');

/** The cell a department file holds for a field of an elder. */
export function demoCell(e: DemoElder, field: FieldKey): string {
  switch (field) {
    case 'idNumber':
      return e.idNumber;
    case 'name':
      return e.name;
    case 'sex':
      return SEX[e.sex];
    case 'birthDate':
      return e.birthDate;
    case 'regionCode':
      return e.regionCode;
    case 'hukouLocal':
      return e.hukouLocal ? '本地' : '外地';
    case 'phone':
      return e.phone;
    case 'status':
      return '正常';
    case 'statusDate':
    case 'effectiveFrom':
      return '';
    case 'hardship':
      return HARDSHIP[e.hardship];
    case 'specialFamily':
      return yesNo(e.specialFamily);
    case 'livingSituation':
      return e.living.length ? e.living.map((t) => LIVING[t]).join('、') : '与家人同住';
    case 'pensionType':
      return PENSION[e.pensionType];
    case 'lastCheckup':
      return e.lastCheckup ?? '';
    case 'chronicDiseases':
      return e.chronicDiseases.join('、');
    // empty, not 无: the insurer has assessed only those with a grade
    case 'ltcGrade':
      return e.ltcGrade ? LTC[e.ltcGrade] : '';
    case 'capabilityLevel':
      return ''; // the assessment module's, never in a department file
    case 'disabilityGrade':
      return e.disabilityGrade ? GRADE[e.disabilityGrade] : '无';
    case 'disabilityKind':
      return e.disabilityKind ? KIND[e.disabilityKind] : '无';
    case 'veteranCategory':
      return e.veteranCategory ? VETERAN[e.veteranCategory] : '无';
    case 'specialContribution':
      return yesNo(e.specialContribution);
    case 'medicalInsured':
      return e.medicalInsured ? '参保' : '未参保';
    case 'vagrant':
      return yesNo(e.vagrant);
    // a few have no account on file yet: their payments are paused (the paused list's work)
    case 'payeeCard':
      return hasDemoAccount(e) ? demoCard(e.idNumber) : '';
    case 'payeeBank':
      return hasDemoAccount(e) ? '农村商业银行' : '';
    case 'payeeHolder':
      return hasDemoAccount(e) ? e.name : '';
  }
}

/** About one elder in forty has no payee account in the demo (picked by the ID's digits). */
export function hasDemoAccount(e: Pick<DemoElder, 'idNumber'>): boolean {
  const digits = e.idNumber.replace(/\D/g, '');
  return Number(digits.slice(-5, -1)) % 40 !== 7;
}

/** A synthetic 16-digit card number with a valid Luhn check digit, derived from the demo ID (issuer 6222). */
export function demoCard(idNumber: string): string {
  const body = `6222${idNumber.replace(/\D/g, '').slice(-11).padStart(11, '0')}`;
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable: one check digit always fits');
}

/** Which elders each department's file lists. */
export const DEMO_FILE_ROWS: Record<string, (e: DemoElder) => boolean> = {
  public_security: () => true,
  // civil affairs pays the allowances: its file lists every elder, with the account to pay into
  civil_affairs: () => true,
  hr_social_security: () => true,
  health: (e) => e.lastCheckup !== null,
  medical_insurance: () => true,
  disabled_federation: (e) => e.disabilityGrade !== null,
  veterans_affairs: (e) => e.veteranCategory !== null || e.specialContribution,
};

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */

export const BAD_KINDS = ['checkDigit', 'futureBirth', 'scriptName', 'unknownVillage', 'duplicateId', 'emptyRequired'] as const;

class Sink {
  private buf = '';
  private error: Error | undefined;
  private readonly ws: WriteStream;
  rows = 0;
  constructor(readonly path: string) {
    this.ws = createWriteStream(path, { encoding: 'utf8' });
    this.ws.on('error', (e) => {
      this.error ??= e;
    });
  }
  add(line: string): void {
    this.buf += line;
  }
  get full(): boolean {
    return this.buf.length >= 1 << 16 || this.error !== undefined;
  }
  /** Hands the buffer to the stream, waiting when the stream asks to. */
  async flush(): Promise<void> {
    if (this.error) throw this.error;
    const more = this.ws.write(this.buf);
    this.buf = '';
    if (!more) await once(this.ws, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.ws.end();
    await once(this.ws, 'close');
    if (this.error) throw this.error;
  }
}

/** Writes `<dir>/<department key>.csv` for every department. */
export async function writeDemoFiles(dir: string, opts: DemoFileOptions): Promise<DemoFile[]> {
  const badRate = opts.badRate ?? 0;
  if (!(badRate >= 0 && badRate <= 1)) throw new RangeError(`badRate must be between 0 and 1, got ${badRate}`);
  await mkdir(dir, { recursive: true });
  const outs = departments
    .filter((d) => DEMO_FILE_ROWS[d.key])
    .map((d) => ({ dept: d, include: DEMO_FILE_ROWS[d.key]!, sink: new Sink(join(dir, `${d.key}.csv`)), badRows: 0 }));
  for (const o of outs) o.sink.add(csvLine(o.dept.columns.map((c) => c.headers[0]!)));

  // Bad rows are chosen by selection sampling (exactly round(n × badRate) of n) from a stream of
  // their own, so the good data are the same whatever badRate is.
  const badRng = mulberry32(seedBits(opts.seed) ^ 0x5bad5eed);
  let badLeft = Math.round(opts.elders * badRate);
  let lastGoodId: string | undefined;
  const asOfDay = dayNumber(opts.asOf);

  let n = 0;
  for (const e of generateElders(opts)) {
    for (const o of outs) {
      if (!o.include(e)) continue;
      const cols = o.dept.columns;
      const cells = cols.map((c) => demoCell(e, c.field));
      if (o.dept.key === 'public_security') {
        if (badLeft > 0 && badRng() < badLeft / (opts.elders - n)) {
          spoil(
            cells,
            cols.map((c) => c.field),
            e,
            o.badRows,
            lastGoodId,
            asOfDay,
          );
          badLeft--;
          o.badRows++;
        } else {
          lastGoodId = e.idNumber;
        }
      }
      o.sink.add(csvLine(cells));
      o.sink.rows++;
      if (o.sink.full) await o.sink.flush();
    }
    n++;
  }
  for (const o of outs) await o.sink.close();
  return outs.map((o) => ({ source: o.dept.key, path: o.sink.path, rows: o.sink.rows, badRows: o.badRows }));
}

/** Makes one public-security row bad, cycling through the kinds of mistake imports must catch. */
function spoil(cells: string[], fields: FieldKey[], e: DemoElder, index: number, lastGoodId: string | undefined, asOfDay: number): void {
  const set = (f: FieldKey, v: string) => {
    const i = fields.indexOf(f);
    if (i >= 0) cells[i] = v;
  };
  let kind = BAD_KINDS[index % BAD_KINDS.length]!;
  if (kind === 'duplicateId' && !lastGoodId) kind = 'checkDigit';
  switch (kind) {
    case 'checkDigit':
      set('idNumber', e.idNumber.slice(0, 17) + (e.idNumber[17] === '0' ? '1' : '0'));
      break;
    case 'futureBirth': {
      const future = fromDayNumber(asOfDay + 1 + (index % 300));
      set('idNumber', makeResidentId(e.idNumber.slice(0, 6), future, index % 500, e.sex));
      set('birthDate', future);
      break;
    }
    case 'scriptName':
      set('name', `${e.name}<script>alert(1)</script>`);
      break;
    case 'unknownVillage':
      set('regionCode', DEMO_UNKNOWN_VILLAGE);
      break;
    case 'duplicateId':
      set('idNumber', lastGoodId!);
      break;
    case 'emptyRequired':
      set(Math.floor(index / BAD_KINDS.length) % 2 === 0 ? 'name' : 'regionCode', '');
      break;
  }
}
