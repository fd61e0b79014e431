import type { Environment } from './check.js';
import type { Facts, Params, Value } from './compile.js';
import type { Node } from './syntax.js';

/**
 * For tests only: a reference interpreter written apart from compile.ts — a plain tree walk that
 * evaluates every operand (no short circuit) — to check the compiled closures and traces against.
 * Unknown (null) follows Kleene's three-valued logic, written here as truth tables over
 * {false, unknown, true} ordered 0 < ½ < 1: and is the minimum, or the maximum, not is 1 − x.
 */
const LEVEL = (x: Value | null): number => (x === null ? 0.5 : x === true ? 1 : 0);
const FROM = (l: number): boolean | null => (l === 0.5 ? null : l === 1);

export function interpret(env: Environment, n: Node, f: Facts, p: Params): Value | null {
  const v = (x: Node) => interpret(env, x, f, p);
  switch (n.k) {
    case 'int':
    case 'text':
    case 'bool':
      return n.value;
    case 'name':
      return env.lookup(n.name)!.kind === 'fact' ? (f[n.name] ?? null) : (p[n.name] ?? null);
    case 'list':
      return n.items.map((i) => v(i) as number | string);
    case 'not':
      return FROM(1 - LEVEL(v(n.arg)));
    case 'neg': {
      const a = v(n.arg);
      return a === null ? null : -(a as number);
    }
    case 'logic': {
      const levels = n.args.map((a) => LEVEL(v(a)));
      return FROM(n.op === 'and' ? Math.min(...levels) : Math.max(...levels));
    }
    case 'cmp': {
      const a = v(n.left),
        b = v(n.right);
      if (a === null || b === null) return null;
      const x = a as number,
        y = b as number;
      return { '==': x === y, '!=': x !== y, '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y }[n.op];
    }
    case 'in': {
      const a = v(n.left);
      const xs = v(n.list) as (number | string | null)[];
      if (a === null) return null;
      const found = xs.includes(a as number | string);
      if (!found && xs.includes(null)) return null;
      return found !== n.negated;
    }
    case 'arith': {
      const a = v(n.left),
        b = v(n.right);
      if (a === null || b === null) return null;
      const x = a as number,
        y = b as number;
      return n.op === '+' ? x + y : n.op === '-' ? x - y : x * y;
    }
    case 'cond': {
      const t = v(n.test);
      const a = v(n.then);
      const b = v(n.else);
      return t === null ? null : t === true ? a : b;
    }
    case 'call': {
      const raw = n.args.map(v);
      if (n.fn === 'known') return raw[0] !== null;
      if (raw.includes(null)) return n.fn === 'yuan' ? (n.args[0] as { value: number }).value * 100 : null;
      const args = raw as number[];
      if (n.fn === 'yuan') return args[0]! * 100;
      if (n.fn === 'min') return Math.min(...args);
      if (n.fn === 'max') return Math.max(...args);
      // percent: exact integer arithmetic, half away from zero
      const num = args[0]! * args[1]!;
      const q = Math.trunc(num / 100),
        r = Math.abs(num % 100);
      return r >= 50 ? q + Math.sign(num) : q;
    }
  }
}
