import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { subscribe, type LiveEvent } from '../../platform/events.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, loginAs } from '../../testing/http.js';
import { insertAccounts } from '../users/accounts.js';
import { recentAlarmsOf } from './alarms.queries.js';
import type { AlarmDetail, AlarmsReply, ShiftReply } from './alarms.schema.js';
import { acknowledgeAlarm, actOnAlarm, assignAlarm, noteAlarm, resolveAlarm } from './lifecycle.js';
import { addDevice, addPerson, stepsOf, storeEvents } from './rules.fixtures.js';

/**
 * An alarm's lifecycle (issue 18): acknowledge, actions, notes and resolve, each step timed and by
 * whom; two acknowledges at once (one wins, the other is told who and when); resolving a raised
 * alarm records both steps; nothing after resolve; a real fall asks for a reassessment; a green
 * button becomes a service order; a real alarm a return call; the shift supervisor takes an alarm
 * an operator holds over, or gives it to another operator.
 */
describe.each(dialects)('alarm lifecycle (%s)', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let village = '';
  let op1: Scope;
  let op2: Scope;
  let lead: Scope;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    village = (await userScope(ctx, 'grid1')).regionCode;
    op1 = await userScope(ctx, 'hotline1');
    op2 = await userScope(ctx, 'hotline2');
    lead = await userScope(ctx, 'hotlinelead');
    app = await buildApp(ctx, { serveWeb: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  const raise = async (kind: 'sos' | 'fall' | 'service_call' = 'sos', personId?: number) => {
    const pid = personId ?? (await addPerson(ctx, village));
    const d = await addDevice(ctx, pid, village, kind === 'fall' ? 'bracelet' : 'emergency_button');
    const { changes } = await storeEvents(ctx, d, [{ kind, at: nowIso() }]);
    return { id: changes[0]!.id, personId: pid };
  };
  const alarm = async (id: number) => ctx.db.selectFrom('alarms').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('acknowledge, actions with sealed notes, resolve: each step timed and by whom', async () => {
    const { id, personId } = await raise();
    await acknowledgeAlarm(ctx, op1, id);
    let a = await alarm(id);
    expect(a).toMatchObject({ state: 'acknowledged', acknowledged_by: op1.userId, version: 2 });
    expect(Date.parse(a.acknowledged_at!)).toBeGreaterThanOrEqual(Date.parse(a.raised_at));
    await actOnAlarm(ctx, op1, id, { action: 'called_elder', note: '老人说摔倒后能自己起身' });
    await actOnAlarm(ctx, op1, id, { action: 'called_family' });
    await noteAlarm(ctx, op1, id, { note: '女儿20分钟内到家' });
    await resolveAlarm(ctx, op1, id, { outcome: 'real', note: '家属已到场' });
    a = await alarm(id);
    expect(a).toMatchObject({ state: 'resolved', resolved_by: op1.userId, outcome: 'real' });
    expect(Date.parse(a.resolved_at!)).toBeGreaterThanOrEqual(Date.parse(a.acknowledged_at!));
    const steps = await stepsOf(ctx, id);
    expect(steps.map((s) => [s.kind, s.action, s.by_user])).toEqual([
      ['raised', null, 0],
      ['acknowledged', null, op1.userId],
      ['action', 'called_elder', op1.userId],
      ['action', 'called_family', op1.userId],
      ['note', null, op1.userId],
      ['resolved', 'real', op1.userId],
    ]);
    // notes sealed at rest, unsealed in the detail
    const sealed = steps.filter((s) => s.note_enc).map((s) => s.note_enc!);
    expect(sealed).toHaveLength(3);
    for (const s of sealed) expect(s).not.toContain('老人');
    const session = await loginAs(app, 'hotline1');
    const detail = (await call(app, session, { method: 'GET', url: `/api/alarms/alarms/${id}` })).json<AlarmDetail>();
    expect(detail.steps.map((s) => s.note).filter(Boolean)).toEqual(['老人说摔倒后能自己起身', '女儿20分钟内到家', '家属已到场']);
    expect(detail).toMatchObject({ personId, state: 'resolved', acknowledgedBy: { id: op1.userId } });
    // a real alarm schedules a return call (回访) the next day
    const cb = await ctx.db.selectFrom('hotline_callbacks').selectAll().where('alarm_id', '=', id).execute();
    expect(cb).toHaveLength(1);
    expect(cb[0]!.due_on > today()).toBe(true);
    expect(a.follow_up).toBe(`callback:${cb[0]!.id}`);
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'alarm').where('entity_id', '=', String(id)).execute();
    expect(audit.map((x) => x.action)).toEqual(
      expect.arrayContaining(['alarms.acknowledge', 'alarms.action', 'alarms.action', 'alarms.note', 'alarms.resolve', 'alarms.alarm_read']),
    );
    expect((await recentAlarmsOf(ctx.db, personId, 5)).map((r) => [r.id, r.state])).toEqual([[id, 'resolved']]);
  });

  it('two acknowledges at once: one wins, the other gets ALARM_ALREADY_ACKNOWLEDGED naming who and when', async () => {
    for (let round = 0; round < 3; round++) {
      const { id } = await raise();
      const results = await Promise.allSettled([acknowledgeAlarm(ctx, op1, id), acknowledgeAlarm(ctx, op2, id)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const err = lost[0]!.reason as AppError;
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('ALARM_ALREADY_ACKNOWLEDGED');
      const a = await alarm(id);
      const winner = a.acknowledged_by === op1.userId ? '12349 热线接线员' : '12349 热线接线员乙';
      expect(err.params).toMatchObject({ id, who: winner, when: a.acknowledged_at });
      expect((await stepsOf(ctx, id)).filter((s) => s.kind === 'acknowledged')).toHaveLength(1);
      expect(a.version).toBe(2);
    }
    // and over HTTP: the message says who and when
    const { id } = await raise();
    await acknowledgeAlarm(ctx, op1, id);
    const res = await call(app, await loginAs(app, 'hotline2'), { method: 'POST', url: `/api/alarms/alarms/${id}/ack`, payload: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'ALARM_ALREADY_ACKNOWLEDGED' });
    expect(res.json<{ error: { message: string } }>().error.message).toContain('12349 热线接线员');
  });

  it('resolving a raised alarm acknowledges it in the same transaction; nothing after resolve', async () => {
    const { id } = await raise();
    await resolveAlarm(ctx, op2, id, { outcome: 'false_alarm', note: '误触' });
    const a = await alarm(id);
    expect(a).toMatchObject({ state: 'resolved', acknowledged_by: op2.userId, resolved_by: op2.userId, outcome: 'false_alarm', follow_up: null });
    expect(a.acknowledged_at).toBe(a.resolved_at);
    expect((await stepsOf(ctx, id)).map((s) => [s.kind, s.by_user])).toEqual([
      ['raised', 0],
      ['acknowledged', op2.userId],
      ['resolved', op2.userId],
    ]);
    const again = resolveAlarm(ctx, op1, id, { outcome: 'real' });
    expect(await codeOf(again)).toBe('ALARM_ALREADY_RESOLVED');
    expect(await codeOf(actOnAlarm(ctx, op1, id, { action: 'other' }))).toBe('ALARM_ALREADY_RESOLVED');
    expect(await codeOf(acknowledgeAlarm(ctx, op1, id))).toBe('ALARM_ALREADY_ACKNOWLEDGED');
    expect(await alarm(id)).toMatchObject({ outcome: 'false_alarm', resolved_by: op2.userId, version: a.version });
    // a false alarm schedules no return call
    expect(await ctx.db.selectFrom('hotline_callbacks').select('id').where('alarm_id', '=', id).execute()).toHaveLength(0);
    // another region's operator does not find it
    const elsewhere = ctx.regions.all().find((r) => r.code !== village && !village.startsWith(r.prefix) && r.code.length === village.length)!;
    expect(await codeOf(acknowledgeAlarm(ctx, { ...op1, regionCode: elsewhere.code, regionPrefix: elsewhere.prefix }, (await raise()).id))).toBe(
      'ALARM_NOT_FOUND',
    );
  });

  it('a fall resolved as real asks for a reassessment; an open request already there is linked', async () => {
    const personId = await addPerson(ctx, village, '跌倒老人');
    const first = await raise('fall', personId);
    await resolveAlarm(ctx, op1, first.id, { outcome: 'real' });
    const requests = await ctx.db.selectFrom('assessment_requests').selectAll().where('person_id', '=', personId).execute();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ reason: 'change', closed_at: null });
    expect((await alarm(first.id)).follow_up).toContain(`assessment_request:${requests[0]!.id}`);
    const second = await raise('fall', personId);
    await resolveAlarm(ctx, op1, second.id, { outcome: 'real' });
    expect(await ctx.db.selectFrom('assessment_requests').select('id').where('person_id', '=', personId).execute()).toHaveLength(1);
    expect((await alarm(second.id)).follow_up).toContain(`assessment_request:${requests[0]!.id}`);
    // a fall that was a false alarm asks for nothing
    const other = await addPerson(ctx, village);
    const third = await raise('fall', other);
    await resolveAlarm(ctx, op1, third.id, { outcome: 'false_alarm' });
    expect(await ctx.db.selectFrom('assessment_requests').select('id').where('person_id', '=', other).execute()).toHaveLength(0);
  });

  it('a green-button request resolved with an order creates it (createdVia green_button, sourceId the alarm), or a call-back', async () => {
    const j = ctx.regions.counties()[0]!.code;
    const personId = await addPerson(ctx, village, '绿键老人');
    const provider = (
      await ctx.db
        .insertInto('service_providers')
        .values({
          name: '绿键服务商',
          jurisdiction: j,
          region_code: village,
          kind: 'home_service',
          credit_code: null,
          contact_phone_enc: null,
          contact_name: null,
          active: 1,
          created_by: 0,
          created_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const item = (
      await ctx.db
        .insertInto('service_items')
        .values({
          jurisdiction: j,
          code: 'gb-clean',
          category: 'cleaning',
          name_zh: '助洁',
          name_en: 'Cleaning',
          price_fen: 5000,
          standard_minutes: 60,
          active: 1,
          updated_by: 0,
          updated_at: nowIso(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await ctx.db
      .insertInto('service_clients')
      .values({
        provider_id: provider,
        person_id: personId,
        region_code: village,
        home_enc: ctx.cipher.encrypt(JSON.stringify({ address: '测试地址' })),
        home_cell: '',
        card_hash: null,
        enrolled_by: 0,
        enrolled_at: nowIso(),
        ended_at: null,
      })
      .execute();
    const { id } = await raise('service_call', personId);
    expect((await alarm(id)).kind).toBe('service_request');
    await resolveAlarm(ctx, op1, id, {
      outcome: 'real',
      followUp: { type: 'order', providerId: provider, itemId: item, scheduledOn: today(), selfPaidBeyond: true },
    });
    const orders = await ctx.db.selectFrom('service_orders').selectAll().where('person_id', '=', personId).execute();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ created_via: 'green_button', source_id: id, provider_id: provider, status: 'created' });
    expect((await alarm(id)).follow_up).toContain(`order:${orders[0]!.id}`);

    // a call-back instead of an order
    const cbAlarm = await raise('service_call', personId);
    await resolveAlarm(ctx, op1, cbAlarm.id, { outcome: 'test', followUp: { type: 'callback', dueOn: today() } });
    const cb = await ctx.db.selectFrom('hotline_callbacks').selectAll().where('alarm_id', '=', cbAlarm.id).execute();
    expect(cb).toHaveLength(1);
    expect((await alarm(cbAlarm.id)).follow_up).toBe(`callback:${cb[0]!.id}`);

    // an order from an SOS is refused, nothing changed
    const sos = await raise('sos', personId);
    const refused = resolveAlarm(ctx, op1, sos.id, {
      outcome: 'real',
      followUp: { type: 'order', providerId: provider, itemId: item, scheduledOn: today(), selfPaidBeyond: true },
    });
    expect(await codeOf(refused)).toBe('ALARM_FOLLOWUP_NOT_SERVICE');
    expect((await alarm(sos.id)).state).toBe('raised');
    // an order the services refuse leaves the alarm as it was
    const failing = await raise('service_call', await addPerson(ctx, village));
    expect(
      await codeOf(
        resolveAlarm(ctx, op1, failing.id, {
          outcome: 'real',
          followUp: { type: 'order', providerId: provider, itemId: item, scheduledOn: today(), selfPaidBeyond: true },
        }),
      ),
    ).toBe('SERVICE_NOT_CLIENT');
    expect(await alarm(failing.id)).toMatchObject({ state: 'raised', version: 1 });
    expect(await stepsOf(ctx, failing.id)).toHaveLength(1);
  });

  it('lists the queue and shows the shift: who holds what, the queue by escalation', async () => {
    const held = await raise();
    await acknowledgeAlarm(ctx, op1, held.id);
    const waiting = await raise();
    await ctx.db.updateTable('alarms').set({ escalation: 2 }).where('id', '=', waiting.id).execute();
    const lead = await loginAs(app, 'hotlinelead');
    const shift = (await call(app, lead, { method: 'GET', url: '/api/alarms/shift' })).json<ShiftReply>();
    const hotline1 = shift.operators.find((o) => o.id === op1.userId)!;
    expect(hotline1.holding.map((h) => h.id)).toContain(held.id);
    expect(shift.operators.map((o) => o.role)).toEqual(expect.arrayContaining(['hotline_operator', 'hotline_supervisor']));
    expect(shift.queue.find((q) => q.escalation === 2)!.alarms.map((a) => a.id)).toContain(waiting.id);
    expect((await call(app, await loginAs(app, 'hotline1'), { method: 'GET', url: '/api/alarms/shift' })).statusCode).toBe(403);

    const list = (await call(app, await loginAs(app, 'hotline1'), { method: 'GET', url: '/api/alarms/alarms?state=raised&pageSize=200' })).json<AlarmsReply>();
    expect(list.items.map((i) => i.id)).toContain(waiting.id);
    expect(list.items.map((i) => i.id)).not.toContain(held.id);
    expect(list.items.every((i) => i.state === 'raised')).toBe(true);
    const dated = (
      await call(app, await loginAs(app, 'hotline1'), { method: 'GET', url: `/api/alarms/alarms?state=all&from=2020-01-01&to=2020-01-02` })
    ).json<AlarmsReply>();
    expect(dated.total).toBe(0);
  });

  it('the supervisor takes a held alarm over or gives it to another operator: conditional on the version, a step, audited, pushed live', async () => {
    const { id, personId } = await raise();
    await acknowledgeAlarm(ctx, op1, id);
    const heard: LiveEvent[] = [];
    const stop = subscribe((e) => heard.push(e));
    try {
      // take over: the supervisor holds it now; when it was first acknowledged stays (the response time)
      const before = await alarm(id);
      await assignAlarm(ctx, lead, id, { to: lead.userId!, version: 2, reason: '坐席离席，值班长接管' });
      let a = await alarm(id);
      expect(a).toMatchObject({ state: 'acknowledged', acknowledged_by: lead.userId, acknowledged_at: before.acknowledged_at, version: 3 });
      // reassign: to the second operator
      await assignAlarm(ctx, lead, id, { to: op2.userId!, version: 3 });
      a = await alarm(id);
      expect(a).toMatchObject({ state: 'acknowledged', acknowledged_by: op2.userId, version: 4 });
      const steps = await stepsOf(ctx, id);
      expect(steps.map((s) => [s.kind, s.action, s.by_user])).toEqual([
        ['raised', null, 0],
        ['acknowledged', null, op1.userId],
        ['assigned', String(lead.userId), lead.userId],
        ['assigned', String(op2.userId), lead.userId],
      ]);
      // the reason sealed at rest
      expect(steps[2]!.note_enc).toBeTruthy();
      expect(steps[2]!.note_enc).not.toContain('接管');
      expect(steps[3]!.note_enc).toBeNull();
      const audit = await ctx.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('entity_type', '=', 'alarm')
        .where('entity_id', '=', String(id))
        .where('action', '=', 'alarms.assign')
        .execute();
      expect(audit).toHaveLength(2);
      expect(JSON.stringify(audit.map((x) => x.detail))).not.toContain('接管');
      // each change pushed to the live consoles: the operator who lost it sees it move
      const pushed = heard.filter((e) => e.name === 'alarms.alarm').map((e) => e.for(op1) as { id: number; state: string } | null);
      expect(pushed.filter((d) => d?.id === id).map((d) => d!.state)).toEqual(['acknowledged', 'acknowledged']);
    } finally {
      stop();
    }

    // a stale version is refused, naming who changed it meanwhile and when
    const stale = assignAlarm(ctx, lead, id, { to: op1.userId!, version: 2 });
    const err = await stale.then(
      () => null,
      (e: unknown) => e as AppError,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err!.code).toBe('ALARM_CHANGED_BY');
    const last = (await stepsOf(ctx, id)).at(-1)!;
    expect(err!.params).toMatchObject({ id, who: '12349 热线值班长', when: last.at });
    expect((await alarm(id)).acknowledged_by).toBe(op2.userId);

    // the detail names the new holder and the step's target
    const session = await loginAs(app, 'hotlinelead');
    const detail = (await call(app, session, { method: 'GET', url: `/api/alarms/alarms/${id}` })).json<AlarmDetail>();
    expect(detail).toMatchObject({ personId, acknowledgedBy: { id: op2.userId, name: '12349 热线接线员乙' }, version: 4 });
    expect(detail.steps.filter((s) => s.kind === 'assigned').map((s) => [s.action, s.note])).toEqual([
      ['12349 热线值班长', '坐席离席，值班长接管'],
      ['12349 热线接线员乙', null],
    ]);
    // the shift view gives each held alarm's version (what the supervisor's console sends back)
    const shift = (await call(app, session, { method: 'GET', url: '/api/alarms/shift' })).json<ShiftReply>();
    expect(shift.operators.find((o) => o.id === op2.userId)!.holding.find((h) => h.id === id)).toMatchObject({ version: 4 });
    expect(shift.operators.find((o) => o.id === op1.userId)!.holding.map((h) => h.id)).not.toContain(id);
  });

  it('assigning is refused: to an operator, a raised or resolved alarm, someone not an operator in scope, a stale version over HTTP', async () => {
    const { id } = await raise();
    // not a supervisor
    expect(await codeOf(assignAlarm(ctx, op1, id, { to: op1.userId!, version: 1 }))).toBe('FORBIDDEN');
    await acknowledgeAlarm(ctx, op1, id);
    // not an operator: a grid worker, an unknown account, an operator of another town
    const grid = await userScope(ctx, 'grid1');
    expect(await codeOf(assignAlarm(ctx, lead, id, { to: grid.userId!, version: 2 }))).toBe('ALARM_ASSIGN_TARGET');
    expect(await codeOf(assignAlarm(ctx, lead, id, { to: 999_999, version: 2 }))).toBe('ALARM_ASSIGN_TARGET');
    const town2 = (await userScope(ctx, 'town2')).regionCode;
    expect(village.startsWith(town2)).toBe(false);
    const elsewhere = `hotline-${dialect}-elsewhere`;
    await insertAccounts(
      ctx.db,
      [{ username: elsewhere, displayName: '他乡接线员', role: 'hotline_operator', regionCode: town2, passwordHash: 'x' }],
      nowIso(),
    );
    const other = (await userScope(ctx, elsewhere)).userId!;
    expect(await codeOf(assignAlarm(ctx, lead, id, { to: other, version: 2 }))).toBe('ALARM_ASSIGN_TARGET');
    // to whoever holds it already
    expect(await codeOf(assignAlarm(ctx, lead, id, { to: op1.userId!, version: 2 }))).toBe('ALARM_ASSIGN_SAME');
    expect(await alarm(id)).toMatchObject({ acknowledged_by: op1.userId, version: 2 });
    // resolved: nothing to give
    await resolveAlarm(ctx, op1, id, { outcome: 'test' });
    expect(await codeOf(assignAlarm(ctx, lead, id, { to: op2.userId!, version: 3 }))).toBe('ALARM_ALREADY_RESOLVED');
    expect((await stepsOf(ctx, id)).filter((s) => s.kind === 'assigned')).toHaveLength(0);

    // over HTTP: an operator is refused by the policy, the supervisor's stale version is a 409 naming who
    const held = await raise();
    await acknowledgeAlarm(ctx, op1, held.id);
    await actOnAlarm(ctx, op1, held.id, { action: 'called_family' });
    const url = `/api/alarms/alarms/${held.id}/assign`;
    expect((await call(app, await loginAs(app, 'hotline1'), { method: 'POST', url, payload: { to: op2.userId, version: 3 } })).statusCode).toBe(403);
    const leadSession = await loginAs(app, 'hotlinelead');
    const res = await call(app, leadSession, { method: 'POST', url, payload: { to: lead.userId, version: 2 } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string; message: string } }>().error.code).toBe('ALARM_CHANGED_BY');
    expect(res.json<{ error: { message: string } }>().error.message).toContain('12349 热线接线员');
    const ok = await call(app, leadSession, { method: 'POST', url, payload: { to: lead.userId, version: 3, reason: '接管' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<AlarmDetail>()).toMatchObject({ id: held.id, state: 'acknowledged', acknowledgedBy: { id: lead.userId }, version: 4 });
    expect((await call(app, leadSession, { method: 'POST', url, payload: { to: 'x', version: 4 } })).statusCode).toBe(400);
  });
  it('after a take-over or a reassignment the former holder can no longer act, note or resolve: ALARM_HELD_BY_OTHER, nothing written', async () => {
    const { id } = await raise();
    await acknowledgeAlarm(ctx, op1, id);
    await assignAlarm(ctx, lead, id, { to: lead.userId!, version: 2 });
    const taken = await alarm(id);
    const since = (await stepsOf(ctx, id)).at(-1)!.at;
    const stepsBefore = (await stepsOf(ctx, id)).length;
    for (const attempt of [
      () => actOnAlarm(ctx, op1, id, { action: 'called_elder', note: '已联系' }),
      () => noteAlarm(ctx, op1, id, { note: '补记' }),
      () => resolveAlarm(ctx, op1, id, { outcome: 'real' }),
      // nor another operator who never held it
      () => actOnAlarm(ctx, op2, id, { action: 'called_family' }),
    ]) {
      const err = await attempt().then(
        () => null,
        (e: unknown) => e as AppError,
      );
      expect(err).toBeInstanceOf(AppError);
      expect(err!.code).toBe('ALARM_HELD_BY_OTHER');
      expect(err!.params).toMatchObject({ id, who: '12349 热线值班长', when: since });
    }
    expect(await alarm(id)).toEqual(taken);
    expect(await stepsOf(ctx, id)).toHaveLength(stepsBefore);
    expect(await ctx.db.selectFrom('hotline_callbacks').select('id').where('alarm_id', '=', id).execute()).toHaveLength(0);
    // over HTTP: a 409 naming the holder
    const res = await call(app, await loginAs(app, 'hotline1'), { method: 'POST', url: `/api/alarms/alarms/${id}/resolve`, payload: { outcome: 'real' } });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'ALARM_HELD_BY_OTHER' });
    expect(res.json<{ error: { message: string } }>().error.message).toContain('12349 热线值班长');
    // the holder acts; given to the second operator, the supervisor (not the holder) may still act and note, and the holder resolves
    await actOnAlarm(ctx, lead, id, { action: 'called_elder' });
    await assignAlarm(ctx, lead, id, { to: op2.userId!, version: 4 });
    expect(await codeOf(actOnAlarm(ctx, op1, id, { action: 'other' }))).toBe('ALARM_HELD_BY_OTHER');
    await noteAlarm(ctx, lead, id, { note: '值班长补记' });
    await resolveAlarm(ctx, op2, id, { outcome: 'test' });
    expect(await alarm(id)).toMatchObject({ state: 'resolved', resolved_by: op2.userId, acknowledged_by: op2.userId });
    // a raised alarm is still open to any operator (it is acknowledged by whoever resolves it)
    const open = await raise();
    await resolveAlarm(ctx, op2, open.id, { outcome: 'false_alarm' });
    expect(await alarm(open.id)).toMatchObject({ state: 'resolved', acknowledged_by: op2.userId });
  });

  it('the supervisor puts someone on a raised (escalated) alarm: acknowledged by the target now, both steps, audited, live; a concurrent acknowledge wins cleanly', async () => {
    const { id } = await raise();
    await ctx.db.updateTable('alarms').set({ escalation: 2 }).where('id', '=', id).execute();
    const heard: LiveEvent[] = [];
    const stop = subscribe((e) => heard.push(e));
    try {
      await assignAlarm(ctx, lead, id, { to: op2.userId!, version: 1, reason: '升级告警，指派乙' });
    } finally {
      stop();
    }
    const a = await alarm(id);
    expect(a).toMatchObject({ state: 'acknowledged', acknowledged_by: op2.userId, version: 2 });
    expect(Date.parse(a.acknowledged_at!)).toBeGreaterThanOrEqual(Date.parse(a.raised_at));
    const steps = await stepsOf(ctx, id);
    expect(steps.map((s) => [s.kind, s.action, s.by_user])).toEqual([
      ['raised', null, 0],
      ['acknowledged', null, lead.userId],
      ['assigned', String(op2.userId), lead.userId],
    ]);
    expect(steps[1]!.at).toBe(a.acknowledged_at);
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'alarm').where('entity_id', '=', String(id)).execute();
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['alarms.acknowledge', 'alarms.assign']));
    const pushed = heard.filter((e) => e.name === 'alarms.alarm').map((e) => e.for(op1) as { id: number; state: string } | null);
    expect(pushed.filter((d) => d?.id === id).map((d) => d!.state)).toEqual(['acknowledged']);
    // the new holder works it; the operator who did not get it is refused
    expect(await codeOf(actOnAlarm(ctx, op1, id, { action: 'other' }))).toBe('ALARM_HELD_BY_OTHER');
    await actOnAlarm(ctx, op2, id, { action: 'called_elder' });
    // take over a raised one: to the supervisor themselves
    const mine = await raise();
    await assignAlarm(ctx, lead, mine.id, { to: lead.userId!, version: 1 });
    expect(await alarm(mine.id)).toMatchObject({ state: 'acknowledged', acknowledged_by: lead.userId });

    // an operator acknowledging at the same time: one wins, the other is told who
    for (let round = 0; round < 3; round++) {
      const { id: raced } = await raise();
      const results = await Promise.allSettled([acknowledgeAlarm(ctx, op1, raced), assignAlarm(ctx, lead, raced, { to: op2.userId!, version: 1 })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as AppError;
      expect(lost).toBeInstanceOf(AppError);
      const r = await alarm(raced);
      expect(r).toMatchObject({ state: 'acknowledged', version: 2 });
      if (r.acknowledged_by === op1.userId) {
        expect(lost.code).toBe('ALARM_CHANGED_BY');
        expect(lost.params).toMatchObject({ who: '12349 热线接线员' });
        expect((await stepsOf(ctx, raced)).map((s) => s.kind)).toEqual(['raised', 'acknowledged']);
      } else {
        expect(r.acknowledged_by).toBe(op2.userId);
        expect(lost.code).toBe('ALARM_ALREADY_ACKNOWLEDGED');
        expect((await stepsOf(ctx, raced)).map((s) => s.kind)).toEqual(['raised', 'acknowledged', 'assigned']);
      }
    }
  });
});
