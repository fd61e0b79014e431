import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, errorCatalogue, formatMessage, issueText, notFound, nouns, zodIssue, type ErrorCode, type FieldIssue } from './errors.js';

const SRC = join(import.meta.dirname, '..');
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const holes = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}
const sources = sourceFiles(SRC).map((p) => ({ path: relative(SRC, p), text: readFileSync(p, 'utf8') }));

/** Files allowed free-text errors: none any more (the catalogue switched to the PARAM_* codes). */
const LEGACY_FREE_TEXT = new Set<string>();

const ISSUES: FieldIssue[] = [
  { field: 'body.period', issue: 'invalid_type', expected: 'string' },
  { field: 'body.note', issue: 'too_small', origin: 'string', minimum: 1 },
  { field: 'querystring.pageSize', issue: 'too_big', origin: 'number', maximum: 500 },
  { field: 'body.from', issue: 'invalid_format', format: 'regex' },
  { field: 'body.action', issue: 'invalid_value', values: ['submit', 'approve'] },
  { field: 'body', issue: 'unrecognized_keys', keys: ['extra'] },
  { field: 'body.value', issue: 'invalid_union' },
  { field: 'body.n', issue: 'not_multiple_of' },
  { field: 'body.x', issue: 'custom' },
];

/** Sample params for a code: every hole a label in both languages, ASCII in English. */
function sample(code: ErrorCode): never {
  if (code === 'VALIDATION') return { issues: ISSUES } as never;
  const entry = errorCatalogue[code];
  const p: Record<string, { zh: string; en: string }> = {};
  for (const h of [...holes(entry.zh), ...holes(entry.en)]) p[h] = { zh: `值${h}`, en: `value-${h}` };
  return p as never;
}

describe('error catalogue', () => {
  it('has no free-text hole: no {detail}, the same placeholders in both languages', () => {
    expect(Object.keys(errorCatalogue)).not.toContain('CONFLICT');
    for (const [code, e] of Object.entries(errorCatalogue)) {
      expect(holes(e.zh), code).not.toContain('detail');
      expect(holes(e.en), code).not.toContain('detail');
      expect(holes(e.en), code).toEqual(holes(e.zh));
      expect(e.en, code).not.toMatch(CJK);
      expect(e.zh, code).toMatch(CJK);
    }
  });

  it('fills every placeholder of every code in both languages, with no Chinese in English', () => {
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
      const en = formatMessage(code, sample(code), 'en');
      const zh = formatMessage(code, sample(code), 'zh-CN');
      expect(en, code).not.toMatch(/[{}]/);
      expect(zh, code).not.toMatch(/[{}]/);
      expect(en, code).not.toMatch(CJK);
      expect(zh, code).not.toEqual(en);
    }
  });

  it("words each validation issue in the viewer's language and keeps its field path", () => {
    for (const i of ISSUES) {
      const en = issueText(i, 'en');
      const zh = issueText(i, 'zh-CN');
      expect(en.startsWith(`${i.field}: `), en).toBe(true);
      expect(zh.startsWith(`${i.field}: `), zh).toBe(true);
      expect(en).not.toMatch(CJK);
      expect(zh).toMatch(CJK);
    }
    expect(issueText(ISSUES[2]!, 'en')).toContain('500');
    expect(issueText(ISSUES[4]!, 'zh-CN')).toContain('submit, approve');
  });

  it("words a zod issue met outside Fastify (a setting's value) by its code, not zod's English text", () => {
    const parsed = z.object({ days: z.number().int().min(1) }).safeParse({ days: 0 });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues.map((i) => zodIssue(['value', ...i.path.map(String)].join('.'), i));
    expect(formatMessage('SETTING_INVALID', { name: 'visit_days', issues }, 'en')).toBe(
      'Invalid value for setting "visit_days": value.days: must be at least 1',
    );
    expect(formatMessage('SETTING_INVALID', { name: 'visit_days', issues }, 'zh-CN')).toBe('设置“visit_days”的取值有误：value.days: 不能小于 1');
  });

  it('every code thrown in src exists in the catalogue', () => {
    const used = new Set<string>();
    for (const s of sources) for (const m of s.text.matchAll(/new AppError(?:<'(\w+)'>)?\(\s*'(\w+)'/g)) used.add(m[2]!);
    expect(used.size).toBeGreaterThan(20);
    for (const code of used) expect(Object.keys(errorCatalogue), code).toContain(code);
  });

  it('no throw site outside the listed legacy file passes free text (CONFLICT, detail, <param>En)', () => {
    const offenders: string[] = [];
    for (const s of sources) {
      if (LEGACY_FREE_TEXT.has(s.path)) continue;
      for (const m of s.text.matchAll(/new AppError(?:<[^>]*>)?\(\s*'(\w+)'[^;]*/g)) {
        if (m[1] === 'CONFLICT' || /\bdetail(En)?\s*:|\w+En\s*:/.test(m[0])) offenders.push(`${s.path}: ${m[0].slice(0, 80)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('names what was not found by a declared noun: two free strings only in the listed legacy files', () => {
    const legacy = LEGACY_FREE_TEXT;
    const offenders = sources.filter((s) => !legacy.has(s.path) && s.path !== 'platform/errors.ts' && /notFound\([^)]*,/.test(s.text)).map((s) => s.path);
    expect(offenders).toEqual([]);
    expect(notFound('roll').message).toBe('Payment roll not found');
    expect(formatMessage('NOT_FOUND', notFound('roll').params, 'zh-CN')).toBe('未找到发放名册');
    for (const [noun, t] of Object.entries(nouns)) expect(t.en, noun).not.toMatch(CJK);
  });

  it('types params from the templates', () => {
    // a missing or unknown parameter does not compile; the runtime shows the same shape
    const e = new AppError('ROLL_PAID', { id: 7 });
    expect(e.status).toBe(409);
    expect(formatMessage('ROLL_PAID', e.params, 'en')).toContain('no. 7');
    // @ts-expect-error -- PERIOD_FORMAT needs its period
    expect(new AppError('PERIOD_FORMAT').message).toContain('{period}');
    // @ts-expect-error -- detail is no parameter of PERIOD_FORMAT
    void new AppError('PERIOD_FORMAT', { period: '2026-13', detail: 'x' });
    expect(new AppError('NOT_FOUND', { what: { zh: '人员', en: 'Person' } }).message).toBe('Person not found');
  });
});
