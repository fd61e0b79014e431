import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/tables.js';
import { AppError, formatMessage } from '../../platform/errors.js';
import { subscribe, type LiveEvent } from '../../platform/events.js';
import type { Scope } from '../../platform/scope.js';
import { codeOf, countyScope, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { rulesInForce } from './alarms.queries.js';
import { alarmRulesSetting, compiledRulesOf, DEFAULT_ALARM_RULES, type AlarmRules } from './alarms.rules.js';
import { resolveAlarm } from './lifecycle.js';
import { clearOverride, setOverride } from './overrides.js';
import { applyRules, publishAlarmChanges, type StoredEvent } from './raise.js';
import { addDevice, addPerson, alarmsOfPerson, beijing, stepsOf, storeEvents } from './rules.fixtures.js';

/**
 * The event rules (issue 18): each default event rule raises its kind and priority; effective
 * hours (also over midnight); repeats fold into the open alarm; a resolved alarm's silence; a
 * person's override; a bad rule refused when the setting is saved, and so is a value dropping a
 * key persons' overrides use or an offline threshold under 10 minutes; heartbeats cost nothing.
 */
const DAY = '2026-11-30';

describe.each(dialects)('alarm rules (%s)', (dialect) => {
  let ctx: TestContext;
  let village = '';
  let admin: Scope;
  let operator: Scope;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    village = (await userScope(ctx, 'grid1')).regionCode;
    admin = await userScope(ctx, 'admin');
    operator = await userScope(ctx, 'hotline1');
  });
  afterAll(async () => {
    await ctx?.cleanup();
  });

  const fresh = async (kind = 'emergency_button') => {
    const personId = await addPerson(ctx, village);
    return addDevice(ctx, personId, village, kind);
  };

  it('each default event rule raises its alarm kind with its priority', async () => {
    const cases: [string, Parameters<typeof storeEvents>[2][number], string, number][] = [
      ['emergency_button', { kind: 'sos', at: beijing(DAY, '10:00') }, 'emergency', 1],
      ['emergency_button', { kind: 'service_call', at: beijing(DAY, '10:00') }, 'service_request', 3],
      ['bracelet', { kind: 'fall', at: beijing(DAY, '10:00') }, 'fall', 1],
      ['door_sensor', { kind: 'door_open', at: beijing(DAY, '23:30') }, 'door_night', 2],
      ['bracelet', { kind: 'heartbeat', at: beijing(DAY, '10:00'), battery: 15 }, 'battery_low', 4],
    ];
    for (const [deviceKind, event, kind, priority] of cases) {
      const d = await fresh(deviceKind);
      const { ids, changes } = await storeEvents(ctx, d, [event]);
      const alarms = await alarmsOfPerson(ctx, d.personId);
      expect(alarms.map((a) => [a.kind, a.priority, a.state, a.event_count, a.device_id])).toEqual([[kind, priority, 'raised', 1, d.id]]);
      expect(changes).toMatchObject([{ id: alarms[0]!.id, kind, priority, state: 'raised', raised: true }]);
      const ev = await ctx.db.selectFrom('alarm_events').select('alarm_id').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
      expect(ev.alarm_id).toBe(alarms[0]!.id);
      expect((await stepsOf(ctx, alarms[0]!.id)).map((s) => [s.kind, s.by_user])).toEqual([['raised', 0]]);
    }
  });

  it('effective hours: a door opened at 23:30 raises, at 14:00 not; 23:00–05:00 wraps midnight', async () => {
    const at = async (time: string, date = DAY) => {
      const d = await fresh('door_sensor');
      await storeEvents(ctx, d, [{ kind: 'door_open', at: beijing(date, time) }]);
      return (await alarmsOfPerson(ctx, d.personId)).length;
    };
    expect(await at('23:30')).toBe(1);
    expect(await at('14:00')).toBe(0);
    expect(await at('02:10', '2026-12-01')).toBe(1);
    expect(await at('04:59', '2026-12-01')).toBe(1);
    expect(await at('05:00', '2026-12-01')).toBe(0);
    expect(await at('22:59')).toBe(0);
  });

  it('three SOS within 10 minutes are one alarm with event_count 3; one later raises anew', async () => {
    const d = await fresh();
    const first = await storeEvents(ctx, d, [{ kind: 'sos', at: beijing(DAY, '09:00') }]);
    // two more, in one batch, 4 and 8 minutes later
    const more = await storeEvents(ctx, d, [
      { kind: 'sos', at: beijing(DAY, '09:04') },
      { kind: 'sos', at: beijing(DAY, '09:08') },
    ]);
    let alarms = await alarmsOfPerson(ctx, d.personId);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ event_count: 3, last_event_at: beijing(DAY, '09:08'), state: 'raised' });
    expect(more.changes).toMatchObject([{ id: alarms[0]!.id, raised: false }]);
    expect((await stepsOf(ctx, alarms[0]!.id)).map((s) => s.kind)).toEqual(['raised', 'folded', 'folded']);
    const linked = await ctx.db
      .selectFrom('alarm_events')
      .select('alarm_id')
      .where('id', 'in', [...first.ids, ...more.ids])
      .execute();
    expect(linked.map((l) => l.alarm_id)).toEqual([alarms[0]!.id, alarms[0]!.id, alarms[0]!.id]);
    // 11 minutes after the last: a new alarm
    await storeEvents(ctx, d, [{ kind: 'sos', at: beijing(DAY, '09:19') }]);
    alarms = await alarmsOfPerson(ctx, d.personId);
    expect(alarms.map((a) => a.event_count)).toEqual([3, 1]);
  });

  it('after a resolved alarm the rule is silent for silenceMinutes: events are counted on it, nothing raised', async () => {
    const d = await fresh('door_sensor');
    await storeEvents(ctx, d, [{ kind: 'door_open', at: beijing(DAY, '23:10') }]);
    const [alarm] = await alarmsOfPerson(ctx, d.personId);
    await resolveAlarm(ctx, operator, alarm!.id, { outcome: 'false_alarm' });
    const resolvedAt = Date.parse((await alarmsOfPerson(ctx, d.personId))[0]!.resolved_at!);
    const after = (min: number) => new Date(resolvedAt + min * 60_000).toISOString();
    // door_night: 30 minutes of silence
    const quiet = await storeEvents(ctx, d, [{ kind: 'door_open', at: beijing(DAY, '23:40'), receivedAt: after(10) }]);
    expect(quiet.changes).toEqual([]);
    let alarms = await alarmsOfPerson(ctx, d.personId);
    expect(alarms).toHaveLength(1);
    expect(alarms[0]).toMatchObject({ state: 'resolved', event_count: 2 });
    const ev = await ctx.db.selectFrom('alarm_events').select('alarm_id').where('id', '=', quiet.ids[0]!).executeTakeFirstOrThrow();
    expect(ev.alarm_id).toBe(alarm!.id);
    // past the silence: raises again
    await storeEvents(ctx, d, [{ kind: 'door_open', at: beijing(DAY, '23:59'), receivedAt: after(31) }]);
    alarms = await alarmsOfPerson(ctx, d.personId);
    expect(alarms.map((a) => a.state)).toEqual(['resolved', 'raised']);
  });

  it('a person’s override turns a rule off or moves its hours; clearing it restores the rule', async () => {
    const off = await fresh('door_sensor');
    await setOverride(ctx, admin, off.personId, 'door_night', { enabled: false, reason: '与他人共用门厅' });
    await storeEvents(ctx, off, [{ kind: 'door_open', at: beijing(DAY, '23:30') }]);
    expect(await alarmsOfPerson(ctx, off.personId)).toHaveLength(0);
    // the other rules still apply to the person
    const button = await addDevice(ctx, off.personId, village);
    await storeEvents(ctx, button, [{ kind: 'sos', at: beijing(DAY, '23:31') }]);
    expect((await alarmsOfPerson(ctx, off.personId)).map((a) => a.kind)).toEqual(['emergency']);

    const day = await fresh('door_sensor');
    await setOverride(ctx, admin, day.personId, 'door_night', { enabled: true, hours: { from: '13:00', to: '15:00' }, reason: '夜班工作者白天休息' });
    await storeEvents(ctx, day, [{ kind: 'door_open', at: beijing(DAY, '14:00') }]);
    await storeEvents(ctx, day, [{ kind: 'door_open', at: beijing(DAY, '23:30') }]);
    expect((await alarmsOfPerson(ctx, day.personId)).map((a) => a.last_event_at)).toEqual([beijing(DAY, '14:00')]);
    const audit = await ctx.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'alarms.override_set').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);

    await clearOverride(ctx, admin, off.personId, 'door_night', '已单独安装门磁');
    const back = await addDevice(ctx, off.personId, village, 'door_sensor');
    await storeEvents(ctx, back, [{ kind: 'door_open', at: beijing(DAY, '23:45') }]);
    expect((await alarmsOfPerson(ctx, off.personId)).map((a) => a.kind)).toEqual(['emergency', 'door_night']);
    expect(await codeOf(clearOverride(ctx, admin, off.personId, 'door_night', '再清除一次'))).toBe('ALARM_OVERRIDE_NOT_FOUND');
    expect(await codeOf(setOverride(ctx, admin, off.personId, 'no_such_rule', { enabled: false, reason: '不存在的规则' }))).toBe('ALARM_RULE_NOT_FOUND');
  });

  it('a bad rule is refused when the setting is saved, naming the rule; a good one is compiled and used', async () => {
    const j = ctx.regions.counties()[0]!;
    const county = countyScope(ctx);
    const bad: AlarmRules = {
      rules: [...DEFAULT_ALARM_RULES.rules, { ...DEFAULT_ALARM_RULES.rules[0]!, key: 'smoke_alarm', when: "kind == 'smoke'" }],
    };
    let refused: unknown = null;
    try {
      await ctx.settings.set(ctx, county, j.code, 'alarm_rules', bad, '新增烟感规则');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SETTING_REFUSED');
    const reason = ((refused as AppError).params as { reason: { zh: string; en: string } }).reason;
    expect(reason.zh).toContain('smoke_alarm');
    expect(reason.en).toContain('smoke_alarm');
    expect(reason.zh).toContain('smoke');
    const unknownFact = { rules: [{ ...DEFAULT_ALARM_RULES.rules[0]!, key: 'hr', when: 'heartRate > 120' }] };
    expect(await codeOf(ctx.settings.set(ctx, county, j.code, 'alarm_rules', unknownFact, '心率'))).toBe('SETTING_REFUSED');

    const before = compiledRulesOf(ctx, j.code);
    const good: AlarmRules = {
      rules: [
        ...DEFAULT_ALARM_RULES.rules,
        {
          key: 'test_press',
          label: { zh: '测试按键', en: 'Test press' },
          trigger: 'event',
          when: "kind == 'test' && deviceKind == 'call_terminal'",
          alarmKind: 'other',
          priority: 5,
          aggregateMinutes: 0,
          silenceMinutes: 0,
          action: 'alarm',
        },
      ],
    };
    await ctx.settings.set(ctx, county, j.code, 'alarm_rules', good, '新增测试按键规则');
    expect(ctx.settings.get(alarmRulesSetting, j.code).rules).toHaveLength(DEFAULT_ALARM_RULES.rules.length + 1);
    const after = compiledRulesOf(ctx, j.code);
    expect(after).not.toBe(before);
    // compiled once per value
    expect(compiledRulesOf(ctx, j.code)).toBe(after);
    const terminal = await fresh('call_terminal');
    await storeEvents(ctx, terminal, [{ kind: 'test', at: beijing(DAY, '10:00') }]);
    expect((await alarmsOfPerson(ctx, terminal.personId)).map((a) => [a.rule_key, a.kind, a.priority])).toEqual([['test_press', 'other', 5]]);
    // the rules in force, each condition in words
    const shown = rulesInForce(ctx, operator).rules.find((r) => r.key === 'test_press')!;
    expect(shown.whenWords).toEqual({ zh: '事件类型为测试且设备类型为紧急呼叫终端', en: 'the event is test and the device is call terminal' });
    await ctx.settings.set(ctx, county, j.code, 'alarm_rules', DEFAULT_ALARM_RULES, '恢复默认');
  });

  it('a rules value that drops or renames a key persons’ overrides use is refused, naming the keys and counts; once they are cleared it is accepted', async () => {
    const j = ctx.regions.counties()[0]!;
    const county = countyScope(ctx);
    const set = (value: AlarmRules, note: string) => ctx.settings.set(ctx, county, j.code, 'alarm_rules', value, note);
    const nightWorkers = [await addPerson(ctx, village), await addPerson(ctx, village)];
    for (const p of nightWorkers) await setOverride(ctx, admin, p, 'out_of_bed', { enabled: false, reason: '夜班工作白天睡觉' });
    const raised = await addPerson(ctx, village);
    await setOverride(ctx, admin, raised, 'no_movement', { enabled: true, minutes: 900, reason: '白天常外出' });
    // an override of another jurisdiction's person (the table carries the person's region): not this jurisdiction's concern
    await ctx.db
      .insertInto('alarm_rule_overrides')
      .values({
        person_id: 9_999_999,
        region_code: '990000000000',
        rule_key: 'out_of_bed',
        enabled: 0,
        params: '{}',
        reason: '他县',
        set_by: 0,
        set_at: beijing(DAY, '08:00'),
      })
      .execute();

    const renamed: AlarmRules = {
      rules: DEFAULT_ALARM_RULES.rules.filter((r) => r.key !== 'no_movement').map((r) => (r.key === 'out_of_bed' ? { ...r, key: 'out_of_bed_night' } : r)),
    };
    let refused: unknown = null;
    try {
      await set(renamed, '规则代码改名');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('SETTING_REFUSED');
    const reason = ((refused as AppError).params as { reason: { zh: string; en: string } }).reason;
    expect(reason.zh).toContain('out_of_bed（2 位老人）');
    expect(reason.zh).toContain('no_movement（1 位老人）');
    expect(reason.zh).toContain('热线档案');
    expect(reason.en).toContain('out_of_bed (2 persons)');
    expect(reason.en).toContain('no_movement (1 person)');
    expect(reason.en).toContain('hotline profile');
    expect(formatMessage('SETTING_REFUSED', (refused as AppError<'SETTING_REFUSED'>).params, 'en')).toContain('Keep');
    expect(ctx.settings.get(alarmRulesSetting, j.code)).toEqual(DEFAULT_ALARM_RULES);

    // keeping the keys, anything else may change
    const longer: AlarmRules = { rules: DEFAULT_ALARM_RULES.rules.map((r) => (r.key === 'out_of_bed' ? { ...r, minutes: 40 } : r)) };
    await set(longer, '离床阈值改为 40 分钟');
    expect(ctx.settings.get(alarmRulesSetting, j.code)).toEqual(longer);

    // the overrides cleared on the persons' profiles: the rename goes through (the other county's row does not hold it)
    for (const p of nightWorkers) await clearOverride(ctx, admin, p, 'out_of_bed', '规则改名前清除');
    expect(await codeOf(set(renamed, '规则代码改名'))).toBe('SETTING_REFUSED');
    await clearOverride(ctx, admin, raised, 'no_movement', '规则删除前清除');
    await set(renamed, '规则代码改名');
    expect(ctx.settings.get(alarmRulesSetting, j.code)).toEqual(renamed);
    await set(DEFAULT_ALARM_RULES, '恢复默认');
    await ctx.db.deleteFrom('alarm_rule_overrides').where('person_id', '=', 9_999_999).execute();
  });

  it('an offline threshold under 10 minutes is refused, in the setting and in a person’s override, saying why', async () => {
    const j = ctx.regions.counties()[0]!;
    const county = countyScope(ctx);
    const offlineIn = (minutes: number): AlarmRules => ({ rules: DEFAULT_ALARM_RULES.rules.map((r) => (r.key === 'offline' ? { ...r, minutes } : r)) });
    let refused: unknown = null;
    try {
      await ctx.settings.set(ctx, county, j.code, 'alarm_rules', offlineIn(1), '离线 1 分钟');
    } catch (e) {
      refused = e;
    }
    expect((refused as AppError).code).toBe('SETTING_REFUSED');
    const reason = ((refused as AppError).params as { reason: { zh: string; en: string } }).reason;
    expect(reason.zh).toContain('offline');
    expect(reason.zh).toContain('10 分钟');
    expect(reason.en).toContain('10 minutes');
    expect(reason.en).toContain('once a minute');
    expect(await codeOf(ctx.settings.set(ctx, county, j.code, 'alarm_rules', offlineIn(9), '离线 9 分钟'))).toBe('SETTING_REFUSED');
    await ctx.settings.set(ctx, county, j.code, 'alarm_rules', offlineIn(10), '离线 10 分钟');
    expect(ctx.settings.get(alarmRulesSetting, j.code).rules.find((r) => r.key === 'offline')!.minutes).toBe(10);
    await ctx.settings.set(ctx, county, j.code, 'alarm_rules', DEFAULT_ALARM_RULES, '恢复默认');

    // a person's override of the offline rule: the same floor; other rules' thresholds are not bound by it
    const personId = await addPerson(ctx, village);
    let overrideRefused: unknown = null;
    try {
      await setOverride(ctx, admin, personId, 'offline', { enabled: true, minutes: 5, reason: '独居，尽快上门' });
    } catch (e) {
      overrideRefused = e;
    }
    expect((overrideRefused as AppError).code).toBe('ALARM_OVERRIDE_OFFLINE_MINUTES');
    const err = overrideRefused as AppError;
    expect(formatMessage(err.code, err.params as never, 'zh-CN')).toContain('10 分钟');
    expect(formatMessage(err.code, err.params as never, 'en')).toContain('once a minute');
    expect(await ctx.db.selectFrom('alarm_rule_overrides').select('id').where('person_id', '=', personId).execute()).toEqual([]);
    const view = await setOverride(ctx, admin, personId, 'offline', { enabled: true, minutes: 10, reason: '独居，尽快上门' });
    expect(view.rules.find((r) => r.ruleKey === 'offline')!.override).toMatchObject({ enabled: true, minutes: 10 });
    await setOverride(ctx, admin, personId, 'out_of_bed', { enabled: true, minutes: 5, reason: '夜间易跌倒' });
  });

  it('heartbeats and other events no rule matches raise nothing and never reach the database', async () => {
    const d = await fresh('bracelet');
    const events: StoredEvent[] = Array.from({ length: 200 }, (_, i) => ({
      id: 1_000_000 + i,
      deviceId: d.id,
      deviceKind: d.kind,
      personId: d.personId,
      regionCode: d.regionCode,
      kind: i % 2 ? 'heartbeat' : 'movement',
      occurredAt: beijing(DAY, '10:00', i),
      receivedAt: beijing(DAY, '10:00', i),
      battery: 80,
      value: null,
    }));
    // a transaction that throws on any use: nothing may be read or written for these
    const untouchable = new Proxy(
      {},
      {
        get() {
          throw new Error('applyRules used the database for events no rule matches');
        },
      },
    ) as Transaction<Database>;
    expect(await applyRules(ctx, untouchable, events)).toEqual([]);
    const stored = await storeEvents(
      ctx,
      d,
      Array.from({ length: 20 }, (_, i) => ({ kind: 'heartbeat' as const, at: beijing(DAY, '10:00', i), battery: 90 })),
    );
    expect(stored.changes).toEqual([]);
    expect(await alarmsOfPerson(ctx, d.personId)).toHaveLength(0);
  });

  it('publishes alarms.alarm to viewers who may read alarms in the alarm’s region', async () => {
    const seen: LiveEvent[] = [];
    const off = subscribe((e) => {
      if (e.name === 'alarms.alarm') seen.push(e);
    });
    try {
      const d = await fresh();
      const { changes } = await storeEvents(ctx, d, [{ kind: 'sos', at: beijing(DAY, '11:00') }]);
      publishAlarmChanges(ctx, changes);
    } finally {
      off();
    }
    expect(seen).toHaveLength(1);
    const payload = seen[0]!.for(operator) as Record<string, unknown>;
    expect(payload).toMatchObject({ state: 'raised', kind: 'emergency', priority: 1, escalation: 0, regionCode: village });
    expect(seen[0]!.for(await userScope(ctx, 'grid1'))).toBeNull();
    const elsewhere = ctx.regions.all().find((r) => r.code.length === village.length && r.code !== village && !village.startsWith(r.prefix));
    if (elsewhere) expect(seen[0]!.for({ ...operator, regionCode: elsewhere.code, regionPrefix: elsewhere.prefix })).toBeNull();
  });
});
