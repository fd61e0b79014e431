import { describe, expect, it } from 'vitest';
import { displayValue, fields, type FieldKey } from '../../src/modules/register/sources/fields';
import { DECLARATIONS } from '../../src/modules/catalogue/declarations';
import { fieldValueLabel } from './shared/fact-labels';

const CJK = /[\u3400-\u9fff]/;

// Issue 14: the profile, its history and the conflicts show register values (救助类别, 户籍状态,
// 残疾等级, ...) as the server words them, in Chinese; the English console shows the facts' English labels.
describe('register values in the viewer’s language', () => {
  it('words every declared value of every register field in English, and leaves Chinese as the server words it', () => {
    let seen = 0;
    for (const d of DECLARATIONS) {
      if (!(d.name in fields) || !d.values) continue;
      for (const key of Object.keys(d.values)) {
        const raw = key === 'true' ? '1' : key === 'false' ? '0' : key;
        const shown = displayValue(d.name as FieldKey, raw);
        if (shown === raw) continue; // a value the server does not word (e.g. 0 for no disability: shown as '')
        expect(fieldValueLabel(d.name, shown, 'en'), `${d.name}=${key} (${shown})`).not.toMatch(CJK);
        expect(fieldValueLabel(d.name, shown, 'zh-CN')).toBe(shown);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(30);
  });

  it('gives the declared labels, the living situation word by word, and keeps what no fact declares', () => {
    expect(fieldValueLabel('hardship', '特困（分散供养）', 'en')).toBe('Extreme poverty (at home)');
    expect(fieldValueLabel('status', '正常', 'en')).toBe('Active');
    expect(fieldValueLabel('disabilityGrade', '二级', 'en')).toBe('Grade 2');
    expect(fieldValueLabel('disabilityGrade', '无', 'en')).toBe('None');
    expect(fieldValueLabel('pensionType', '城乡居民', 'en')).toBe('Urban and rural resident');
    expect(fieldValueLabel('hukouLocal', '本地', 'en')).toBe('yes');
    expect(fieldValueLabel('medicalInsured', '未参保', 'en')).toBe('no');
    expect(fieldValueLabel('livingSituation', '独居、空巢', 'en')).toBe('Lives alone, Empty nest');
    expect(fieldValueLabel('livingSituation', '与家人同住', 'en')).toBe('Lives with family');
    // names, diseases and banks are what they are
    expect(fieldValueLabel('name', '欧阳秀英', 'en')).toBe('欧阳秀英');
    expect(fieldValueLabel('chronicDiseases', '高血压、糖尿病', 'en')).toBe('高血压、糖尿病');
    expect(fieldValueLabel('hardship', null, 'en')).toBeNull();
  });
});
