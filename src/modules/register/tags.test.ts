import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../db/tables.js';
import { AppError, formatMessage } from '../../platform/errors.js';
import { today } from '../../platform/time.js';
import { createSeededContext, countyScope, dialects, importText, type TestContext } from '../../testing/harness.js';
import { factInfos } from '../catalogue/facts.js';
import { search } from './register.service.js';
import { makeResidentId } from './resident-id.js';
import { REGISTER_FACTS } from './sources/facts.js';
import { displayValue, fields, type FieldKey } from './sources/fields.js';
import { findTag, personTags, SEARCH_TAGS, tagInfos, type SearchTag } from './tags.js';

// The register's search tags come from the fact declarations (issue 13 seam 1): a declared flag is
// a tag, shown on a row and searchable, with no other edit.
describe('search tags from the fact declarations', () => {
  it('keeps every tag key the search took before, and adds the declared flags (现役军人家属 among them)', () => {
    const keys = SEARCH_TAGS.map((t) => t.key);
    for (const k of [
      'living_alone',
      'empty_nest',
      'left_behind',
      'solitary',
      'special_family',
      'dibao',
      'dibao_edge',
      'tekun_dispersed',
      'tekun_concentrated',
      'disabled',
      'ltc',
      'veteran',
      'special_contribution',
      'vagrant',
      'age80',
      'age90',
      'age100',
    ])
      expect(keys, k).toContain(k);
    expect(findTag('active_service_family')).toMatchObject({ fact: 'activeServiceFamily', label: { zh: '现役军人家属', en: 'Family of a serving soldier' } });
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('tags every boolean flag that is not true by default, by its column, labelled from the declaration', () => {
    const flags = REGISTER_FACTS.filter((d) => d.type.t === 'bool' && d.profile && d.columns.length === 1);
    for (const d of flags) {
      const byDefault = d.profile!.default === true;
      expect(findTag(d.columns[0]!)?.fact, d.name).toBe(byDefault ? undefined : d.name);
    }
    expect(findTag('hukou_local')).toBeUndefined();
    expect(findTag('living_alone')!.label).toEqual({ zh: '独居', en: 'Lives alone' });
  });

  it('GET /api/facts carries the tags with their labels, and the facts each may make unknown', () => {
    expect(tagInfos()).toContainEqual({ key: 'dibao', fact: 'hardship', label: '低保', labelEn: 'Dibao (minimum living allowance)' });
    expect(tagInfos().map((t) => t.key)).toEqual(SEARCH_TAGS.map((t) => t.key));
    const infos = factInfos();
    expect(infos.find((f) => f.name === 'ltcGrade')!.unknownWith).toEqual(['ltcGrade', 'disablement', 'longTermCare']);
    expect(infos.find((f) => f.name === 'hardship')!.unknownWith).toEqual([]);
    // asked only if a profile can state it
    expect(infos.filter((f) => f.ask).every((f) => f.default !== null)).toBe(true);
  });

  it('a row shows its flags, enum tags and the highest age tag it reaches', () => {
    const on = '2026-06-30';
    const p = {
      birth_date: '1935-01-01',
      living_alone: 1,
      empty_nest: 0,
      left_behind: 0,
      solitary: 0,
      special_family: 0,
      hardship: 'dibao',
      disability_grade: null,
      ltc_grade: 'none',
      veteran_category: null,
      special_contribution: 0,
      vagrant: 1,
      medical_insured: 1,
      hukou_local: 1,
      active_service_family: 1,
    } as unknown as PersonRow;
    expect(personTags(p, on).sort()).toEqual(['active_service_family', 'age90', 'dibao', 'living_alone', 'vagrant']);
    expect(personTags({ ...p, ltc_grade: 'mild', disability_grade: 2, active_service_family: null, birth_date: '1926-06-30' } as PersonRow, on).sort()).toEqual(
      ['age100', 'dibao', 'disabled', 'living_alone', 'ltc', 'vagrant'],
    );
  });
});

describe('flag fields from the fact declarations', () => {
  it('each 0/1 flag a department supplies is a field labelled and stored as declared, worded by its department only where it differs', () => {
    for (const name of ['specialFamily', 'specialContribution', 'vagrant', 'activeServiceFamily'] as FieldKey[]) {
      const d = REGISTER_FACTS.find((x) => x.name === name)!;
      const f = fields[name];
      expect(f, name).toMatchObject({ key: name, label: d.label.zh, labelEn: d.label.en });
      expect(f.parse('是')).toEqual({ ok: true, value: '1' });
      expect(f.toColumns!('1')).toEqual({ [d.columns[0]!]: 1 });
      expect(displayValue(name, '0')).toBe('否');
    }
    expect(fields.specialFamily.toColumns!(null)).toEqual({ special_family: 0 });
    expect(fields['activeServiceFamily' as FieldKey].toColumns!(null)).toEqual({ active_service_family: null });
    expect(fields.hukouLocal).toMatchObject({ label: '户籍性质', labelEn: 'local hukou' });
    expect(fields.hukouLocal.parse('外地')).toEqual({ ok: true, value: '0' });
    expect(displayValue('hukouLocal', '1')).toBe('本地');
    expect(fields.medicalInsured.parse('未参保')).toEqual({ ok: true, value: '0' });
    expect(fields.medicalInsured.toColumns!('1')).toEqual({ medical_insured: 1 });
    // the living flags are written by 居住状况, not fields of their own
    expect((fields as Record<string, unknown>).livingAlone).toBeUndefined();
  });
});

const minAge = (t: SearchTag) => ('ageAtLeast' in t.when ? t.when.ageAtLeast : 0);

describe.each(dialects)('searching by tag (%s)', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const births = ['1920-01-15', '1936-02-03', '1944-07-09', '1958-11-30'];
    const rows = Array.from(
      { length: 24 },
      (_, i) => `${makeResidentId('990101', births[i % 4]!, i + 1, i % 2 ? 'M' : 'F')},测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'一二三'[i % 3]},${village}`,
    );
    expect(await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', ...rows].join('\n'))).toMatchObject({ status: 'applied' });
    // every tag's column set at random (seeded), NULLs included where a column may hold them
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const choices: Record<string, readonly unknown[]> = {
      hardship: ['none', 'dibao', 'dibao_edge', 'tekun_dispersed', 'tekun_concentrated'],
      disability_grade: [null, 0, 1, 3],
      ltc_grade: [null, '', 'none', 'mild', 'severe'],
      veteran_category: [null, 'martyr_family', 'combat_veteran'],
      active_service_family: [null, 0, 1],
    };
    const columns = [...new Set(SEARCH_TAGS.filter((t) => !('ageAtLeast' in t.when)).map((t) => t.column))];
    const ids = (await ctx.db.selectFrom('persons').select('id').execute()).map((r) => r.id);
    for (const id of ids) {
      const set = columns.map((c) => {
        const xs = choices[c] ?? [0, 1];
        return sql`${sql.ref(c)} = ${xs[Math.floor(rnd() * xs.length)]}`;
      });
      await sql`update persons set ${sql.join(set)} where id = ${id}`.execute(ctx.db);
    }
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  it('finds, for each declared tag, exactly the persons whose rows show it', async () => {
    const on = today();
    const all = await ctx.db.selectFrom('persons').selectAll().where('status', '=', 'active').execute();
    for (const t of SEARCH_TAGS) {
      const res = await search(ctx, countyScope(ctx), { tags: [t.key], page: 1, pageSize: 200 });
      // an age tag finds the older ones too (a row shows only the highest it reaches)
      const expected = all.filter((p) => personTags(p, on).some((k) => k === t.key || (minAge(t) > 0 && minAge(findTag(k)!) >= minAge(t))));
      expect(expected.length, `${t.key}: some persons carry it`).toBeGreaterThan(0);
      expect(res.items.map((p) => p.id).sort(), t.key).toEqual(expected.map((p) => p.id).sort());
      for (const p of res.items) if (!('ageAtLeast' in t.when)) expect(p.tags, t.key).toContain(t.key);
    }
    // two tags: both hold
    const both = await search(ctx, countyScope(ctx), { tags: ['living_alone', 'active_service_family'], page: 1, pageSize: 200 });
    expect(both.items.every((p) => p.tags.includes('living_alone') && p.tags.includes('active_service_family'))).toBe(true);
  });

  it('refuses a tag no fact declares with a 400 that names it', async () => {
    const e = await search(ctx, countyScope(ctx), { tags: ['dibao', 'no_such_tag'], page: 1, pageSize: 10 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError<'VALIDATION'>;
    expect(err.status).toBe(400);
    expect(formatMessage('VALIDATION', err.params, 'en')).toContain('no_such_tag');
    expect(formatMessage('VALIDATION', err.params, 'zh-CN')).toContain('no_such_tag');
  });
});
