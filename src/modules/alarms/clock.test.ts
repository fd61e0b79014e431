import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { listFollowups } from '../visits/followups.js';
import { effectiveSince, tickClock } from './clock.js';
import { hourWindow } from './alarms.rules.js';
import { acknowledgeAlarm } from './lifecycle.js';
import { setOverride } from './overrides.js';
import { addDevice, addPerson, alarmsOfPerson, beijing, stepsOf, storeEvents } from './rules.fixtures.js';

/**
 * The alarms' clock (issue 18), at fixed instants through tickClock: escalation at 30 s (all
 * operators) and 90 s (the supervisor), once; no movement in the day; out of bed and not back at
 * night; a device offline for 24 hours marked offline once, with a welfare check the village's
 * grid worker sees.
 */
const at = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe.each(dialects)('alarms clock (%s)', (dialect) => {
  let ctx: TestContext;
  let village = '';
  let operator: Scope;
  let grid: Scope;
  let admin: Scope;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    grid = await userScope(ctx, 'grid1');
    village = grid.regionCode;
    operator = await userScope(ctx, 'hotline1');
    admin = await userScope(ctx, 'admin');
  });
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('escalates an alarm nobody acknowledged: to all operators at 30 s, to the supervisor at 90 s, each once', async () => {
    const t0 = beijing('2026-11-10', '10:00');
    const person = await addPerson(ctx, village);
    const d = await addDevice(ctx, person, village, 'emergency_button', { createdAt: t0, lastSeenAt: t0 });
    await storeEvents(ctx, d, [{ kind: 'sos', at: t0 }]);
    await storeEvents(ctx, d, [{ kind: 'fall', at: t0 }]);
    const [sos, fall] = await alarmsOfPerson(ctx, person);
    // the fall is acknowledged in time: never escalated
    await acknowledgeAlarm(ctx, operator, fall!.id);
    const level = async () => (await alarmsOfPerson(ctx, person)).map((a) => a.escalation);

    await tickClock(ctx, at(t0, 29));
    expect(await level()).toEqual([0, 0]);
    const first = await tickClock(ctx, at(t0, 30));
    expect(await level()).toEqual([1, 0]);
    expect(first.changes).toMatchObject([{ id: sos!.id, escalation: 1, state: 'raised' }]);
    await tickClock(ctx, at(t0, 31));
    await tickClock(ctx, at(t0, 89));
    expect(await level()).toEqual([1, 0]);
    await tickClock(ctx, at(t0, 90));
    await tickClock(ctx, at(t0, 95));
    expect(await level()).toEqual([2, 0]);
    const steps = (await stepsOf(ctx, sos!.id)).filter((s) => s.kind === 'escalated');
    expect(steps.map((s) => [s.action, s.at, s.by_user])).toEqual([
      ['all_operators', at(t0, 30).toISOString(), 0],
      ['supervisor', at(t0, 90).toISOString(), 0],
    ]);
    // escalation does not disturb the operators' serialised changes
    expect((await alarmsOfPerson(ctx, person))[0]!.version).toBe(1);
    await acknowledgeAlarm(ctx, operator, sos!.id);
    expect((await stepsOf(ctx, fall!.id)).some((s) => s.kind === 'escalated')).toBe(false);
  });

  it('escalates emergencies, not a green-button call or a low battery: only alarms of priority up to escalateMaxPriority (2)', async () => {
    const t0 = beijing('2026-11-11', '10:00');
    const person = await addPerson(ctx, village);
    const d = await addDevice(ctx, person, village, 'emergency_button', { createdAt: t0, lastSeenAt: t0 });
    await storeEvents(ctx, d, [{ kind: 'service_call', at: t0 }]);
    await storeEvents(ctx, d, [{ kind: 'battery', at: t0, battery: 10 }]);
    const raised = await alarmsOfPerson(ctx, person);
    expect(raised.map((a) => a.priority).sort()).toEqual([3, 4]);
    await tickClock(ctx, at(t0, 95));
    expect((await alarmsOfPerson(ctx, person)).map((a) => a.escalation)).toEqual([0, 0]);
  });

  it('no movement for 720 minutes of 08:00–20:00 raises once; movement in the window or a device that cannot see movement does not', async () => {
    const day = '2026-11-12';
    const installed = beijing('2026-11-09', '09:00');
    const seen = beijing(day, '19:30');
    const still = await addPerson(ctx, village, '静止老人');
    const stillBed = await addDevice(ctx, still, village, 'mattress', { createdAt: installed, lastSeenAt: seen });
    await storeEvents(ctx, stillBed, [{ kind: 'movement', at: beijing(day, '07:00') }]);
    const moving = await addPerson(ctx, village, '活动老人');
    const movingBed = await addDevice(ctx, moving, village, 'mattress', { createdAt: installed, lastSeenAt: seen });
    await storeEvents(ctx, movingBed, [{ kind: 'out_of_bed', at: beijing(day, '12:00') }]);
    const buttonOnly = await addPerson(ctx, village, '仅呼叫器老人');
    await addDevice(ctx, buttonOnly, village, 'emergency_button', { createdAt: installed, lastSeenAt: seen });
    const off = await addPerson(ctx, village, '夜班老人');
    const offBed = await addDevice(ctx, off, village, 'mattress', { createdAt: installed, lastSeenAt: seen });
    await storeEvents(ctx, offBed, [{ kind: 'movement', at: beijing(day, '07:00') }]);
    await setOverride(ctx, admin, off, 'no_movement', { enabled: false, reason: '白天在外工作' });

    // at 14:00 the 720 minutes reach back to yesterday 14:00: the 07:00 movement counts
    await tickClock(ctx, new Date(beijing(day, '14:00', 30)));
    expect(await alarmsOfPerson(ctx, still)).toHaveLength(0);
    // at 20:00 they reach back to 08:00 today
    await tickClock(ctx, new Date(beijing(day, '20:00', 30)));
    await tickClock(ctx, new Date(beijing(day, '20:00', 50)));
    const raised = await alarmsOfPerson(ctx, still);
    expect(raised.map((a) => [a.rule_key, a.kind, a.priority, a.device_id])).toEqual([['no_movement', 'no_movement', 2, stillBed.id]]);
    expect(await alarmsOfPerson(ctx, moving)).toHaveLength(0);
    expect(await alarmsOfPerson(ctx, buttonOnly)).toHaveLength(0);
    expect(await alarmsOfPerson(ctx, off)).toHaveLength(0);
    // outside the hours nothing is checked
    await tickClock(ctx, new Date(beijing(day, '23:00')));
    expect(await alarmsOfPerson(ctx, moving)).toHaveLength(0);
  });

  it('two servers’ clocks ticking at once raise a timed alarm once', async () => {
    const day = '2026-11-20';
    const installed = beijing('2026-11-17', '09:00');
    for (let round = 0; round < 3; round++) {
      const still = await addPerson(ctx, village, `静止老人${'甲乙丙'[round]!}`);
      await addDevice(ctx, still, village, 'mattress', { createdAt: installed, lastSeenAt: beijing(day, '19:30') });
      const now = new Date(beijing(day, '20:00', 30 + round));
      await Promise.all([tickClock(ctx, now), tickClock(ctx, now), tickClock(ctx, now)]);
      expect(
        (await alarmsOfPerson(ctx, still)).map((a) => a.rule_key),
        `round ${round}`,
      ).toEqual(['no_movement']);
    }
  });

  it('out of bed at night and not back within 30 minutes raises; back in bed, or out in the day, does not', async () => {
    const day = '2026-11-14';
    const installed = beijing('2026-11-11', '09:00');
    const seen = beijing(day, '23:00');
    const mk = async (name: string) => {
      const p = await addPerson(ctx, village, name);
      return addDevice(ctx, p, village, 'mattress', { createdAt: installed, lastSeenAt: seen });
    };
    const away = await mk('离床未归');
    const { ids } = await storeEvents(ctx, away, [{ kind: 'out_of_bed', at: beijing(day, '23:00') }]);
    const back = await mk('离床已归');
    await storeEvents(ctx, back, [
      { kind: 'out_of_bed', at: beijing(day, '23:00') },
      { kind: 'in_bed', at: beijing(day, '23:10') },
    ]);
    const dayTime = await mk('白天离床');
    await storeEvents(ctx, dayTime, [{ kind: 'out_of_bed', at: beijing(day, '15:00') }]);

    await tickClock(ctx, new Date(beijing(day, '15:31')));
    await tickClock(ctx, new Date(beijing(day, '23:20')));
    expect(await alarmsOfPerson(ctx, away.personId)).toHaveLength(0);
    await tickClock(ctx, new Date(beijing(day, '23:31')));
    await tickClock(ctx, new Date(beijing(day, '23:35')));
    const raised = await alarmsOfPerson(ctx, away.personId);
    expect(raised.map((a) => [a.rule_key, a.kind, a.priority])).toEqual([['out_of_bed', 'out_of_bed', 2]]);
    const ev = await ctx.db.selectFrom('alarm_events').select('alarm_id').where('id', '=', ids[0]!).executeTakeFirstOrThrow();
    expect(ev.alarm_id).toBe(raised[0]!.id);
    expect(await alarmsOfPerson(ctx, back.personId)).toHaveLength(0);
    expect(await alarmsOfPerson(ctx, dayTime.personId)).toHaveLength(0);
  });

  it('a device not seen for 24 hours goes offline once, with an alarm and a welfare check the village’s grid worker sees', async () => {
    const now = new Date(beijing('2026-11-16', '22:00'));
    const hours = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
    const lost = await addPerson(ctx, village, '设备离线老人');
    const lostDevice = await addDevice(ctx, lost, village, 'bracelet', { createdAt: hours(24 * 10), lastSeenAt: hours(25) });
    const fine = await addPerson(ctx, village, '设备在线老人');
    const fineDevice = await addDevice(ctx, fine, village, 'bracelet', { createdAt: hours(24 * 10), lastSeenAt: hours(2) });

    // the grid worker is not assigned to visit this person: the welfare check reaches them all the same
    const before = await listFollowups(ctx, grid, { status: 'active', page: 1, pageSize: 100 });
    expect(before.items.filter((f) => f.personId === lost)).toHaveLength(0);

    await tickClock(ctx, now);
    await tickClock(ctx, new Date(now.getTime() + 60_000));
    const devices = await ctx.db.selectFrom('alarm_devices').select(['id', 'link']).where('id', 'in', [lostDevice.id, fineDevice.id]).orderBy('id').execute();
    expect(devices.map((d) => d.link)).toEqual(['offline', 'online']);
    const alarms = await alarmsOfPerson(ctx, lost);
    expect(alarms.map((a) => [a.rule_key, a.kind, a.priority, a.device_id])).toEqual([['offline', 'offline', 3, lostDevice.id]]);
    expect(await alarmsOfPerson(ctx, fine)).toHaveLength(0);
    const followups = await ctx.db.selectFrom('visit_followups').selectAll().where('person_id', '=', lost).execute();
    expect(followups.map((f) => [f.kind, f.status, f.raised_by])).toEqual([['welfare_check', 'open', 0]]);
    expect(alarms[0]!.follow_up).toBe(`followup:${followups[0]!.id}`);

    const list = await listFollowups(ctx, grid, { status: 'active', page: 1, pageSize: 100 });
    const seen = list.items.filter((f) => f.personId === lost);
    expect(seen.map((f) => [f.kind, f.kindWords.zh])).toEqual([['welfare_check', '上门查看（监测设备告警）']]);
    // the grid worker of another village does not see it
    const other = ctx.regions.all().find((r) => r.code.length === village.length && r.code !== village)!;
    const elsewhere = await listFollowups(ctx, { ...grid, regionCode: other.code, regionPrefix: other.prefix }, { status: 'active', page: 1, pageSize: 100 });
    expect(elsewhere.items.filter((f) => f.personId === lost)).toHaveLength(0);

    // back online (an event updates last_seen_at and link), then silent again: a new episode
    await ctx.db
      .updateTable('alarm_devices')
      .set({ link: 'online', last_seen_at: hours(-1) })
      .where('id', '=', lostDevice.id)
      .execute();
    await tickClock(ctx, new Date(now.getTime() + 2 * 3_600_000));
    expect(await alarmsOfPerson(ctx, lost)).toHaveLength(1);
  });

  it('counts effective minutes back through the hours, over midnight too', () => {
    const day = hourWindow({ from: '08:00', to: '20:00' });
    expect(new Date(effectiveSince(Date.parse(beijing('2026-11-20', '20:00', 30)), 720, day)).toISOString()).toBe(beijing('2026-11-20', '08:00'));
    expect(new Date(effectiveSince(Date.parse(beijing('2026-11-20', '14:00')), 720, day)).toISOString()).toBe(beijing('2026-11-19', '14:00'));
    const night = hourWindow({ from: '22:00', to: '06:00' });
    expect(new Date(effectiveSince(Date.parse(beijing('2026-11-21', '01:00')), 120, night)).toISOString()).toBe(beijing('2026-11-20', '23:00'));
    expect(new Date(effectiveSince(Date.parse(beijing('2026-11-21', '10:00')), 30, null)).toISOString()).toBe(beijing('2026-11-21', '09:30'));
  });
});
