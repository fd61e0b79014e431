import { RuleError, type Node } from './syntax.js';

/**
 * Types of the rule language. Money is integer fen and never mixes with plain integers, so a rule
 * cannot compare an allowance with an age by mistake. Enum comparisons check the literal against
 * the enum's values, so a misspelt 'dibo' is a load error, not a silent "nobody qualifies".
 */
export type Type =
  { t: 'bool' } | { t: 'int' } | { t: 'money' } | { t: 'text' } | { t: 'enum'; name: string; values: readonly string[] } | { t: 'list'; of: Type };

export const T = {
  bool: { t: 'bool' } as Type,
  int: { t: 'int' } as Type,
  money: { t: 'money' } as Type,
  text: { t: 'text' } as Type,
};

export function typeName(ty: Type): string {
  switch (ty.t) {
    case 'enum':
      return `${ty.name}（${ty.values.join('/')}）`;
    case 'list':
      return `list<${typeName(ty.of)}>`;
    case 'bool':
      return '布尔';
    case 'int':
      return '整数';
    case 'money':
      return '金额';
    case 'text':
      return '文本';
  }
}

/** What a rule may refer to: facts about the person and the catalogue's parameters. */
export interface Environment {
  /** `unknown`: a fact that may be unknown for a person */
  lookup(name: string): { kind: 'fact' | 'param'; type: Type; unknown?: boolean } | undefined;
  /** Names for a "did you mean" hint. */
  names(): string[];
}

export interface Checked {
  type: Type;
  facts: Set<string>;
  params: Set<string>;
}

const same = (a: Type, b: Type): boolean =>
  a.t === b.t && (a.t !== 'enum' || (b.t === 'enum' && a.name === b.name)) && (a.t !== 'list' || (b.t === 'list' && same(a.of, b.of)));

function suggest(name: string, env: Environment): string {
  const near = env.names().filter((n) => n.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(n.toLowerCase()));
  return near.length ? `；是否指 ${near.slice(0, 3).join('、')}？` : '';
}

/** Type-checks a parsed rule; throws RuleError at the offending position. */
export function check(root: Node, env: Environment): Checked {
  const facts = new Set<string>();
  const params = new Set<string>();

  // A text literal meets an enum: it must be one of the enum's values.
  function coerce(node: Node, want: Type): Type {
    if (want.t === 'enum' && node.k === 'text') {
      if (!want.values.includes(node.value)) throw new RuleError(`“${node.value}”不是 ${typeName(want)} 的取值`, node.at);
      return want;
    }
    if (want.t === 'list' && node.k === 'list') {
      for (const item of node.items) expectType(item, want.of);
      return want;
    }
    return infer(node);
  }
  function expectType(node: Node, want: Type): void {
    const got = coerce(node, want);
    if (!same(got, want)) throw new RuleError(`此处应为${typeName(want)}，实际为${typeName(got)}`, node.at);
  }
  function numeric(ty: Type): boolean {
    return ty.t === 'int' || ty.t === 'money';
  }

  function infer(n: Node): Type {
    switch (n.k) {
      case 'int':
        return T.int;
      case 'bool':
        return T.bool;
      case 'text':
        return T.text;
      case 'name': {
        const found = env.lookup(n.name);
        if (!found) throw new RuleError(`未知的字段或参数“${n.name}”${suggest(n.name, env)}`, n.at);
        (found.kind === 'fact' ? facts : params).add(n.name);
        return found.type;
      }
      case 'list': {
        if (n.items.length === 0) throw new RuleError('列表不能为空', n.at);
        const first = infer(n.items[0]!);
        for (const item of n.items.slice(1)) expectType(item, first);
        return { t: 'list', of: first };
      }
      case 'not':
        expectType(n.arg, T.bool);
        return T.bool;
      case 'neg': {
        const ty = infer(n.arg);
        if (!numeric(ty)) throw new RuleError(`负号只能用于整数或金额，实际为${typeName(ty)}`, n.at);
        return ty;
      }
      case 'logic':
        for (const a of n.args) expectType(a, T.bool);
        return T.bool;
      case 'cmp': {
        // Infer the side that is not a bare text literal, then hold the other side to it.
        const [known, other] = n.left.k === 'text' ? [n.right, n.left] : [n.left, n.right];
        const ty = infer(known);
        expectType(other, ty);
        if (n.op !== '==' && n.op !== '!=' && !numeric(ty)) throw new RuleError(`“${n.op}”只能比较整数或金额，实际为${typeName(ty)}`, n.at);
        if (ty.t === 'list') throw new RuleError('列表不能直接比较；请用 in', n.at);
        return T.bool;
      }
      case 'in': {
        const ty = infer(n.left);
        if (ty.t === 'list' || ty.t === 'bool') throw new RuleError(`“in”左侧应为整数、文本或枚举，实际为${typeName(ty)}`, n.left.at);
        if (n.list.k === 'list' && n.list.items.length === 0) throw new RuleError('列表不能为空', n.list.at);
        expectType(n.list, { t: 'list', of: ty });
        return T.bool;
      }
      case 'arith': {
        const l = infer(n.left);
        const r = infer(n.right);
        if (n.op === '*') {
          // money × int scales an amount (e.g. a monthly standard × months); money × money is meaningless.
          if (l.t === 'int' && r.t === 'int') return T.int;
          if ((l.t === 'money' && r.t === 'int') || (l.t === 'int' && r.t === 'money')) return T.money;
          throw new RuleError(`“*”不能用于${typeName(l)}与${typeName(r)}`, n.at);
        }
        if (!numeric(l) || !same(l, r)) throw new RuleError(`“${n.op}”两侧应同为整数或同为金额，实际为${typeName(l)}与${typeName(r)}`, n.at);
        return l;
      }
      case 'cond': {
        expectType(n.test, T.bool);
        const a = n.then.k === 'text' ? infer(n.else) : infer(n.then);
        expectType(n.then, a);
        expectType(n.else, a);
        return a;
      }
      case 'call':
        return callType(n);
    }
  }

  function callType(n: Extract<Node, { k: 'call' }>): Type {
    const arity = (k: number) => {
      if (n.args.length !== k) throw new RuleError(`${n.fn}() 需要 ${k} 个参数，实际 ${n.args.length} 个`, n.at);
    };
    switch (n.fn) {
      case 'known': {
        // known(x): whether x is known for this person — true or false, never unknown
        arity(1);
        infer(n.args[0]!);
        return T.bool;
      }
      case 'percent': {
        // percent(amount, p): p per cent of an amount, rounded half up to the fen.
        arity(2);
        expectType(n.args[0]!, T.money);
        expectType(n.args[1]!, T.int);
        return T.money;
      }
      case 'min':
      case 'max': {
        if (n.args.length < 2) throw new RuleError(`${n.fn}() 至少需要 2 个参数`, n.at);
        const ty = infer(n.args[0]!);
        if (!numeric(ty)) throw new RuleError(`${n.fn}() 的参数应为整数或金额`, n.args[0]!.at);
        for (const a of n.args.slice(1)) expectType(a, ty);
        return ty;
      }
      case 'yuan': {
        // yuan(100): a literal amount written in yuan, for rules that state a fixed figure.
        arity(1);
        if (n.args[0]!.k !== 'int') throw new RuleError('yuan() 的参数应为整数元', n.args[0]!.at);
        return T.money;
      }
      default:
        throw new RuleError(`未知函数“${n.fn}”（可用：known、percent、min、max、yuan）`, n.at);
    }
  }

  const type = infer(root);
  return { type, facts, params };
}
