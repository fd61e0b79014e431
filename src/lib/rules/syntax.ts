/**
 * The rule language's syntax: a small, side-effect-free expression language in which catalogue
 * items state who qualifies and how much they receive. There are no loops, no assignment and no
 * host access, so a catalogue file cannot run code; it is compiled to closures (compile.ts) after
 * it type-checks against the person facts (check.ts).
 *
 *   expr    := or ('?' expr ':' expr)?
 *   or      := and (('||' | 'or') and)*
 *   and     := not (('&&' | 'and') not)*
 *   not     := ('!' | 'not') not | cmp
 *   cmp     := sum (op sum | 'in' list | 'not' 'in' list)?       op: == != < <= > >=
 *   sum     := prod (('+' | '-') prod)*
 *   prod    := unary ('*' unary)*
 *   unary   := '-' unary | atom
 *   atom    := int | 'text' | true | false | name | name '(' args ')' | '(' expr ')' | list
 */

export type Node =
  | { k: 'int'; value: number; at: number; end: number }
  | { k: 'text'; value: string; at: number; end: number }
  | { k: 'bool'; value: boolean; at: number; end: number }
  | { k: 'name'; name: string; at: number; end: number }
  | { k: 'list'; items: Node[]; at: number; end: number }
  | { k: 'call'; fn: string; args: Node[]; at: number; end: number }
  | { k: 'not'; arg: Node; at: number; end: number }
  | { k: 'neg'; arg: Node; at: number; end: number }
  | { k: 'logic'; op: 'and' | 'or'; args: Node[]; at: number; end: number }
  | { k: 'cmp'; op: CmpOp; left: Node; right: Node; at: number; end: number }
  | { k: 'in'; negated: boolean; left: Node; list: Node; at: number; end: number }
  | { k: 'arith'; op: '+' | '-' | '*'; left: Node; right: Node; at: number; end: number }
  | { k: 'cond'; test: Node; then: Node; else: Node; at: number; end: number };

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A syntax or type error at a character offset of the rule text. */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Tok =
  | { t: 'int'; v: number; at: number; end: number }
  | { t: 'text'; v: string; at: number; end: number }
  | { t: 'name'; v: string; at: number; end: number }
  | { t: 'op'; v: string; at: number; end: number }
  | { t: 'eof'; at: number; end: number };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', ',', '?', ':', '+', '-', '*'];

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i))![0];
      if (/^[.0-9]/.test(src.slice(i + m.length, i + m.length + 1)) && src[i + m.length] === '.') {
        throw new RuleError('只允许整数；金额请用参数（以分计），比例用整数百分比', i);
      }
      const v = Number(m);
      if (!Number.isSafeInteger(v)) throw new RuleError(`数字 ${m} 过大`, i);
      out.push({ t: 'int', v, at: i, end: i + m.length });
      i += m.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = src.indexOf(c, i + 1);
      if (close < 0) throw new RuleError('字符串缺少结束引号', i);
      out.push({ t: 'text', v: src.slice(i + 1, close), at: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      out.push({ t: 'name', v: m, at: i, end: i + m.length });
      i += m.length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new RuleError(`无法识别的字符“${c}”`, i);
    out.push({ t: 'op', v: op, at: i, end: i + op.length });
    i += op.length;
  }
  out.push({ t: 'eof', at: src.length, end: src.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false']);

export function parse(src: string): Node {
  const toks = lex(src);
  let p = 0;
  const peek = () => toks[p]!;
  const isOp = (v: string) => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const isWord = (v: string) => {
    const t = peek();
    return t.t === 'name' && t.v === v;
  };
  const expect = (v: string) => {
    const t = peek();
    if (!(t.t === 'op' && t.v === v)) throw new RuleError(`此处应为“${v}”`, t.at);
    p++;
    return t;
  };

  function expr(): Node {
    const test = or();
    if (!isOp('?')) return test;
    p++;
    const then = expr();
    expect(':');
    const otherwise = expr();
    return { k: 'cond', test, then, else: otherwise, at: test.at, end: otherwise.end };
  }
  function logic(op: 'and' | 'or', sym: string, next: () => Node): Node {
    const first = next();
    const args = [first];
    while (isOp(sym) || isWord(op)) {
      p++;
      args.push(next());
    }
    return args.length === 1 ? first : { k: 'logic', op, args, at: first.at, end: args[args.length - 1]!.end };
  }
  const or = (): Node => logic('or', '||', and);
  const and = (): Node => logic('and', '&&', not);
  function not(): Node {
    const t = peek();
    if (isOp('!') || isWord('not')) {
      p++;
      const arg = not();
      return { k: 'not', arg, at: t.at, end: arg.end };
    }
    return cmp();
  }
  function cmp(): Node {
    const left = sum();
    const t = peek();
    if (t.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      const right = sum();
      return { k: 'cmp', op: t.v as CmpOp, left, right, at: left.at, end: right.end };
    }
    let negated = false;
    if (isWord('not') && toks[p + 1]?.t === 'name' && (toks[p + 1] as { v: string }).v === 'in') {
      negated = true;
      p++;
    }
    if (isWord('in')) {
      p++;
      if (!isOp('[')) throw new RuleError("“in” 之后应为列表，如 ['dibao', 'dibao_edge']", peek().at);
      const list = atom();
      return { k: 'in', negated, left, list, at: left.at, end: list.end };
    }
    if (negated) throw new RuleError('“not” 之后应为 “in”', peek().at);
    return left;
  }
  function sum(): Node {
    let left = prod();
    while (isOp('+') || isOp('-')) {
      const op = (toks[p++] as { v: '+' | '-' }).v;
      const right = prod();
      left = { k: 'arith', op, left, right, at: left.at, end: right.end };
    }
    return left;
  }
  function prod(): Node {
    let left = unary();
    while (isOp('*')) {
      p++;
      const right = unary();
      left = { k: 'arith', op: '*', left, right, at: left.at, end: right.end };
    }
    return left;
  }
  function unary(): Node {
    const t = peek();
    if (isOp('-')) {
      p++;
      const arg = unary();
      return { k: 'neg', arg, at: t.at, end: arg.end };
    }
    return atom();
  }
  function atom(): Node {
    const t = peek();
    if (t.t === 'int') {
      p++;
      return { k: 'int', value: t.v, at: t.at, end: t.end };
    }
    if (t.t === 'text') {
      p++;
      return { k: 'text', value: t.v, at: t.at, end: t.end };
    }
    if (t.t === 'name') {
      if (t.v === 'true' || t.v === 'false') {
        p++;
        return { k: 'bool', value: t.v === 'true', at: t.at, end: t.end };
      }
      if (KEYWORDS.has(t.v)) throw new RuleError(`此处不能出现关键字“${t.v}”`, t.at);
      p++;
      if (isOp('(')) {
        p++;
        const args: Node[] = [];
        if (!isOp(')')) {
          args.push(expr());
          while (isOp(',')) {
            p++;
            args.push(expr());
          }
        }
        const close = expect(')');
        return { k: 'call', fn: t.v, args, at: t.at, end: close.end };
      }
      return { k: 'name', name: t.v, at: t.at, end: t.end };
    }
    if (isOp('(')) {
      p++;
      const inner = expr();
      return { ...inner, at: t.at, end: expect(')').end };
    }
    if (isOp('[')) {
      p++;
      const items: Node[] = [];
      if (!isOp(']')) {
        items.push(expr());
        while (isOp(',')) {
          p++;
          items.push(expr());
        }
      }
      const close = expect(']');
      return { k: 'list', items, at: t.at, end: close.end };
    }
    throw new RuleError(t.t === 'eof' ? '表达式不完整' : `此处不应出现“${t.t === 'op' ? t.v : ''}”`, t.at);
  }

  const root = expr();
  if (peek().t !== 'eof') throw new RuleError('表达式后有多余内容', peek().at);
  return root;
}
