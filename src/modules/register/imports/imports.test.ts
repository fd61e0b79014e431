import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../platform/errors.js';
import { createSeededContext, countyScope, dialects, importText, type TestContext } from '../../../testing/harness.js';
import { rowReasonText } from './row-reasons.js';
import { makeResidentId } from '../resident-id.js';
import { createImport, stagingIds, stagingRef } from './imports.repository.js';
import { sql } from 'kysely';
import { applyTuning, resumeImports, SimulatedCrash, storedFile } from './imports.service.js';
import { sealStream } from './sealed-file.js';
import { MAX_CELL_CHARS } from './reader.js';
import { profile, search } from '../register.service.js';
import { today } from '../../../platform/time.js';

const PS_HEADER = '身份证号,姓名,性别,出生日期,村（社区）代码,户籍性质,联系电话,户籍状态,变动日期';
const id = (n: number, birth = '1940-05-06', sex: 'M' | 'F' = 'F') => makeResidentId('990101', birth, n, sex);

/** Every file under `dir` (the data directory, its tmp and imports folders) holding any of `needles`. */
export function filesHolding(dir: string, needles: Array<string | Buffer>): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      const bytes = readFileSync(path);
      if (needles.some((n) => bytes.includes(n))) found.push(path);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

/** Any run of 15 or more digits: a full resident ID, old or new. */
const FULL_ID = /\d{15}/;

async function expectAppError(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

describe.each(dialects)('department imports on %s', (dialect) => {
  let ctx: TestContext;
  let village: string;
  let village2: string;
  const persons = async () => ctx.db.selectFrom('persons').selectAll().orderBy('id').execute();
  const errorsOf = async (importId: number) => ctx.db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).orderBy('row_no').execute();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const villages = ctx.regions.all().filter((r) => r.level === 'village');
    village = villages[0]!.code;
    village2 = villages[villages.length - 1]!.code;
  });
  afterAll(async () => ctx.cleanup());

  it('imports a GBK CSV as exported by Chinese office software, and re-importing changes nothing', async () => {
    const csv = [
      PS_HEADER,
      `${id(1)},王桂英,女,1940-05-06,${village},本地,10012345678,正常,`,
      `${id(2, '1930-01-15', 'M')},李建国,男,1930/1/15,${village},本地,,正常,`,
    ].join('\r\n');
    const first = await importText(ctx, 'public_security', iconv.encode(csv, 'gbk'), { asOf: '2026-01-31' });
    expect(first).toMatchObject({ status: 'applied', encoding: 'gb18030', rows_total: 2, created: 2 });
    const again = await importText(ctx, 'public_security', iconv.encode(csv, 'gbk'), { asOf: '2026-01-31' });
    expect(again).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 2, conflicts: 0 });
    const rows = await persons();
    expect(rows.map((p) => p.name)).toEqual(['王桂英', '李建国']);
    expect(rows[1]).toMatchObject({ sex: 'M', birth_date: '1930-01-15', region_code: village, status: 'active' });
    expect(rows[0]!.id_masked).toBe('990101************');
    expect(rows[0]!.phone_masked).toBe('100****5678');
    expect(ctx.cipher.decrypt(rows[0]!.id_enc)).toBe(id(1));
    expect(JSON.parse(rows[0]!.provenance).name).toBe(first.id);
  });

  it('stores IDs and phones only encrypted: the database file does not contain them', async () => {
    if (dialect !== 'sqlite') return;
    ctx.handle.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(ctx.config.sqlitePath).toString('latin1');
    expect(bytes).not.toContain(id(1));
    expect(bytes).not.toContain('10012345678');
  });

  it('reads UTF-8 with a BOM and XLSX', async () => {
    const utf8 = '\uFEFF' + [PS_HEADER, `${id(3)},张秀英,女,,${village},,,,`].join('\n');
    expect(await importText(ctx, 'public_security', utf8)).toMatchObject({ encoding: 'utf-8', created: 1 });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['序号', '身份证号', '姓名', '村（社区）代码']);
    ws.addRow([1, id(4), '赵玉兰', village]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await importText(ctx, 'public_security', xlsx, { name: 'x.xlsx' })).toMatchObject({ format: 'xlsx', created: 1 });
  });

  it('rejects a whole file for one bad row, with a report naming row, column and reason', async () => {
    const before = (await persons()).length;
    const csv = [
      PS_HEADER,
      `${id(10)},周淑珍,女,,${village},,,,`,
      `${id(11).slice(0, 17)}${id(11)[17] === '0' ? '1' : '0'},吴志强,男,,${village},,,,`,
      `${id(12)},<script>alert(1)</script>,女,,${village},,,,`,
      `${id(13)},"Robert'); DROP TABLE persons;--",女,,${village},,,,`,
      `${id(10)},周淑珍,女,,${village},,,,`,
      `${id(14)},孙丽,男,,${village},,,,`,
      `${id(15)},钱红,女,1941-01-01,${village},,,,`,
      `${makeResidentId('990101', '2030-01-01', 1, 'F')},未来人,女,,${village},,,,`,
      `${id(16)},郑芳,女,,990101999999,,,,`,
      `${id(17)},冯丽,女,,${village},,,`,
      `,陈静,女,,${village},,,,`,
    ].join('\n');
    const e = await expectAppError(importText(ctx, 'public_security', csv), 'IMPORT_ROWS');
    const details = e.details as { importId: number; rowsBad: number; rowsTotal: number };
    expect(details).toMatchObject({ rowsBad: 10, rowsTotal: 11 });
    expect((await persons()).length).toBe(before);
    const report = await errorsOf(details.importId);
    const byRow = new Map(report.map((r) => [r.row_no, r]));
    expect(byRow.get(2)).toBeUndefined();
    expect(byRow.get(3)).toMatchObject({ column_name: '身份证号', code: 'id_checkDigit' });
    expect(byRow.get(4)).toMatchObject({ column_name: '姓名', code: 'name_chars' });
    expect(byRow.get(5)).toMatchObject({ column_name: '姓名', code: 'name_chars' });
    expect(byRow.get(6)?.reason).toContain('第 2 行');
    expect(byRow.get(7)).toMatchObject({ column_name: '性别', code: 'sex_mismatch' });
    expect(byRow.get(8)).toMatchObject({ column_name: '出生日期', code: 'birth_mismatch' });
    expect(byRow.get(9)).toMatchObject({ code: 'id_futureBirth' });
    expect(byRow.get(10)).toMatchObject({ column_name: '村（社区）代码', code: 'unknown_region' });
    expect(byRow.get(11)).toMatchObject({ column_name: null, code: 'ragged' });
    expect(byRow.get(12)).toMatchObject({ column_name: '身份证号', code: 'required' });
    const imp = await ctx.db.selectFrom('imports').selectAll().where('id', '=', details.importId).executeTakeFirstOrThrow();
    expect(imp.status).toBe('rejected');
  });

  it("in mode 'valid' imports the good rows and reports the rest", async () => {
    const csv = [PS_HEADER, `${id(20)},何静,女,,${village},,,,`, `${id(21)},何,静,女,,${village},,,,`].join('\n');
    const done = await importText(ctx, 'public_security', csv, { mode: 'valid' });
    expect(done).toMatchObject({ status: 'applied', rows_total: 2, rows_bad: 1, created: 1 });
    expect(await errorsOf(done.id)).toHaveLength(1);
  });

  it('refuses malformed files as a whole with a clear reason', async () => {
    await expectAppError(importText(ctx, 'public_security', ''), 'IMPORT_EMPTY');
    await expectAppError(importText(ctx, 'public_security', PS_HEADER + '\n'), 'IMPORT_EMPTY');
    const quote = await expectAppError(importText(ctx, 'public_security', `${PS_HEADER}\n${id(30)},"王,女,,${village},,,,\n`), 'IMPORT_CSV_QUOTE');
    expect(quote.message).toMatch(/unclosed quote/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${PS_HEADER}\n`, 'utf16le')]);
    expect((await expectAppError(importText(ctx, 'public_security', utf16), 'IMPORT_ENCODING')).message).toContain('UTF-16');
    await expectAppError(importText(ctx, 'public_security', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00])), 'IMPORT_BINARY');
    const cols = await expectAppError(
      importText(ctx, 'public_security', `身份证号,姓名,村（社区）代码,爱好\n${id(31)},王芳,${village},下棋\n`),
      'IMPORT_COLUMNS',
    );
    expect(cols.message).toContain('爱好');
    const missing = await expectAppError(importText(ctx, 'public_security', `身份证号,姓名\n${id(31)},王芳\n`), 'IMPORT_COLUMNS');
    expect(missing.message).toContain('村（社区）代码');
    await expectAppError(importText(ctx, 'no_such_department', 'x'), 'UNKNOWN_SOURCE');
    await expectAppError(importText(ctx, 'public_security', `${PS_HEADER}\n`, { asOf: '2999-01-01' }), 'IMPORT_AS_OF');
  });

  it('attaches other departments to persons in the register, and refuses people it does not know', async () => {
    const e = await expectAppError(importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别\n${id(99)},无名,低保\n`), 'IMPORT_ROWS');
    const report = await errorsOf((e.details as { importId: number }).importId);
    expect(report[0]).toMatchObject({ code: 'not_in_register', row_no: 2 });
    const done = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别,居住状况,计生特殊家庭\n${id(1)},王桂英,低保,独居、空巢,否\n`, {
      asOf: '2026-02-01',
    });
    expect(done).toMatchObject({ updated: 1, conflicts: 0 });
    const p = (await persons()).find((x) => x.name === '王桂英')!;
    expect(p).toMatchObject({ hardship: 'dibao', living_alone: 1, empty_nest: 1, special_family: 0 });
  });

  it('refuses a 生效日期 after today, naming that column and saying so, not the status date', async () => {
    const e = await expectAppError(importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别,生效日期\n${id(1)},王桂英,低保,2999-01-01\n`), 'IMPORT_ROWS');
    const report = await errorsOf((e.details as { importId: number }).importId);
    expect(report[0]).toMatchObject({ code: 'future_effective', row_no: 2, column_name: '生效日期' });
    expect(rowReasonText({ code: 'future_effective' }, 'zh-CN')).toBe('生效日期晚于今天');
  });

  it('takes medical insurance status and the vagrant flag, with provenance, and names the column of a bad value', async () => {
    const insured = id(60);
    const uninsured = id(61, '1938-02-03', 'M');
    await importText(ctx, 'public_security', [PS_HEADER, `${insured},孙秀兰,女,,${village},,,,`, `${uninsured},周大山,男,,${village},,,,`].join('\n'));
    const mi = await importText(
      ctx,
      'medical_insurance',
      `身份证号,姓名,医保参保状态,长护险失能等级\n${insured},孙秀兰,参保,中度失能\n${uninsured},周大山,未参保,\n`,
      { asOf: '2026-02-01' },
    );
    expect(mi).toMatchObject({ status: 'applied', rows_total: 2, conflicts: 0 });
    const ca = await importText(ctx, 'civil_affairs', `身份证号,姓名,流浪乞讨救助对象\n${insured},孙秀兰,是\n${uninsured},周大山,否\n`, { asOf: '2026-02-01' });
    expect(ca).toMatchObject({ status: 'applied', conflicts: 0 });
    const byName = async (name: string) => (await persons()).find((p) => p.name === name)!;
    const a = await byName('孙秀兰');
    const b = await byName('周大山');
    expect(a).toMatchObject({ medical_insured: 1, ltc_grade: 'moderate', vagrant: 1 });
    expect(b).toMatchObject({ medical_insured: 0, ltc_grade: null, vagrant: 0 });
    expect(JSON.parse(a.provenance)).toMatchObject({ medicalInsured: mi.id, ltcGrade: mi.id, vagrant: ca.id });
    // an explicit 未参保 / 否 is information too: it carries provenance; the empty grade does not
    const provB = JSON.parse(b.provenance) as Record<string, number>;
    expect(provB).toMatchObject({ medicalInsured: mi.id, vagrant: ca.id });
    expect(provB.ltcGrade).toBeUndefined();

    const { attributes } = await profile(ctx, countyScope(ctx), a.id, false);
    expect(attributes.find((x) => x.field === 'medicalInsured')).toMatchObject({
      label: '参加基本医疗保险',
      value: '参保',
      source: 'medical_insurance',
      sourceLabel: '医保',
      asOf: '2026-02-01',
    });
    expect(attributes.find((x) => x.field === 'vagrant')).toMatchObject({
      label: '流浪乞讨救助对象',
      value: '是',
      source: 'civil_affairs',
      sourceLabel: '民政',
      asOf: '2026-02-01',
    });
    const tagged = await search(ctx, countyScope(ctx), { tags: ['vagrant'], page: 1, pageSize: 10 });
    expect(tagged.items.map((p) => p.name)).toEqual(['孙秀兰']);
    expect(tagged.items[0]!.tags).toContain('vagrant');

    // either column alone is a valid medical-insurance file (the alternative header too), and an
    // empty cell never clears what is known
    expect(await importText(ctx, 'medical_insurance', `身份证号,姓名,参加基本医疗保险\n${uninsured},周大山,已参保\n`, { asOf: '2026-03-01' })).toMatchObject({
      status: 'applied',
      updated: 1,
    });
    expect(await importText(ctx, 'medical_insurance', `身份证号,姓名,长护险失能等级\n${insured},孙秀兰,重度失能\n`, { asOf: '2026-03-01' })).toMatchObject({
      status: 'applied',
      updated: 1,
    });
    expect(
      await importText(ctx, 'medical_insurance', `身份证号,姓名,医保参保状态,长护险失能等级\n${insured},孙秀兰,,\n`, { asOf: '2026-04-01' }),
    ).toMatchObject({ status: 'applied', updated: 0 });
    expect(await byName('周大山')).toMatchObject({ medical_insured: 1 });
    expect(await byName('孙秀兰')).toMatchObject({ medical_insured: 1, ltc_grade: 'severe', vagrant: 1 });

    const badMi = await expectAppError(importText(ctx, 'medical_insurance', `身份证号,姓名,医保参保状态\n${insured},孙秀兰,参加了\n`), 'IMPORT_ROWS');
    const [miError] = await errorsOf((badMi.details as { importId: number }).importId);
    expect(miError).toMatchObject({ row_no: 2, column_name: '医保参保状态', value: '参加了', code: 'not_allowed' });
    expect(miError!.reason).toContain('未参保');
    const badCa = await expectAppError(importText(ctx, 'civil_affairs', `身份证号,姓名,流浪乞讨救助对象\n${insured},孙秀兰,也许\n`), 'IMPORT_ROWS');
    expect((await errorsOf((badCa.details as { importId: number }).importId))[0]).toMatchObject({
      row_no: 2,
      column_name: '流浪乞讨救助对象',
      value: '也许',
      code: 'not_allowed',
    });
    expect(await byName('孙秀兰')).toMatchObject({ medical_insured: 1, vagrant: 1 });
  });

  it('keeps history for a newer file of the same source, ignores an older one, and lists conflicts between sources once', async () => {
    const newer = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别\n${id(1)},王桂英,低保边缘\n`, { asOf: '2026-03-01' });
    expect(newer).toMatchObject({ updated: 1 });
    const stale = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别\n${id(1)},王桂英,特困分散供养\n`, { asOf: '2026-01-01' });
    expect(stale).toMatchObject({ updated: 0, unchanged: 1 });
    const p = (await persons()).find((x) => x.name === '王桂英')!;
    expect(p.hardship).toBe('dibao_edge');
    const history = await ctx.db.selectFrom('person_history').selectAll().where('person_id', '=', p.id).where('field', '=', 'hardship').orderBy('id').execute();
    expect(history.map((h) => [h.old_value, h.new_value])).toEqual([
      ['none', 'dibao'],
      ['dibao', 'dibao_edge'],
    ]);

    // civil affairs spells the name differently from household registration: a conflict, not an overwrite
    const c1 = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别\n${id(1)},王贵英,低保边缘\n`, { asOf: '2026-03-02' });
    const c2 = await importText(ctx, 'civil_affairs', `身份证号,姓名,救助类别\n${id(1)},王贵英,低保边缘\n`, { asOf: '2026-03-02' });
    expect(c1.conflicts).toBe(1);
    expect(c2.conflicts).toBe(0);
    expect((await persons()).find((x) => x.id === p.id)!.name).toBe('王桂英');
    const open = await ctx.db.selectFrom('attribute_conflicts').selectAll().where('person_id', '=', p.id).execute();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      field: 'name',
      current_value: '王桂英',
      current_source: 'public_security',
      incoming_value: '王贵英',
      incoming_source: 'civil_affairs',
      status: 'open',
    });
  });

  it('closes records on death and move, and deletes nothing', async () => {
    const count = (await persons()).length;
    const done = await importText(
      ctx,
      'public_security',
      [PS_HEADER, `${id(2, '1930-01-15', 'M')},李建国,男,,${village},,,死亡,2026-02-10`, `${id(3)},张秀英,女,,${village2},,,迁出,`].join('\n'),
    );
    expect(done).toMatchObject({ closed: 2, updated: 2 });
    const rows = await persons();
    expect(rows).toHaveLength(count);
    expect(rows.find((p) => p.name === '李建国')).toMatchObject({ status: 'deceased', closed_on: '2026-02-10' });
    expect(rows.find((p) => p.name === '张秀英')).toMatchObject({ status: 'moved_out', closed_on: today(), region_code: village2 });
    const active = await search(ctx, countyScope(ctx), { q: '李建国', page: 1, pageSize: 10 });
    expect(active.total).toBe(0);
    const all = await search(ctx, countyScope(ctx), { q: '李建国', status: 'all', page: 1, pageSize: 10 });
    expect(all.items[0]).toMatchObject({ status: 'deceased' });
  });

  it('refuses an Excel cell that stored the ID as a number and lost its last digits', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['身份证号', '姓名', '村（社区）代码']);
    ws.addRow([Number(id(40).slice(0, 17) + '1'), '黄丽', village]);
    const e = await expectAppError(importText(ctx, 'public_security', Buffer.from(await wb.xlsx.writeBuffer()), { name: 'n.xlsx' }), 'IMPORT_ROWS');
    expect((await errorsOf((e.details as { importId: number }).importId))[0]).toMatchObject({ code: 'excel_number', column_name: '身份证号' });
  });

  it('keeps no plain-text copy of an accepted or a rejected file, and deletes its sealed copy once the import ends', async () => {
    const ok = [PS_HEADER, `${id(70)},吕秀云,女,,${village},,13912345670,,`].join('\n');
    const accepted = await importText(ctx, 'public_security', ok);
    expect(accepted.status).toBe('applied');
    const bad = [PS_HEADER, `${id(71)},吕秀霞,女,,${village},,,,`, `${id(72)},吕2,女,,${village},,,,`].join('\n');
    await expectAppError(importText(ctx, 'public_security', bad), 'IMPORT_ROWS');
    // nothing under the data directory holds the files' IDs, phone or bytes
    expect(filesHolding(ctx.dir, [id(70), id(71), id(72), '13912345670', Buffer.from(ok), Buffer.from(bad)])).toEqual([]);
    // and no stored copy is left, sealed or not
    expect(existsSync(join(ctx.dir, 'imports')) ? readdirSync(join(ctx.dir, 'imports')) : []).toEqual([]);
  });

  it('parses a file once into a staging table that holds no plain ID or phone, and drops it when the import ends', async () => {
    const tables = async () => (await stagingIds(ctx)).sort();
    const before = await tables();
    const ok = [PS_HEADER, `${id(78)},吕秀兰,女,,${village},,13912345678,,`].join('\n');
    const accepted = await importText(ctx, 'public_security', ok);
    expect(accepted).toMatchObject({ status: 'applied', created: 1 });
    const bad = [PS_HEADER, `${id(79)},吕秀梅,女,,${village},,,,`, `${id(80)},吕3,女,,${village},,,,`].join('\n');
    await expectAppError(importText(ctx, 'public_security', bad), 'IMPORT_ROWS');
    expect(await tables()).toEqual(before);
    // what is staged while an import is applying: sealed values only
    Object.assign(applyTuning, { batchRows: 1, commitEveryMs: 0, crashAfterCommits: 1 });
    try {
      const two = [PS_HEADER, `${id(81)},吕秀竹,女,,${village},,13912345681,,`, `${id(82)},吕秀菊,女,,${village},,13912345682,,`].join('\n');
      await expect(importText(ctx, 'public_security', two)).rejects.toBeInstanceOf(SimulatedCrash);
    } finally {
      Object.assign(applyTuning, { batchRows: 10_000, commitEveryMs: 1500, crashAfterCommits: undefined });
    }
    const [staging] = (await tables()).filter((t) => !before.includes(t));
    expect(staging).toBeDefined();
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(stagingRef(ctx, staging!))}`.execute(ctx.db)).rows;
    expect(rows).toHaveLength(2);
    const text = JSON.stringify(rows);
    for (const secret of [id(81), id(82), '13912345681', '13912345682']) expect(text).not.toContain(secret);
    expect(await resumeImports(ctx)).toBe(1);
    expect(await tables()).toEqual(before);
    expect((await search(ctx, countyScope(ctx), { q: '吕秀竹', page: 1, pageSize: 10 })).total).toBe(1);
  });

  it('passes over rows a department delivered before, unchanged, without decrypting or merging them', async () => {
    const file = [PS_HEADER, ...[1, 2, 3].map((n) => `${id(90 + n)},邱秀${'甲乙丙'[n - 1]},女,,${village},,1391234569${n},,`)].join('\n');
    expect(await importText(ctx, 'public_security', file, { asOf: '2026-04-01' })).toMatchObject({ created: 3 });
    const qiu = async () => (await persons()).filter((p) => p.name.startsWith('邱秀'));
    const decrypt = vi.spyOn(ctx.cipher, 'decrypt');
    const changed = file.replace('13912345692', '13912345600');
    try {
      const again = await importText(ctx, 'public_security', file, { asOf: '2026-04-01' });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, conflicts: 0 });
      expect(decrypt).not.toHaveBeenCalled();
      // one row changed: only that row is merged (its staged phone and the person's decrypted)
      const third = await importText(ctx, 'public_security', changed, { asOf: '2026-04-01' });
      expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
      expect(decrypt.mock.calls.length).toBe(2);
      // persons registered before digests were kept: merged once (recording the digest and nothing else), then passed over
      const before = await qiu();
      await ctx.db
        .updateTable('persons')
        .set({ source_digests: null })
        .where(
          'id',
          'in',
          before.map((p) => p.id),
        )
        .execute();
      decrypt.mockClear();
      expect(await importText(ctx, 'public_security', changed, { asOf: '2026-04-01' })).toMatchObject({ updated: 0, unchanged: 3 });
      expect(decrypt).toHaveBeenCalled();
      expect((await qiu()).map((p) => p.updated_at)).toEqual(before.map((p) => p.updated_at));
      decrypt.mockClear();
      expect(await importText(ctx, 'public_security', changed, { asOf: '2026-04-01' })).toMatchObject({ updated: 0, unchanged: 3 });
      expect(decrypt).not.toHaveBeenCalled();
    } finally {
      decrypt.mockRestore();
    }
    // the same content with a newer data date is merged: the fields' provenance takes the newer file
    const newer = await importText(ctx, 'public_security', changed, { asOf: '2026-05-01' });
    expect(newer).toMatchObject({ updated: 0, unchanged: 3 });
    for (const p of await qiu()) expect(JSON.parse(p.provenance).phone).toBe(newer.id);
    // an older file's content with an older date is stale: nothing changes back
    expect(await importText(ctx, 'public_security', file, { asOf: '2026-03-01' })).toMatchObject({ updated: 0, unchanged: 3 });
    const second = (await qiu()).find((p) => p.name === '邱秀乙')!;
    expect(ctx.cipher.decrypt(second.phone_enc!)).toBe('13912345600');
    expect(JSON.parse(second.source_digests!).public_security).toMatch(/^2026-05-01:/);
  });

  it('stores no full ID or phone in error values or import messages, and caps them', async () => {
    const id18 = id(73);
    const id15 = '990101400506001'; // the old 15-digit form
    const csv = [
      PS_HEADER,
      `${id15},甲,女,,${village},,,,`,
      `${id18.slice(0, 17)}${id18[17] === '0' ? '1' : '0'},乙,女,,${village},,,,`, // check digit wrong
      `${id18}9,丙,女,,${village},,,,`, // one digit too many
      `${id(74)},丁 ${id18},女,,${village},,,,`, // an ID typed into the name
      `${id(75)},戊,女,,${village},本地 13812345678,,,`, // a phone in another column
      `${id(76)},己,女,,${village},${'很'.repeat(150)},,,`, // long but allowed length: cut when stored
    ].join('\n');
    const e = await expectAppError(importText(ctx, 'public_security', csv), 'IMPORT_ROWS');
    const report = await errorsOf((e.details as { importId: number }).importId);
    expect(report.length).toBeGreaterThanOrEqual(6);
    for (const r of report) {
      expect(r.value ?? '').not.toMatch(FULL_ID);
      expect(r.reason).not.toMatch(FULL_ID);
      expect(r.value ?? '').not.toContain('13812345678');
      expect(r.reason).not.toContain('13812345678');
      expect((r.value ?? '').length).toBeLessThanOrEqual(101);
    }
    expect(report.find((r) => r.row_no === 7)!.value).toMatch(/^很{100}…$/);
    // a file whose first line is data, not a header: the refusal names its cells, masked
    const headless = `${id18},王芳,${village}\n${id(77)},李芳,${village}\n`;
    const cols = await expectAppError(importText(ctx, 'public_security', headless), 'IMPORT_COLUMNS');
    const imp = await ctx.db
      .selectFrom('imports')
      .selectAll()
      .where('id', '=', (cols.details as { importId: number }).importId)
      .executeTakeFirstOrThrow();
    expect(imp.message).toContain('990101');
    expect(imp.message).not.toMatch(FULL_ID);
  });

  it('cuts a multi-megabyte cell while reading: a row error naming row and column, stored at most at the cap', async () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    const csvQuoted = [PS_HEADER, `${id(80)},"${huge}""${huge}",女,,${village},,,,`, `${id(81)},钟丽,女,,${village},,,,`].join('\n');
    const csvPlain = [PS_HEADER, `${id(82)},钟芳,女,,${village},,,,${huge}`, `${id(83)},钟丽,女,,${village},,,,`].join('\n');
    const sharedStrings = new ExcelJS.Workbook();
    const ws = sharedStrings.addWorksheet('名单');
    ws.addRow(['身份证号', '姓名', '村（社区）代码']);
    ws.addRow([id(84), huge, village]);
    ws.addRow([id(85), '钟丽', village]);
    const xlsx = Buffer.from(await sharedStrings.xlsx.writeBuffer());
    // inline strings (no shared-strings table), from the streaming writer
    const inlinePath = join(ctx.dir, 'inline.xlsx');
    const streaming = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: inlinePath, useSharedStrings: false });
    const sheet = streaming.addWorksheet('名单');
    sheet.addRow(['身份证号', '姓名', '村（社区）代码']).commit();
    sheet.addRow([id(86), '钟芳', `${village}${huge}`]).commit();
    sheet.addRow([id(87), '钟丽', village]).commit();
    await streaming.commit();
    const inline = readFileSync(inlinePath);
    const { rmSync } = await import('node:fs');
    rmSync(inlinePath);
    expect(xlsx.length).toBeLessThan(200 * 1024);
    const cases: Array<[string, string | Buffer, string, number]> = [
      ['quoted csv', csvQuoted, '姓名', 2],
      ['plain csv', csvPlain, '变动日期', 2],
      ['xlsx', xlsx, '姓名', 2],
      ['inline xlsx', inline, '村（社区）代码', 2],
    ];
    for (const [what, content, column, row] of cases) {
      const name = typeof content === 'string' ? 'x.csv' : 'x.xlsx';
      const e = await expectAppError(importText(ctx, 'public_security', content, { name }), 'IMPORT_ROWS');
      const report = await errorsOf((e.details as { importId: number }).importId);
      expect(report, what).toHaveLength(1);
      expect(report[0], what).toMatchObject({ row_no: row, column_name: column, code: 'too_long' });
      expect(report[0]!.value!.length, what).toBeLessThanOrEqual(101);
      expect(report[0]!.reason, what).toContain(String(MAX_CELL_CHARS));
      // mode 'valid': the row after the huge cell is read and imported
      const valid = await importText(ctx, 'public_security', content, { name, mode: 'valid' });
      expect(valid, what).toMatchObject({ status: 'applied', rows_total: 2, rows_bad: 1 });
    }
  });

  it('resumes an accepted import that was interrupted while applying, reading its sealed stored file', async () => {
    const csv = [PS_HEADER, `${id(50)},林芳,女,,${village},,,,`, `${id(51, '1940-05-06', 'M')},林强,男,,${village},,,,`].join('\n');
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(csv).digest('hex');
    const importId = await createImport(ctx.db, {
      source: 'public_security',
      file_name: 'crashed.csv',
      file_sha256: sha,
      format: 'csv',
      encoding: 'utf-8',
      as_of: '2026-03-01',
      status: 'applying',
      rows_total: 2,
      rows_bad: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      conflicts: 0,
      closed: 0,
      message: null,
      imported_by: null,
      region_code: ctx.regions.counties()[0]!.code,
      started_at: new Date().toISOString(),
      finished_at: null,
    });
    mkdirSync(join(ctx.dir, 'imports'), { recursive: true });
    await pipeline(Readable.from([Buffer.from(csv)]), sealStream(ctx.config.masterKey), createWriteStream(storedFile(ctx, importId)));
    expect(readFileSync(storedFile(ctx, importId)).includes(id(50))).toBe(false);
    expect(await resumeImports(ctx)).toBe(1);
    const imp = await ctx.db.selectFrom('imports').selectAll().where('id', '=', importId).executeTakeFirstOrThrow();
    expect(imp).toMatchObject({ status: 'applied', created: 2 });
    expect((await persons()).filter((p) => p.name.startsWith('林'))).toHaveLength(2);
    expect(existsSync(storedFile(ctx, importId))).toBe(false);
  });

  it('resumes an import left applying by the previous version with a plain-text file, and removes that copy', async () => {
    const csv = [PS_HEADER, `${id(52)},林静,女,,${village},,,,`].join('\n');
    const { createHash } = await import('node:crypto');
    const sha = createHash('sha256').update(csv).digest('hex');
    mkdirSync(join(ctx.dir, 'imports'), { recursive: true });
    writeFileSync(join(ctx.dir, 'imports', `${sha}.csv`), csv);
    writeFileSync(join(ctx.dir, 'imports', `${'0'.repeat(64)}.csv`), `${PS_HEADER}\n${id(53)},旧文件,女,,${village},,,,`); // of an import long finished
    await createImport(ctx.db, {
      source: 'public_security',
      file_name: 'old.csv',
      file_sha256: sha,
      format: 'csv',
      encoding: 'utf-8',
      as_of: '2026-03-01',
      status: 'applying',
      rows_total: 1,
      rows_bad: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      conflicts: 0,
      closed: 0,
      message: null,
      imported_by: null,
      region_code: ctx.regions.counties()[0]!.code,
      started_at: new Date().toISOString(),
      finished_at: null,
    });
    writeFileSync(join(ctx.dir, 'imports', '999999.sealed'), 'left by a crash'); // no such import
    expect(await resumeImports(ctx)).toBe(1);
    expect((await persons()).filter((p) => p.name === '林静')).toHaveLength(1);
    expect(filesHolding(ctx.dir, [id(52), id(53)])).toEqual([]);
    expect(readdirSync(join(ctx.dir, 'imports'))).toEqual([]);
  });

  it('counts a resumed import as an uninterrupted one: progress commits with each batch', async () => {
    // 24 rows: 8 already registered (4 to be updated, 4 unchanged), 16 new, 2 of them closed
    const base = [PS_HEADER, ...Array.from({ length: 8 }, (_, k) => `${id(300 + k)},陶${'甲乙丙丁戊己庚辛'[k]},女,,${village},,,,`)].join('\n');
    const file = [
      PS_HEADER,
      ...Array.from({ length: 8 }, (_, k) => `${id(300 + k)},陶${'甲乙丙丁戊己庚辛'[k]},女,,${village},${k < 4 ? '外地' : ''},,,`),
      ...Array.from(
        { length: 16 },
        (_, k) => `${id(400 + k)},严${'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳'[k]},女,,${village},,,${k < 2 ? '死亡' : ''},${k < 2 ? '2026-01-02' : ''}`,
      ),
    ].join('\n');
    const clean = await createSeededContext(dialect);
    try {
      await importText(clean, 'public_security', base, { asOf: '2026-01-01' });
      const expected = await importText(clean, 'public_security', file, { asOf: '2026-02-01' });
      expect(expected).toMatchObject({ created: 16, updated: 4, unchanged: 4, closed: 2 });

      await importText(ctx, 'public_security', base, { asOf: '2026-01-01' });
      Object.assign(applyTuning, { batchRows: 5, commitEveryMs: 0, crashAfterCommits: 2 });
      const crashed = await importText(ctx, 'public_security', file, { asOf: '2026-02-01' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(crashed).toBeInstanceOf(SimulatedCrash);
      applyTuning.crashAfterCommits = undefined;
      const halfway = await ctx.db.selectFrom('imports').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(halfway).toMatchObject({ status: 'applying', applied_through: 11 });
      expect(await resumeImports(ctx)).toBe(1);
      const resumed = await ctx.db.selectFrom('imports').selectAll().where('id', '=', halfway.id).executeTakeFirstOrThrow();
      const counts = (i: typeof resumed) => ({ created: i.created, updated: i.updated, unchanged: i.unchanged, conflicts: i.conflicts, closed: i.closed });
      expect(counts(resumed)).toEqual(counts(expected));
      expect(resumed.status).toBe('applied');
      const audit = await ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'register.import')
        .where('entity_id', '=', String(halfway.id))
        .executeTakeFirstOrThrow();
      expect(audit.fields).toContain('hukouLocal');
    } finally {
      Object.assign(applyTuning, { batchRows: 10_000, commitEveryMs: 1500, crashAfterCommits: undefined });
      await clean.cleanup();
    }
  });

  it('writes one audit entry per import, chained', async () => {
    const entries = await ctx.db.selectFrom('audit_log').selectAll().where('action', 'in', ['register.import', 'register.import_rejected']).execute();
    expect(entries.length).toBeGreaterThan(10);
    const applied = entries.find((e) => e.action === 'register.import' && e.fields?.includes('hardship'));
    expect(applied).toBeDefined();
  });
});
