import type { Compiled } from '../../lib/rules/compile.js';
import { compilePersonRule, ruleWords } from '../catalogue/person-rules.js';
import type { VisitPlan } from './visits.settings.js';

/**
 * Visit plans' rules: the shared rule language over the declared person facts (no parameters: a
 * plan's figures are its own fields), through the catalogue's person rules (catalogue/person-rules.ts:
 * checked when the setting is saved, compiled once per refresh, explained in words).
 */
export { heldConditions, ruleFacts, ruleProblem } from '../catalogue/person-rules.js';

export interface CompiledPlan {
  plan: VisitPlan;
  test: Compiled;
  facts: string[];
}

/** The plans in order, compiled: a person belongs to the first whose rule is true (unknown is not true). */
export function compilePlans(plans: readonly VisitPlan[]): CompiledPlan[] {
  return plans.map((plan) => ({ plan, ...compilePersonRule(plan.rule) }));
}

/** The rule in words, in both languages (what the plan page and a member's "why" show). */
export const planRuleWords = ruleWords;
