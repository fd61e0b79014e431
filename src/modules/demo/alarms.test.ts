import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countyScope, createTestContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { today } from '../../platform/time.js';
import { alarmReport, hotlineCard } from '../alarms/reports.js';
import { tickClock } from '../alarms/clock.js';
import { seedDemo } from './seed.js';

/** The demo county's monitoring and hotline: devices, three months of alarms with their steps, a live queue for hotline1. */
describe.each(dialects)('demo alarms and hotline (%s)', (dialect) => {
  let ctx: TestContext;
  const logged: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    await seedDemo(ctx, { elders: 400, seed: 11 }, (s) => logged.push(s));
  });
  afterAll(async () => ctx?.cleanup());

  it('installs devices for the elders, a red/green button for each one living alone, with sealed addresses and contacts', async () => {
    const line = logged.find((l) => l.includes('alarms and hotline:'));
    expect(line).toBeDefined();
    console.log(line);
    const devices = await ctx.db.selectFrom('alarm_devices').selectAll().execute();
    const persons = new Set(devices.map((d) => d.person_id));
    expect(persons.size).toBeGreaterThanOrEqual(40);
    expect(new Set(devices.map((d) => d.kind)).size).toBeGreaterThanOrEqual(4);
    expect(devices.every((d) => /^YY-(EB|CT|MT|BR|DS)-\d{6}$/.test(d.serial))).toBe(true);
    expect(devices.filter((d) => d.link === 'offline').length).toBeGreaterThan(0);
    const alone = await ctx.db
      .selectFrom('persons')
      .select('id')
      .where('id', 'in', [...persons])
      .where('living_alone', '=', 1)
      .execute();
    for (const p of alone) expect(devices.some((d) => d.person_id === p.id && d.kind === 'emergency_button')).toBe(true);
    const address = devices[0]!.address_enc!;
    expect(address).not.toMatch(/组|号/);
    expect(ctx.cipher.decrypt(address)).toMatch(/\d+组\d+号$/);
    const contacts = await ctx.db.selectFrom('hotline_contacts').selectAll().execute();
    expect(new Set(contacts.map((c) => c.person_id))).toEqual(persons);
    for (const c of contacts.slice(0, 10)) {
      expect(c.phone_masked).toMatch(/^139\*{4}\d{4}$/);
      expect(ctx.cipher.decrypt(c.phone_enc)).toMatch(/^139\d{8}$/);
    }
    const vendor = await ctx.db.selectFrom('alarm_vendors').selectAll().executeTakeFirstOrThrow();
    expect(ctx.cipher.decrypt(vendor.secret_enc)).toMatch(/^[0-9a-f]{64}$/);
    expect(logged.join('\n')).not.toContain(ctx.cipher.decrypt(vendor.secret_enc));
  });

  it('has three months of alarms, each with its steps in order, and one waiting and one acknowledged now', async () => {
    const alarms = await ctx.db.selectFrom('alarms').selectAll().orderBy('id').execute();
    expect(alarms.length).toBeGreaterThan(150);
    const steps = await ctx.db.selectFrom('alarm_steps').selectAll().orderBy('id').execute();
    const byAlarm = new Map<number, typeof steps>();
    for (const s of steps) byAlarm.set(s.alarm_id, [...(byAlarm.get(s.alarm_id) ?? []), s]);
    for (const a of alarms.filter((x) => x.state === 'resolved')) {
      const mine = byAlarm.get(a.id)!;
      const kinds = mine.map((s) => s.kind);
      expect(kinds[0]).toBe('raised');
      expect(kinds.at(-1)).toBe('resolved');
      expect(kinds).toContain('acknowledged');
      expect(kinds.filter((k) => k === 'escalated').length).toBe(a.escalation);
      expect(mine.map((s) => s.at)).toEqual(mine.map((s) => s.at).sort());
      expect(a.acknowledged_at! >= a.raised_at && a.resolved_at! >= a.acknowledged_at!).toBe(true);
    }
    expect(alarms.filter((a) => a.state === 'raised')).toHaveLength(1);
    expect(alarms.filter((a) => a.state === 'acknowledged')).toHaveLength(1);
    const hotline1 = await userScope(ctx, 'hotline1');
    expect(alarms.find((a) => a.state === 'acknowledged')!.acknowledged_by).toBe(hotline1.userId);
    const events = await ctx.db.selectFrom('alarm_events').select(['alarm_id', 'kind']).execute();
    expect(events.some((e) => e.alarm_id === alarms.find((a) => a.state === 'raised')!.id && e.kind === 'sos')).toBe(true);
    const card = await hotlineCard(ctx, hotline1);
    expect(card).toMatchObject({ openAlarms: 2, raised: 1 });
  });

  it('gives the report realistic figures: most acknowledged within a minute, some false alarms and escalations, tickets of every kind with return calls', async () => {
    const on = new Date();
    const from = new Date(on.getTime() - 95 * 86_400_000).toISOString().slice(0, 10);
    const r = await alarmReport(ctx, countyScope(ctx), { from, to: today(on) }, on);
    expect(r.alarms.total).toBeGreaterThan(150);
    const ack = r.targets.find((t) => t.key === 'ack')!;
    expect(ack.sharePermille!).toBeGreaterThan(800);
    expect(r.ack.medianSeconds!).toBeLessThan(60);
    expect(r.outcomes.falseSharePermille!).toBeGreaterThan(50);
    expect(r.outcomes.falseSharePermille!).toBeLessThan(600);
    expect(r.escalations.toAll).toBeGreaterThan(0);
    expect(r.escalations.toSupervisor).toBeGreaterThan(0);
    for (const k of r.tickets.byKind) expect(k.count, k.kind).toBeGreaterThan(0);
    expect(r.callbacks.done).toBeGreaterThan(0);
    const articles = await ctx.db.selectFrom('hotline_articles').select('title').execute();
    expect(articles.map((a) => a.title).join()).toMatch(/高龄津贴.*养老服务补贴.*时间银行.*12349/s);
  });

  it('raises nothing new when the clock ticks a minute after the demo starts: the monitored elders moved in the last hours', async () => {
    // the absence rules read the hours before now (no movement: the last 720 minutes of 08:00–20:00
    // Beijing; out of bed: at night): the demo's devices that can see movement reported it
    const movers = await ctx.db
      .selectFrom('alarm_devices')
      .select('id')
      .where('kind', 'in', ['mattress', 'bracelet', 'door_sensor'])
      .where('link', '=', 'online')
      .execute();
    expect(movers.length).toBeGreaterThan(10);
    const recent = await ctx.db
      .selectFrom('alarm_events')
      .select('device_id')
      .distinct()
      .where(
        'device_id',
        'in',
        movers.map((m) => m.id),
      )
      .where('kind', 'in', ['movement', 'door_close'])
      .where('occurred_at', '>=', new Date(Date.now() - 3_600_000).toISOString())
      .execute();
    expect(recent.length).toBe(movers.length);
    const before = await ctx.db.selectFrom('alarms').select('id').execute();
    const tick = await tickClock(ctx, new Date(Date.now() + 60_000));
    const after = await ctx.db
      .selectFrom('alarms')
      .select(['id', 'rule_key'])
      .where('id', 'not in', before.length ? before.map((a) => a.id) : [0])
      .execute();
    expect(after.map((a) => a.rule_key)).toEqual([]);
    expect(tick.changes.filter((c) => c.raised)).toEqual([]);
  });
});
