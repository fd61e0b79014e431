import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { ageOn } from '../../platform/time.js';
import { describe as describeProblem, loadCatalogue, type Catalogue } from './catalogue.loader.js';
import type { CatalogueProblem, Profile } from './catalogue.schema.js';
import { evaluator, explain, paramsFor, valueOn, type ParamOverride } from './engine.js';
import { factBuilder, profileSource } from './facts.js';
import { periodBounds } from '../../platform/time.js';
import type { Facts, Params, Trace, Value } from '../../lib/rules/compile.js';
import type { Node } from '../../lib/rules/syntax.js';
import { interpret } from '../../lib/rules/reference.testing.js';

const FILE = 'catalogues/testland/2024-01-01.yaml';

/** A small valid catalogue; each test breaks one thing in it. */
const BASE = `jurisdiction: testland
title: 测试清单
effective: "2024-01-01"
source: 测试
population: active
parameters:
  - name: high_age
    label: 高龄津贴
    type: money
    unit: 元/月
    values:
      - { from: "2024-01-01", value: 60, source: 测试 }
  - name: insurer
    label: 承保机构
    type: text
    values:
      - { from: "2024-01-01", value: 某保险公司, source: 测试 }
items:
  - id: tl-8
    no: 8
    target: 60周岁以上老年人
    name: 意外伤害保险
    content: 购买意外伤害保险。
    types: [关爱服务]
    rule: "age >= 60 && hukouLocal"
    benefit: { kind: insurance, insurer: insurer }
    source: 测试 第8项
  - id: tl-10
    no: 10
    target: 80周岁以上老年人
    name: 高龄津贴
    content: 发放高龄津贴。
    types: [物质帮助]
    rule: "age >= 80"
    benefit: { kind: cash_monthly, amount: high_age }
    source: 测试 第10项
`;

const ITEM_10 = '10 高龄津贴（tl-10）';
const ITEM_8 = '8 意外伤害保险（tl-8）';

/** BASE with one exact piece of text replaced (the piece must be there). */
function variant(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`“${needle}” not in text`);
  return i + 1;
}

/** Loads text that must be refused; returns the problems, after checking the error's shape. */
function refused(text: string): CatalogueProblem[] {
  let loaded: Catalogue | undefined;
  let caught: unknown;
  try {
    loaded = loadCatalogue(FILE, text);
  } catch (e) {
    caught = e;
  }
  expect(loaded, 'a refused catalogue returns nothing').toBeUndefined();
  expect(caught).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe('CATALOGUE_INVALID');
  expect(err.status).toBe(422);
  const problems = err.details as CatalogueProblem[];
  expect(Array.isArray(problems)).toBe(true);
  expect(problems.length).toBeGreaterThan(0);
  expect(err.params).toMatchObject({ file: FILE, count: problems.length, first: describeProblem(problems[0]!) });
  for (const p of problems) expect(p.file).toBe(FILE);
  return problems;
}

describe('loadCatalogue: refusing bad input', () => {
  it('loads the base catalogue (the variants below each break one thing)', () => {
    const cat = loadCatalogue(FILE, BASE);
    expect(cat.items.map((i) => i.id)).toEqual(['tl-8', 'tl-10']);
    expect(cat.parameters.get('high_age')!.values[0]!.value).toBe(6000);
    expect(cat.facts).toEqual(expect.arrayContaining(['age', 'hukouLocal', 'active', 'status']));
  });

  it('malformed YAML: the line of the syntax error', () => {
    const text = variant('title: 测试清单', 'title: "测试清单');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 2, item: null });
    expect(p!.message).toMatch(/^YAML 语法错误：/);
    expect(describeProblem(p!)).toContain('第 2 行');
  });

  it('malformed YAML: a key given twice in one item', () => {
    const text = variant('    rule: "age >= 80"\n', '    rule: "age >= 80"\n    rule: "age >= 90"\n');
    const problems = refused(text);
    expect(problems.every((p) => p.message.startsWith('YAML 语法错误'))).toBe(true);
    expect(problems.map((p) => p.line)).toContain(lineOf(text, 'age >= 90'));
  });

  it('missing required key: its path, the item and the item’s line', () => {
    const text = variant('    target: 80周岁以上老年人\n', '');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ path: 'items.1.target', item: ITEM_10, line: lineOf(text, 'id: tl-10') });
    expect(describeProblem(p!)).toContain('target');
    expect(describeProblem(p!)).toContain(ITEM_10);
  });

  it('unknown key in an item (the schema is strict)', () => {
    const text = variant('    source: 测试 第10项', '    source: 测试 第10项\n    colour: red');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ item: ITEM_10, path: 'items.1.colour', line: lineOf(text, 'colour: red') });
    expect(p!.message).toContain('colour');
  });

  it('unknown key at the top level', () => {
    const text = variant('title: 测试清单', 'title: 测试清单\nauthor: me');
    const [p] = refused(text);
    expect(p).toMatchObject({ item: null, path: 'author', line: lineOf(text, 'author: me') });
    expect(p!.message).toContain('author');
  });

  it('a rule reading an unknown field: item label, the rule’s line and column, a hint', () => {
    const text = variant('rule: "age >= 80"', 'rule: "agee >= 80"');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    const line = lineOf(text, 'agee');
    expect(p).toMatchObject({ item: ITEM_10, path: 'items.1.rule', line });
    // the column points at the unknown name inside the quoted rule (1-based)
    expect(p!.column).toBe(text.split('\n')[line - 1]!.indexOf('agee') + 1);
    expect(p!.message).toContain('未知的字段或参数“agee”');
    expect(p!.message).toContain('是否指 age');
    expect(describeProblem(p!)).toBe(`${FILE} 第 ${line} 行 事项 ${ITEM_10}（items.1.rule）：${p!.message}`);
  });

  it('a misspelt enum value further into a rule: the column of the literal', () => {
    const text = variant('rule: "age >= 80"', 'rule: "age >= 80 && hardship == \'dibo\'"');
    const [p] = refused(text);
    const line = lineOf(text, 'dibo');
    expect(p).toMatchObject({ item: ITEM_10, line, column: text.split('\n')[line - 1]!.indexOf("'dibo'") + 1 });
    expect(p!.message).toContain('“dibo”不是 hardship');
  });

  it('a rule of the wrong type: an amount that is an int instead of money', () => {
    const text = variant('amount: high_age', 'amount: "100"');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ item: ITEM_10, path: 'items.1.benefit.amount', line: lineOf(text, 'amount: "100"') });
    expect(p!.message).toContain('结果应为金额，实际为整数');
  });

  it('a rule that is not a condition', () => {
    const [p] = refused(variant('rule: "age >= 80"', 'rule: "age"'));
    expect(p).toMatchObject({ item: ITEM_10, path: 'items.1.rule' });
    expect(p!.message).toContain('结果应为布尔，实际为整数');
  });

  it('overlapping parameter periods', () => {
    const text = variant(
      '      - { from: "2024-01-01", value: 60, source: 测试 }',
      '      - { from: "2024-01-01", to: "2024-12-31", value: 60, source: 测试 }\n      - { from: "2024-06-01", value: 80, source: 测试 }',
    );
    const [p, ...rest] = refused(text);
    expect(p).toMatchObject({ path: 'parameters.high_age', line: lineOf(text, 'to: "2024-12-31"') });
    expect(p!.message).toBe('取值期间重叠：2024-01-01~2024-12-31 与 2024-06-01 起');
    // and the item that uses the parameter is named, at its amount
    expect(rest).toEqual([
      expect.objectContaining({ item: ITEM_10, message: '使用的参数“high_age”的取值期间有误：取值期间重叠：2024-01-01~2024-12-31 与 2024-06-01 起' }),
    ]);
    expect(describeProblem(p!)).toContain('high_age');
  });

  it('two values starting on the same day', () => {
    const [p] = refused(
      variant(
        '      - { from: "2024-01-01", value: 60, source: 测试 }',
        '      - { from: "2024-01-01", value: 60, source: 测试 }\n      - { from: "2024-01-01", value: 80, source: 测试 }',
      ),
    );
    expect(p!.message).toContain('有两个取值都从 2024-01-01 开始');
  });

  it('a gap between a parameter’s periods', () => {
    const text = variant(
      '      - { from: "2024-01-01", value: 60, source: 测试 }',
      '      - { from: "2024-01-01", to: "2024-05-31", value: 60, source: 测试 }\n      - { from: "2024-07-01", value: 80, source: 测试 }',
    );
    const [p, ...rest] = refused(text);
    expect(p).toMatchObject({ path: 'parameters.high_age', line: lineOf(text, 'to: "2024-05-31"') });
    expect(p!.message).toBe('2024-06-01 至 2024-07-01 之前没有取值（期间有空档）');
    expect(rest).toEqual([expect.objectContaining({ item: ITEM_10, message: expect.stringContaining('使用的参数“high_age”的取值期间有误') })]);
  });

  it('no gap when one value ends the day before the next starts', () => {
    const cat = loadCatalogue(
      FILE,
      variant(
        '      - { from: "2024-01-01", value: 60, source: 测试 }',
        '      - { from: "2024-01-01", to: "2024-06-30", value: 60, source: 测试 }\n      - { from: "2024-07-01", value: 80, source: 测试 }',
      ),
    );
    const p = cat.parameters.get('high_age')!;
    expect(valueOn(p, [], '2024-06-30')!.value).toBe(6000);
    expect(valueOn(p, [], '2024-07-31')!.value).toBe(8000);
  });

  it('a first value starting after the catalogue’s effective date', () => {
    const text = variant('      - { from: "2024-01-01", value: 60, source: 测试 }', '      - { from: "2024-03-01", value: 60, source: 测试 }');
    const [p, ...rest] = refused(text);
    expect(p).toMatchObject({ path: 'parameters.high_age' });
    expect(p!.message).toBe('2024-01-01 至 2024-03-01 之前没有取值（缺少该期间的参数）');
    // the parameter is missing for those dates: the item reading it is refused with it
    expect(rest).toEqual([
      expect.objectContaining({ item: ITEM_10, message: '使用的参数“high_age”的取值期间有误：2024-01-01 至 2024-03-01 之前没有取值（缺少该期间的参数）' }),
    ]);
  });

  it('an end date on the last value, an end before its start, and an impossible date', () => {
    const problems = refused(
      variant(
        '      - { from: "2024-01-01", value: 60, source: 测试 }',
        '      - { from: "2024-01-01", to: "2024-02-30", value: 60, source: 测试 }\n      - { from: "2024-03-01", to: "2024-02-01", value: 80, source: 测试 }',
      ),
    );
    const messages = problems.map((p) => p.message);
    expect(messages).toContain('日期“2024-02-30”无效');
    expect(messages).toContain('结束日期 2024-02-01 早于开始日期 2024-03-01');
    expect(messages).toContain('2024-02-01 之后没有取值：最后一个取值不能设结束日期');
  });

  it('a money value with three decimals: the line of the value', () => {
    const text = variant('value: 60,', 'value: 12.345,');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ path: 'parameters.high_age', line: lineOf(text, '12.345') });
    expect(p!.message).toBe('金额“12.345”应为元，最多两位小数');
  });

  it('accepts yuan with up to two decimals and a trailing 元', () => {
    const cat = loadCatalogue(FILE, variant('value: 60,', 'value: "12.5元",'));
    expect(cat.parameters.get('high_age')!.values[0]!.value).toBe(1250);
  });

  it('duplicate item ids: the second item is named', () => {
    const text = variant('  - id: tl-10', '  - id: tl-8');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ item: '10 高龄津贴（tl-8）', path: 'items.1.id', line: lineOf(text, 'no: 10') - 1 });
    expect(p!.message).toBe('事项编号“tl-8”重复');
  });

  it('an insurance item whose insurer parameter is missing', () => {
    const text = variant('insurer: insurer }', 'insurer: nobody }');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ item: ITEM_8, path: 'items.0.benefit.insurer', line: lineOf(text, 'nobody') });
    expect(p!.message).toContain('承保机构参数“nobody”未定义');
  });

  it('an insurance item whose insurer is not a text parameter, or has none', () => {
    expect(refused(variant('insurer: insurer }', 'insurer: high_age }'))[0]!.message).toContain('不是文本参数');
    const [p] = refused(variant('{ kind: insurance, insurer: insurer }', '{ kind: insurance }'));
    expect(p).toMatchObject({ item: ITEM_8, path: 'items.0.benefit' });
    expect(p!.message).toContain('需要 insurer');
  });

  it('a parameter named like a person fact', () => {
    const text = variant('name: high_age', 'name: age').replace('amount: high_age', 'amount: yuan(60)');
    const [p, ...rest] = refused(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ path: 'parameters.age', line: lineOf(text, 'name: age') });
    expect(p!.message).toBe('参数名“age”与人员字段重名');
  });

  it('lists every problem at once, in file order of checking', () => {
    const problems = refused(variant('rule: "age >= 80"', 'rule: "age >= 80 && hardship == \'dibo\'"').replace('value: 60,', 'value: 12.345,'));
    expect(problems.map((p) => [p.path, p.item])).toEqual([
      ['parameters.high_age', null],
      ['items.1.rule', ITEM_10],
    ]);
  });

  it('an unknown name in the population rule', () => {
    const [p] = refused(variant('population: active', 'population: activ'));
    expect(p).toMatchObject({ item: null, path: 'population', line: 5 });
    expect(p!.message).toContain('是否指 active');
  });
});

// ---------------------------------------------------------------------------------------------
// The shipped Nanxun catalogue: it loads, and the slow path (explain) agrees with the fast path
// (evaluator) and with an independent reading of the rules, for random people and periods.

const NANXUN = 'catalogues/nanxun/2023-10-31.yaml';
const CHONGYANG: Record<string, string> = { 2023: '2023-10-23', 2024: '2024-10-11', 2025: '2025-10-29', 2026: '2026-10-18', 2027: '2027-10-08' };

const interp = (cat: Catalogue, n: Node, f: Facts, p: Params): Value | null => interpret(cat.env, n, f, p);

/** Each connective's value follows from its parts, and every part is there (no short circuit). */
function traceConsistent(t: Trace, n: Node): void {
  if (n.k === 'logic') {
    expect(t.parts!.length).toBe(n.args.length);
    const vals = t.parts!.map((x) => x.value);
    expect(t.value).toBe(n.op === 'and' ? vals.every((x) => x === true) : vals.some((x) => x === true));
    t.parts!.forEach((x, i) => traceConsistent(x, n.args[i]!));
  } else if (n.k === 'not') {
    expect(t.value).toBe(t.parts![0]!.value !== true);
    traceConsistent(t.parts![0]!, n.arg);
  } else if (n.k === 'cond') {
    expect(t.value).toEqual(t.parts![0]!.value === true ? t.parts![1]!.value : t.parts![2]!.value);
  }
}

function mulberry32(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_SET: ParamOverride[] = Object.entries({
  nx_high_age: 7000,
  nx_longevity_100: 50000,
  nx_service_subsidy: 20000,
  nx_nursing_moderate: 30000,
  nx_nursing_severe: 50000,
  nx_disability_living: 15000,
  nx_disability_nursing: 8000,
  nx_insurer_basic: '某保险公司',
  nx_insurer_80: '某保险公司',
  nx_insurer_hardship: '某保险公司',
}).map(([name, value]) => ({ name, from: '2023-10-31', value, note: 'test', setBy: 'test', setAt: '2023-10-31T00:00:00Z' }));

describe('the shipped Nanxun catalogue', () => {
  const cat = loadCatalogue(NANXUN, readFileSync(join(process.cwd(), NANXUN), 'utf8'));

  it('loads with 37 items for the 34 rows of the seed (rows 7, 10 and 29 in two parts)', () => {
    expect(cat.jurisdiction).toBe('nanxun');
    expect(cat.effective).toBe('2023-10-31');
    expect(cat.items).toHaveLength(37);
    expect(cat.items.filter((i) => /b$/.test(i.id)).map((i) => i.id)).toEqual(['nx-7b', 'nx-10b', 'nx-29b']);
    expect(new Set(cat.items.map((i) => i.no)).size).toBe(34);
    expect(cat.items.filter((i) => i.local).map((i) => i.no)).toEqual(['9', '12', '13', '14', '16', '17', '25', '26', '27']);
    expect(cat.parameters.size).toBe(10);
    expect(cat.items.find((i) => i.id === 'nx-13')!.when).toBe('birthday');
    expect(cat.items.find((i) => i.id === 'nx-14')!.when).toBe('chongyang');
  });

  it('explain shows the parameter versions an item used', () => {
    const params = paramsFor(cat, '2024-10', ALL_SET);
    const f = factBuilder('2024-10', () => false)(profileSource(profile({ birthDate: '1934-10-01' })));
    const ex = explain(cat, '2024-10', params, f).items.find((i) => i.id === 'nx-10')!;
    expect(ex).toMatchObject({ granted: true, value: 7000, excludedBy: null });
    expect(Object.keys(ex.params)).toEqual(['nx_high_age']);
    expect(ex.params.nx_high_age).toMatchObject({ value: 7000, from: '2023-10-31', source: expect.stringContaining('test') });
    expect(ex.amount).toMatchObject({ text: 'nx_high_age', value: 7000 });
    const b = explain(cat, '2024-10', params, factBuilder('2024-10', () => false)(profileSource(profile({ birthDate: '1920-01-01' }))));
    expect(b.items.find((i) => i.id === 'nx-10')).toMatchObject({ granted: false, excludedBy: 'nx-10b' });
    expect(b.items.find((i) => i.id === 'nx-14')!.schedule).toMatchObject({ fires: true, note: '重阳节为 2024-10-11，在本期' });
  });

  it('explain agrees with evaluator (and with an independent reading) for random profiles', () => {
    const rnd = mulberry32(0x5eed2024);
    const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
    const periods = ['2023-11', '2024-02', '2024-10', '2025-02', '2025-03', '2025-10', '2026-10', '2027-02'];
    const seen = { granted: new Set<string>(), excluded: 0, inactive: 0, leapBirthdays: 0, unset: 0 };
    for (let n = 0; n < 400; n++) {
      const period = periods[n % periods.length]!;
      const { start, end } = periodBounds(period);
      const y = Number(period.slice(0, 4));
      // ages clustered around the catalogue's thresholds
      const age = pick([53, 54, 55, 59, 60, 61, 69, 70, 79, 80, 81, 89, 90, 99, 100, 101]) + Math.floor(rnd() * 3) - 1;
      const leap = rnd() < 0.08;
      let birthDate: string;
      if (leap) {
        let by = y - age;
        while (!(by % 4 === 0 && (by % 100 !== 0 || by % 400 === 0))) by--;
        birthDate = `${by}-02-29`;
        seen.leapBirthdays++;
      } else {
        const month = 1 + Math.floor(rnd() * 12);
        const day = 1 + Math.floor(rnd() * 28);
        birthDate = `${y - age}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      }
      const status = pick(['active', 'active', 'active', 'active', 'deceased', 'moved_out'] as const);
      const closedOn = status === 'active' ? null : pick([null, '2023-09-15', `${period}-01`, end, start.replace(/-01$/, '-15')]);
      const p = profile({
        birthDate,
        status,
        closedOn,
        sex: pick(['M', 'F']),
        hukouLocal: rnd() < 0.85,
        hardship: pick(['none', 'none', 'none', 'dibao', 'dibao_edge', 'tekun_dispersed', 'tekun_concentrated']),
        living: (['alone', 'empty_nest', 'left_behind', 'solitary'] as const).filter(() => rnd() < 0.2),
        specialFamily: rnd() < 0.1,
        disabilityGrade: pick([0, 0, 0, 1, 2, 3, 4]),
        disabilityKind: pick(['none', 'visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple']),
        ltcGrade: pick(['none', 'none', 'mild', 'moderate', 'severe']),
        pensionType: pick(['none', 'employee', 'public_service', 'resident']),
        veteranCategory: pick(['none', 'none', 'none', 'martyr_family', 'disabled_veteran', 'demobilised']),
        specialContribution: rnd() < 0.05,
        medicalInsured: rnd() < 0.9,
        vagrant: rnd() < 0.03,
      });
      // now and then leave the parameters unset, as a catalogue is before an administrator sets them
      const overrides = rnd() < 0.15 ? [] : ALL_SET;
      if (overrides.length === 0) seen.unset++;
      const params = paramsFor(cat, period, overrides);
      const f = factBuilder(period, () => false)(profileSource(p));

      // the facts themselves, against the platform's definitions
      expect(f.age).toBe(ageOn(p.birthDate, end));
      expect(f.active).toBe(p.status === 'active' || (p.closedOn != null && p.closedOn >= start));
      if (f.active !== true) seen.inactive++;

      const out = evaluator(cat, period, params.values)(f);
      const ex = explain(cat, period, params, f);
      const ctx = `${period} ${JSON.stringify(p)}`;
      expect(ex.population.value, ctx).toBe(f.active);
      expect(
        ex.items
          .filter((i) => i.granted)
          .map((i) => i.id)
          .sort(),
        ctx,
      ).toEqual(Object.keys(out).sort());

      const chongyangHere = CHONGYANG[y]!.slice(0, 7) === period;
      cat.items.forEach((it, i) => {
        const e = ex.items[i]!;
        const where = `${it.id} ${ctx}`;
        expect(e.id).toBe(it.id);
        const ruleValue = interp(cat, it.rule.ast, f, params.values);
        expect(e.rule.value, where).toBe(ruleValue);
        traceConsistent(e.rule, it.rule.ast);
        const fires = it.when === 'monthly' || (it.when === 'birthday' ? p.birthDate.slice(5, 7) === period.slice(5, 7) : chongyangHere);
        expect(e.schedule.fires, where).toBe(fires);
        const valueExpr = it.benefit.amount ?? it.benefit.percent;
        // a benefit that works out to 0 is no benefit: not granted, and excludes nothing
        const zero = valueExpr !== undefined && ruleValue === true && (interp(cat, valueExpr.ast, f, params.values) as number | null) === 0;
        const wouldBe = f.active === true && fires && ruleValue === true && !zero;
        expect(e.zero, where).toBe(f.active === true && fires && zero);
        if (e.granted) {
          expect(wouldBe, where).toBe(true);
          const want = valueExpr ? interp(cat, valueExpr.ast, f, params.values) : 1;
          expect(out[it.id], where).toEqual(want);
          expect(e.value, where).toEqual(want);
          if (valueExpr) expect(e.amount!.value, where).toEqual(want);
          seen.granted.add(it.id);
        } else if (wouldBe) {
          // granted by its own rule but not given: only an exclusive item of lower rank may take its place
          expect(it.exclusive, where).toBeDefined();
          const by = cat.items.find((o) => o.id === e.excludedBy)!;
          expect(by.exclusive!.group).toBe(it.exclusive!.group);
          expect(by.exclusive!.rank).toBeLessThan(it.exclusive!.rank);
          expect(by.id in out).toBe(true);
          seen.excluded++;
        } else {
          expect(e.excludedBy).toBeNull();
        }
      });
      expect('nx-10' in out && 'nx-10b' in out, ctx).toBe(false);
    }
    // the sample reaches what it is meant to test
    expect(seen.excluded).toBeGreaterThan(0);
    expect(seen.inactive).toBeGreaterThan(0);
    expect(seen.leapBirthdays).toBeGreaterThan(0);
    expect(seen.unset).toBeGreaterThan(0);
    for (const id of ['nx-7', 'nx-7b', 'nx-10', 'nx-10b', 'nx-13', 'nx-14', 'nx-19', 'nx-29b', 'nx-34']) expect(seen.granted, id).toContain(id);
  });
});

describe('parameter values over time', () => {
  // With two open-ended values, the later one is in force from its start.
  it('a later open-ended value replaces an earlier one from its date', () => {
    const cat = loadCatalogue(
      FILE,
      variant(
        '      - { from: "2024-01-01", value: 60, source: 测试 }',
        '      - { from: "2024-01-01", value: 60, source: 测试 }\n      - { from: "2025-01-01", value: 80, source: 测试 }',
      ),
    );
    const p = cat.parameters.get('high_age')!;
    expect(valueOn(p, [], '2024-12-31')!.value).toBe(6000);
    expect(valueOn(p, [], '2025-01-31')!.value).toBe(8000);
  });
});

function profile(over: Partial<Profile> & { birthDate: string }): Profile {
  return {
    sex: 'M',
    status: 'active',
    closedOn: null,
    hukouLocal: true,
    urban: false,
    hardship: 'none',
    living: [],
    specialFamily: false,
    disabilityGrade: 0,
    disabilityKind: 'none',
    ltcGrade: 'none',
    pensionType: 'none',
    veteranCategory: 'none',
    specialContribution: false,
    medicalInsured: true,
    vagrant: false,
    unknown: [],
    ...over,
  };
}
