import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { loadCatalogue } from './catalogue.loader.js';
import { evaluator, explain, paramsFor, type ParamOverride } from './engine.js';
import { factBuilder, profileSource } from './facts.js';
import { benefitText, selfCheck } from '../entitlements/self-check.js';
import { runCases } from './cases.js';

// A catalogue whose benefits can work out to zero: a discount that is 0 below 70, a cash item
// whose standard an administrator may set to 0, and an exclusive pair where the zero one must not
// push the other out.
const TEXT = `jurisdiction: zeroland
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
  - name: longevity
    label: 长寿补助
    type: money
    unit: 元/月
    values:
      - { from: "2024-01-01", value: 0, source: 测试：标准为 0 }
items:
  - id: zl-7
    no: 7
    target: 老年人
    name: 公证费减免
    content: 70周岁至80周岁减半收费，超过80周岁免费。
    types: [关爱服务]
    rule: "age >= 60"
    benefit: { kind: discount, percent: "age > 80 ? 100 : (age >= 70 ? 50 : 0)" }
    source: 测试 第7项
  - id: zl-10
    no: 10
    target: 80周岁以上老年人
    name: 高龄津贴
    content: 发放高龄津贴。
    types: [物质帮助]
    rule: "age >= 80"
    benefit: { kind: cash_monthly, amount: high_age }
    exclusive: { group: high_age, rank: 2 }
    source: 测试 第10项
  - id: zl-10b
    no: 10
    target: 100周岁以上老年人
    name: 长寿补助
    content: 发放长寿补助。
    types: [物质帮助]
    rule: "age >= 100"
    benefit: { kind: cash_monthly, amount: longevity }
    exclusive: { group: high_age, rank: 1 }
    source: 测试 第10项
`;

const cat = loadCatalogue('catalogues/zeroland/2024-01-01.yaml', TEXT);
const facts = (birthDate: string, period = '2024-06') =>
  factBuilder(
    period,
    () => false,
  )(
    profileSource({
      birthDate,
      sex: 'M',
      status: 'active',
      closedOn: null,
      hukouLocal: true,
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
    }),
  );
const none: ParamOverride[] = [];

describe('a benefit that works out to zero is not a benefit', () => {
  it('is not granted by a run (0 percent, 0 fen)', () => {
    const params = paramsFor(cat, '2024-06', none);
    const evaluate = evaluator(cat, '2024-06', params.values);
    expect(evaluate(facts('1959-01-01'))).toEqual({}); // 65: 公证费 0%
    expect(evaluate(facts('1952-01-01'))).toEqual({ 'zl-7': 50 }); // 72
    // 100 with the longevity standard at 0: the 高龄津贴 is not pushed out by a zero grant
    expect(evaluate(facts('1920-01-01'))).toEqual({ 'zl-7': 100, 'zl-10': 6000 });
  });

  it('an administrator setting a standard to 0 ends the grant', () => {
    const zero: ParamOverride[] = [{ name: 'high_age', from: '2024-06-01', value: 0, note: '', setBy: 'test', setAt: '2024-06-01' }];
    const evaluate = evaluator(cat, '2024-06', paramsFor(cat, '2024-06', zero).values);
    expect(evaluate(facts('1940-01-01'))).toEqual({ 'zl-7': 100 });
  });

  it('the explanation says the rule held but the standard is 0, and names no item as excluding another', () => {
    const params = paramsFor(cat, '2024-06', none);
    const e = explain(cat, '2024-06', params, facts('1959-01-01'));
    const it7 = e.items.find((i) => i.id === 'zl-7')!;
    expect(it7).toMatchObject({ granted: false, value: null, zero: true, excludedBy: null });
    expect(it7.rule.value).toBe(true);
    expect(it7.amount!.value).toBe(0);
    const old = explain(cat, '2024-06', params, facts('1920-01-01'));
    expect(old.items.find((i) => i.id === 'zl-10b')).toMatchObject({ granted: false, zero: true, excludedBy: null });
    expect(old.items.find((i) => i.id === 'zl-10')).toMatchObject({ granted: true, value: 6000, zero: false, excludedBy: null });
    // an item whose rule fails is not "zero"
    const young = explain(cat, '2024-06', params, facts('1970-01-01'));
    expect(young.items.find((i) => i.id === 'zl-7')).toMatchObject({ granted: false, zero: false });
  });

  it('the self-check lists no zero benefit, and what-if reports the first age with a real one as gained', () => {
    const r = selfCheck(cat, '2024-06', paramsFor(cat, '2024-06', none), facts('1959-01-01'));
    expect(r.entitlements).toEqual([]);
    expect(JSON.stringify(r)).not.toContain('减免 0%');
    const age70 = r.whatIf.find((w) => w.fact === 'age' && w.to === 70)!;
    expect(age70.gained.map((g) => [g.id, g.text])).toEqual([['zl-7', '减免 50%']]);
    expect(age70.changed).toEqual([]);
    const en = selfCheck(cat, '2024-06', paramsFor(cat, '2024-06', none), facts('1952-01-01'), 'en');
    expect(en.entitlements.map((g) => g.text)).toEqual(['50% off']);
  });

  it('a stored 0 (a run made before this rule) reads as "standard is 0", never as a discount of 0 %', () => {
    const it7 = cat.items.find((i) => i.id === 'zl-7')!;
    const it10 = cat.items.find((i) => i.id === 'zl-10')!;
    expect(benefitText(it7, 0)).toBe('标准为 0，不享受');
    expect(benefitText(it10, 0, 'en')).toBe('standard is 0: nothing granted');
    expect(benefitText(it7, 50)).toBe('减免 50%');
    expect(benefitText(it7, 100)).toBe('免费');
  });

  it('a case expecting true for a zero benefit fails', () => {
    const results = runCases(cat, {
      cases: [
        { name: '65', period: '2024-06', person: { birthDate: '1959-01-01' }, expect: { 'zl-7': false } },
        { name: '65 true', period: '2024-06', person: { birthDate: '1959-01-01' }, expect: { 'zl-7': true } },
      ],
    });
    expect(results[0]!.failures).toEqual([]);
    expect(results[1]!.failures).toHaveLength(1);
  });
});

describe('a benefit states its standard in one place', () => {
  it('refuses words (quota) beside a discount or a cash amount: the number is the standard', () => {
    const bad = TEXT.replace(
      'benefit: { kind: discount, percent: "age > 80 ? 100 : (age >= 70 ? 50 : 0)" }',
      'benefit: { kind: discount, percent: "age > 80 ? 100 : (age >= 70 ? 50 : 0)", quota: 公园免费（百分比按风景区计） }',
    );
    expect(bad).not.toBe(TEXT);
    let caught: unknown;
    try {
      loadCatalogue('catalogues/zeroland/2024-01-01.yaml', bad);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppError);
    const problems = (caught as AppError).details as { message: string; item: string | null }[];
    expect(problems.map((p) => p.item)).toEqual(['7 公证费减免（zl-7）']);
    expect(problems[0]!.message).toContain('quota');
  });
});
