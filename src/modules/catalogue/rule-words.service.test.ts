import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { today } from '../../platform/time.js';
import { setParameter, viewCatalogue } from './catalogue.service.js';

describe.each(dialects)('the catalogue page says each rule in words on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
  });
  afterAll(async () => ctx.cleanup());

  it('answers a sentence per item, and amounts with the parameter value in force', async () => {
    const admin = await userScope(ctx, 'admin');
    const before = await viewCatalogue(ctx, admin, 'nanxun');
    expect(before.items.length).toBeGreaterThan(30);
    for (const it of before.items) {
      expect(it.sentence.zh).not.toMatch(/[A-Za-z_]/);
      expect(it.sentence.en).not.toMatch(/_|&&|\|\|/);
    }
    expect(before.items.find((i) => i.id === 'nx-12')!.sentence).toEqual({
      zh: '年满80周岁且为本地户籍',
      en: 'aged 80 or over and has local household registration',
    });
    expect(before.items.find((i) => i.id === 'nx-10')!.amountSentence!.zh).toBe('高龄津贴（80周岁以上）（现为60元/月）');
    expect(before.items.find((i) => i.id === 'nx-4')!.amountSentence).toBeNull();

    await setParameter(ctx, admin, { jurisdiction: 'nanxun', name: 'nx_high_age', from: today(), value: '75.5', note: '测试' });
    const after = await viewCatalogue(ctx, admin, 'nanxun');
    expect(after.items.find((i) => i.id === 'nx-10')!.amountSentence).toEqual({
      zh: '高龄津贴（80周岁以上）（现为75.50元/月）',
      en: '高龄津贴（80周岁以上） (now 75.50 yuan a month)',
    });
  });
});
