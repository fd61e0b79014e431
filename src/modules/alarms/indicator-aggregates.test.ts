import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodBounds, today } from '../../platform/time.js';
import { countyScope, createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import { type Cell, type Span, pageOfMembers } from '../indicators/contract.js';
import { DEFAULT_HOTLINE_TARGETS } from './alarms.settings.js';
import { alarmsAggregates } from './indicator-aggregates.js';
import { alarmReport } from './reports.js';

const spanOf = (month: string, asOf?: string): Span => {
  const { start, end } = periodBounds(month);
  return { month, from: start, to: end, asOf: asOf ?? end, yearFrom: `${month.slice(0, 4)}-01-01`, planFrom: '2021-01-01' };
};
const sum = (cells: Cell[], prefix = '') =>
  cells.filter((c) => c.region.startsWith(prefix)).reduce((t, c) => ({ num: t.num + c.num, den: t.den + c.den }), { num: 0, den: 0 });
const at = (iso: string, plusSeconds: number) => new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();

describe.each(dialects)('alarms indicator source on %s', (dialect) => {
  let ctx: TestContext;
  const V1 = '990101101200';
  const V2 = '990101102200';
  const source = alarmsAggregates.find((s) => s.key === 'alarms.alarmAckWithinTarget')!;

  // alarms as the rules raise them and operators acknowledge them (the reports' tests write them so too)
  async function alarm(region: string, raisedAt: string, ackAfter: number | null, kind = 'emergency') {
    return (
      await ctx.db
        .insertInto('alarms')
        .values({
          person_id: 1,
          region_code: region,
          device_id: null,
          rule_key: kind,
          kind,
          priority: 1,
          state: ackAfter === null ? 'raised' : 'acknowledged',
          raised_at: raisedAt,
          event_count: 1,
          last_event_at: raisedAt,
          escalation: 0,
          escalated_at: null,
          acknowledged_at: ackAfter === null ? null : at(raisedAt, ackAfter),
          acknowledged_by: ackAfter === null ? null : 1,
          resolved_at: null,
          resolved_by: null,
          outcome: null,
          follow_up: null,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    // October 2026, Beijing time
    ids.fast = await alarm(V1, '2026-10-05T02:00:00.000Z', 30);
    ids.slow = await alarm(V1, '2026-10-06T02:00:00.000Z', 90, 'fall');
    ids.never = await alarm(V1, '2026-10-07T02:00:00.000Z', null);
    ids.exact = await alarm(V2, '2026-10-08T02:00:00.000Z', 60);
    ids.quick = await alarm(V2, '2026-10-09T02:00:00.000Z', 10, 'door_night');
    // 00:30 on 1 October in Beijing is October's; 00:30 on 1 November is November's
    ids.first = await alarm(V2, '2026-09-30T16:30:00.000Z', 20);
    ids.next = await alarm(V2, '2026-10-31T16:30:00.000Z', 500);
    // raised ten seconds ago, nobody on it yet: it could still make it
    ids.waiting = await alarm(V1, new Date(Date.now() - 10_000).toISOString(), null);
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('counts alarms raised in the month acknowledged within the hotline’s target, as the alarm report does', async () => {
    const cells = await source.cells(ctx, ctx.db, spanOf('2026-10'));
    expect(sum(cells, V1)).toEqual({ num: 1, den: 3 });
    expect(sum(cells, V2)).toEqual({ num: 3, den: 3 });
    const report = await alarmReport(ctx, countyScope(ctx), { from: '2026-10-01', to: '2026-10-31' });
    const ack = report.targets.find((t) => t.key === 'ack')!;
    expect([ack.within, ack.population]).toEqual([4, 6]);
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-11')))).toEqual({ num: 0, den: 1 });
  });

  it('leaves out an alarm still waiting within the limit', async () => {
    const month = today().slice(0, 7);
    expect(sum(await source.cells(ctx, ctx.db, spanOf(month, today())), V1)).toEqual({ num: 0, den: 0 });
  });

  it('follows the hotline’s own target when the bureau changes it', async () => {
    const code = ctx.regions.counties()[0]!.code;
    await ctx.settings.set(ctx, countyScope(ctx), code, 'hotline_targets', { ...DEFAULT_HOTLINE_TARGETS, ackSeconds: 100 }, '测试：接警时限 100 秒');
    try {
      expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-10')), V1)).toEqual({ num: 2, den: 3 });
    } finally {
      await ctx.settings.set(ctx, countyScope(ctx), code, 'hotline_targets', DEFAULT_HOTLINE_TARGETS, '测试：恢复');
    }
  });

  it('lists alarms by number and kind, acknowledged in time first, never the person', async () => {
    const m = pageOfMembers(await source.members(ctx, ctx.db, spanOf('2026-10'), [V1]), { offset: 0, limit: 10 });
    expect(m.total).toBe(3);
    expect(m.items.map((x) => [x.kind, x.id, x.name, x.inNumerator, x.detail.zh])).toEqual([
      ['alarm', ids.fast, `#${ids.fast}`, true, '紧急呼叫（红键）：30 秒接警（目标 60 秒）'],
      ['alarm', ids.slow, `#${ids.slow}`, false, '跌倒：90 秒接警（目标 60 秒）'],
      ['alarm', ids.never, `#${ids.never}`, false, '紧急呼叫（红键）：超过 60 秒未接警'],
    ]);
    for (const x of m.items) expect(JSON.stringify(x)).not.toMatch(/person/);
  });
});
