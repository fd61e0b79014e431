import type { Compiled, Facts } from '../../lib/rules/compile.js';
import { compilePersonRule, ruleWords } from '../catalogue/person-rules.js';
import type { AdmissionSettings, AdmissionTier } from './admission.settings.js';

/**
 * The queue's order as a pure function of the jurisdiction's settings and each applicant's facts
 * (admission.settings.ts says what each setting decides). Compiled once per ranking; ranking an
 * applicant is one call of each tier's compiled rule until one is true, so 100,000 applicants rank
 * in well under a second (bench/admission-queue.ts).
 */
export interface Placement {
  /** index of the tier in the settings; null: in no tier */
  tier: number | null;
  /** the tier's order: equal ranks are one tier (groupsOrdered false); no tier ranks last */
  rank: number;
  preferred: boolean;
}

export interface RankedApplicant extends Placement {
  id: number;
  queueOn: string;
}

export interface Ranking {
  /** the facts the rules read */
  facts: Set<string>;
  place(facts: Facts): Placement;
  /** a before b: negative */
  compare(a: RankedApplicant, b: RankedApplicant): number;
  /** the tier's rule as applied (with the hardship condition when the setting adds it) */
  ruleOf(tier: number): string;
  tiers: readonly AdmissionTier[];
}

/** The tier's rule as the settings apply it. */
export function tierRule(s: AdmissionSettings, t: AdmissionTier): string {
  return s.hardshipQualifies === 'all_groups' && t.hardshipBySetting ? `(${s.hardshipRule}) && (${t.rule})` : t.rule;
}

export function compileRanking(s: AdmissionSettings): Ranking {
  const rules = s.tiers.map((t) => tierRule(s, t));
  const compiled: { test: Compiled; facts: string[] }[] = rules.map((r) => compilePersonRule(r));
  const pref = compilePersonRule(s.preference.rule);
  const firstPriority = s.tiers.findIndex((t) => t.kind === 'priority');
  const ranks = s.tiers.map((t, i) => (t.kind === 'priority' && !s.groupsOrdered ? firstPriority : i));
  const none = s.tiers.length;
  const noParams = {};
  const passes = s.preferencePassesEarlier;
  return {
    facts: new Set([...compiled.flatMap((c) => c.facts), ...pref.facts]),
    tiers: s.tiers,
    ruleOf: (i) => rules[i]!,
    place(f) {
      let tier: number | null = null;
      for (let i = 0; i < compiled.length; i++) {
        if (compiled[i]!.test(f, noParams) === true) {
          tier = i;
          break;
        }
      }
      return { tier, rank: tier === null ? none : ranks[tier]!, preferred: pref.test(f, noParams) === true };
    },
    compare(a, b) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      if (passes && a.preferred !== b.preferred) return a.preferred ? -1 : 1;
      if (a.queueOn !== b.queueOn) return a.queueOn < b.queueOn ? -1 : 1;
      if (a.preferred !== b.preferred) return a.preferred ? -1 : 1;
      return a.id - b.id;
    },
  };
}

/** A tier's words (the tracking page and the queue): its label and its rule as applied, in both languages. */
export function tierWords(s: AdmissionSettings, tier: number | null): { label: { zh: string; en: string }; rule: { zh: string; en: string } | null } {
  if (tier === null || !s.tiers[tier]) return { label: { zh: '一般申请人（不属于优先入住对象）', en: 'General applicant (no priority group)' }, rule: null };
  const t = s.tiers[tier];
  return { label: t.label, rule: ruleWords(tierRule(s, t)) };
}
