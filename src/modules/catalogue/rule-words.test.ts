import { describe, expect, it } from 'vitest';
import { CatalogueStore } from './catalogue.store.js';
import { loadCatalogue } from './catalogue.loader.js';
import { amountWords, ruleWords } from './rule-words.js';
import { FACTS } from './facts.js';
import { parse } from '../../lib/rules/syntax.js';
import { verbalise } from '../../lib/rules/verbalise.js';
import { lexicon } from './rule-words.js';

const store = CatalogueStore.fromDirectory('catalogues');

/** A rule in words as the catalogue's lexicon says it, with one parameter (高龄津贴, 60 元/月). */
const PARAMS = new Map([['nx_high_age', { label: '高龄津贴（80周岁以上）', type: 'money' as const, unit: '元/月', value: 6000 }]]);
const say = (src: string, lang: 'zh' | 'en' = 'zh') => verbalise(parse(src), lexicon(PARAMS), lang);

describe('rules in words: hand-checked examples', () => {
  it.each([
    ['age >= 80 && hukouLocal', '年满80周岁且为本地户籍', 'aged 80 or over and has local household registration'],
    ['age >= 60', '年满60周岁', 'aged 60 or over'],
    ['age < 80', '未满80周岁', 'under 80'],
    ['age > 99', '年龄超过99周岁', 'older than 99'],
    ['!hukouLocal', '非本地户籍', 'does not have local household registration'],
    ["hardship == 'dibao' && age >= 80", '救助类别为低保且年满80周岁', 'hardship category is dibao (minimum living allowance) and aged 80 or over'],
    ["pensionType in ['employee', 'public_service']", '养老保险类型为企业职工或机关事业', 'pension insurance scheme is employee or public service'],
    [
      "ltcGrade != 'none' && age >= 60",
      '失能等级为轻度失能、中度失能或重度失能且年满60周岁',
      'long-term-care grade is mild, moderate or severe and aged 60 or over',
    ],
    ['disabilityGrade in [1, 2]', '残疾等级为一级或二级', 'disability grade is 1 or 2'],
    ['disabilityGrade >= 1', '残疾等级为一级、二级、三级或四级', 'disability grade is 1, 2, 3 or 4'],
    [
      'age >= 60 && (livingAlone || emptyNest || leftBehind)',
      '年满60周岁且（独居、空巢或留守）',
      'aged 60 or over and (lives alone, is an empty-nester or is left behind)',
    ],
    ["hardship != 'tekun_concentrated'", '救助类别不为特困（集中供养）', 'hardship category is not extreme poverty (in an institution)'],
    ["hardship not in ['dibao', 'dibao_edge']", '救助类别不为低保或低保边缘', 'hardship category is neither dibao (minimum living allowance) nor near-dibao'],
    [
      "!hukouLocal && ((sex == 'M' && age >= 60) || (sex == 'F' && age >= 55))",
      '非本地户籍且（男性且年满60周岁，或女性且年满55周岁）',
      'does not have local household registration and (a man and aged 60 or over; or a woman and aged 55 or over)',
    ],
    ['!(livingAlone || solitary)', '非独居且非孤寡', 'does not live alone and is not solitary'],
    ['known(longTermCare)', '已知是否需要长期照护', 'it is known whether the person needs long-term care'],
    ['vagrant && age >= 60', '为流浪乞讨救助对象且年满60周岁', 'is a vagrant under relief and aged 60 or over'],
    ['urban && !medicalInsured', '居住在城镇社区且未参加基本医疗保险', 'lives in an urban community and is not in basic medical insurance'],
  ])('%s', (src, zh, en) => {
    expect(say(src, 'zh')).toBe(zh);
    expect(say(src, 'en')).toBe(en);
  });

  it('prints a parameter with its current value and unit', () => {
    expect(say('nx_high_age')).toBe('高龄津贴（80周岁以上）（现为60元/月）');
    expect(say('nx_high_age', 'en')).toBe('高龄津贴（80周岁以上） (now 60 yuan a month)');
    const unset = verbalise(parse('nx_high_age'), lexicon(new Map([['nx_high_age', { ...PARAMS.get('nx_high_age')!, value: null }]])), 'zh');
    expect(unset).toBe('高龄津贴（80周岁以上）（标准待定）');
  });

  it('says an amount by cases', () => {
    const cat = store.latest('daye')!;
    const it = cat.items.find((i) => i.benefit.amount?.src.includes('dy_high_age_100'))!;
    const words = amountWords(cat, it, { dy_high_age_100: 30000, dy_high_age_90: 10000, dy_high_age_80: null });
    expect(words!.zh).toMatch(/^年满100周岁的，.+（现为300元\/月）；年满90周岁的，.+（现为100元\/月）；其余，.+（标准待定）$/);
    const bus = store.latest('nanxun')!.items.find((i) => i.benefit.kind === 'discount' && i.benefit.percent?.src.includes('?'))!;
    expect(amountWords(store.latest('nanxun')!, bus, {})).toEqual({
      zh: '年满70周岁的，免费；其余，减免50%',
      en: 'free if aged 70 or over; otherwise 50% off',
    });
  });

  it('refuses a name the lexicon does not know, rather than printing it', () => {
    expect(() => say('mystery')).toThrow();
  });
});

describe('rules in words: every shipped rule', () => {
  const names = [...FACTS.map((f) => f.name)];
  const code = /[_&|=<>!]|\b(and|or|not|in|known|percent|min|max|yuan|true|false)\(/;
  const cats = store.jurisdictions().flatMap((j) => store.versions(j));

  it('has every shipped catalogue: the two whole ones and the three partial ones (issue 21)', () => {
    expect(cats.map((c) => c.jurisdiction).sort()).toEqual(['changzhou', 'daye', 'nanxun', 'qidong', 'rugao']);
    expect(
      cats
        .filter((c) => c.partial)
        .map((c) => c.jurisdiction)
        .sort(),
    ).toEqual(['changzhou', 'qidong', 'rugao']);
  });

  it.each(cats.flatMap((c) => c.items.map((i) => [`${c.jurisdiction}/${c.effective} ${i.id}`, c, i] as const)))(
    '%s says its rule in words',
    (_n, cat, item) => {
      const w = ruleWords(cat, item, {});
      // identifiers as code writes them (camelCase, snake_case); plain words such as "age" may stand in English
      const allNames = [...names, ...cat.parameters.keys()].filter((n) => /[A-Z_]/.test(n));
      for (const text of [w.zh, w.en]) {
        expect(text).not.toBe('');
        expect(text).not.toMatch(code);
        for (const n of allNames) expect(text).not.toMatch(new RegExp(`\\b${n}\\b`));
      }
      // the Chinese sentence holds no Latin letters at all: no code, no value keys
      expect(w.zh).not.toMatch(/[A-Za-z]/);
      const a = amountWords(cat, item, {});
      if (item.benefit.amount || item.benefit.percent) {
        expect(a).not.toBeNull();
        for (const text of [a!.zh, a!.en]) {
          expect(text).not.toMatch(code);
          for (const n of allNames.filter((x) => /[A-Z_]/.test(x))) expect(text).not.toMatch(new RegExp(`\\b${n}\\b`));
        }
      }
    },
  );

  it('words a rule the shipped files do not use (arithmetic, ternary, literals) without code', () => {
    const cat = loadCatalogue(
      'catalogues/t/2024-01-01.yaml',
      `jurisdiction: t
title: t
effective: "2024-01-01"
source: t
population: active
items:
  - { id: t-1, no: 1, target: t, name: t, content: t, types: [物质帮助], source: t, benefit: { kind: service }, rule: "(age + 1 >= 80 ? urban : true) && !known(longTermCare) && disabilityGrade * 2 < 5 && sex != 'F'" }
`,
    );
    const w = ruleWords(cat, cat.items[0]!, {});
    expect(w.zh).not.toMatch(/[A-Za-z_]/);
    expect(w.zh).toBe('（若年龄加1不低于80，则居住在城镇社区，否则所有人均符合）且未知是否需要长期照护且残疾等级乘以2低于5且男性');
  });
});
