import type { Environment } from './check.js';
import type { Node } from './syntax.js';

export type Value = boolean | number | string | readonly (number | string)[];
export type Facts = Record<string, Value>;
export type Params = Record<string, Value | null>;
/** A compiled rule: a plain closure over the person's facts and the period's parameter values. */
export type Compiled = (f: Facts, p: Params) => Value;

/** percent(amount, p), rounded half up to the fen: money is integer fen throughout. */
export function percentOf(amount: number, pct: number): number {
  const x = amount * pct;
  return x >= 0 ? Math.floor((x + 50) / 100) : -Math.floor((-x + 50) / 100);
}

/**
 * AST → closures. Each node becomes one small function; the tree of calls is what runs per
 * person, with no parsing, lookup by name through scopes, or allocation on the way.
 */
export function compile(n: Node, env: Environment): Compiled {
  switch (n.k) {
    case 'int':
    case 'bool':
    case 'text': { const v = n.value; return () => v; }
    case 'name': {
      const key = n.name;
      return env.lookup(key)!.kind === 'fact' ? (f) => f[key]! : (_f, p) => p[key]!;
    }
    case 'list': {
      const items = n.items.map((i) => compile(i, env));
      return (f, p) => items.map((i) => i(f, p) as number | string);
    }
    case 'not': { const a = compile(n.arg, env); return (f, p) => !a(f, p); }
    case 'neg': { const a = compile(n.arg, env); return (f, p) => -(a(f, p) as number); }
    case 'logic': {
      const args = n.args.map((a) => compile(a, env));
      if (n.op === 'and') {
        if (args.length === 2) { const [a, b] = args as [Compiled, Compiled]; return (f, p) => a(f, p) === true && b(f, p) === true; }
        return (f, p) => { for (const a of args) if (a(f, p) !== true) return false; return true; };
      }
      if (args.length === 2) { const [a, b] = args as [Compiled, Compiled]; return (f, p) => a(f, p) === true || b(f, p) === true; }
      return (f, p) => { for (const a of args) if (a(f, p) === true) return true; return false; };
    }
    case 'cmp': {
      const l = compile(n.left, env);
      const r = compile(n.right, env);
      switch (n.op) {
        case '==': return (f, p) => l(f, p) === r(f, p);
        case '!=': return (f, p) => l(f, p) !== r(f, p);
        case '<': return (f, p) => (l(f, p) as number) < (r(f, p) as number);
        case '<=': return (f, p) => (l(f, p) as number) <= (r(f, p) as number);
        case '>': return (f, p) => (l(f, p) as number) > (r(f, p) as number);
        case '>=': return (f, p) => (l(f, p) as number) >= (r(f, p) as number);
      }
      break;
    }
    case 'in': {
      const l = compile(n.left, env);
      const neg = n.negated;
      // A list of literals (the usual case) becomes a Set once, at compile time.
      if (n.list.k === 'list' && n.list.items.every((i) => i.k === 'int' || i.k === 'text')) {
        const set = new Set(n.list.items.map((i) => (i as { value: number | string }).value));
        return neg ? (f, p) => !set.has(l(f, p) as number | string) : (f, p) => set.has(l(f, p) as number | string);
      }
      const list = compile(n.list, env);
      return (f, p) => (list(f, p) as readonly unknown[]).includes(l(f, p)) !== neg;
    }
    case 'arith': {
      const l = compile(n.left, env);
      const r = compile(n.right, env);
      if (n.op === '+') return (f, p) => (l(f, p) as number) + (r(f, p) as number);
      if (n.op === '-') return (f, p) => (l(f, p) as number) - (r(f, p) as number);
      return (f, p) => (l(f, p) as number) * (r(f, p) as number);
    }
    case 'cond': {
      const t = compile(n.test, env);
      const a = compile(n.then, env);
      const b = compile(n.else, env);
      return (f, p) => (t(f, p) === true ? a(f, p) : b(f, p));
    }
    case 'call': {
      const args = n.args.map((a) => compile(a, env));
      switch (n.fn) {
        case 'percent': { const [a, b] = args as [Compiled, Compiled]; return (f, p) => percentOf(a(f, p) as number, b(f, p) as number); }
        case 'min': return (f, p) => Math.min(...args.map((a) => a(f, p) as number));
        case 'max': return (f, p) => Math.max(...args.map((a) => a(f, p) as number));
        case 'yuan': { const fen = (n.args[0] as { value: number }).value * 100; return () => fen; }
      }
    }
  }
  throw new Error(`unreachable rule node ${n.k}`);
}

/**
 * One step of an explanation: the text of a sub-expression, the value it had, and for a
 * connective its parts. Every part of "and"/"or" is evaluated (no short circuit) so that the
 * explanation shows what failed as well as what held.
 */
export interface Trace {
  text: string;
  value: Value | null;
  parts?: Trace[];
  /** facts and parameters read directly by this step, with their values */
  uses?: Record<string, Value | null>;
}

export function trace(n: Node, src: string, env: Environment, f: Facts, p: Params): Trace {
  const text = src.slice(n.at, n.end);
  const leafUses = (node: Node, out: Record<string, Value | null>) => {
    if (node.k === 'name') {
      out[node.name] = env.lookup(node.name)!.kind === 'fact' ? f[node.name]! : (p[node.name] ?? null);
      return;
    }
    for (const child of children(node)) leafUses(child, out);
  };
  if (n.k === 'logic' || n.k === 'not' || n.k === 'cond') {
    const parts = children(n).map((c) => trace(c, src, env, f, p));
    const value = compile(n, env)(f, p);
    return { text, value, parts };
  }
  const uses: Record<string, Value | null> = {};
  leafUses(n, uses);
  return { text, value: compile(n, env)(f, p), uses };
}

function children(n: Node): Node[] {
  switch (n.k) {
    case 'list': return n.items;
    case 'call': return n.args;
    case 'not':
    case 'neg': return [n.arg];
    case 'logic': return n.args;
    case 'cmp':
    case 'arith': return [n.left, n.right];
    case 'in': return [n.left, n.list];
    case 'cond': return [n.test, n.then, n.else];
    default: return [];
  }
}

/** Every int and text literal a rule compares a fact with: the thresholds a what-if should try. */
export function comparedLiterals(n: Node, out = new Map<string, Set<Value>>()): Map<string, Set<Value>> {
  const add = (name: string, v: number | string) => {
    if (!out.has(name)) out.set(name, new Set());
    const set = out.get(name)!;
    set.add(v);
    if (typeof v === 'number') { set.add(v - 1); set.add(v + 1); }
  };
  const lit = (x: Node) => (x.k === 'int' || x.k === 'text' ? x.value : undefined);
  if (n.k === 'cmp') {
    // either side: `age >= 80` and `80 <= age`
    if (n.left.k === 'name' && lit(n.right) !== undefined) add(n.left.name, lit(n.right)!);
    if (n.right.k === 'name' && lit(n.left) !== undefined) add(n.right.name, lit(n.left)!);
  }
  if (n.k === 'in' && n.left.k === 'name' && n.list.k === 'list') {
    for (const item of n.list.items) if (lit(item) !== undefined) add(n.left.name, lit(item)!);
  }
  for (const c of children(n)) comparedLiterals(c, out);
  return out;
}
