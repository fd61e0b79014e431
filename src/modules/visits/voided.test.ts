import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPerson } from '../../db/tables.js';
import { AppError, formatMessage } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { voidEvent } from '../care-events/care-events.service.js';
import { openAccount } from '../timebank/accounts.js';
import { redeem, reverse } from '../timebank/movements.js';
import { timebankSettingsOf } from '../timebank/timebank.settings.js';
import { visitRate } from './rate.js';
import { recordVisit } from './record.js';
import type { RecordBody } from './record.schema.js';
import { plusDays } from './windows.js';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/**
 * A voided visit is undone (issue 16, follow-up of the review): the due it closed reopens (open
 * while its window runs, missed once it has ended) so the monthly rate counts it as not done, or
 * another counting visit of the window takes its place; the hours it deposited in the time bank
 * are reversed by a compensating entry, and a void that would take the volunteer's balance below
 * zero is refused, naming the volunteer, the hours and the balance, until the officer has reversed
 * what spent them.
 */
describe.each(dialects)('voiding a visit on %s', (dialect) => {
  let ctx: TestContext;
  let town1: Scope;
  let grid1: Scope;
  let vol1: Scope;
  let village: string;
  let n = 0;

  async function person(key: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `作废${key}`,
      sex: 'F',
      birth_date: '1940-03-01',
      region_code: village,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      living_alone: 1,
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A plan member with one open due of a window around today, assigned to `worker`. */
  async function planned(personId: number, worker: Scope) {
    const on = today();
    const m = await ctx.db
      .insertInto('visit_plan_members')
      .values({
        person_id: personId,
        region_code: village,
        plan_key: 'weekly_high_risk',
        frequency: 'weekly',
        modes: JSON.stringify(['home', 'phone', 'video']),
        high_risk: 1,
        rule: 'test',
        joined_on: '2026-01-01',
        left_on: null,
        left_reason: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const d = await ctx.db
      .insertInto('visit_dues')
      .values({
        member_id: m.id,
        person_id: personId,
        region_code: village,
        plan_key: 'weekly_high_risk',
        window_start: plusDays(on, -3),
        window_end: plusDays(on, 3),
        due_date: plusDays(on, 3),
        high_risk: 1,
        status: 'open',
        event_id: null,
        done_on: null,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('visit_assignments')
      .values({
        person_id: personId,
        region_code: village,
        worker_id: worker.userId!,
        worker_role: worker.role,
        note: null,
        assigned_by: town1.userId!,
        assigned_at: nowIso(),
        ended_by: null,
        ended_at: null,
      })
      .execute();
    return d.id;
  }

  const body = (personId: number, minutes = 40, extra: Partial<RecordBody> = {}): RecordBody =>
    ({
      clientId: randomUUID(),
      personId,
      mode: 'home',
      startedAt: minutesAgo(minutes + 5),
      endedAt: minutesAgo(5),
      findings: ['health.ok'],
      ...extra,
    }) as RecordBody;
  const dueRow = (id: number) => ctx.db.selectFrom('visit_dues').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const balance = async (id: number) =>
    (await ctx.db.selectFrom('timebank_accounts').select('balance_minutes').where('id', '=', id).executeTakeFirstOrThrow()).balance_minutes;
  const count = async (table: 'timebank_entries' | 'timebank_lines') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const status = async (eventId: number) =>
    (await ctx.db.selectFrom('care_events').select('status').where('id', '=', eventId).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    town1 = await userScope(ctx, 'town1');
    grid1 = await userScope(ctx, 'grid1');
    vol1 = await userScope(ctx, 'vol1');
    village = grid1.regionCode;
  }, 60_000);
  afterAll(async () => {
    await ctx?.cleanup();
  });

  it('reopens the due a voided visit closed, audited, while its window runs', async () => {
    const p = await person('open');
    const dueId = await planned(p, grid1);
    const r = await recordVisit(ctx, grid1, body(p));
    expect(r).toMatchObject({ counted: true, dueId });
    expect((await dueRow(dueId)).status).toBe('done');
    await voidEvent(ctx, town1, r.eventId, '重复登记');
    expect(await dueRow(dueId)).toMatchObject({ status: 'open', event_id: null, done_on: null });
    const audit = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'visits.due_reopen').where('entity_id', '=', String(dueId)).execute();
    expect(audit).toHaveLength(1);
    // the phone may visit again in the window, and that visit closes the due
    const again = await recordVisit(ctx, grid1, body(p));
    expect(again).toMatchObject({ counted: true, dueId });
  });

  it('marks the due missed when its window has ended, so the month’s rate counts it as not done', async () => {
    const p = await person('missed');
    const dueId = await planned(p, grid1);
    const r = await recordVisit(ctx, grid1, body(p));
    expect(r.counted).toBe(true);
    // time passes: the window lies wholly before today (as if visited on its last day but one)
    const on = today();
    await ctx.db
      .updateTable('visit_dues')
      .set({ window_start: plusDays(on, -9), window_end: plusDays(on, -3), due_date: plusDays(on, -3), done_on: plusDays(on, -4) })
      .where('id', '=', dueId)
      .execute();
    const month = plusDays(on, -3).slice(0, 7);
    const scope = { ...town1, regionCode: village, regionPrefix: village };
    const before = await visitRate(ctx.db, scope, month, on);
    await voidEvent(ctx, town1, r.eventId, '未实际探访');
    expect(await dueRow(dueId)).toMatchObject({ status: 'missed', event_id: null, done_on: null });
    const after = await visitRate(ctx.db, scope, month, on);
    expect(after.due).toBe(before.due);
    expect(after.done).toBe(before.done - 1);
  });

  it('lets another counting visit of the same window take the voided one’s place', async () => {
    const p = await person('twice');
    const dueId = await planned(p, grid1);
    const first = await recordVisit(ctx, grid1, body(p, 40));
    const second = await recordVisit(ctx, grid1, body(p, 30));
    expect(second).toMatchObject({ counted: false, reason: 'already_done', dueId });
    await voidEvent(ctx, town1, first.eventId, '记错老人');
    expect(await dueRow(dueId)).toMatchObject({ status: 'done', event_id: second.eventId });
    // and voiding that one too reopens it
    await voidEvent(ctx, town1, second.eventId, '记错老人');
    expect(await dueRow(dueId)).toMatchObject({ status: 'open', event_id: null });
  });

  it('reverses the hours a voided volunteer visit deposited by a compensating entry, and refuses a void the balance cannot bear', async () => {
    const acc = (await openAccount(ctx, town1, { holder: { userId: vol1.userId! } })).id;
    const p = await person('volunteer');
    const dueId = await planned(p, vol1);
    // confirmed by the person on the volunteer's phone: 60 minutes deposited at once
    const r = await recordVisit(ctx, vol1, body(p, 60, { confirmation: { kind: 'person' } }));
    expect(r.counted).toBe(true);
    expect(await balance(acc)).toBe(60);
    const deposit = await ctx.db.selectFrom('timebank_entries').selectAll().where('event_id', '=', r.eventId).executeTakeFirstOrThrow();
    const entries = await count('timebank_entries');
    const lines = await count('timebank_lines');
    await voidEvent(ctx, town1, r.eventId, '志愿者未到场');
    expect(await balance(acc)).toBe(0);
    // nothing deleted: one more entry of two lines, reversing the deposit
    expect(await count('timebank_entries')).toBe(entries + 1);
    expect(await count('timebank_lines')).toBe(lines + 2);
    const reversal = await ctx.db.selectFrom('timebank_entries').selectAll().where('reverses_id', '=', deposit.id).executeTakeFirstOrThrow();
    expect(reversal.kind).toBe('reversal');
    const sums = await ctx.db.selectFrom('timebank_lines').select(['account_id', 'minutes']).where('entry_id', '=', reversal.id).execute();
    expect(sums.reduce((s, l) => s + l.minutes, 0)).toBe(0);
    expect(sums.find((l) => l.account_id === acc)?.minutes).toBe(-60);
    expect((await dueRow(dueId)).status).toBe('open');

    // hours spent: a second visit's 60 minutes deposited, 60 redeemed; voiding it is refused
    const p2 = await person('spent');
    const due2 = await planned(p2, vol1);
    const r2 = await recordVisit(ctx, vol1, body(p2, 60, { confirmation: { kind: 'person' } }));
    expect(await balance(acc)).toBe(60);
    const reward = timebankSettingsOf(ctx, ctx.regions.counties()[0]!.code).rewards.find((w) => w.minutes === 60)!;
    const spent = await redeem(ctx, town1, { clientId: randomUUID(), accountId: acc, rewardKey: reward.key, quantity: 1 });
    expect(await balance(acc)).toBe(0);
    const before = await count('timebank_entries');
    const refused = await voidEvent(ctx, town1, r2.eventId, '志愿者未到场').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    const err = refused as AppError<'TIMEBANK_VOID_SPENT'>;
    expect(err.code).toBe('TIMEBANK_VOID_SPENT');
    const volunteerName = (await ctx.db.selectFrom('users').select('display_name').where('id', '=', vol1.userId!).executeTakeFirstOrThrow()).display_name;
    const en = formatMessage('TIMEBANK_VOID_SPENT', err.params, 'en');
    expect(en).toContain(volunteerName);
    expect(en).toContain('1 h');
    expect(en).toContain('holds only 0 min');
    expect(formatMessage('TIMEBANK_VOID_SPENT', err.params, 'zh-CN')).toContain('余额仅 0 分');
    // nothing changed: the event stands confirmed, its due done, no entry written
    expect(await status(r2.eventId)).toBe('confirmed');
    expect((await dueRow(due2)).status).toBe('done');
    expect(await count('timebank_entries')).toBe(before);
    // settled: the redemption reversed, the void goes through and reverses the deposit
    await reverse(ctx, town1, spent.entryId, { reason: '作废服务记录前冲正兑换' });
    expect(await balance(acc)).toBe(60);
    await voidEvent(ctx, town1, r2.eventId, '志愿者未到场');
    expect(await balance(acc)).toBe(0);
    expect(await status(r2.eventId)).toBe('voided');
    expect((await dueRow(due2)).status).toBe('open');
    expect(await codeOf(voidEvent(ctx, town1, r2.eventId, 'again'))).toBe('CARE_EVENT_VOIDED');
  });
});
