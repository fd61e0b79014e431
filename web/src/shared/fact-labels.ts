import type { FactValue } from '../modules/entitlements/types';
import type { Locale } from './i18n-core';
import { DECLARATIONS } from '../../../src/modules/catalogue/declarations';
import { displayValue, type FieldKey } from '../../../src/modules/register/sources/fields';

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

/** 与家人同住: the living situation when none of the four holds */
const withFamily = { zh: '与家人同住', en: 'Lives with family' };

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

/** The spellings a declared value may have in a register column: the key, 1/0 for yes/no, '' for none. */
function columnSpellings(key: string): string[] {
  if (key === 'true') return ['1'];
  if (key === 'false') return ['0'];
  if (key === 'none' || key === '0') return [key, ''];
  return [key];
}

const livingEn: Record<string, string> = Object.fromEntries(Object.values(livingLabels).map((l) => [l.zh, l.en]));

/**
 * A register field's value as the server words it (Chinese, register/sources/fields.ts
 * displayValue: the profile, its history and the conflicts) in the viewer's language: in English
 * the fact's declared English label of the value that the server words so. A value no fact
 * declares (a name, a date, a disease list, a bank) stays as it is.
 */
export function fieldValueLabel(field: string, shown: string | null | undefined, locale: Locale): string | null {
  if (shown === null || shown === undefined || shown === '' || locale !== 'en') return shown ?? null;
  if (field === 'livingSituation') {
    if (shown === displayValue('livingSituation', '')) return withFamily.en;
    return shown
      .split('、')
      .map((v) => livingEn[v] ?? v)
      .join(', ');
  }
  const labels = DECLARATIONS.find((d) => d.name === field)?.values;
  for (const [key, l] of Object.entries(labels ?? {})) {
    if (columnSpellings(key).some((raw) => displayValue(field as FieldKey, raw) === shown)) return l.en;
  }
  return shown;
}
