import { describe, expect, it } from 'vitest';
import type { Parameter } from './catalogue.loader.js';
import { valueOn, withSourceWords, type ParamOverride } from './engine.js';

/**
 * A parameter value set in the console says who set it in both languages (the English run page
 * showed "管理员设定（system:demo，…）"), the platform's own accounts in words (演示数据 / Demo data,
 * 系统 / System) as the console names them; a run recorded before gets the English text when shown.
 */
const param: Parameter = {
  name: 'nx_gaoling_80',
  label: '80-89周岁高龄津贴月标准',
  type: 'money',
  unit: null,
  values: [{ from: '2024-01-01', to: null, value: 6000, source: '南浔区清单第1项' }],
};
const set = (setBy: string, note = ''): ParamOverride => ({ name: param.name, from: '2025-01-01', value: 8000, note, setBy, setAt: '2025-01-02T03:04:05Z' });

describe('a parameter value’s source', () => {
  it('names who set it in Chinese and English, system accounts in words', () => {
    expect(valueOn(param, [set('system:demo', '演示：提标')], '2025-06-30')).toMatchObject({
      value: 8000,
      source: '管理员设定（演示数据，2025-01-02）：演示：提标',
      sourceEn: 'Set by an administrator (Demo data, 2025-01-02): 演示：提标',
    });
    expect(valueOn(param, [set('system')], '2025-06-30')).toMatchObject({
      source: '管理员设定（系统，2025-01-02）',
      sourceEn: 'Set by an administrator (System, 2025-01-02)',
    });
    expect(valueOn(param, [set('王科长')], '2025-06-30')).toMatchObject({
      source: '管理员设定（王科长，2025-01-02）',
      sourceEn: 'Set by an administrator (王科长, 2025-01-02)',
    });
    // the file's value: its citation, the same in both
    expect(withSourceWords(valueOn(param, [], '2024-06-30')!)).toEqual({ value: 6000, from: '2024-01-01', to: null, source: '南浔区清单第1项' });
  });

  it('gives a run recorded before its English text and the account’s words', () => {
    const old = { value: 8000, from: '2025-01-01', to: null, source: '管理员设定（system:demo，2025-01-02）：演示：提标' };
    expect(withSourceWords(old)).toEqual({
      ...old,
      source: '管理员设定（演示数据，2025-01-02）：演示：提标',
      sourceEn: 'Set by an administrator (Demo data, 2025-01-02): 演示：提标',
    });
  });
});
