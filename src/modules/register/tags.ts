import type { PersonRow } from '../../db/tables.js';
import type { TagDecl, Words } from '../../lib/rules/facts.js';
import { AppError } from '../../platform/errors.js';
import { ageOn } from '../../platform/time.js';
import { REGISTER_FACTS } from './sources/facts.js';

/**
 * The register's search tags, derived from the fact declarations (register/sources/facts.ts,
 * `tags`): a flag tags the persons for whom it is 1, an enum by its values or by "any value but
 * none", the age by thresholds. A person row shows them, the search filters by them, and
 * `GET /api/facts` gives their labels to the console: a newly declared flag is searchable and
 * shown with no other edit.
 */
export interface SearchTag extends TagDecl {
  /** the fact that gives the tag */
  fact: string;
}

export const SEARCH_TAGS: readonly SearchTag[] = REGISTER_FACTS.flatMap((d) => (d.tags ?? []).map((t) => ({ ...t, fact: d.name })));

const BY_KEY = new Map<string, SearchTag>();
for (const t of SEARCH_TAGS) {
  if (BY_KEY.has(t.key)) throw new Error(`search tag "${t.key}" is declared by both ${BY_KEY.get(t.key)!.fact} and ${t.fact}`);
  if (!/^[a-z][a-z0-9_]*$/.test(t.column)) throw new Error(`search tag "${t.key}": column "${t.column}" is not a plain identifier`);
  BY_KEY.set(t.key, t);
}

export function findTag(key: string): SearchTag | undefined {
  return BY_KEY.get(key);
}

/** The tags the console lists and labels (`GET /api/facts`). */
export function tagInfos(): { key: string; fact: string; label: string; labelEn: string }[] {
  return SEARCH_TAGS.map((t) => ({ key: t.key, fact: t.fact, label: t.label.zh, labelEn: t.label.en }));
}

export function tagLabel(key: string): Words | undefined {
  return BY_KEY.get(key)?.label;
}

/** Tags of a search that no declaration gives: a 400 that names them. */
export function checkTags(tags: readonly string[]): void {
  const unknown = [...new Set(tags.filter((t) => !BY_KEY.has(t)))];
  if (unknown.length === 0) return;
  throw new AppError(
    'VALIDATION',
    { issues: [{ field: 'querystring.tags', issue: 'unrecognized_keys', keys: unknown }] },
    { unknownTags: unknown, tags: SEARCH_TAGS.map((t) => t.key) },
  );
}

const isNone = (v: unknown, none: readonly (string | number)[]) => v === null || v === undefined || none.some((n) => String(n) === String(v));

/** Whether a tag's column condition holds for a row (not the age tags). */
function holds(t: SearchTag, row: Record<string, unknown>): boolean {
  const v = row[t.column];
  if ('is' in t.when) return v !== null && v !== undefined && String(v) === String(t.when.is);
  if ('notNone' in t.when) return !isNone(v, t.when.notNone);
  return false;
}

/** Tags a person carries (lists and the profile): of the age tags only the highest reached. */
export function personTags(p: PersonRow, on: string): string[] {
  const row = p as unknown as Record<string, unknown>;
  const tags = SEARCH_TAGS.filter((t) => !('ageAtLeast' in t.when) && holds(t, row)).map((t) => t.key);
  const age = ageOn(p.birth_date, on);
  const ages = SEARCH_TAGS.filter((t) => 'ageAtLeast' in t.when && age >= t.when.ageAtLeast).sort((a, b) => ageAtLeast(b) - ageAtLeast(a));
  if (ages[0]) tags.push(ages[0].key);
  return tags;
}

const ageAtLeast = (t: SearchTag) => ('ageAtLeast' in t.when ? t.when.ageAtLeast : 0);

/** The latest birth date at which someone has reached `age` on `on`. */
function bornBy(age: number, on: string): string {
  const [y, m, d] = on.split('-');
  return `${Number(y) - age}-${m}-${d}`;
}

/** What a search's tags ask of the person row: column conditions, and a latest birth date for the age tags. */
export function tagFilter(tags: readonly string[], on: string): { conditions: SearchTag[]; bornOnOrBefore?: string } {
  checkTags(tags);
  const picked = [...new Set(tags)].map((k) => BY_KEY.get(k)!);
  const oldest = Math.max(0, ...picked.map(ageAtLeast));
  return { conditions: picked.filter((t) => !('ageAtLeast' in t.when)), ...(oldest > 0 ? { bornOnOrBefore: bornBy(oldest, on) } : {}) };
}
