import { fields as registerFields } from '../../../src/modules/register/sources/fields';
import { actorWords, auditActions, auditEntities, roleWords } from '../../../src/modules/vocabulary';
import { factLabels } from './fact-labels';
import type { Locale } from './i18n-core';

/** Labels of codes the server sends as keys: roles, audit actions and objects. Chinese first, English second. */
type Labels = Record<string, { zh: string; en: string }>;

/** The roles' display names (src/modules/vocabulary.ts: the server prints them too), and the platform's own account. */
export const roleLabels: Labels = roleWords;

/**
 * Who did something, as a person reads it: the platform's own accounts ("system:demo" seeding the
 * demo, "system" a scheduled job) in words, anyone else by their name.
 */
export function actorName(name: string, locale: Locale): string {
  const w = actorWords(name);
  return locale === 'en' ? w.en : w.zh;
}

/** A parameter value's source as shown: the English text of a value set in the console (a file's citation is the document's own title). */
export function paramSource(u: { source: string; sourceEn?: string }, locale: Locale): string {
  return locale === 'en' ? (u.sourceEn ?? u.source) : u.source;
}

/** Tag colours group the kinds: living situation, hardship, health, age. */
export const tagColors: Record<string, string> = {
  living_alone: 'orange',
  empty_nest: 'orange',
  left_behind: 'orange',
  solitary: 'volcano',
  special_family: 'magenta',
  dibao: 'gold',
  dibao_edge: 'gold',
  tekun_dispersed: 'red',
  tekun_concentrated: 'red',
  disabled: 'purple',
  ltc: 'purple',
  veteran: 'cyan',
  special_contribution: 'cyan',
  vagrant: 'red',
  age80: 'blue',
  age90: 'geekblue',
  age100: 'geekblue',
};

export function label(labels: Labels, key: string, locale: Locale): string {
  const l = labels[key];
  return l ? (locale === 'en' ? l.en : l.zh) : key;
}

/**
 * Audit actions and the entity types they name, in words: each module declares its own
 * (src/modules/<m>/<m>.vocabulary.ts, merged in src/modules/vocabulary.ts), so a new capability
 * brings its words with it. An action without words still shows, as its code.
 */
export const auditActionLabels: Labels = auditActions;

/** Entity types in the audit log. */
export const entityTypeLabels: Labels = auditEntities;

/**
 * A field named in an audit entry, in words: the register's fields by their declared labels
 * (src/modules/register/sources/fields.ts), then the person facts; anything else (a parameter or
 * setting name) as its code.
 */
export function auditFieldLabel(key: string, locale: Locale): string {
  const f = (registerFields as Record<string, { label: string; labelEn: string } | undefined>)[key];
  if (f) return locale === 'en' ? f.labelEn : f.label;
  return label(factLabels, key, locale);
}

export function auditFieldList(keys: string[], locale: Locale): string {
  return keys.map((k) => auditFieldLabel(k, locale)).join(locale === 'en' ? ', ' : '、');
}
