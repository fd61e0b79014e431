import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../testing/harness.js';
import { profileSchema } from '../catalogue/profile.js';
import { publicSelfCheck } from './entitlements.service.js';

/**
 * The public self-check: a person who answers 失能等级 不清楚 (not sure) is told 需核实 for the
 * items that read it, not "no" — found by the newcomer's run of issue 13: the form sent the grade
 * as 'none' with only 需要长期照护 unknown, and Nanxun's items read the grade itself.
 */
describe('self-check with a fact the person does not know', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
  });
  afterAll(async () => ctx?.cleanup());

  const person = { birthDate: '1940-03-01', status: 'active', living: [], hukouLocal: true, urban: true };

  it('lists an item reading 失能等级 as to verify, with the fact, when the grade is not known', async () => {
    const profile = profileSchema.parse({ ...person, unknown: ['ltcGrade'] });
    const r = await publicSelfCheck(ctx, profile as never);
    const nx11 = r.explanation.items.find((i) => i.id === 'nx-11')!;
    expect(nx11.granted).toBe(false);
    // nx-11 reads 失能程度 (the assessment, else the LTC grade): not known with the grade
    expect(nx11.missing).toContain('disablement');
  });

  it('still answers no when the person says the grade is none', async () => {
    const profile = profileSchema.parse({ ...person, ltcGrade: 'none' });
    const r = await publicSelfCheck(ctx, profile as never);
    const nx11 = r.explanation.items.find((i) => i.id === 'nx-11')!;
    expect(nx11).toMatchObject({ granted: false, missing: [] });
  });
});
