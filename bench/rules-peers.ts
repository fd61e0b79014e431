import { Engine, type NestedCondition, type TopLevelCondition } from 'json-rules-engine';
import { ZenEngine, type ZenDecision } from '@gorules/zen-engine';
import type { Catalogue, Item } from '../src/modules/catalogue/catalogue.loader.js';
import { calendarFor } from '../src/modules/catalogue/engine.js';
import type { Facts, Params } from '../src/lib/rules/compile.js';
import type { Node } from '../src/lib/rules/syntax.js';

/**
 * Translation of a catalogue's rules for the peer engines of bench/entitlements.ts.
 *
 * What "eligible for item X in period P" means in our evaluator (engine.ts) is, for each item:
 *   population rule  AND  schedule (monthly / birthday in P / 重阳 in P)  AND  item rule
 *   AND no item of a lower rank in the same exclusive group is granted.
 * The translation builds that whole condition per item as one rule AST, in our own syntax, then
 * writes it out for each peer. Parameters are constants for a period, so their values are put in
 * as literals; the 重阳 schedule is a constant for a period too. Amount and percent expressions
 * are not translated: json-rules-engine has no arithmetic, and the comparison is of granted sets.
 */

const at = { at: 0, end: 0 };
const and = (args: Node[]): Node => (args.length === 1 ? args[0]! : { k: 'logic', op: 'and', args, ...at });
const or = (args: Node[]): Node => (args.length === 1 ? args[0]! : { k: 'logic', op: 'or', args, ...at });

/** Parameter names → their values as literals (a rule that needs an unset parameter cannot be translated). */
function bindParams(n: Node, cat: Catalogue, params: Params): Node {
  const rec = (x: Node): Node => bindParams(x, cat, params);
  switch (n.k) {
    case 'name': {
      if (!cat.parameters.has(n.name)) return n;
      const v = params[n.name];
      if (typeof v === 'number') return { k: 'int', value: v, ...at };
      if (typeof v === 'string') return { k: 'text', value: v, ...at };
      if (typeof v === 'boolean') return { k: 'bool', value: v, ...at };
      throw new Error(`parameter ${n.name} has no usable value (${JSON.stringify(v)})`);
    }
    case 'list':
      return { ...n, items: n.items.map(rec) };
    case 'call':
      return { ...n, args: n.args.map(rec) };
    case 'not':
    case 'neg':
      return { ...n, arg: rec(n.arg) };
    case 'logic':
      return { ...n, args: n.args.map(rec) };
    case 'cmp':
    case 'arith':
      return { ...n, left: rec(n.left), right: rec(n.right) };
    case 'in':
      return { ...n, left: rec(n.left), list: rec(n.list) };
    case 'cond':
      return { ...n, test: rec(n.test), then: rec(n.then), else: rec(n.else) };
    default:
      return n;
  }
}

function schedule(it: Item, chongyangInPeriod: boolean): Node | null {
  if (it.when === 'birthday') return { k: 'name', name: 'birthdayInPeriod', ...at };
  if (it.when === 'chongyang') return { k: 'bool', value: chongyangInPeriod, ...at };
  return null;
}

export interface ItemCondition {
  id: string;
  /** the full eligibility condition of the item, parameters bound, in our AST */
  ast: Node;
}

/** Per item: population ∧ schedule ∧ rule ∧ ¬(a lower-ranked item of its exclusive group fires). */
export function eligibilityConditions(cat: Catalogue, period: string, params: Params): ItemCondition[] {
  const { chongyangInPeriod } = calendarFor(period);
  const fires = (it: Item): Node => {
    const s = schedule(it, chongyangInPeriod);
    return and([...(s ? [s] : []), bindParams(it.rule.ast, cat, params)]);
  };
  const population = bindParams(cat.population.ast, cat, params);
  return cat.items.map((it) => {
    const parts: Node[] = [population, fires(it)];
    if (it.exclusive) {
      const lower = cat.items.filter((o) => o !== it && o.exclusive?.group === it.exclusive!.group && o.exclusive.rank < it.exclusive!.rank);
      if (lower.length) parts.push({ k: 'not', arg: or(lower.map(fires)), ...at });
    }
    return { id: it.id, ast: and(parts) };
  });
}

// -- json-rules-engine ------------------------------------------------------------------------------

const JRE_OP = { '==': 'equal', '!=': 'notEqual', '<': 'lessThan', '<=': 'lessThanInclusive', '>': 'greaterThan', '>=': 'greaterThanInclusive' } as const;
const FLIP = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
/** A constant fact the engine holds, for a literal true/false left in a condition (the 重阳 schedule). */
const CONST_FACT = 'const_true';

function literal(n: Node): number | string | boolean | null {
  return n.k === 'int' || n.k === 'text' || n.k === 'bool' ? n.value : null;
}

/** Our AST (boolean, parameters bound) → a json-rules-engine condition. */
export function toJre(n: Node): NestedCondition {
  switch (n.k) {
    case 'logic':
      return n.op === 'and' ? { all: n.args.map(toJre) } : { any: n.args.map(toJre) };
    case 'not':
      return { not: toJre(n.arg) };
    case 'name':
      return { fact: n.name, operator: 'equal', value: true };
    case 'bool':
      return { fact: CONST_FACT, operator: 'equal', value: n.value };
    case 'cmp': {
      if (n.left.k === 'name' && literal(n.right) !== null) return { fact: n.left.name, operator: JRE_OP[n.op], value: literal(n.right) };
      if (n.right.k === 'name' && literal(n.left) !== null) return { fact: n.right.name, operator: JRE_OP[FLIP[n.op]], value: literal(n.left) };
      if (n.left.k === 'name' && n.right.k === 'name') return { fact: n.left.name, operator: JRE_OP[n.op], value: { fact: n.right.name } };
      throw new Error(`json-rules-engine: comparison of computed values cannot be translated (${n.left.k} ${n.op} ${n.right.k})`);
    }
    case 'in': {
      if (n.left.k !== 'name' || n.list.k !== 'list' || n.list.items.some((i) => literal(i) === null))
        throw new Error('json-rules-engine: only "fact in [literals]" can be translated');
      return { fact: n.left.name, operator: n.negated ? 'notIn' : 'in', value: n.list.items.map(literal) };
    }
    case 'cond':
      return { any: [{ all: [toJre(n.test), toJre(n.then)] }, { all: [{ not: toJre(n.test) }, toJre(n.else)] }] };
    default:
      throw new Error(`json-rules-engine: a ${n.k} node is not a condition`);
  }
}

const top = (c: NestedCondition): TopLevelCondition => ('all' in c || 'any' in c || 'not' in c ? (c as TopLevelCondition) : { all: [c] });

/** One Engine, one rule per item; the event type is the item id. */
export function jreEngine(conds: ItemCondition[]): { engine: Engine; eligible: (f: Facts) => Promise<string[]> } {
  const engine = new Engine([], { allowUndefinedFacts: false });
  engine.addFact(CONST_FACT, true);
  for (const c of conds) engine.addRule({ name: c.id, conditions: top(toJre(c.ast)), event: { type: c.id } });
  return {
    engine,
    eligible: async (f) => (await engine.run(f)).events.map((e) => e.type),
  };
}

// -- ZEN (@gorules/zen-engine) ----------------------------------------------------------------------

const zenText = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Our AST (parameters bound) → a ZEN expression, fully parenthesised. */
export function toZen(n: Node): string {
  switch (n.k) {
    case 'int':
      return String(n.value);
    case 'text':
      return zenText(n.value);
    case 'bool':
      return n.value ? 'true' : 'false';
    case 'name':
      return n.name;
    case 'list':
      return `[${n.items.map(toZen).join(', ')}]`;
    case 'not':
      return `not (${toZen(n.arg)})`;
    case 'neg':
      return `(-${toZen(n.arg)})`;
    case 'logic':
      return `(${n.args.map(toZen).join(` ${n.op} `)})`;
    case 'cmp':
      return `(${toZen(n.left)} ${n.op} ${toZen(n.right)})`;
    case 'in':
      return n.negated ? `not (${toZen(n.left)} in ${toZen(n.list)})` : `(${toZen(n.left)} in ${toZen(n.list)})`;
    case 'arith':
      return `(${toZen(n.left)} ${n.op} ${toZen(n.right)})`;
    case 'cond':
      return `(${toZen(n.test)} ? ${toZen(n.then)} : ${toZen(n.else)})`;
    case 'call':
      if (n.fn === 'min' || n.fn === 'max') return `${n.fn}([${n.args.map(toZen).join(', ')}])`;
      if (n.fn === 'yuan') return String((n.args[0] as { value: number }).value * 100);
      throw new Error(`ZEN: ${n.fn}() is not translated`);
  }
}

/** An output key ZEN accepts for an item id ('nx-10b' → 'nx_10b'). */
export const zenKey = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

/** The JDM graph: request → one expression node (one boolean per item) → response. */
export function zenGraph(conds: ItemCondition[]): object {
  const keys = new Set<string>();
  const expressions = conds.map((c, i) => {
    const key = zenKey(c.id);
    if (keys.has(key)) throw new Error(`ZEN key ${key} is not unique`);
    keys.add(key);
    return { id: `e${i}`, key, value: toZen(c.ast) };
  });
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'request', position: { x: 0, y: 0 } },
      { id: 'items', type: 'expressionNode', name: 'items', position: { x: 250, y: 0 }, content: { expressions } },
      { id: 'response', type: 'outputNode', name: 'response', position: { x: 500, y: 0 } },
    ],
    edges: [
      { id: 'r-i', type: 'edge', sourceId: 'request', targetId: 'items' },
      { id: 'i-o', type: 'edge', sourceId: 'items', targetId: 'response' },
    ],
  };
}

export function zenDecision(conds: ItemCondition[]): { engine: ZenEngine; decision: ZenDecision; eligible: (f: Facts) => Promise<string[]> } {
  const engine = new ZenEngine();
  const decision = engine.createDecision(zenGraph(conds));
  const byKey = conds.map((c) => [zenKey(c.id), c.id] as const);
  return {
    engine,
    decision,
    eligible: async (f) => {
      const r = (await decision.evaluate(f)).result as Record<string, unknown>;
      const out: string[] = [];
      for (const [k, id] of byKey) if (r[k] === true) out.push(id);
      return out;
    },
  };
}
