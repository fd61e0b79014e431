import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ageOn } from '../../platform/time.js';
import { parseResidentId } from '../register/resident-id.js';
import { departments } from '../register/sources/departments.js';
import { fields } from '../register/sources/fields.js';
import { DEMO_RATES, IdBook, dayNumber, fromDayNumber, generateElders, mulberry32, type DemoElder } from './generator.js';
import { makeResidentId } from '../register/resident-id.js';
import { BAD_KINDS, DEMO_FILE_ROWS, demoCell, writeDemoFiles } from './files.js';
import { csvField } from '../../platform/csv.js';
import { DEMO_UNKNOWN_VILLAGE, demoRegions } from './regions.js';

const asOf = '2024-06-30';
const take = (elders: number, seed: number | string = 1, on = asOf): DemoElder[] => [...generateElders({ elders, seed, asOf: on })];
const NAME_RE = /^[\p{L}\p{M}·•．.\- ]{1,40}$/u;
/** Generated before the later attributes existed: adding attributes must not change these. */
const FIRST_OF_SEED_7 = {
  idNumber: '990101196307090011',
  name: '赵向东',
  sex: 'M',
  birthDate: '1963-07-09',
  regionCode: '990101101205',
  phone: '10023992518',
  hukouLocal: true,
  hardship: 'none',
  specialFamily: false,
  living: ['empty_nest'],
  pensionType: 'resident',
  lastCheckup: '2024-03-15',
  chronicDiseases: ['脑卒中'],
  ltcGrade: null,
  disabilityGrade: null,
  disabilityKind: null,
  veteranCategory: null,
  specialContribution: false,
};

describe('demo regions', () => {
  const regions = demoRegions();
  const byCode = new Map(regions.map((r) => [r.code, r]));

  it('has the fictional province, city and county', () => {
    expect(byCode.get('990000')).toMatchObject({ level: 'province', prefix: '99', parent_code: null, name: '示范省' });
    expect(byCode.get('990100')).toMatchObject({ level: 'city', prefix: '9901', parent_code: '990000' });
    expect(byCode.get('990101')).toMatchObject({ level: 'county', kind: 'county', prefix: '990101', name: '青溪县' });
  });

  it('has ≥ 8 towns (streets and towns) and ≥ 60 villages, consistently linked', () => {
    const towns = regions.filter((r) => r.level === 'town');
    const villages = regions.filter((r) => r.level === 'village');
    expect(towns.length).toBeGreaterThanOrEqual(8);
    expect(towns.filter((t) => t.kind === 'street').length).toBeGreaterThanOrEqual(2);
    expect(towns.filter((t) => t.kind === 'town').length).toBeGreaterThanOrEqual(6);
    expect(villages.length).toBeGreaterThanOrEqual(60);
    expect(new Set(regions.map((r) => r.code)).size).toBe(regions.length);
    for (const t of towns) expect(t.code).toMatch(/^990101\d{3}$/);
    for (const v of villages) {
      expect(v.code).toMatch(/^\d{12}$/);
      expect(['village', 'community']).toContain(v.kind);
    }
    for (const r of regions) {
      if (r.parent_code === null) continue;
      const parent = byCode.get(r.parent_code);
      expect(parent, r.code).toBeDefined();
      expect(r.code.startsWith(parent!.prefix)).toBe(true);
      expect(r.prefix.startsWith(parent!.prefix)).toBe(true);
      expect(r.code.startsWith(r.prefix)).toBe(true);
    }
    for (const t of towns) {
      const names = villages.filter((v) => v.parent_code === t.code).map((v) => v.name);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(byCode.has(DEMO_UNKNOWN_VILLAGE)).toBe(false);
  });
});

describe('generateElders', () => {
  it('keeps the earlier attributes of a seed when later ones are added', () => {
    // the first elder of seed 7 before medicalInsured and vagrant were added
    const [first] = take(1, 7);
    const { medicalInsured, vagrant, ...earlier } = first!;
    expect(typeof medicalInsured).toBe('boolean');
    expect(typeof vagrant).toBe('boolean');
    expect(earlier).toEqual(FIRST_OF_SEED_7);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = take(100, 7);
    expect(take(100, 7)).toEqual(a);
    expect(take(300, 7).slice(0, 100)).toEqual(a);
    expect(take(100, 8)).not.toEqual(a);
    expect(take(100, '001')).toEqual(take(100, '001'));
    expect(take(100, '001')).not.toEqual(take(100, '002'));
  });

  it('streams lazily', () => {
    const it = generateElders({ elders: 1_000_000, seed: 1, asOf });
    expect(it.next().done).toBe(false);
    it.return(undefined);
  });

  it('makes valid, unique resident IDs that agree with birth date and sex', () => {
    const people = take(5000, 3);
    const ids = new Set<string>();
    for (const p of people) {
      const id = parseResidentId(p.idNumber, asOf);
      expect(typeof id, p.idNumber).toBe('object');
      if (typeof id === 'object') {
        expect(id.birthDate).toBe(p.birthDate);
        expect(id.sex).toBe(p.sex);
      }
      expect(p.idNumber.slice(0, 6)).toBe('990101');
      ids.add(p.idNumber);
    }
    expect(ids.size).toBe(people.length);
  });

  it('moves people to the day before once a birth date has used its 500 sequences', () => {
    const book = new IdBook();
    const day = dayNumber('1950-03-01');
    const taken = Array.from({ length: 1001 }, () => book.take(day, 'F'));
    expect(taken.filter((t) => t.birthDate === '1950-03-01').length).toBe(500);
    expect(taken.filter((t) => t.birthDate === '1950-02-28').length).toBe(500);
    expect(taken[1000]).toEqual({ birthDate: '1950-02-27', sequence: 0 });
    expect(book.take(day, 'M')).toEqual({ birthDate: '1950-03-01', sequence: 0 });
    const ids = new Set(taken.map((t) => makeResidentId('990101', t.birthDate, t.sequence, 'F')));
    expect(ids.size).toBe(1001);
  });

  it('places everyone as walking back day by day would, on dates full for months back', () => {
    // the book as it was (each full date passed one by one), the reference for the linked one
    const walked = new Map<string, number>();
    const walk = (birthDay: number, sex: 'M' | 'F') => {
      for (let d = birthDay; ; d--) {
        const n = walked.get(`${d}${sex}`) ?? 0;
        if (n < 500) {
          walked.set(`${d}${sex}`, n + 1);
          return { day: d, sequence: n };
        }
      }
    };
    const book = new IdBook();
    const rng = mulberry32(5);
    const start = dayNumber('1958-06-01');
    for (let i = 0; i < 120_000; i++) {
      // 120,000 people wanting 60 dates (30,000 sequences each sex): most go far back
      const day = start + Math.floor(rng() * 60);
      const sex = rng() < 0.5 ? 'F' : 'M';
      const want = walk(day, sex);
      const got = book.take(day, sex);
      if (got.birthDate !== fromDayNumber(want.day) || got.sequence !== want.sequence)
        throw new Error(`person ${i}: ${JSON.stringify(got)}, walking back gives ${fromDayNumber(want.day)} #${want.sequence}`);
    }
  });

  it('keeps ages in 60..105 and IDs unique on a 29 February', () => {
    const on = '2024-02-29';
    const ids = new Set<string>();
    let count = 0;
    for (const p of generateElders({ elders: 50_000, seed: 11, asOf: on })) {
      ids.add(p.idNumber);
      count++;
      const age = ageOn(p.birthDate, on);
      if (age < 60 || age > 105) throw new Error(`age ${age} for ${p.birthDate}`);
    }
    expect(ids.size).toBe(count);
  });

  it('gives every field a valid value the department files can carry', () => {
    const villages = new Set(
      demoRegions()
        .filter((r) => r.level === 'village')
        .map((r) => r.code),
    );
    for (const p of take(3000, 5)) {
      expect(p.name).toMatch(NAME_RE);
      expect(p.phone).toMatch(/^100\d{8}$/);
      expect(villages.has(p.regionCode)).toBe(true);
      const age = ageOn(p.birthDate, asOf);
      expect(age).toBeGreaterThanOrEqual(60);
      expect(age).toBeLessThanOrEqual(105);
      if (p.lastCheckup) expect(p.lastCheckup <= asOf).toBe(true);
      if (p.disabilityGrade) expect(p.disabilityKind).not.toBeNull();
    }
  });

  it('comes out at the stated rates on 20,000 elders', () => {
    const people = take(20_000, 2024);
    const n = people.length;
    const share = (f: (p: DemoElder) => boolean) => people.filter(f).length / n;
    const age = (p: DemoElder) => ageOn(p.birthDate, asOf);
    const rural = new Set(
      demoRegions()
        .filter((r) => r.kind === 'village')
        .map((r) => r.code),
    );

    expect(share((p) => age(p) >= 80)).toBeGreaterThan(0.15);
    expect(share((p) => age(p) >= 80)).toBeLessThan(0.19);
    expect(share((p) => age(p) >= 100)).toBeLessThan(0.002);
    const young = people.filter((p) => age(p) < 80);
    const old = people.filter((p) => age(p) >= 80);
    const female = (xs: DemoElder[]) => xs.filter((p) => p.sex === 'F').length / xs.length;
    expect(female(young)).toBeGreaterThan(0.5);
    expect(female(young)).toBeLessThan(0.54);
    expect(female(old)).toBeGreaterThan(0.57);
    expect(female(old)).toBeLessThan(0.63);

    expect(share((p) => p.hardship === 'dibao')).toBeGreaterThan(0.02);
    expect(share((p) => p.hardship === 'dibao')).toBeLessThan(0.04);
    expect(share((p) => p.hardship === 'dibao_edge')).toBeGreaterThan(0.013);
    expect(share((p) => p.hardship === 'dibao_edge')).toBeLessThan(0.027);
    expect(share((p) => p.hardship === 'tekun_dispersed')).toBeGreaterThan(0.003);
    expect(share((p) => p.hardship === 'tekun_dispersed')).toBeLessThan(0.009);
    expect(share((p) => p.disabilityGrade !== null)).toBeGreaterThan(0.06);
    expect(share((p) => p.disabilityGrade !== null)).toBeLessThan(0.08);
    expect(share((p) => p.disabilityGrade === 4)).toBeGreaterThan(share((p) => p.disabilityGrade === 1));
    expect(share((p) => p.ltcGrade !== null)).toBeGreaterThan(0.03);
    expect(share((p) => p.ltcGrade !== null)).toBeLessThan(0.05);
    expect(old.filter((p) => p.ltcGrade).length).toBeGreaterThan(young.filter((p) => p.ltcGrade).length);
    expect(share((p) => p.living.includes('alone'))).toBeGreaterThan(0.085);
    expect(share((p) => p.living.includes('alone'))).toBeLessThan(0.115);
    expect(share((p) => p.living.includes('empty_nest'))).toBeGreaterThan(0.27);
    expect(share((p) => p.living.includes('empty_nest'))).toBeLessThan(0.33);
    expect(share((p) => p.living.includes('solitary'))).toBeGreaterThan(0.005);
    expect(share((p) => p.living.includes('solitary'))).toBeLessThan(0.015);
    const ruralPeople = people.filter((p) => rural.has(p.regionCode));
    expect(people.every((p) => !p.living.includes('left_behind') || rural.has(p.regionCode))).toBe(true);
    const lb = ruralPeople.filter((p) => p.living.includes('left_behind')).length / ruralPeople.length;
    expect(lb).toBeGreaterThan(0.065);
    expect(lb).toBeLessThan(0.095);
    expect(share((p) => p.specialFamily)).toBeGreaterThan(0.004);
    expect(share((p) => p.specialFamily)).toBeLessThan(0.012);
    expect(share((p) => p.veteranCategory !== null)).toBeGreaterThan(0.01);
    expect(share((p) => p.veteranCategory !== null)).toBeLessThan(0.02);
    expect(share((p) => p.specialContribution)).toBeLessThan(0.004);
    expect(share((p) => p.medicalInsured)).toBeGreaterThan(0.96);
    expect(share((p) => p.medicalInsured)).toBeLessThan(0.98);
    expect(share((p) => p.vagrant)).toBeGreaterThan(0);
    expect(share((p) => p.vagrant)).toBeLessThan(0.0015);
    // civil affairs lists every vagrant, marked 是
    const vagrants = people.filter((p) => p.vagrant);
    expect(vagrants.every((p) => DEMO_FILE_ROWS.civil_affairs!(p) && demoCell(p, 'vagrant') === '是')).toBe(true);
    expect(share((p) => p.lastCheckup !== null)).toBeGreaterThan(0.67);
    expect(share((p) => p.lastCheckup !== null)).toBeLessThan(0.73);
    // the stated age bands really give the baseline 80+ share
    const stated = DEMO_RATES.ageBands.filter((b) => b.from >= 80).reduce((s, b) => s + b.share, 0);
    expect(stated).toBeCloseTo(65_900 / 399_100, 2);
  });
});

describe('writeDemoFiles', () => {
  const read = async (path: string): Promise<string[][]> => parse(await readFile(path, 'utf8'), { relax_column_count: true }) as string[][];

  it('writes one CSV per department with canonical headers, parseable cells and matching row counts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yiyang-demo-'));
    try {
      const opts = { elders: 2000, seed: 9, asOf };
      const files = await writeDemoFiles(dir, opts);
      expect(files.map((f) => f.source).sort()).toEqual(departments.map((d) => d.key).sort());
      const people = take(2000, 9);
      for (const f of files) {
        const dept = departments.find((d) => d.key === f.source)!;
        const [header, ...rows] = await read(f.path);
        expect(header).toEqual(dept.columns.map((c) => c.headers[0]));
        expect(rows.length).toBe(f.rows);
        expect(f.rows).toBe(people.filter(DEMO_FILE_ROWS[f.source]!).length);
        expect(f.badRows).toBe(0);
        for (const row of rows.slice(0, 300)) {
          expect(row.length).toBe(dept.columns.length);
          dept.columns.forEach((c, i) => {
            if (c.field === 'idNumber') expect(typeof parseResidentId(row[i]!, asOf)).toBe('object');
            else if (row[i] !== '' || c.required) expect(fields[c.field].parse(row[i]!), `${f.source} ${c.field} ${row[i]}`).toMatchObject({ ok: true });
          });
        }
      }
      const byKey = Object.fromEntries(files.map((f) => [f.source, f.rows]));
      expect(byKey.public_security).toBe(2000);
      expect(byKey.hr_social_security).toBe(2000);
      // every elder is listed by medical insurance, the care grade filled only for those with one
      expect(byKey.medical_insurance).toBe(2000);
      const mi = departments.find((d) => d.key === 'medical_insurance')!.columns;
      const [miHeader, ...miRows] = await read(files.find((f) => f.source === 'medical_insurance')!.path);
      expect(miHeader).toEqual(['身份证号', '姓名', '医保参保状态', '长护险失能等级']);
      const at = (field: string) => mi.findIndex((c) => c.field === field);
      miRows.forEach((row, i) => {
        expect(row[at('medicalInsured')]).toBe(people[i]!.medicalInsured ? '参保' : '未参保');
        expect(row[at('ltcGrade')] === '').toBe(people[i]!.ltcGrade === null);
      });
      const ca = departments.find((d) => d.key === 'civil_affairs')!.columns;
      const [, ...caRows] = await read(files.find((f) => f.source === 'civil_affairs')!.path);
      const vagrants = new Set(people.filter((p) => p.vagrant).map((p) => p.idNumber));
      const listedVagrants = caRows.filter((r) => r[ca.findIndex((c) => c.field === 'vagrant')] === '是').map((r) => r[0]);
      expect(new Set(listedVagrants)).toEqual(vagrants);
      expect(byKey.health).toBeGreaterThan(1300);
      expect(byKey.health).toBeLessThan(1500);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('spoils about badRate of the public-security rows, in every kind, and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yiyang-demo-'));
    try {
      const files = await writeDemoFiles(dir, { elders: 2000, seed: 9, asOf, badRate: 0.05 });
      const ps = files.find((f) => f.source === 'public_security')!;
      expect(ps.badRows).toBe(100);
      expect(files.filter((f) => f.source !== 'public_security').every((f) => f.badRows === 0)).toBe(true);
      const cols = departments.find((d) => d.key === 'public_security')!.columns;
      const at = (field: string) => cols.findIndex((c) => c.field === field);
      const [, ...rows] = await read(ps.path);
      expect(rows.length).toBe(2000);
      const seen = new Set<string>();
      let bad = 0;
      const villages = new Set(demoRegions().map((r) => r.code));
      for (const row of rows) {
        const id = row[at('idNumber')]!;
        const problems = [typeof parseResidentId(id, asOf) === 'string', seen.has(id), !NAME_RE.test(row[at('name')]!), !villages.has(row[at('regionCode')]!)];
        seen.add(id);
        if (problems.some(Boolean)) bad++;
      }
      expect(bad).toBe(100);
      expect(BAD_KINDS.length).toBe(6);
      const text = await readFile(ps.path, 'utf8');
      expect(text).toContain('<script>');
      expect(text).toContain(DEMO_UNKNOWN_VILLAGE);
      // the good rows are the same as without bad rows
      const clean = await writeDemoFiles(join(dir, 'clean'), { elders: 2000, seed: 9, asOf });
      const [, ...cleanRows] = await read(clean.find((f) => f.source === 'public_security')!.path);
      const same = rows.filter((r, i) => r.join('|') === cleanRows[i]!.join('|')).length;
      expect(same).toBe(1900);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('quotes CSV fields only when needed', () => {
    expect(csvField('王桂英')).toBe('王桂英');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});
