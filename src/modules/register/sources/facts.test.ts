import { describe, expect, it } from 'vitest';
import { REGISTER_FACTS } from './facts.js';
import { fields } from './fields.js';

/**
 * The facts' English labels are what an English reader sees (the public self-check's fields, the
 * console's labels, the why of a decision): never a raw field name ("hardship", "sex", "status"),
 * whether the fact's name, its column, or the name split into words ("disabilityKind" →
 * "disability kind"); a value's label is never its raw code.
 */
const words = (s: string) =>
  s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

describe('register facts in English', () => {
  it('labels no fact with its raw name or column, and no value with its code', () => {
    const raw: string[] = [];
    for (const f of REGISTER_FACTS) {
      const en = f.label.en.trim().toLowerCase();
      const keys = new Set([f.name, ...(f.columns ?? [])].flatMap((k) => [k.toLowerCase(), words(k)]));
      if (!en || keys.has(en)) raw.push(`${f.name}: ${f.label.en}`);
      if (!f.label.zh.trim()) raw.push(`${f.name}: no Chinese label`);
      for (const [v, l] of Object.entries(f.values ?? {})) if (l.en.trim() === v) raw.push(`${f.name}.${v}: ${l.en}`);
    }
    expect(raw).toEqual([]);
  });

  it('labels no import field with its raw key (the import columns, a conflict’s field)', () => {
    const raw = Object.values(fields)
      .filter((f) => !f.labelEn.trim() || f.labelEn.trim().toLowerCase() === f.key.toLowerCase())
      .map((f) => `${f.key}: ${f.labelEn}`);
    expect(raw).toEqual([]);
  });
});
