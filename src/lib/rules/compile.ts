import type { Environment } from './check.js';
import type { Node } from './syntax.js';

export type Value = boolean | number | string | readonly (number | string)[];
/**
 * A person's facts. A fact declared as possibly unknown may be null: unknown, not "no". The
 * language reads it three-valued (Kleene): `false && unknown` is false, `true || unknown` is true,
 * anything else that touches an unknown is unknown; `known(x)` is true or false.
 */
export type Facts = Record<string, Value | null>;
/** A parameter nobody has set (the self-check before the bureau sets a standard) is null: unknown too. */
export type Params = Record<string, Value | null>;
/** A compiled rule: a plain closure over the person's facts and the period's parameter values; null is unknown. */
export type Compiled = (f: Facts, p: Params) => Value | null;

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
  // Sub-expressions that can never be unknown (literals, facts always known) keep the two-valued
  // closures: the population run pays for unknown only where a rule reads something that may be.
  const nullable = mayBeUnknown(n, env);
  switch (n.k) {
    case 'int':
    case 'bool':
    case 'text': {
      const v = n.value;
      return () => v;
    }
    case 'name': {
      const key = n.name;
      return env.lookup(key)!.kind === 'fact' ? (f) => f[key] ?? null : (_f, p) => p[key] ?? null;
    }
    case 'list': {
      const items = n.items.map((i) => compile(i, env));
      return (f, p) => items.map((i) => i(f, p) as number | string);
    }
    case 'not': {
      const a = compile(n.arg, env);
      return nullable
        ? (f, p) => {
            const x = a(f, p);
            return x === null ? null : !x;
          }
        : (f, p) => !a(f, p);
    }
    case 'neg': {
      const a = compile(n.arg, env);
      return nullable
        ? (f, p) => {
            const x = a(f, p);
            return x === null ? null : -(x as number);
          }
        : (f, p) => -(a(f, p) as number);
    }
    case 'logic': {
      const args = n.args.map((a) => compile(a, env));
      if (!nullable) {
        if (n.op === 'and') {
          if (args.length === 2) {
            const [a, b] = args as [Compiled, Compiled];
            return (f, p) => a(f, p) === true && b(f, p) === true;
          }
          return (f, p) => {
            for (const a of args) if (a(f, p) !== true) return false;
            return true;
          };
        }
        if (args.length === 2) {
          const [a, b] = args as [Compiled, Compiled];
          return (f, p) => a(f, p) === true || b(f, p) === true;
        }
        return (f, p) => {
          for (const a of args) if (a(f, p) === true) return true;
          return false;
        };
      }
      // Kleene: and is false if any part is false, else unknown if any is unknown; or the dual.
      const decisive = n.op === 'and' ? false : true;
      return (f, p) => {
        let unknown = false;
        for (const a of args) {
          const x = a(f, p);
          if (x === decisive) return decisive;
          if (x === null) unknown = true;
        }
        return unknown ? null : !decisive;
      };
    }
    case 'cmp': {
      const l = compile(n.left, env);
      const r = compile(n.right, env);
      if (nullable) {
        const test = cmpOf(n.op);
        return (f, p) => {
          const x = l(f, p);
          if (x === null) return null;
          const y = r(f, p);
          return y === null ? null : test(x, y);
        };
      }
      switch (n.op) {
        case '==':
          return (f, p) => l(f, p) === r(f, p);
        case '!=':
          return (f, p) => l(f, p) !== r(f, p);
        case '<':
          return (f, p) => (l(f, p) as number) < (r(f, p) as number);
        case '<=':
          return (f, p) => (l(f, p) as number) <= (r(f, p) as number);
        case '>':
          return (f, p) => (l(f, p) as number) > (r(f, p) as number);
        case '>=':
          return (f, p) => (l(f, p) as number) >= (r(f, p) as number);
      }
      break;
    }
    case 'in': {
      const l = compile(n.left, env);
      const neg = n.negated;
      // A list of literals (the usual case) becomes a Set once, at compile time.
      if (n.list.k === 'list' && n.list.items.every((i) => i.k === 'int' || i.k === 'text')) {
        const set = new Set(n.list.items.map((i) => (i as { value: number | string }).value));
        if (nullable)
          return (f, p) => {
            const x = l(f, p);
            return x === null ? null : set.has(x as number | string) !== neg;
          };
        return neg ? (f, p) => !set.has(l(f, p) as number | string) : (f, p) => set.has(l(f, p) as number | string);
      }
      const list = compile(n.list, env);
      return (f, p) => {
        const x = l(f, p);
        if (x === null) return null;
        const xs = list(f, p) as readonly unknown[];
        if (xs.includes(x)) return !neg;
        // not found among the known items, but an unknown item could be it
        return xs.includes(null) ? null : neg;
      };
    }
    case 'arith': {
      const l = compile(n.left, env);
      const r = compile(n.right, env);
      const op = n.op;
      if (nullable) {
        return (f, p) => {
          const x = l(f, p) as number | null;
          const y = r(f, p) as number | null;
          if (x === null || y === null) return null;
          return op === '+' ? x + y : op === '-' ? x - y : x * y;
        };
      }
      if (op === '+') return (f, p) => (l(f, p) as number) + (r(f, p) as number);
      if (op === '-') return (f, p) => (l(f, p) as number) - (r(f, p) as number);
      return (f, p) => (l(f, p) as number) * (r(f, p) as number);
    }
    case 'cond': {
      const t = compile(n.test, env);
      const a = compile(n.then, env);
      const b = compile(n.else, env);
      if (mayBeUnknown(n.test, env))
        return (f, p) => {
          const x = t(f, p);
          return x === null ? null : x === true ? a(f, p) : b(f, p);
        };
      return (f, p) => (t(f, p) === true ? a(f, p) : b(f, p));
    }
    case 'call': {
      const args = n.args.map((a) => compile(a, env));
      switch (n.fn) {
        case 'known': {
          const [a] = args as [Compiled];
          return (f, p) => a(f, p) !== null;
        }
        case 'percent': {
          const [a, b] = args as [Compiled, Compiled];
          return (f, p) => {
            const x = a(f, p);
            const y = b(f, p);
            return x === null || y === null ? null : percentOf(x as number, y as number);
          };
        }
        case 'min':
        case 'max': {
          const pick = n.fn === 'min' ? Math.min : Math.max;
          return (f, p) => {
            const xs = args.map((a) => a(f, p));
            return xs.includes(null) ? null : pick(...(xs as number[]));
          };
        }
        case 'yuan': {
          const fen = (n.args[0] as { value: number }).value * 100;
          return () => fen;
        }
      }
    }
  }
  throw new Error(`unreachable rule node ${n.k}`);
}

function cmpOf(op: '==' | '!=' | '<' | '<=' | '>' | '>='): (x: Value, y: Value) => boolean {
  switch (op) {
    case '==':
      return (x, y) => x === y;
    case '!=':
      return (x, y) => x !== y;
    case '<':
      return (x, y) => (x as number) < (y as number);
    case '<=':
      return (x, y) => (x as number) <= (y as number);
    case '>':
      return (x, y) => (x as number) > (y as number);
    case '>=':
      return (x, y) => (x as number) >= (y as number);
  }
}

/** Whether an expression can be unknown: it reads a fact that may be, or a parameter (unset in a self-check). */
export function mayBeUnknown(n: Node, env: Environment): boolean {
  if (n.k === 'name') {
    const d = env.lookup(n.name)!;
    return d.kind === 'param' || d.unknown === true;
  }
  if (n.k === 'call' && n.fn === 'known') return false;
  return children(n).some((c) => mayBeUnknown(c, env));
}

/** The facts an expression reads that are unknown for this person: the missing inputs. */
export function missingFacts(n: Node, env: Environment, f: Facts, out: Set<string> = new Set()): string[] {
  if (n.k === 'name' && env.lookup(n.name)?.kind === 'fact' && f[n.name] === null) out.add(n.name);
  for (const c of children(n)) missingFacts(c, env, f, out);
  return [...out];
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
      out[node.name] = env.lookup(node.name)!.kind === 'fact' ? (f[node.name] ?? null) : (p[node.name] ?? null);
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
    case 'list':
      return n.items;
    case 'call':
      return n.args;
    case 'not':
    case 'neg':
      return [n.arg];
    case 'logic':
      return n.args;
    case 'cmp':
    case 'arith':
      return [n.left, n.right];
    case 'in':
      return [n.left, n.list];
    case 'cond':
      return [n.test, n.then, n.else];
    default:
      return [];
  }
}

/** Every int and text literal a rule compares a fact with: the thresholds a what-if should try. */
export function comparedLiterals(n: Node, out = new Map<string, Set<Value>>()): Map<string, Set<Value>> {
  const add = (name: string, v: number | string) => {
    if (!out.has(name)) out.set(name, new Set());
    const set = out.get(name)!;
    set.add(v);
    if (typeof v === 'number') {
      set.add(v - 1);
      set.add(v + 1);
    }
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
