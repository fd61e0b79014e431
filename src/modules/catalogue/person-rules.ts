import { check, T, type Environment } from '../../lib/rules/check.js';
import { compile, type Compiled, type Facts } from '../../lib/rules/compile.js';
import type { PeriodContext } from '../../lib/rules/facts.js';
import { parse, RuleError, type Node } from '../../lib/rules/syntax.js';
import { verbalise } from '../../lib/rules/verbalise.js';
import { periodBounds } from '../../platform/time.js';
import { DECLARATIONS, FACT_BY_NAME, FACT_COLUMNS, FACTS } from './facts.js';
import { lexicon } from './rule-words.js';

/**
 * Rules over one person's facts, outside the catalogue: the shared rule language with the declared
 * person facts and no parameters (a visit plan's membership, an admission queue's priority tier).
 * A module keeps such a rule in a jurisdiction setting, checks it with `ruleProblem` when the
 * setting is saved, compiles it once per refresh, and explains it with `ruleWords` and
 * `heldConditions`.
 */
export const personEnvironment: Environment = {
  lookup(name) {
    const f = FACT_BY_NAME.get(name);
    return f ? { kind: 'fact', type: f.type, unknown: f.unknown } : undefined;
  },
  names: () => FACTS.map((f) => f.name),
};

/** A rule's problem in words, or null when it parses and reads a yes/no of known facts. */
export function ruleProblem(rule: string): string | null {
  try {
    const checked = check(parse(rule), personEnvironment);
    if (checked.type.t !== T.bool.t) return '规则的结果应为“是/否”';
    return null;
  } catch (e) {
    if (e instanceof RuleError) return e.message;
    throw e;
  }
}

/** A rule compiled, with the facts it reads. */
export function compilePersonRule(rule: string): { test: Compiled; facts: string[] } {
  const node = parse(rule);
  const checked = check(node, personEnvironment);
  return { test: compile(node, personEnvironment), facts: [...checked.facts] };
}

/** The facts a rule reads. */
export function ruleFacts(rule: string): Set<string> {
  return check(parse(rule), personEnvironment).facts;
}

/** The rule in words, in both languages. */
export function ruleWords(rule: string): { zh: string; en: string } {
  const node = parse(rule);
  const lex = lexicon(new Map());
  return { zh: verbalise(node, lex, 'zh'), en: verbalise(node, lex, 'en') };
}

/**
 * Why this person meets the rule: the conditions that hold for their facts, in words — every part
 * of an "and", the parts of an "or" that are true (`(age >= 80 || hardship …) && disablement != 'none'
 * && (livingAlone || emptyNest)` reads for one person as 年满80周岁 · 失能程度为… · 独居). Empty when the
 * rule is not true for them.
 */
export function heldConditions(rule: string, facts: Facts): { zh: string; en: string }[] {
  const root = parse(rule);
  const lex = lexicon(new Map());
  const truthy = (n: Node) => compile(n, personEnvironment)(facts, {}) === true;
  if (!truthy(root)) return [];
  const held: Node[] = [];
  const walk = (n: Node) => {
    if (n.k === 'logic' && n.op === 'and') n.args.forEach(walk);
    else if (n.k === 'logic' && n.op === 'or') n.args.filter(truthy).forEach(walk);
    else held.push(n);
  };
  walk(root);
  return held.map((n) => ({ zh: verbalise(n, lex, 'zh'), en: verbalise(n, lex, 'en') }));
}

/**
 * The person facts some rules read, from the declarations (facts.ts, as its factBuilder builds
 * them, only fewer): the register columns read are the id, status, region and those these facts
 * load from, as arrays; one object literal of the columns and one of the facts per person. A
 * Function built from the declared fact and column names only, once per refresh, never from input.
 * The caller reads the columns through the register's public functions (populationBatch,
 * personColumns).
 */
export function personFacts(period: string, isUrban: (regionCode: string) => boolean, names: ReadonlySet<string>) {
  const decls = DECLARATIONS.filter((d) => names.has(d.name));
  const columns = [...new Set(['id', 'status', 'region_code', ...decls.flatMap((d) => d.columns)])];
  for (const c of columns) if (c !== 'id' && !FACT_COLUMNS.includes(c)) throw new Error(`person facts: column ${c} is not declared`);
  const { start, end } = periodBounds(period);
  const c: PeriodContext = { start, end, endYear: Number(end.slice(0, 4)), endMonthDay: end.slice(5), month: period.slice(5, 7), isUrban };
  const loaders = decls.map((d) => d.load);
  const body = `return (a) => { const r = { ${columns.map((col, i) => `${JSON.stringify(col)}: a[${i}]`).join(', ')} }; return { ${decls
    .map((d, i) => `${JSON.stringify(d.name)}: ${d.inline ?? `L[${i}](r, c)`}`)
    .join(', ')} }; };`;
  const build = new Function('L', 'c', body)(loaders, c) as (a: unknown[]) => Facts;
  return { columns, build, status: columns.indexOf('status'), region: columns.indexOf('region_code') };
}
