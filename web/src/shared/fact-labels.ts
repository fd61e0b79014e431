import type { FactValue } from '../modules/entitlements/types';
import type { Locale } from './i18n-core';
import { DECLARATIONS } from '../../../src/modules/catalogue/declarations';

/**
 * The person facts catalogue rules read and the labels of their values, in both languages, taken
 * from the facts' declarations (src/modules/register/sources/facts.ts and the other owners): the
 * self-check form and the explanations show them. Nothing here is kept by hand but the living
 * situation, which the form asks as one question for four facts.
 */
type Labels = Record<string, { zh: string; en: string }>;

export const factLabels: Labels = Object.fromEntries(DECLARATIONS.map((d) => [d.name, d.label]));
const valueLabels: Record<string, Labels> = Object.fromEntries(DECLARATIONS.filter((d) => d.values && d.type.t !== 'bool').map((d) => [d.name, d.values!]));
export const declaredValueLabels = (fact: string): Labels => valueLabels[fact] ?? {};

export const livingLabels: Labels = {
  alone: { zh: '独居', en: 'Lives alone' },
  empty_nest: { zh: '空巢', en: 'Empty nest' },
  left_behind: { zh: '留守', en: 'Left behind' },
  solitary: { zh: '孤寡', en: 'Without family' },
};

function pickLabel(labels: Labels | undefined, key: string, locale: Locale): string | undefined {
  const l = labels?.[key];
  return l ? (locale === 'en' ? l.en : l.zh) : undefined;
}

export function factLabel(name: string, locale: Locale): string {
  return pickLabel(factLabels, name, locale) ?? name;
}

/** A fact's value as people read it: 是/否, the enum's label, "82 周岁". */
export function factValueLabel(name: string, v: FactValue | null | undefined, locale: Locale): string {
  if (v === undefined) return '—';
  // a fact that no department has stated: unknown, not "no"
  if (v === null) return locale === 'en' ? 'unknown' : '未知';
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'yes' : 'no') : v ? '是' : '否';
  if (Array.isArray(v)) return `[${v.map((x) => factValueLabel(name, x, locale)).join(', ')}]`;
  if (name === 'age') return locale === 'en' ? `${String(v)}` : `${String(v)} 周岁`;
  return pickLabel(valueLabels[name], String(v), locale) ?? String(v);
}

export function options(labels: Labels, locale: Locale): { value: string; label: string }[] {
  return Object.entries(labels).map(([value, l]) => ({ value, label: locale === 'en' ? l.en : l.zh }));
}
