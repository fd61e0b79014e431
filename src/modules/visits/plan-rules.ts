import { check, T, type Environment } from '../../lib/rules/check.js';
import { compile, type Compiled, type Facts } from '../../lib/rules/compile.js';
import { parse, RuleError, type Node } from '../../lib/rules/syntax.js';
import { verbalise } from '../../lib/rules/verbalise.js';
import { FACT_BY_NAME, FACTS } from '../catalogue/facts.js';
import { lexicon } from '../catalogue/rule-words.js';
import type { VisitPlan } from './visits.settings.js';

/**
 * Visit plans' rules: the shared rule language over the declared person facts (no parameters: a
 * plan's figures are its own fields). Checked when the setting is saved, compiled once per refresh.
 */
export const planEnvironment: Environment = {
  lookup(name) {
    const f = FACT_BY_NAME.get(name);
    return f ? { kind: 'fact', type: f.type, unknown: f.unknown } : undefined;
  },
  names: () => FACTS.map((f) => f.name),
};

export interface CompiledPlan {
  plan: VisitPlan;
  test: Compiled;
  facts: string[];
}

/** A rule's problem in words, or null when it parses and reads a yes/no of known facts. */
export function ruleProblem(rule: string): string | null {
  try {
    const checked = check(parse(rule), planEnvironment);
    if (checked.type.t !== T.bool.t) return '规则的结果应为“是/否”';
    return null;
  } catch (e) {
    if (e instanceof RuleError) return e.message;
    throw e;
  }
}

/** The plans in order, compiled: a person belongs to the first whose rule is true (unknown is not true). */
export function compilePlans(plans: readonly VisitPlan[]): CompiledPlan[] {
  return plans.map((plan) => {
    const node = parse(plan.rule);
    const checked = check(node, planEnvironment);
    return { plan, test: compile(node, planEnvironment), facts: [...checked.facts] };
  });
}

/** The facts a rule reads. */
export function ruleFacts(rule: string): Set<string> {
  return check(parse(rule), planEnvironment).facts;
}

/** The rule in words, in both languages (what the plan page and a member's "why" show). */
export function planRuleWords(rule: string): { zh: string; en: string } {
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
  const truthy = (n: Node) => compile(n, planEnvironment)(facts, {}) === true;
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
