import { describe, expect, it } from 'vitest';
import { rowReasons, rowReasonText, storedRowReason, type RowReasonCode } from './row-reasons.js';

const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
const holes = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('import row reasons', () => {
  it('every reason reads in both languages with the same placeholders, all filled, no Chinese in English', () => {
    for (const [code, t] of Object.entries(rowReasons)) {
      expect(holes(t.en), code).toEqual(holes(t.zh));
      const params = Object.fromEntries(holes(t.zh).map((h) => [h, h === 'field' ? 'sex' : 7]));
      const en = rowReasonText({ code: code as RowReasonCode, params }, 'en');
      const zh = rowReasonText({ code: code as RowReasonCode, params }, 'zh-CN');
      expect(en, code).not.toMatch(/[{}]/);
      expect(zh, code).not.toMatch(/[{}]/);
      expect(en, code).not.toMatch(CJK);
      expect(zh, code).toMatch(CJK);
    }
  });

  it("names a field by its declared label in the reader's language", () => {
    const r = { code: 'not_allowed', params: { field: 'hardship', value: 'rich', allowed: 'a/b' } } as const;
    expect(rowReasonText(r, 'en')).toBe('social assistance category: "rich" is not one of the allowed values (a/b)');
    expect(rowReasonText(r, 'zh-CN')).toBe('救助类别“rich”不在可选值中（a/b）');
  });

  it('words a stored row from its code and params, and shows a row stored before codes as written', () => {
    expect(storedRowReason({ code: 'duplicate', params: '{"firstRow":4}', reason: '与第 4 行的身份证号重复' }, 'en')).toBe('Same resident ID as row 4');
    expect(storedRowReason({ code: 'invalid', params: null, reason: '旧的原因' }, 'en')).toBe('旧的原因');
  });
});
