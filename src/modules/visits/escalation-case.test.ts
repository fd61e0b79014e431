import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs } from '../../testing/http.js';
import { workbench } from '../workbench/workbench.service.js';
import { raiseEscalations } from './escalation.js';
import { addDue, addPlanMember, mondayOf, shiftDays } from './work.fixtures.js';

/**
 * An escalation and its hotline ticket are one case (issue 16, newcomer's run): closing the
 * escalation closes its open ticket with the same resolution, and closing the ticket closes the
 * escalation when it is still open — in one transaction, each audited; the hotline's queue and the
 * village head's card no longer keep what the other closed. Two handlers closing the two at once
 * close the case once.
 */
describe.each(dialects)('an escalation and its hotline ticket on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let village1: string;
  let n = 0;
  const on = today();
  const thisMonday = mondayOf(on);
  const week = (k: number) => ({ windowStart: shiftDays(thisMonday, -7 * k), windowEnd: shiftDays(thisMonday, -7 * k + 6) });

  /** A high-risk plan member of village1 who missed the last two weeks, escalated; returns the escalation and its ticket. */
  async function escalated(key: string): Promise<{ personId: number; escalationId: number; followupId: number }> {
    n++;
    const now = nowIso();
    const { id: personId } = await ctx.db
      .insertInto('persons')
      .values({
        id_hash: `hash-${key}-${randomUUID()}`,
        id_enc: 'placeholder',
        id_masked: `330503********${String(n).padStart(4, '0')}`,
        name: `升级${key}`,
        sex: 'F',
        birth_date: '1938-05-01',
        region_code: village1,
        hukou_local: 1,
        phone_enc: null,
        phone_masked: null,
        status: 'active',
        closed_on: null,
        hardship: 'none',
        provenance: '{}',
        created_at: now,
        updated_at: now,
      } as NewPerson)
      .returning('id')
      .executeTakeFirstOrThrow();
    const member = await addPlanMember(ctx.db, { personId, regionCode: village1, highRisk: true });
    await addDue(ctx.db, member, { ...week(2), status: 'missed' });
    await addDue(ctx.db, member, { ...week(1), status: 'missed' });
    expect(await raiseEscalations(ctx, on)).toBe(1);
    const esc = await ctx.db.selectFrom('visit_escalations').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow();
    const fu = await ctx.db.selectFrom('visit_followups').select('id').where('escalation_id', '=', esc.id).executeTakeFirstOrThrow();
    return { personId, escalationId: esc.id, followupId: fu.id };
  }

  const state = async (c: { escalationId: number; followupId: number }) => {
    const e = await ctx.db.selectFrom('visit_escalations').selectAll().where('id', '=', c.escalationId).executeTakeFirstOrThrow();
    const f = await ctx.db.selectFrom('visit_followups').selectAll().where('id', '=', c.followupId).executeTakeFirstOrThrow();
    return {
      escalation: { status: e.status, resolution: e.resolution ? ctx.cipher.decrypt(e.resolution) : null, closedBy: e.closed_by },
      followup: { status: f.status, resolution: f.resolution ? ctx.cipher.decrypt(f.resolution) : null, closedBy: f.closed_by },
      sealed: [e.resolution ?? '', f.resolution ?? ''],
    };
  };
  const audits = async (action: string, entityId: number) =>
    (await ctx.db.selectFrom('audit_log').select(['detail']).where('action', '=', action).where('entity_id', '=', String(entityId)).execute()).length;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
    village1 = (await userScope(ctx, 'head1')).regionCode;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it("closing the escalation closes its hotline ticket with the same resolution, audited; the hotline's queue empties", async () => {
    const c = await escalated('a');
    const head = await loginAs(app, 'head1');
    const hotline = await loginAs(app, 'hotline1');
    const queue = async () =>
      (await call(app, hotline, { method: 'GET', url: '/api/visits/followups?kind=hotline' })).json<{ items: { id: number }[] }>().items.map((i) => i.id);
    expect(await queue()).toContain(c.followupId);
    const hotlineScope = await userScope(ctx, 'hotline1');
    const openBefore = (await workbench(ctx, hotlineScope)).visits!.followupsOpen;

    const res = await call(app, head, { method: 'POST', url: `/api/visits/escalations/${c.escalationId}/close`, payload: { resolution: '已上门，老人住院' } });
    expect(res.statusCode).toBe(200);
    const s = await state(c);
    expect(s.escalation).toMatchObject({ status: 'closed', resolution: '已上门，老人住院' });
    expect(s.followup).toMatchObject({ status: 'closed', resolution: '已上门，老人住院', closedBy: s.escalation.closedBy });
    for (const sealed of s.sealed) expect(sealed).not.toContain('住院');
    expect(await audits('visits.escalation_close', c.escalationId)).toBe(1);
    expect(await audits('visits.followup_close', c.followupId)).toBe(1);
    expect(await queue()).not.toContain(c.followupId);
    expect((await workbench(ctx, hotlineScope)).visits!.followupsOpen).toBe(openBefore - 1);
    // the ticket is closed: the hotline is told so, and nothing more is written
    const again = await call(app, hotline, { method: 'POST', url: `/api/visits/followups/${c.followupId}/close`, payload: { resolution: '再次' } });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('VISIT_FOLLOWUP_CLOSED');
    expect(await audits('visits.followup_close', c.followupId)).toBe(1);
  });

  it('closing the hotline ticket closes its escalation when still open, with the same resolution, audited', async () => {
    const c = await escalated('b');
    const hotline = await loginAs(app, 'hotline1');
    const head = await loginAs(app, 'head1');
    // the village head acknowledged it first: still not closed
    expect((await call(app, head, { method: 'POST', url: `/api/visits/escalations/${c.escalationId}/acknowledge`, payload: {} })).statusCode).toBe(200);
    const res = await call(app, hotline, { method: 'POST', url: `/api/visits/followups/${c.followupId}/close`, payload: { resolution: '已电话联系家属' } });
    expect(res.statusCode).toBe(200);
    const s = await state(c);
    expect(s.followup).toMatchObject({ status: 'closed', resolution: '已电话联系家属' });
    expect(s.escalation).toMatchObject({ status: 'closed', resolution: '已电话联系家属', closedBy: s.followup.closedBy });
    expect(await audits('visits.followup_close', c.followupId)).toBe(1);
    expect(await audits('visits.escalation_close', c.escalationId)).toBe(1);
    const list = (await call(app, head, { method: 'GET', url: '/api/visits/escalations' })).json<{ items: { id: number }[] }>().items;
    expect(list.map((e) => e.id)).not.toContain(c.escalationId);
    const again = await call(app, head, { method: 'POST', url: `/api/visits/escalations/${c.escalationId}/close`, payload: { resolution: '再次' } });
    expect(errorCode(again)).toBe('VISIT_ESCALATION_CLOSED');
  });

  it('the village head closing the escalation and the hotline its ticket at once close the case once', async () => {
    const c = await escalated('c');
    const head = await loginAs(app, 'head1');
    const hotline = await loginAs(app, 'hotline1');
    const both = await Promise.all([
      call(app, head, { method: 'POST', url: `/api/visits/escalations/${c.escalationId}/close`, payload: { resolution: '村里已处理' } }),
      call(app, hotline, { method: 'POST', url: `/api/visits/followups/${c.followupId}/close`, payload: { resolution: '热线已处理' } }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const s = await state(c);
    expect(s.escalation.status).toBe('closed');
    expect(s.followup.status).toBe('closed');
    // one resolution for the case, from whoever closed it
    expect(s.followup.resolution).toBe(s.escalation.resolution);
    expect(await audits('visits.escalation_close', c.escalationId)).toBe(1);
    expect(await audits('visits.followup_close', c.followupId)).toBe(1);
  });
});
