import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowIso, today } from '../../platform/time.js';
import { createSeededContext, dialects, type TestContext } from '../../testing/harness.js';
import type { ComplaintTable, SurveyCallTable } from './complaints.tables.js';
import { complaintCountsByTarget, satisfactionByTarget, scorePercent } from './signals.js';

function daysFrom(on: string, n: number): string {
  const d = new Date(`${on}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('survey scores (pure)', () => {
  it('maps the mean of four 1-5 scores onto 0..100', () => {
    expect(scorePercent([5, 5, 5, 5])).toBe(100);
    expect(scorePercent([1, 1, 1, 1])).toBe(0);
    expect(scorePercent([3, 3, 3, 3])).toBe(50);
    expect(scorePercent([4, 5, 4, 4])).toBe(81);
  });
});

describe.each(dialects)('complaint and satisfaction signals on %s', (dialect) => {
  let ctx: TestContext;
  const on = today();
  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
  }, 120_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  async function complaint(p: Partial<Insertable<ComplaintTable>> & Pick<Insertable<ComplaintTable>, 'target_kind' | 'target_id' | 'received_on' | 'due_on'>) {
    const now = nowIso();
    await ctx.db
      .insertInto('complaints')
      .values({
        tracking_hash: randomUUID(),
        source: 'public',
        source_id: null,
        target_name: null,
        category: 'service_quality',
        text_enc: 'sealed',
        happened_on: null,
        contact_name_enc: null,
        contact_phone_enc: null,
        region_code: '330503001001',
        status: 'received',
        received_at: now,
        deadline_days: 15,
        unit_code: '330503001000',
        officer_id: null,
        reply_enc: null,
        replied_at: null,
        replied_on: null,
        substantiated: null,
        closed_at: null,
        escalated_on: null,
        updated_at: now,
        ...p,
      })
      .execute();
  }

  it('counts complaints received in the range per target: substantiated (yes or partly) and overdue (replied late, or unreplied past the deadline)', async () => {
    const from = daysFrom(on, -40);
    // facility 901: four in range, one before it
    await complaint({
      target_kind: 'facility',
      target_id: 901,
      received_on: daysFrom(on, -30),
      due_on: daysFrom(on, -15),
      status: 'closed',
      substantiated: 'yes',
      replied_on: daysFrom(on, -20),
    });
    await complaint({
      target_kind: 'facility',
      target_id: 901,
      received_on: daysFrom(on, -30),
      due_on: daysFrom(on, -15),
      status: 'closed',
      substantiated: 'partly',
      replied_on: daysFrom(on, -10),
    });
    await complaint({
      target_kind: 'facility',
      target_id: 901,
      received_on: daysFrom(on, -25),
      due_on: daysFrom(on, -10),
      status: 'closed',
      substantiated: 'no',
      replied_on: daysFrom(on, -11),
    });
    await complaint({ target_kind: 'facility', target_id: 901, received_on: daysFrom(on, -20), due_on: daysFrom(on, -5), status: 'investigating' });
    await complaint({ target_kind: 'facility', target_id: 901, received_on: daysFrom(on, -50), due_on: daysFrom(on, -35), status: 'received' });
    // provider 902: one open, not yet due; an 'other' complaint has no key
    await complaint({ target_kind: 'provider', target_id: 902, received_on: on, due_on: daysFrom(on, 15) });
    await complaint({ target_kind: 'other', target_id: null, target_name: '某家政公司', received_on: on, due_on: daysFrom(on, 15) });
    const counts = await complaintCountsByTarget(ctx.db, { from, to: on });
    expect(counts.get('facility:901')).toEqual({ received: 4, substantiated: 2, overdue: 2 });
    expect(counts.get('provider:902')).toEqual({ received: 1, substantiated: 0, overdue: 0 });
    expect([...counts.keys()].sort()).toEqual(['facility:901', 'provider:902']);
    // both ends inclusive: a range of the single day of the provider's complaint holds it
    expect((await complaintCountsByTarget(ctx.db, { from: on, to: on })).get('provider:902')?.received).toBe(1);
    expect((await complaintCountsByTarget(ctx.db, { from: daysFrom(on, -19), to: daysFrom(on, -1) })).size).toBe(0);
  });

  it('averages answered survey calls per target on 0..100, leaving out pending calls and "not given" answers', async () => {
    const draw = await ctx.db
      .insertInto('survey_draws')
      .values({ period: on.slice(0, 7), region_prefix: '330503', seed: 'ab', params: '{}', drawn_by: null, drawn_at: nowIso() })
      .returning('id')
      .executeTakeFirstOrThrow();
    let event = 1000;
    const call = (p: Partial<Insertable<SurveyCallTable>> & Pick<Insertable<SurveyCallTable>, 'target_kind' | 'target_id'>) =>
      ctx.db
        .insertInto('survey_calls')
        .values({
          draw_id: draw.id,
          event_id: event++,
          person_id: 1,
          region_code: '330503001001',
          served_on: on,
          status: 'answered',
          answers: '{}',
          given: 'yes',
          percent: null,
          note_enc: null,
          complaint_id: null,
          answered_by: null,
          answered_at: nowIso(),
          answered_on: on,
          via: 'officer',
          ...p,
        })
        .execute();
    await call({ target_kind: 'provider', target_id: 902, percent: 100 });
    await call({ target_kind: 'provider', target_id: 902, percent: 75 });
    await call({ target_kind: 'provider', target_id: 902, percent: 50 });
    await call({ target_kind: 'provider', target_id: 902, given: 'no', percent: null });
    await call({ target_kind: 'provider', target_id: 902, status: 'pending', answers: null, given: null, answered_on: null, answered_at: null });
    await call({ target_kind: 'provider', target_id: 903, percent: 0, answered_on: daysFrom(on, -60) });
    const sat = await satisfactionByTarget(ctx.db, { from: daysFrom(on, -30), to: on });
    expect(sat.get('provider:902')).toEqual({ responses: 3, meanPercent: 75 });
    expect(sat.has('provider:903')).toBe(false);
    expect((await satisfactionByTarget(ctx.db, { from: daysFrom(on, -60), to: daysFrom(on, -60) })).get('provider:903')).toEqual({
      responses: 1,
      meanPercent: 0,
    });
  });
});
