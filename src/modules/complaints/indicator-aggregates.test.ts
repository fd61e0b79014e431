import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../platform/scope.js';
import { periodBounds } from '../../platform/time.js';
import { createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { type Cell, type Span, pageOfMembers } from '../indicators/contract.js';
import { replyComplaint } from './handling.js';
import { complaintsAggregates } from './indicator-aggregates.js';
import { insertComplaint } from './intake.js';

const spanOf = (month: string, asOf?: string): Span => {
  const { start, end } = periodBounds(month);
  return { month, from: start, to: end, asOf: asOf ?? end, yearFrom: `${month.slice(0, 4)}-01-01`, planFrom: '2021-01-01' };
};
const sum = (cells: Cell[], prefix = '') =>
  cells.filter((c) => c.region.startsWith(prefix)).reduce((t, c) => ({ num: t.num + c.num, den: t.den + c.den }), { num: 0, den: 0 });

describe.each(dialects)('complaints indicator source on %s', (dialect) => {
  let ctx: TestContext;
  let admin: Scope;
  const V1 = '990101101200';
  const V2 = '990101102200';
  const source = complaintsAggregates.find((s) => s.key === 'complaints.complaintsClosedInTime')!;
  const ids: Record<string, number> = {};

  const file = async (region: string, receivedAt: string, category: 'food' | 'fees' = 'food') =>
    ctx.db.transaction().execute(
      async (trx) =>
        (
          await insertComplaint(ctx, trx, admin, {
            source: 'hotline',
            sourceId: null,
            target: { kind: 'other', id: null, name: '某养老院', regionCode: null },
            category,
            text: '饭菜是凉的，秘密内容',
            happenedOn: null,
            regionCode: region,
            contactName: '投诉人张某',
            contactPhone: '13800001234',
            receivedAt,
          })
        ).id,
    );
  /** a reply recorded on a past day (the console replies today) */
  const repliedOn = (id: number, on: string) =>
    ctx.db
      .updateTable('complaints')
      .set({ replied_on: on, replied_at: `${on}T02:00:00.000Z`, status: 'replied' })
      .where('id', '=', id)
      .execute();

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    admin = await userScope(ctx, 'admin');
    // the default deadline is 15 days from the day received (Beijing)
    ids.late = await file(V1, '2026-09-20T02:00:00.000Z'); // due 2026-10-05, answered today: late
    await replyComplaint(ctx, admin, ids.late, { reply: '已核实并整改' });
    ids.inTime = await file(V1, '2026-09-25T02:00:00.000Z', 'fees'); // due 2026-10-10, answered 10-08
    await repliedOn(ids.inTime, '2026-10-08');
    ids.open = await file(V1, '2026-10-01T02:00:00.000Z'); // due 2026-10-16, never answered
    ids.nextMonth = await file(V1, '2026-10-20T02:00:00.000Z'); // due 2026-11-04
    await repliedOn(ids.nextMonth, '2026-10-21');
    ids.onTheDay = await file(V2, '2026-09-17T02:00:00.000Z'); // due 2026-10-02, answered that day
    await repliedOn(ids.onTheDay, '2026-10-02');
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('counts complaints due in the month answered by their deadline, at the region they are about', async () => {
    const cells = await source.cells(ctx, ctx.db, spanOf('2026-10'));
    expect(sum(cells, V1)).toEqual({ num: 1, den: 3 });
    expect(sum(cells, V2)).toEqual({ num: 1, den: 1 });
    // one answered early counts in the month of its deadline, once
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-11')))).toEqual({ num: 1, den: 1 });
    // a running month counts the deadlines up to asOf only
    expect(sum(await source.cells(ctx, ctx.db, spanOf('2026-10', '2026-10-09')))).toEqual({ num: 1, den: 2 });
  });

  it('lists complaints by number and category, answered in time first, never the complainant or their words', async () => {
    const m = pageOfMembers(await source.members(ctx, ctx.db, spanOf('2026-10'), ['990101101']), { offset: 0, limit: 10 });
    expect(m.total).toBe(3);
    expect(m.items.map((x) => [x.kind, x.id, x.name, x.inNumerator, x.detail.zh])).toEqual([
      ['complaint', ids.inTime, `#${ids.inTime}`, true, '乱收费：期限 2026-10-10，2026-10-08 答复'],
      ['complaint', ids.late, `#${ids.late}`, false, expect.stringMatching(/^饮食：期限 2026-10-05，\d{4}-\d{2}-\d{2} 答复（逾期）$/)],
      ['complaint', ids.open, `#${ids.open}`, false, '饮食：期限 2026-10-16，未答复'],
    ]);
    expect(JSON.stringify(m)).not.toMatch(/张某|13800001234|秘密/);
    expect(pageOfMembers(await source.members(ctx, ctx.db, spanOf('2026-10'), ['990101102']), { offset: 0, limit: 10 }).items.map((x) => x.id)).toEqual([
      ids.onTheDay,
    ]);
  });
});
