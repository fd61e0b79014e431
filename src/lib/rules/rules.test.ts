import { describe, expect, it } from 'vitest';
import { FACT_BY_NAME, FACTS } from '../../modules/catalogue/facts.js';
import { check, T, type Environment, type Type } from './check.js';
import { compile, comparedLiterals, missingFacts, percentOf, trace, type Facts, type Params, type Trace, type Value } from './compile.js';
import { parse, RuleError, type Node } from './syntax.js';
import { interpret } from './reference.testing.js';

// A hand-built environment: the real person facts plus a few parameters of each type.
const PARAMS: Record<string, Type> = { allowance: T.money, bonus: T.money, months: T.int, insurer: T.text };
const env: Environment = {
  lookup(name) {
    const f = FACT_BY_NAME.get(name);
    if (f) return { kind: 'fact', type: f.type, unknown: f.unknown };
    const p = PARAMS[name];
    return p ? { kind: 'param', type: p } : undefined;
  },
  names: () => [...FACTS.map((f) => f.name), ...Object.keys(PARAMS)],
};

/** The parse tree as a compact S-expression, to state precedence plainly. */
function show(n: Node): string {
  switch (n.k) {
    case 'int':
      return String(n.value);
    case 'text':
      return `'${n.value}'`;
    case 'bool':
      return String(n.value);
    case 'name':
      return n.name;
    case 'list':
      return `[${n.items.map(show).join(' ')}]`;
    case 'call':
      return `${n.fn}(${n.args.map(show).join(' ')})`;
    case 'not':
      return `(not ${show(n.arg)})`;
    case 'neg':
      return `(neg ${show(n.arg)})`;
    case 'logic':
      return `(${n.op} ${n.args.map(show).join(' ')})`;
    case 'cmp':
    case 'arith':
      return `(${n.op} ${show(n.left)} ${show(n.right)})`;
    case 'in':
      return `(${n.negated ? 'not-in' : 'in'} ${show(n.left)} ${show(n.list)})`;
    case 'cond':
      return `(? ${show(n.test)} ${show(n.then)} ${show(n.else)})`;
  }
}

/** The error a rule is refused with, parse or type, as { offset, message }. */
function refusal(src: string): { offset: number; message: string } {
  try {
    check(parse(src), env);
  } catch (e) {
    if (e instanceof RuleError) return { offset: e.offset, message: e.message };
    throw e;
  }
  throw new Error(`expected “${src}” to be refused`);
}

const run = (src: string, f: Facts, p: Params = {}): Value | null => {
  const ast = parse(src);
  check(ast, env);
  return compile(ast, env)(f, p);
};

const interp = (n: Node, f: Facts, p: Params): Value | null => interpret(env, n, f, p);

/** Every connective in a trace has the value its parts give (the parts were all evaluated). */
function assertTraceConsistent(t: Trace, n: Node): void {
  expect(t.value).toEqual(interp(n, facts, params));
  if (n.k === 'logic') {
    expect(t.parts).toHaveLength(n.args.length);
    const vals = t.parts!.map((p) => p.value);
    // Kleene: a decisive part (false for and, true for or) decides; else any unknown part leaves it unknown
    const decisive = n.op === 'or';
    expect(t.value).toBe(vals.includes(decisive) ? decisive : vals.includes(null) ? null : !decisive);
    t.parts!.forEach((p, i) => assertTraceConsistent(p, n.args[i]!));
  } else if (n.k === 'not') {
    expect(t.value).toBe(t.parts![0]!.value === null ? null : t.parts![0]!.value !== true);
    assertTraceConsistent(t.parts![0]!, n.arg);
  } else if (n.k === 'cond') {
    const [test, a, b] = t.parts!;
    expect(t.value).toEqual(test!.value === null ? null : test!.value === true ? a!.value : b!.value);
    assertTraceConsistent(test!, n.test);
    assertTraceConsistent(a!, n.then);
    assertTraceConsistent(b!, n.else);
  }
}
// set per sample by the random test below
let facts: Facts = {};
let params: Params = {};

const person = (over: Partial<Record<string, Value | null>> = {}): Facts => ({
  age: 70,
  sex: 'M',
  active: true,
  status: 'active',
  hukouLocal: true,
  urban: false,
  birthdayInPeriod: false,
  hardship: 'none',
  livingAlone: false,
  emptyNest: false,
  leftBehind: false,
  solitary: false,
  specialFamily: false,
  disabilityGrade: 0,
  disabilityKind: 'none',
  ltcGrade: 'none',
  pensionType: 'none',
  veteranCategory: 'none',
  specialContribution: false,
  medicalInsured: true,
  vagrant: false,
  longTermCare: false,
  ...over,
});

describe('parsing and precedence', () => {
  it.each([
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c', '(or (and a b) c)'],
    ['a || b && c', '(or a (and b c))'],
    ['a && b and c || d or e', '(or (and a b c) d e)'],
    ['(a or b) and c', '(and (or a b) c)'],
    ['not a and b', '(and (not a) b)'],
    ['!a || !b', '(or (not a) (not b))'],
    ['not not a', '(not (not a))'],
    // "not" sits above comparison in the grammar: it negates the whole comparison
    ['!age >= 60', '(not (>= age 60))'],
    ['not a == b and c', '(and (not (== a b)) c)'],
    ["age >= 60 && hardship in ['dibao'] || x", "(or (and (>= age 60) (in hardship ['dibao'])) x)"],
    ['age not in [1, 2]', '(not-in age [1 2])'],
    ['not age in [1, 2]', '(not (in age [1 2]))'],
    ['age in [1, 2] and b', '(and (in age [1 2]) b)'],
    ['a ? 1 : b ? 2 : 3', '(? a 1 (? b 2 3))'],
    ['a ? b ? 1 : 2 : 3', '(? a (? b 1 2) 3)'],
    ['a || b ? 1 : 2', '(? (or a b) 1 2)'],
    ['a ? x && y : z', '(? a (and x y) z)'],
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['-2 * 3', '(* (neg 2) 3)'],
    ['2 - -3', '(- 2 (neg 3))'],
    ['x + 1 >= y * 2', '(>= (+ x 1) (* y 2))'],
    ['percent(a, b ? 1 : 2)', 'percent(a (? b 1 2))'],
    ['min(1, 2, 3) < max(4, 5)', '(< min(1 2 3) max(4 5))'],
    ['true != false', '(!= true false)'],
    ['"dq" == \'sq\'', "(== 'dq' 'sq')"],
  ])('%s  →  %s', (src, tree) => {
    expect(show(parse(src))).toBe(tree);
  });

  it('records each node’s span in the source', () => {
    const src = 'age >= 60 && (hukouLocal || x)';
    const n = parse(src);
    expect(n).toMatchObject({ k: 'logic', at: 0, end: src.length });
    const args = (n as Extract<Node, { k: 'logic' }>).args;
    expect(src.slice(args[0]!.at, args[0]!.end)).toBe('age >= 60');
    // a parenthesised part's span includes its parentheses, so every span is balanced text
    expect(src.slice(args[1]!.at, args[1]!.end)).toBe('(hukouLocal || x)');
    const nested = "(age >= 80 && (livingAlone || solitary)) || (hardship != 'none')";
    const root = parse(nested);
    expect(nested.slice(root.at, root.end)).toBe(nested);
  });

  it.each([
    ['age >= 60 >= 1', 10, '多余内容'],
    ['age >= 1.5', 7, '只允许整数'],
    ["hardship == 'dibao", 12, '结束引号'],
    ['age in 1', 7, '应为列表'],
    ['age @ 1', 4, '无法识别的字符“@”'],
    ['(age >= 60', 10, '此处应为“)”'],
    ['age >=', 6, '表达式不完整'],
    ['and', 0, '关键字“and”'],
    ['age >= 60 &&', 12, '表达式不完整'],
    ['a ? 1', 5, '此处应为“:”'],
    ['99999999999999999999 > age', 0, '过大'],
  ])('refuses the syntax error in “%s” at offset %i', (src, offset, message) => {
    const e = refusal(src);
    expect(e.offset).toBe(offset);
    expect(e.message).toContain(message);
  });
});

describe('type checking', () => {
  it('gives the type and the facts and parameters a rule reads', () => {
    const c = check(parse("age >= 60 && hardship in ['dibao'] && allowance > yuan(10)"), env);
    expect(c.type).toEqual(T.bool);
    expect([...c.facts].sort()).toEqual(['age', 'hardship']);
    expect([...c.params]).toEqual(['allowance']);
    expect(check(parse('age >= 90 ? allowance : bonus'), env).type).toEqual(T.money);
    expect(check(parse('allowance * months'), env).type).toEqual(T.money);
    expect(check(parse('months * allowance'), env).type).toEqual(T.money);
    expect(check(parse('age >= 70 ? 100 : 50'), env).type).toEqual(T.int);
    expect(check(parse("hukouLocal ? 'dibao' : hardship"), env).type).toMatchObject({ t: 'enum', name: 'hardship' });
  });

  it.each([
    // money never mixes with int
    ['allowance > 100', 12, ['此处应为金额', '实际为整数']],
    ['age > allowance', 6, ['此处应为整数', '实际为金额']],
    ['age >= 80 && allowance >= 6000', 26, ['此处应为金额']],
    ['allowance + 1', 0, ['“+”两侧应同为整数或同为金额']],
    ['allowance * allowance', 0, ['“*”不能用于金额与金额']],
    ['age >= 70 ? 100 : allowance', 18, ['此处应为整数，实际为金额']],
    // unknown names, with a hint when one is near
    ['agee >= 60', 0, ['未知的字段或参数“agee”', '是否指 age']],
    ['age >= 60 && hukou', 13, ['未知的字段或参数“hukou”', '是否指 hukouLocal']],
    ['disability > 0', 0, ['disabilityGrade', 'disabilityKind']],
    // enum literals are checked against the enum's values, on either side and in lists
    ["hardship == 'dibo'", 12, ['“dibo”不是 hardship', 'dibao']],
    ["'dibo' == hardship", 0, ['“dibo”不是 hardship']],
    ["hardship in ['dibao', 'dibo']", 22, ['“dibo”不是 hardship']],
    ["age >= 60 && (sex == 'M' || sex == 'W')", 35, ['“W”不是 sex（M/F）']],
    ["hardship == 'dibao' && ltcGrade != 'serious'", 35, ['“serious”不是 ltcGrade']],
    ['sex == status', 7, ['此处应为sex', 'status']],
    // ordering is for numbers only
    ["hardship < 'dibao'", 0, ['“<”只能比较整数或金额']],
    ["age >= 60 && ltcGrade >= 'mild'", 13, ['“>=”只能比较整数或金额']],
    ["insurer < 'x'", 0, ['“<”只能比较整数或金额', '文本']],
    ['hukouLocal > false', 0, ['“>”只能比较整数或金额', '布尔']],
    // functions
    ['percent(allowance)', 0, ['percent() 需要 2 个参数，实际 1 个']],
    ['age >= 60 ? percent(allowance, 50, 1) : allowance', 12, ['percent() 需要 2 个参数，实际 3 个']],
    ['percent(100, 50)', 8, ['此处应为金额，实际为整数']],
    ['percent(allowance, bonus)', 19, ['此处应为整数，实际为金额']],
    ['min(age)', 0, ['至少需要 2 个参数']],
    ['min(allowance, 5)', 15, ['此处应为金额']],
    ['yuan(1 + 1)', 5, ['yuan() 的参数应为整数元']],
    ['round(allowance)', 0, ['未知函数“round”']],
    // other mismatches
    ["age in ['a']", 8, ['此处应为整数，实际为文本']],
    ["age == 'x'", 7, ['此处应为整数，实际为文本']],
    ['!age', 1, ['此处应为布尔，实际为整数']],
    ['age && hukouLocal', 0, ['此处应为布尔，实际为整数']],
    ['-hukouLocal', 0, ['负号只能用于整数或金额']],
    ['[]', 0, ['列表不能为空']],
    ['[1, 2] == [1, 2]', 0, ['请用 in']],
    ['hukouLocal in [true]', 0, ['“in”左侧应为整数、文本或枚举']],
  ])('refuses “%s” at offset %i', (src, offset, parts) => {
    const e = refusal(src);
    expect(e.offset).toBe(offset);
    for (const part of parts) expect(e.message).toContain(part);
  });

  it('refuses an empty list after “in” (it would silently match nobody)', () => {
    expect(refusal('hardship in []')).toMatchObject({ offset: 12, message: expect.stringContaining('列表不能为空') });
  });
});

describe('evaluation', () => {
  it.each([
    ['percent(333, 50) = 16650/100 rounds half up to 167', 333, 50, 167],
    ['half a fen rounds up', 1, 50, 1],
    ['just under half rounds down', 149, 1, 1],
    ['exactly half rounds up', 150, 1, 2],
    ['negative amounts round half away from zero', -333, 50, -167],
    ['negative half', -150, 1, -2],
    ['negative percent', 333, -50, -167],
    ['zero', 0, 50, 0],
    ['whole', 12345, 100, 12345],
    ['over 100 percent', 199, 150, 299],
  ])('percentOf: %s', (_name, amount, pct, want) => {
    expect(percentOf(amount, pct)).toBe(want);
    expect(run('percent(allowance, months)', person(), { allowance: amount, months: pct })).toBe(want);
  });

  it('percent of a money parameter inside a rule', () => {
    expect(run('percent(allowance, 50)', person(), { allowance: 333 })).toBe(167);
    expect(run('percent(-allowance, 50)', person(), { allowance: 333 })).toBe(-167);
  });

  it.each([
    ['age >= 70 ? 100 : 50', { age: 70 }, 100],
    ['age >= 70 ? 100 : 50', { age: 69 }, 50],
    ["hardship in ['dibao', 'dibao_edge']", { hardship: 'dibao_edge' }, true],
    ["hardship in ['dibao', 'dibao_edge']", { hardship: 'tekun_dispersed' }, false],
    ["hardship not in ['dibao', 'dibao_edge']", { hardship: 'none' }, true],
    ["hardship not in ['dibao', 'dibao_edge']", { hardship: 'dibao' }, false],
    ['disabilityGrade in [1, 2]', { disabilityGrade: 2 }, true],
    ['disabilityGrade in [1, 2]', { disabilityGrade: 3 }, false],
    ['age in [months, 5]', { age: 12 }, true],
    ['age not in [months, 5]', { age: 5 }, false],
    ['age not in [months, 5]', { age: 6 }, true],
    ['yuan(100)', {}, 10000],
    ['min(allowance, bonus)', {}, 6000],
    ['max(allowance, bonus, yuan(90))', {}, 9000],
    ['allowance * months', {}, 72000],
    ['-allowance + bonus', {}, 2000],
    ['1 + 2 * 3 - 4', {}, 3],
    ['!hukouLocal', {}, false],
    ['not not hukouLocal', {}, true],
    ['age > 80 ? 100 : (age >= 70 ? 50 : 0)', { age: 80 }, 50],
    ['age > 80 ? 100 : (age >= 70 ? 50 : 0)', { age: 81 }, 100],
    ["insurer == '人保'", {}, true],
    ['livingAlone || emptyNest || leftBehind', { leftBehind: true }, true],
    ['livingAlone || emptyNest || leftBehind', {}, false],
    ['age >= 60 && hukouLocal && !vagrant', { age: 60 }, true],
    ['age >= 60 && hukouLocal && !vagrant', { age: 60, vagrant: true }, false],
  ] as [string, Partial<Record<string, Value>>, Value][])('%s with %j = %j', (src, over, want) => {
    expect(run(src, person(over), { allowance: 6000, bonus: 8000, months: 12, insurer: '人保' })).toEqual(want);
  });

  it('short-circuits: the compiled rule stops reading once the result is known, the trace reads every part', () => {
    const src = "age >= 80 && hardship == 'dibao' && (livingAlone || emptyNest)";
    const ast = parse(src);
    check(ast, env);
    const read: string[] = [];
    const watched = new Proxy(person({ age: 75, hardship: 'dibao', emptyNest: true }), {
      get(target, key: string) {
        read.push(key);
        return target[key];
      },
    });
    expect(compile(ast, env)(watched, {})).toBe(false);
    expect(read).toEqual(['age']);

    read.length = 0;
    const t = trace(ast, src, env, watched, {});
    expect(t.value).toBe(false);
    expect(new Set(read)).toEqual(new Set(['age', 'hardship', 'livingAlone', 'emptyNest']));
    expect(t.parts!.map((p) => [p.text, p.value])).toEqual([
      ['age >= 80', false],
      ["hardship == 'dibao'", true],
      ['(livingAlone || emptyNest)', true],
    ]);
  });
});

describe('trace', () => {
  it('shows every part of and/or with the facts and parameters each part used', () => {
    const src = "age >= 60 && (hukouLocal || hardship != 'none') && allowance > yuan(10)";
    const ast = parse(src);
    check(ast, env);
    const t = trace(ast, src, env, person({ age: 59, hukouLocal: false, hardship: 'dibao' }), { allowance: 5000 });
    expect(t).toEqual({
      text: src,
      value: false,
      parts: [
        { text: 'age >= 60', value: false, uses: { age: 59 } },
        {
          text: "(hukouLocal || hardship != 'none')",
          value: true,
          parts: [
            { text: 'hukouLocal', value: false, uses: { hukouLocal: false } },
            { text: "hardship != 'none'", value: true, uses: { hardship: 'dibao' } },
          ],
        },
        { text: 'allowance > yuan(10)', value: true, uses: { allowance: 5000 } },
      ],
    });
  });

  it('shows not and the three parts of a conditional', () => {
    const src = '!hukouLocal ? allowance : bonus';
    const ast = parse(src);
    check(ast, env);
    const t = trace(ast, src, env, person({ hukouLocal: true }), { allowance: 100, bonus: 200 });
    expect(t).toEqual({
      text: src,
      value: 200,
      parts: [
        { text: '!hukouLocal', value: false, parts: [{ text: 'hukouLocal', value: true, uses: { hukouLocal: true } }] },
        { text: 'allowance', value: 100, uses: { allowance: 100 } },
        { text: 'bonus', value: 200, uses: { bonus: 200 } },
      ],
    });
  });

  it('reports an unset parameter (null, as paramsFor gives it) as null', () => {
    const src = 'age >= 80 ? allowance : bonus';
    const ast = parse(src);
    check(ast, env);
    const t = trace(ast, src, env, person({ age: 85 }), { allowance: null, bonus: 100 });
    expect(t.value).toBeNull();
    expect(t.parts![1]).toEqual({ text: 'allowance', value: null, uses: { allowance: null } });
  });

  it('agrees with the compiled closure and with an independent interpreter on random inputs', () => {
    const rules = [
      "age >= 60 && (livingAlone || emptyNest || leftBehind || ltcGrade != 'none' || disabilityGrade in [1, 2] || specialFamily)",
      "(age >= 80 && (livingAlone || emptyNest || solitary)) || (hardship != 'none' && age >= 60)",
      "!hukouLocal && ((sex == 'M' && age >= 60) || (sex == 'F' && age >= 55))",
      "age >= 60 && (disabilityGrade in [1, 2] || (disabilityGrade in [3, 4] && disabilityKind in ['intellectual', 'mental']))",
      "not (hardship not in ['dibao', 'tekun_dispersed'] or age < 60) and !vagrant",
      'age > 80 ? 100 : (age >= 70 ? 50 : 0)',
      "ltcGrade == 'severe' ? percent(allowance, age) : max(bonus - allowance, yuan(3), -allowance)",
      'age >= 90 ? allowance * months : (age >= 80 ? allowance : min(allowance, bonus))',
      'disabilityGrade * 10 + age - months >= 70 && age in [months, 61, 75]',
      // longTermCare may be unknown, and so may allowance and bonus (unset parameters)
      'disabilityGrade in [1, 2] && longTermCare && age >= 60',
      "!longTermCare || hardship == 'dibao' || not (age < 70 and longTermCare)",
      '!known(longTermCare) && age >= 60 ? allowance : (longTermCare ? bonus + allowance : min(bonus, yuan(5)))',
      'longTermCare == (age >= 80) || known(allowance) && percent(allowance, 50) > bonus',
      'age in [months, 70] || (longTermCare ? months : 3) in [3, months * 2]',
    ];
    // deterministic PRNG (mulberry32)
    let seed = 20241011;
    const rnd = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <X>(xs: readonly X[]): X => xs[Math.floor(rnd() * xs.length)]!;
    const enumValues = (name: string) => (FACT_BY_NAME.get(name)!.type as { values: readonly string[] }).values;
    const compiled = rules.map((src) => {
      const ast = parse(src);
      check(ast, env);
      return { src, ast, fn: compile(ast, env) };
    });
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      facts = person({
        age: 50 + Math.floor(rnd() * 55),
        sex: pick(['M', 'F']),
        hukouLocal: rnd() < 0.8,
        hardship: pick(enumValues('hardship')),
        livingAlone: rnd() < 0.2,
        emptyNest: rnd() < 0.2,
        leftBehind: rnd() < 0.1,
        solitary: rnd() < 0.1,
        specialFamily: rnd() < 0.1,
        disabilityGrade: pick([0, 0, 1, 2, 3, 4]),
        disabilityKind: pick(enumValues('disabilityKind')),
        ltcGrade: pick(enumValues('ltcGrade')),
        vagrant: rnd() < 0.05,
        longTermCare: pick([null, null, true, false]),
      });
      params = {
        allowance: rnd() < 0.2 ? null : Math.floor(rnd() * 20000) - 2000,
        bonus: rnd() < 0.2 ? null : Math.floor(rnd() * 20000),
        months: pick([1, 3, 12, 61]),
        insurer: 'x',
      };
      for (const r of compiled) {
        const fast = r.fn(facts, params);
        const t = trace(r.ast, r.src, env, facts, params);
        expect(t.value, `${r.src} @ ${JSON.stringify(facts)}`).toEqual(fast);
        assertTraceConsistent(t, r.ast);
        seen.add(String(fast));
      }
    }
    // the samples reached unknown outcomes as well as decided ones
    expect(seen).toContain('null');
    expect(seen).toContain('true');
    expect(seen).toContain('false');
  });
});

describe('unknown (three-valued, Kleene)', () => {
  const U = person({ longTermCare: null });
  it.each([
    ['longTermCare && age >= 60', null],
    ['longTermCare && age < 60', false],
    ['age < 60 && longTermCare', false],
    ['longTermCare || age >= 60', true],
    ['longTermCare || age < 60', null],
    ['!longTermCare', null],
    ['longTermCare == true', null],
    ['longTermCare != false', null],
    ['known(longTermCare)', false],
    ['!known(longTermCare) && age >= 60', true],
    ['known(longTermCare) && longTermCare', false],
    ['longTermCare ? 1 : 2', null],
    ['(longTermCare ? 1 : 2) in [1, 2]', null],
  ] as const)('%s with longTermCare unknown → %s', (src, want) => {
    expect(run(src, U)).toBe(want);
    expect(interp(parse(src), U, {})).toBe(want);
  });

  it('known(x) is true once the fact is known, either way', () => {
    expect(run('known(longTermCare)', person({ longTermCare: false }))).toBe(true);
    expect(run('known(longTermCare)', person({ longTermCare: true }))).toBe(true);
  });

  it('an unset parameter is unknown in arithmetic and comparisons, no longer a silent 0', () => {
    expect(run('allowance * 2', person(), { allowance: null })).toBeNull();
    expect(run('allowance + bonus > yuan(1)', person(), { allowance: null, bonus: 500 })).toBeNull();
    expect(run('known(allowance)', person(), { allowance: null })).toBe(false);
  });

  it('known() takes one argument', () => {
    expect(refusal('known(age, sex)').message).toContain('known() 需要 1 个参数');
  });

  it('lists the facts a rule reads that are unknown for the person', () => {
    const ast = parse('disabilityGrade in [1, 2] && longTermCare && age >= 60');
    expect(missingFacts(ast, env, person({ longTermCare: null }))).toEqual(['longTermCare']);
    expect(missingFacts(ast, env, person({ longTermCare: true }))).toEqual([]);
  });
});

describe('comparedLiterals', () => {
  it('collects each fact’s compared literals, and for numbers the values either side', () => {
    const lits = comparedLiterals(parse("age >= 80 && hardship == 'dibao' || age < 60 || (sex == 'F' && disabilityGrade > 2)"));
    expect(Object.fromEntries([...lits].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      age: [59, 60, 61, 79, 80, 81],
      hardship: ['dibao'],
      sex: ['F'],
      disabilityGrade: [1, 2, 3],
    });
  });

  it('looks inside conditionals and function arguments', () => {
    const lits = comparedLiterals(parse('age > 80 ? 100 : (age >= 70 ? 50 : 0)'));
    expect([...lits.get('age')!].sort()).toEqual([69, 70, 71, 79, 80, 81]);
    expect(comparedLiterals(parse('max(age == 3 ? 1 : 2, 0)')).get('age')).toEqual(new Set([2, 3, 4]));
    expect(comparedLiterals(parse('hukouLocal')).size).toBe(0);
  });
});
