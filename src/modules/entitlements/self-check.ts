import type { Locale } from '../../platform/errors.js';
import type { Catalogue, Item } from '../catalogue/catalogue.loader.js';
import { evaluator, explain, isZeroBenefit, type Explanation, type Outcome, type ResolvedParams } from '../catalogue/engine.js';
import { FACT_BY_NAME } from '../catalogue/facts.js';
import { comparedLiterals, type Facts, type Value } from '../../lib/rules/compile.js';

/** Money as officers write it: 1234 fen → "12.34". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** What an item gives, in words: "50.00 元/月", "减免 50%", "免费", or the service. */
const WORDS = {
  'zh-CN': { pending: '标准待定（尚未设定）', perMonth: '元/月', free: '免费', off: (p: number) => `减免 ${p}%`, zero: '标准为 0，不享受' },
  en: { pending: 'standard not yet set', perMonth: 'yuan a month', free: 'free', off: (p: number) => `${p}% off`, zero: 'standard is 0: nothing granted' },
};

/** Service and priority items are described by the catalogue's own (Chinese) words, in either language. */
export function benefitText(it: Item, value: number | null, locale: Locale = 'zh-CN'): string {
  const w = WORDS[locale];
  // An amount from a parameter nobody has set yet (self-check before the bureau sets standards).
  if (value === null || Number.isNaN(value)) return w.pending;
  // A run never grants 0 (engine.isZeroBenefit), but a change list may read an older run's stored 0.
  if ((it.benefit.kind === 'cash_monthly' || it.benefit.kind === 'discount') && isZeroBenefit(value)) return w.zero;
  switch (it.benefit.kind) {
    case 'cash_monthly':
      return `${yuan(value)} ${w.perMonth}`;
    case 'discount':
      return value >= 100 ? w.free : w.off(value);
    default:
      return it.benefit.quota ?? it.name;
  }
}

export interface Entitlement {
  id: string;
  no: string;
  name: string;
  kind: Item['benefit']['kind'];
  value: number;
  text: string;
}

export function entitlements(cat: Catalogue, out: Outcome, locale: Locale = 'zh-CN'): Entitlement[] {
  return cat.items
    .filter((i) => i.id in out && !isZeroBenefit(out[i.id]))
    .map((i) => ({ id: i.id, no: i.no, name: i.name, kind: i.benefit.kind, value: out[i.id]!, text: benefitText(i, out[i.id]!, locale) }));
}

export interface WhatIf {
  fact: string;
  label: string;
  /** null: the fact is unknown now */
  from: Value | null;
  to: Value;
  toLabel: string;
  gained: Entitlement[];
  lost: Entitlement[];
  changed: { id: string; name: string; from: string; to: string }[];
}

// Facts a person cannot change or that are not "a fact of their situation".
const FIXED = new Set(['active', 'status', 'sex', 'birthdayInPeriod']);

/**
 * "What would change if a fact changed": each fact a rule reads is set, one at a time, to each
 * value that matters to some rule (enum values, the other boolean, the thresholds rules compare
 * ages and grades with, ages only upward), and the outcomes compared.
 */
export function whatIfs(cat: Catalogue, period: string, params: ResolvedParams, f: Facts, locale: Locale = 'zh-CN'): WhatIf[] {
  const evaluate = evaluator(cat, period, params.values);
  const base = evaluate(f);
  const literals = new Map<string, Set<Value>>();
  for (const it of cat.items) {
    for (const e of [it.rule, it.benefit.amount, it.benefit.percent]) if (e) comparedLiterals(e.ast, literals);
  }
  const out: WhatIf[] = [];
  for (const name of cat.facts) {
    if (FIXED.has(name)) continue;
    const def = FACT_BY_NAME.get(name)!;
    let candidates: Value[];
    if (def.type.t === 'enum') candidates = [...def.type.values];
    // an unknown yes/no could turn out either way: both are worth telling
    else if (def.type.t === 'bool') candidates = f[name] === null ? [true, false] : [!f[name]];
    else candidates = [...(literals.get(name) ?? [])].filter((v) => typeof v === 'number' && v >= 0).sort((a, b) => (a as number) - (b as number));
    if (name === 'disabilityGrade') candidates = [0, 1, 2, 3, 4];
    if (name === 'age') candidates = candidates.filter((v) => (v as number) > (f.age as number));
    const seen = new Set<string>();
    for (const to of candidates) {
      if (to === f[name]) continue;
      const next = evaluate({ ...f, [name]: to });
      const gained = entitlements(cat, Object.fromEntries(Object.entries(next).filter(([k]) => !(k in base))), locale);
      const lost = entitlements(cat, Object.fromEntries(Object.entries(base).filter(([k]) => !(k in next))), locale);
      const changed = cat.items
        .filter((i) => i.id in base && i.id in next && base[i.id] !== next[i.id])
        .map((i) => ({ id: i.id, name: i.name, from: benefitText(i, base[i.id]!, locale), to: benefitText(i, next[i.id]!, locale) }));
      if (!gained.length && !lost.length && !changed.length) continue;
      // Ages: report the first age at which each new set of changes happens.
      const sig = JSON.stringify([gained.map((g) => g.id + g.value), lost.map((l) => l.id), changed]);
      if (name === 'age' && seen.has(sig)) continue;
      seen.add(sig);
      out.push({ fact: name, label: def.label, from: f[name] ?? null, to, toLabel: valueLabel(name, to), gained, lost, changed });
    }
  }
  return out;
}

export function valueLabel(fact: string, v: Value): string {
  const def = FACT_BY_NAME.get(fact);
  if (fact === 'age') return `${String(v)} 周岁`;
  if (fact === 'disabilityGrade') return v === 0 ? '无残疾' : `残疾${['', '一', '二', '三', '四'][v as number]}级`;
  return def?.values?.[String(v)] ?? String(v);
}

export interface SelfCheckResult {
  period: string;
  catalogue: { jurisdiction: string; title: string; effective: string };
  entitlements: Entitlement[];
  explanation: Explanation;
  whatIf: WhatIf[];
  /** parameters still unset: amounts that read them are shown as "standard not yet set" */
  unset: string[];
}

export function selfCheck(cat: Catalogue, period: string, params: ResolvedParams, f: Facts, locale: Locale = 'zh-CN'): SelfCheckResult {
  const explanation = explain(cat, period, params, f, locale);
  const out: Outcome = Object.fromEntries(explanation.items.filter((i) => i.granted).map((i) => [i.id, i.value!]));
  return {
    period,
    catalogue: { jurisdiction: cat.jurisdiction, title: cat.title, effective: cat.effective },
    entitlements: entitlements(cat, out, locale),
    explanation,
    whatIf: whatIfs(cat, period, params, f, locale),
    unset: params.unset.map((n) => cat.parameters.get(n)?.label ?? n),
  };
}
