import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActions, auditEntities, mergeVocabularies, moduleVocabularies } from './vocabulary.js';

const SRC = join(import.meta.dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|mts)$/.test(p) && !/\.test\.ts$|\.d\.m?ts$/.test(p)) out.push(p);
  }
  return out;
}

/** Index just past the end of the string, template or comment starting at i, or i if none does. */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') return text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
  if (c === '/' && text[i + 1] === '*') return text.indexOf('*/', i + 2) + 2;
  if (c !== "'" && c !== '"' && c !== '`') return i;
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === c) return j + 1;
  }
  return text.length;
}

/** The argument text of the call whose '(' is at `open`. */
function callText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length;) {
    const next = skipQuoted(text, i);
    if (next !== i) {
      i = next;
      continue;
    }
    if (text[i] === '(' || text[i] === '{' || text[i] === '[') depth++;
    else if (text[i] === ')' || text[i] === '}' || text[i] === ']') {
      depth--;
      if (depth === 0) return text.slice(open, i + 1);
    }
    i++;
  }
  return text.slice(open);
}

/** The expression after `key:` up to the next ',' or '}' at its own depth. */
function valueOf(call: string, key: string): string[] {
  const out: string[] = [];
  for (const m of call.matchAll(new RegExp(`\\b${key}:\\s*`, 'g'))) {
    let depth = 0;
    let i = m.index + m[0].length;
    const start = i;
    while (i < call.length) {
      const next = skipQuoted(call, i);
      if (next !== i) {
        i = next;
        continue;
      }
      const c = call[i];
      if (c === '(' || c === '{' || c === '[') depth++;
      else if (c === ')' || c === '}' || c === ']') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      i++;
    }
    out.push(call.slice(start, i).trim());
  }
  return out;
}

/**
 * The literal values an `action:` or `entityType:` expression can take: its quoted strings
 * (`locked ? 'auth.locked' : 'auth.login_failed'`), and a template `rolls.${action}` expanded by
 * the union its variable is declared with in the same file (`action: 'submit' | 'approve' | 'return'`).
 */
function literals(expr: string, file: string, text: string): string[] {
  const where = relative(SRC, file);
  const found = [...expr.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => (m[1] ?? m[2])!);
  for (const [template, body] of expr.matchAll(/`([^`]*)`/g)) {
    const t = /^([^$]*)\$\{(\w+)\}([^$]*)$/.exec(body!);
    if (!t) {
      if (body!.includes('${')) throw new Error(`${where}: cannot tell the values of ${template}; write the action as literals`);
      found.push(body!);
      continue;
    }
    const [, before, name, after] = t;
    const union = new RegExp(`\\b${name}\\??:\\s*((?:'[^']+'\\s*\\|\\s*)+'[^']+')`).exec(text);
    if (!union) throw new Error(`${where}: cannot tell the values of ${template}; declare ${name} as a union of literals or write the action as literals`);
    for (const v of union[1]!.matchAll(/'([^']+)'/g)) found.push(`${before}${v[1]}${after}`);
  }
  if (!found.length) throw new Error(`${where}: cannot tell the values of ${expr}; write them as literals`);
  return found;
}

/** Every action and entity type the non-test sources write with recordAudit / auditedRead. */
function written() {
  const actions = new Map<string, string>();
  const entities = new Map<string, string>();
  let calls = 0;
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:recordAudit|auditedRead)\(/g)) {
      const call = callText(text, m.index + m[0].length - 1);
      const where = `${relative(SRC, file)}:${text.slice(0, m.index).split('\n').length}`;
      const acts = valueOf(call, 'action').flatMap((e) => literals(e, file, text));
      if (acts.length) calls++;
      for (const a of acts) actions.set(a, where);
      for (const e of valueOf(call, 'entityType').flatMap((x) => literals(x, file, text))) entities.set(e, where);
    }
  }
  return { actions, entities, calls };
}

const hasWords = (w: { zh: string; en: string } | undefined) => !!w && w.zh.trim() !== '' && w.en.trim() !== '';

describe('audit vocabulary', () => {
  const { actions, entities, calls } = written();

  it('has words in both languages for every audit action and entity type written in src', () => {
    // the scan finds the writers (a broken scan must not pass by finding nothing)
    expect(calls).toBeGreaterThan(25);
    expect([...actions.keys()]).toEqual(
      expect.arrayContaining(['auth.login', 'rolls.submit', 'rolls.approve', 'rolls.return', 'settings.set', 'audit.rekey', 'register.search']),
    );
    expect([...entities.keys()]).toEqual(expect.arrayContaining(['person', 'user', 'roll', 'run', 'import', 'parameter', 'setting']));
    const missing = [
      ...[...actions].filter(([a]) => !hasWords(auditActions[a])).map(([a, where]) => `action ${a} (${where})`),
      ...[...entities].filter(([e]) => !hasWords(auditEntities[e])).map(([e, where]) => `entity type ${e} (${where})`),
    ];
    // add the words to the writing module's src/modules/<m>/<m>.vocabulary.ts
    expect(missing).toEqual([]);
  });

  it('every declared word is in both languages', () => {
    for (const [id, v] of Object.entries(moduleVocabularies)) {
      for (const [key, w] of [...Object.entries(v.actions), ...Object.entries(v.entities)]) expect(hasWords(w), `${id}: ${key}`).toBe(true);
    }
  });

  it('refuses a key two modules both declare', () => {
    const w = { zh: '查看', en: 'View' };
    expect(() => mergeVocabularies({ a: { actions: { 'x.read': w }, entities: {} }, b: { actions: { 'x.read': w }, entities: {} } })).toThrow(
      /'x\.read' is declared by both a and b/,
    );
    expect(() => mergeVocabularies({ a: { actions: {}, entities: { roll: w } }, b: { actions: {}, entities: { roll: w } } })).toThrow(
      /entity type 'roll' is declared by both a and b/,
    );
  });
});
