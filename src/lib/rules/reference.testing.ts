import type { Environment } from './check.js';
import type { Facts, Params, Value } from './compile.js';
import type { Node } from './syntax.js';

/**
 * For tests only: a reference interpreter written apart from compile.ts — a plain tree walk that
 * evaluates every operand (no short circuit) — to check the compiled closures and traces against.
 */
export function interpret(env: Environment, n: Node, f: Facts, p: Params): Value | null {
  const v = (x: Node) => interpret(env, x, f, p);
  switch (n.k) {
    case 'int': case 'text': case 'bool': return n.value;
    case 'name': return env.lookup(n.name)!.kind === 'fact' ? f[n.name]! : (p[n.name] ?? null);
    case 'list': return n.items.map((i) => v(i) as number | string);
    case 'not': return !(v(n.arg) as boolean);
    case 'neg': return -(v(n.arg) as number);
    case 'logic': {
      const vals = n.args.map(v);
      return n.op === 'and' ? vals.every((x) => x === true) : vals.some((x) => x === true);
    }
    case 'cmp': {
      const a = v(n.left) as number, b = v(n.right) as number;
      return { '==': a === b, '!=': a !== b, '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b }[n.op];
    }
    case 'in': return (v(n.list) as unknown[]).includes(v(n.left)) !== n.negated;
    case 'arith': {
      const a = v(n.left) as number, b = v(n.right) as number;
      return n.op === '+' ? a + b : n.op === '-' ? a - b : a * b;
    }
    case 'cond': { const t = v(n.test); const a = v(n.then); const b = v(n.else); return t === true ? a : b; }
    case 'call': {
      const args = n.args.map(v) as number[];
      if (n.fn === 'yuan') return args[0]! * 100;
      if (n.fn === 'min') return Math.min(...args);
      if (n.fn === 'max') return Math.max(...args);
      // percent: exact integer arithmetic, half away from zero
      const num = args[0]! * args[1]!;
      const q = Math.trunc(num / 100), r = Math.abs(num % 100);
      return r >= 50 ? q + Math.sign(num) : q;
    }
  }
}
