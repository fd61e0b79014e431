import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assign } from '../assessment/assignments.js';
import { cosignAssessment, reviewAssessment, submitAssessment, syncAssessment } from '../assessment/assessments.service.js';
import { answersFor, SIGNATURE } from '../demo/assessments.js';
import { mulberry32 } from '../demo/generator.js';
import { seedDemo } from '../demo/seed.js';
import { today } from '../../platform/time.js';
import { createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { changeList, personEntitlements } from './entitlements.service.js';
import { startRun } from './runs.service.js';

/**
 * A reviewed capability assessment is a person fact the next run reads (issue 15): a 低保 elder
 * assessed 重度失能 is granted Nanxun's 护理补贴 at the severe standard, and the run's change list
 * names the grant.
 */
describe.each(dialects)('the assessed level in the entitlement run (%s)', (dialect) => {
  let ctx: TestContext;
  let personId = 0;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 300, seed: 21 });
  });
  afterAll(async () => ctx?.cleanup());

  it('重度失能 reviewed → 护理补贴 (nx-19) granted at the severe standard, listed as new in the next run', async () => {
    const town = (await ctx.db.selectFrom('users').select('region_code').where('username', '=', 'assessor1').executeTakeFirstOrThrow()).region_code;
    const prefix = ctx.regions.get(town)!.prefix;
    const p = await ctx.db
      .selectFrom('persons')
      .select(['id'])
      .where('status', '=', 'active')
      .where('hardship', '=', 'dibao')
      .where('capability_level', 'is', null)
      .where('ltc_grade', 'is', null)
      .where('region_code', 'like', `${prefix}%`)
      .orderBy('id')
      .executeTakeFirst();
    if (!p) throw new Error('the demo county has no unassessed 低保 elder in town 1');
    personId = p.id;
    const nx19 = async () =>
      (await personEntitlements(ctx, await userScope(ctx, 'admin'), personId)).decision!.explanation!.items.find((i) => i.id === 'nx-19')!;
    expect((await nx19()).granted).toBe(false);

    const admin = await userScope(ctx, 'admin');
    const a1 = await userScope(ctx, 'assessor1');
    const a2 = await userScope(ctx, 'assessor2');
    await assign(ctx, admin, { personIds: [personId], assessorId: a1.userId!, note: '' });
    const draft = await syncAssessment(ctx, a1, {
      clientId: randomUUID(),
      baseVersion: null,
      personId,
      instrumentVersion: '2022',
      referenceDate: today(),
      place: 'home',
      reason: 'first',
      assessor2Id: a2.userId,
      supersedesId: null,
      correctionReason: null,
      answers: answersFor(35, mulberry32(7)),
      basic: {},
      health: {},
      notes: '',
      signatures: { assessor1: SIGNATURE, elder: { image: SIGNATURE, signer: 'guardian', name: '监护人' } },
    } as never);
    expect(draft.assessment.scoring.final).toBe('severe');
    const submitted = await submitAssessment(ctx, a1, draft.assessment.id, draft.assessment.version);
    const cosigned = await cosignAssessment(ctx, a2, submitted.id, { version: submitted.version, signature: SIGNATURE });
    await reviewAssessment(ctx, await userScope(ctx, 'town1'), cosigned.id, { version: cosigned.version, decision: 'approve', note: '' });

    const { run, done } = await startRun(ctx, admin, today().slice(0, 7));
    await done;
    const changes = await changeList(ctx, admin, run.id, { page: 1, pageSize: 100, itemId: 'nx-19', kind: 'new' });
    expect(JSON.stringify(changes)).toContain(`"personId":${personId}`);
    // the demo's standard for 重度: 200 yuan a month
    expect(await nx19()).toMatchObject({ granted: true, value: 20000 });
  });
});
