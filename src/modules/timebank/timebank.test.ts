import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openContext } from '../../bootstrap.js';
import { loadConfig } from '../../config.js';
import { openSqlite } from '../../db/database.js';
import type { NewPerson } from '../../db/tables.js';
import { hashPassword } from '../../platform/auth.js';
import { dailyTasks } from '../../platform/daily.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso, today } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { confirmEvent, recordEvent } from '../care-events/care-events.service.js';
import { DEMO_PASSWORD } from '../demo/seed.js';
import { insertAccounts } from '../users/accounts.js';
import { openAccount } from './accounts.js';
import { runCheck } from './check.js';
import { hoursText } from './ledger.js';
import { deposit, depositMinutes, redeem, reverse, transfer } from './movements.js';
import { pendingList } from './pending.js';
import { timebankSettingsOf } from './timebank.settings.js';
import { timebankCounts } from './workbench.queries.js';
import type { AccountDetail, MeReply, MovementReply, PendingReply } from './timebank.schema.js';

describe('time bank arithmetic (pure)', () => {
  it('rounds a duration down to the step and caps it; words hours in both languages', () => {
    const s = { roundMinutes: 15, maxMinutesPerEvent: 480 };
    expect(depositMinutes(95, s)).toBe(90);
    expect(depositMinutes(14, s)).toBe(0);
    expect(depositMinutes(15, s)).toBe(15);
    expect(depositMinutes(600, s)).toBe(480);
    expect(hoursText(150)).toEqual({ zh: '2 小时 30 分', en: '2 h 30 min' });
    expect(hoursText(60)).toEqual({ zh: '1 小时', en: '1 h' });
    expect(hoursText(45)).toEqual({ zh: '45 分', en: '45 min' });
    expect(hoursText(-90)).toEqual({ zh: '−1 小时 30 分', en: '−1 h 30 min' });
  });
});

describe.each(dialects)('time bank on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let town2: Scope;
  let admin: Scope;
  let vol1: Scope;
  let village1: string;
  let village2: string;
  let vol1Id: number;
  let vol2Id: number;
  let elder: number;
  let relative: number;
  let relative2: number;
  let acc1: number;
  let officer: Session;
  let volunteer: Session;
  let n = 0;

  async function person(key: string, region: string) {
    n++;
    const now = nowIso();
    const row = {
      id_hash: `hash-${key}-${randomUUID()}`,
      id_enc: 'placeholder',
      id_masked: `330503********${String(n).padStart(4, '0')}`,
      name: `测试${key}`,
      sex: 'F',
      birth_date: '1940-01-01',
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status: 'active',
      closed_on: null,
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  /** A volunteer's event of `minutes` ending a minute ago; confirmed by the town officer when asked. */
  async function event(performerId: number, minutes: number, confirm: boolean, region = village1) {
    const end = new Date(Date.now() - 60_000);
    const start = new Date(end.getTime() - minutes * 60_000);
    const { id } = await ctx.db.transaction().execute((trx) =>
      recordEvent(ctx, trx, {
        clientId: randomUUID(),
        kind: 'volunteer',
        source: 'timebank-test',
        sourceId: null,
        performer: { id: performerId, role: 'volunteer' },
        personId: elder,
        regionCode: region,
        mode: 'home',
        startedAt: start.toISOString(),
        endedAt: end.toISOString(),
        findings: [],
      }),
    );
    if (confirm) await confirmEvent(ctx, region === village1 ? town1 : town2, id, { kind: 'officer' });
    return id;
  }

  const count = async (table: 'timebank_entries' | 'timebank_lines' | 'timebank_accounts') =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const balance = async (id: number) =>
    (await ctx.db.selectFrom('timebank_accounts').select('balance_minutes').where('id', '=', id).executeTakeFirstOrThrow()).balance_minutes;
  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    town2 = await userScope(ctx, 'town2');
    admin = await userScope(ctx, 'admin');
    vol1 = await userScope(ctx, 'vol1');
    village1 = vol1.regionCode;
    village2 = ctx.regions.all().find((r) => r.level === 'village' && r.code.startsWith(town2.regionPrefix))!.code;
    await insertAccounts(
      ctx.db,
      [{ username: 'vol2', displayName: '志愿者乙', role: 'volunteer', regionCode: village2, passwordHash: await hashPassword(DEMO_PASSWORD) }],
      nowIso(),
    );
    const users = await ctx.db.selectFrom('users').select(['id', 'username']).where('username', 'in', ['vol1', 'vol2']).execute();
    vol1Id = users.find((u) => u.username === 'vol1')!.id;
    vol2Id = users.find((u) => u.username === 'vol2')!.id;
    elder = await person('elder', village1);
    relative = await person('relative', village1);
    relative2 = await person('relative2', village2);
    app = await buildApp(ctx, { serveWeb: false });
    officer = await loginAs(app, 'town1');
    volunteer = await loginAs(app, 'vol1');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  it('refuses to deposit hours not confirmed, saying so in both languages, and writes nothing', async () => {
    acc1 = (await openAccount(ctx, town1, { holder: { userId: vol1Id } })).id;
    const id = await event(vol1Id, 60, false);
    const before = await count('timebank_entries');
    for (const lang of ['zh-CN', 'en']) {
      const res = await call(app, officer, { method: 'POST', url: '/api/timebank/deposits', payload: { eventId: id }, headers: { 'accept-language': lang } });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('TIMEBANK_UNCONFIRMED');
      expect(res.json<{ error: { message: string } }>().error.message).toContain(lang === 'en' ? `event ${id} is not confirmed` : `（编号 ${id}）尚未确认`);
    }
    expect(await count('timebank_entries')).toBe(before);
    expect(await balance(acc1)).toBe(0);
    // and the volunteer sees it waiting for confirmation on their own page
    const me = (await call(app, volunteer, { method: 'GET', url: '/api/timebank/me' })).json<MeReply>();
    expect(me.account?.id).toBe(acc1);
    expect(me.pending.map((p) => [p.eventId, p.status, p.minutes])).toContainEqual([id, 'recorded', 60]);
  });

  it('deposits a volunteer’s hours automatically when their event is confirmed (rounded down, capped), once', async () => {
    const id = await event(vol1Id, 95, true);
    const entry = await ctx.db.selectFrom('timebank_entries').selectAll().where('event_id', '=', id).executeTakeFirstOrThrow();
    expect(entry.kind).toBe('deposit');
    expect(await balance(acc1)).toBe(90);
    // a second deposit of the same event is refused, naming the entry, and changes nothing
    const res = await call(app, officer, { method: 'POST', url: '/api/timebank/deposits', payload: { eventId: id }, headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(409);
    expect(errorCode(res)).toBe('TIMEBANK_ALREADY_DEPOSITED');
    expect(res.json<{ error: { message: string } }>().error.message).toContain(`entry ${entry.id}`);
    expect(await balance(acc1)).toBe(90);
    // capped at maxMinutesPerEvent (8 h by default)
    await event(vol1Id, 10 * 60, true);
    expect(await balance(acc1)).toBe(90 + 480);
  });

  it('deposits by hand an event confirmed before its volunteer had an account, once (the unique event also guards a race)', async () => {
    const id = await event(vol2Id, 45, true, village2);
    // no account: the confirmation stood, nothing was deposited
    expect(await ctx.db.selectFrom('timebank_entries').select('id').where('event_id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(await codeOf(deposit(ctx, town2, { eventId: id }))).toBe('TIMEBANK_NO_ACCOUNT');
    // it waits on town2's pending list and workbench count; one too short to deposit does not
    const short = await event(vol2Id, 10, true, village2);
    expect(await codeOf(deposit(ctx, town2, { eventId: short }))).toBe('TIMEBANK_NO_ACCOUNT');
    const waiting = await pendingList(ctx, town2);
    expect(waiting.toDeposit.map((p) => [p.eventId, p.minutes, p.accountId])).toEqual([[id, 45, null]]);
    expect((await timebankCounts(ctx.db, town2, timebankSettingsOf(ctx, ctx.regions.counties()[0]!.code))).pendingDeposits).toBe(1);
    expect((await pendingList(ctx, town1)).toDeposit.map((p) => p.eventId)).not.toContain(id);
    const acc2 = (await openAccount(ctx, town2, { holder: { userId: vol2Id } })).id;
    // an officer of another town does not see the event
    expect(await codeOf(deposit(ctx, town1, { eventId: id }))).toBe('TIMEBANK_EVENT_NOT_FOUND');
    const results = await Promise.allSettled([deposit(ctx, town2, { eventId: id }), deposit(ctx, town2, { eventId: id })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { code: string }).code).toBe('TIMEBANK_ALREADY_DEPOSITED');
    expect(await balance(acc2)).toBe(45);
    expect(await codeOf(deposit(ctx, town2, { eventId: short }))).toBe('TIMEBANK_DEPOSIT_TOO_SHORT');
    expect((await timebankCounts(ctx.db, town2, timebankSettingsOf(ctx, ctx.regions.counties()[0]!.code))).pendingDeposits).toBe(0);
    // an account per holder
    expect(await codeOf(openAccount(ctx, town2, { holder: { userId: vol2Id } }))).toBe('TIMEBANK_ACCOUNT_EXISTS');
    expect(await codeOf(openAccount(ctx, town1, { holder: { userId: (await userScope(ctx, 'grid1')).userId! } }))).toBe('TIMEBANK_HOLDER_INVALID');
  });

  it('refuses a transfer to oneself and one of zero or fewer minutes, writing nothing', async () => {
    const before = [await count('timebank_entries'), await balance(acc1)];
    const body = (minutes: number, to: object) => ({ fromAccountId: acc1, to, minutes, note: null, clientId: randomUUID() });
    for (const [payload, code] of [
      [body(30, { accountId: acc1 }), 'TIMEBANK_SELF_TRANSFER'],
      [body(0, { personId: relative }), 'TIMEBANK_AMOUNT_INVALID'],
      [body(-30, { personId: relative }), 'TIMEBANK_AMOUNT_INVALID'],
    ] as const) {
      const res = await call(app, volunteer, { method: 'POST', url: '/api/timebank/transfers', payload, headers: { 'accept-language': 'en' } });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(errorCode(res)).toBe(code);
    }
    expect([await count('timebank_entries'), await balance(acc1)]).toEqual(before);
  });

  it('transfers to a relative named by the volunteer (opening their account), once per clientId; only to a person’s account', async () => {
    const clientId = randomUUID();
    const payload = { fromAccountId: acc1, to: { personId: relative }, minutes: 60, note: '给母亲', clientId };
    const first = await call(app, volunteer, { method: 'POST', url: '/api/timebank/transfers', payload });
    expect(first.statusCode, first.body).toBe(200);
    const r = first.json<MovementReply>();
    expect(r).toMatchObject({ kind: 'transfer', merged: false, minutes: 60, accountId: acc1, balanceAfter: 570 - 60 });
    const again = (await call(app, volunteer, { method: 'POST', url: '/api/timebank/transfers', payload })).json<MovementReply>();
    expect(again).toMatchObject({ entryId: r.entryId, merged: true, balanceAfter: 510, toAccountId: r.toAccountId });
    expect(await balance(acc1)).toBe(510);
    expect(await balance(r.toAccountId!)).toBe(60);
    // the note is sealed at rest
    const stored = await ctx.db.selectFrom('timebank_entries').select('note').where('id', '=', r.entryId).executeTakeFirstOrThrow();
    expect(stored.note).not.toContain('母亲');
    // a volunteer's account is no relative's
    const acc2 = (await ctx.db.selectFrom('timebank_accounts').select('id').where('user_id', '=', vol2Id).executeTakeFirstOrThrow()).id;
    expect(await codeOf(transfer(ctx, town1, { fromAccountId: acc1, to: { accountId: acc2 }, minutes: 10, clientId: randomUUID() }))).toBe(
      'TIMEBANK_TRANSFER_TARGET',
    );
    // a resend of the same clientId for something else is refused
    expect(await codeOf(redeem(ctx, town1, { accountId: acc1, rewardKey: 'haircut', quantity: 1, clientId }))).toBe('TIMEBANK_CLIENT_ID_REUSED');
  });

  it('redeems a reward of the list × quantity; refuses an unknown reward and an overdraft naming balance and amount', async () => {
    const r = await redeem(ctx, town1, { accountId: acc1, rewardKey: 'haircut', quantity: 2, clientId: randomUUID() });
    expect(r).toMatchObject({ minutes: 60, balanceAfter: 450 });
    const bad = await call(app, officer, {
      method: 'POST',
      url: '/api/timebank/redemptions',
      payload: { accountId: acc1, rewardKey: 'gold_bar', quantity: 1, clientId: randomUUID() },
      headers: { 'accept-language': 'en' },
    });
    expect(bad.statusCode).toBe(400);
    expect(errorCode(bad)).toBe('TIMEBANK_REWARD_UNKNOWN');
    const before = await count('timebank_entries');
    for (const lang of ['en', 'zh-CN']) {
      const res = await call(app, officer, {
        method: 'POST',
        url: '/api/timebank/redemptions',
        payload: { accountId: acc1, rewardKey: 'companion', quantity: 4, clientId: randomUUID() },
        headers: { 'accept-language': lang },
      });
      expect(res.statusCode).toBe(409);
      expect(errorCode(res)).toBe('TIMEBANK_INSUFFICIENT');
      expect(res.json<{ error: { message: string } }>().error.message).toContain(
        lang === 'en' ? 'holds 7 h 30 min, less than the 8 h asked' : '余额 7 小时 30 分，不足 8 小时',
      );
    }
    expect(await count('timebank_entries')).toBe(before);
    expect(await balance(acc1)).toBe(450);
  });

  it('lets concurrent redemptions that together exceed the balance through exactly as far as it goes, never below zero', async () => {
    const acc = (await openAccount(ctx, admin, { holder: { personId: elder } })).id;
    // fund the elder's account from the volunteer's: 150 minutes
    await transfer(ctx, town1, { fromAccountId: acc1, to: { accountId: acc }, minutes: 150, clientId: randomUUID() });
    expect(await balance(acc)).toBe(150);
    // No read of the balance comes before the guarded UPDATE (ledger.ts post): every refusal below is the guard's.
    // PostgreSQL: five transactions on pooled connections race for the row. SQLite: two contexts (two connections, as two
    // app instances would have) on the same file, taking turns with their transactions interleaved.
    const second = dialect === 'sqlite' ? await openContext(loadConfig({ ...ctx.config }), openSqlite(ctx.config.sqlitePath, 16)) : ctx;
    const attempts = await Promise.allSettled(
      [ctx, second, ctx, second, ctx].map((c) => redeem(c, town1, { accountId: acc, rewardKey: 'home_cleaning', quantity: 1, clientId: randomUUID() })),
    );
    if (second !== ctx) await second.handle.close();
    const ok = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts
      .filter((a): a is PromiseRejectedResult => a.status === 'rejected')
      .map((a) => (a.reason as { code?: string }).code ?? String(a.reason));
    expect(ok).toHaveLength(2);
    expect(refused).toEqual(['TIMEBANK_INSUFFICIENT', 'TIMEBANK_INSUFFICIENT', 'TIMEBANK_INSUFFICIENT']);
    expect(await balance(acc)).toBe(30);
    // the same through the API: four haircuts (30 each) at once for 30 minutes left → one
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call(app, officer, {
          method: 'POST',
          url: '/api/timebank/redemptions',
          payload: { accountId: acc, rewardKey: 'haircut', quantity: 1, clientId: randomUUID() },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(await balance(acc)).toBe(0);
  });

  it('reverses an entry once, restoring the balance; a reversal is not reversed; spent hours cannot be taken back', async () => {
    const r = await redeem(ctx, town1, { accountId: acc1, rewardKey: 'cooking_oil', quantity: 1, clientId: randomUUID() });
    const before = await balance(acc1);
    const back = await reverse(ctx, town1, r.entryId, { reason: '误操作' });
    expect(back).toMatchObject({ kind: 'reversal', minutes: 60, accountId: acc1, balanceAfter: before + 60 });
    expect(await balance(acc1)).toBe(before + 60);
    expect(await codeOf(reverse(ctx, town1, r.entryId, { reason: '再来一次' }))).toBe('TIMEBANK_ALREADY_REVERSED');
    expect(await codeOf(reverse(ctx, town1, back.entryId, { reason: '撤销冲正' }))).toBe('TIMEBANK_REVERSE_REVERSAL');
    // the elder's account holds nothing now: the transfer into it cannot be reversed
    const elderAcc = (await ctx.db.selectFrom('timebank_accounts').select('id').where('person_id', '=', elder).executeTakeFirstOrThrow()).id;
    const into = await ctx.db
      .selectFrom('timebank_lines')
      .innerJoin('timebank_entries', 'timebank_entries.id', 'timebank_lines.entry_id')
      .select('timebank_entries.id')
      .where('timebank_lines.account_id', '=', elderAcc)
      .where('timebank_entries.kind', '=', 'transfer')
      .executeTakeFirstOrThrow();
    expect(await codeOf(reverse(ctx, town1, into.id, { reason: '退回' }))).toBe('TIMEBANK_INSUFFICIENT');
    // the ledger shows the reversal beside the entry it reverses
    const detail = (await call(app, officer, { method: 'GET', url: `/api/timebank/accounts/${acc1}?pageSize=3` })).json<AccountDetail>();
    expect(detail.ledger.items[0]).toMatchObject({ entryId: back.entryId, kind: 'reversal', minutes: 60, reversesId: r.entryId, balanceAfter: before + 60 });
    expect(detail.ledger.items[1]).toMatchObject({ entryId: r.entryId, reversedById: back.entryId, minutes: -60, balanceAfter: before });
    expect(detail.ledger.items[1]!.counterpart).toMatchObject({ holderKind: 'system', systemKey: 'redemption' });
  });

  it('keeps a volunteer to their own account; officers act on any account of the jurisdiction, list their region’s', async () => {
    const acc2 = (await ctx.db.selectFrom('timebank_accounts').select('id').where('user_id', '=', vol2Id).executeTakeFirstOrThrow()).id;
    const other = await call(app, volunteer, { method: 'GET', url: `/api/timebank/accounts/${acc2}` });
    expect(other.statusCode).toBe(404);
    expect(errorCode(other)).toBe('TIMEBANK_ACCOUNT_NOT_FOUND');
    const list = (await call(app, volunteer, { method: 'GET', url: '/api/timebank/accounts' })).json<{ items: { id: number }[] }>();
    expect(list.items.map((a) => a.id)).toEqual([acc1]);
    expect(await codeOf(transfer(ctx, vol1, { fromAccountId: acc2, to: { personId: relative }, minutes: 5, clientId: randomUUID() }))).toBe(
      'TIMEBANK_ACCOUNT_NOT_FOUND',
    );
    // portable: town2's officer redeems from vol1's account opened in town1 ...
    expect((await redeem(ctx, town2, { accountId: acc1, rewardKey: 'haircut', quantity: 1, clientId: randomUUID() })).minutes).toBe(30);
    // ... though town2's list shows only the accounts opened in town2
    const t2 = (await call(app, await loginAs(app, 'town2'), { method: 'GET', url: '/api/timebank/accounts' })).json<{
      items: { id: number; regionCode: string }[];
    }>();
    expect(t2.items.every((a) => a.regionCode.startsWith(town2.regionPrefix))).toBe(true);
    expect(t2.items.map((a) => a.id)).toContain(acc2);
    // a transfer names a person of another town: their account is opened where they live
    const r = await transfer(ctx, vol1, { fromAccountId: acc1, to: { personId: relative2 }, minutes: 15, clientId: randomUUID() });
    const opened = await ctx.db.selectFrom('timebank_accounts').selectAll().where('id', '=', r.toAccountId!).executeTakeFirstOrThrow();
    expect(opened).toMatchObject({ holder_kind: 'person', person_id: relative2, region_code: village2 });
  });

  it('runs confirmations (which deposit), redemptions and transfers both ways at once without a deadlock or a lost minute', async () => {
    const accOf = async (personId: number) =>
      (await ctx.db.selectFrom('timebank_accounts').select('id').where('person_id', '=', personId).executeTakeFirstOrThrow()).id;
    const [a, b] = [await accOf(relative), await accOf(relative2)];
    const before = { acc1: await balance(acc1), a: await balance(a), b: await balance(b) };
    expect(before.a).toBeGreaterThanOrEqual(20);
    expect(before.b).toBeGreaterThanOrEqual(10);
    const events = await Promise.all([event(vol1Id, 30, false), event(vol1Id, 45, false), event(vol1Id, 60, false)]);
    const work = [
      ...events.map((id) => confirmEvent(ctx, town1, id, { kind: 'officer' })),
      redeem(ctx, town1, { accountId: acc1, rewardKey: 'haircut', quantity: 1, clientId: randomUUID() }),
      redeem(ctx, town2, { accountId: acc1, rewardKey: 'haircut', quantity: 1, clientId: randomUUID() }),
      transfer(ctx, town1, { fromAccountId: a, to: { accountId: b }, minutes: 20, clientId: randomUUID() }),
      transfer(ctx, town2, { fromAccountId: b, to: { accountId: a }, minutes: 10, clientId: randomUUID() }),
      transfer(ctx, vol1, { fromAccountId: acc1, to: { accountId: a }, minutes: 5, clientId: randomUUID() }),
    ];
    const results = await Promise.allSettled(work);
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    expect(await balance(acc1)).toBe(before.acc1 + 30 + 45 + 60 - 60 - 5);
    expect(await balance(a)).toBe(before.a - 20 + 10 + 5);
    expect(await balance(b)).toBe(before.b + 20 - 10);
    // two transfers naming the same person with no account yet: one account is opened, both land in it
    const newcomer = await person('newcomer', village1);
    const both = await Promise.all(
      [1, 2].map(() => transfer(ctx, town1, { fromAccountId: acc1, to: { personId: newcomer }, minutes: 5, clientId: randomUUID() })),
    );
    expect(both[0]!.toAccountId).toBe(both[1]!.toAccountId);
    expect(await balance(both[0]!.toAccountId!)).toBe(10);
  });

  it('audits reads that show holders: the entry names the register person', async () => {
    const acc = (await ctx.db.selectFrom('timebank_accounts').select('id').where('person_id', '=', relative).executeTakeFirstOrThrow()).id;
    const res = await call(app, officer, { method: 'GET', url: `/api/timebank/accounts/${acc}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<AccountDetail>().account.holder).toEqual({ id: relative, name: '测试relative' });
    const entry = await ctx.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'timebank.account_read', actor: 'town1', entity_id: String(acc) });
    expect((JSON.parse(entry.detail!) as { persons: number[] }).persons).toContain(relative);
    const pending = await call(app, officer, { method: 'GET', url: '/api/timebank/pending' });
    expect(pending.statusCode).toBe(200);
    expect(pending.json<PendingReply>().unconfirmed.length).toBeGreaterThan(0);
    expect((await ctx.db.selectFrom('audit_log').select('action').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()).action).toBe(
      'timebank.pending_read',
    );
  });

  it('balances: every entry’s lines sum to zero, every balance is the sum of its lines, the ledger sums to zero', async () => {
    const total = await ctx.db
      .selectFrom('timebank_lines')
      .select(sql<number>`coalesce(sum(minutes), 0)`.as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(0);
    const entries = await ctx.db
      .selectFrom('timebank_lines')
      .select(['entry_id', sql<number>`sum(minutes)`.as('n'), sql<number>`count(*)`.as('c')])
      .groupBy('entry_id')
      .execute();
    expect(entries.length).toBe(await count('timebank_entries'));
    expect(entries.filter((e) => Number(e.n) !== 0 || Number(e.c) < 2)).toEqual([]);
    const kinds = await ctx.db.selectFrom('timebank_entries').select('kind').distinct().execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['deposit', 'redeem', 'reversal', 'transfer']);
    const check = await runCheck(ctx, today(), admin);
    expect(check).toMatchObject({ ok: true, problems: { accounts: [], entries: [], ledgerSum: 0 } });
    const counts = await timebankCounts(ctx.db, town1);
    expect(counts.lastCheck).toEqual({ on: today(), ok: true });
    expect(counts.minutesOutstanding).toBe(
      (
        await ctx.db
          .selectFrom('timebank_accounts')
          .select('balance_minutes')
          .where('holder_kind', '!=', 'system')
          .where('region_code', 'like', `${town1.regionPrefix}%`)
          .execute()
      ).reduce((s, a) => s + a.balance_minutes, 0),
    );
  });

  it('the database refuses an update or delete of the ledger, and a negative holder balance', async () => {
    await expect(ctx.db.updateTable('timebank_lines').set({ minutes: 1 }).where('account_id', '=', acc1).execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.deleteFrom('timebank_lines').where('account_id', '=', acc1).execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.updateTable('timebank_entries').set({ note: null }).execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.deleteFrom('timebank_entries').execute()).rejects.toThrow(/append-only/);
    await expect(ctx.db.updateTable('timebank_accounts').set({ balance_minutes: -1 }).where('id', '=', acc1).execute()).rejects.toThrow(
      /timebank_accounts_not_negative|CHECK/i,
    );
  });

  it('the daily check finds a tampered balance and reports it (ids and figures), on the workbench too', async () => {
    const task = dailyTasks().find((t) => t.name === 'timebank-check')!;
    expect(task).toBeDefined();
    const kept = await balance(acc1);
    await ctx.db
      .updateTable('timebank_accounts')
      .set({ balance_minutes: kept + 100 })
      .where('id', '=', acc1)
      .execute();
    await task.run(ctx, today());
    const res = await call(app, officer, { method: 'GET', url: '/api/timebank/checks' });
    const latest = res.json<{ items: { ok: boolean; problems: { accounts: { accountId: number; balance: number; sum: number }[] } }[] }>().items[0]!;
    expect(latest.ok).toBe(false);
    expect(latest.problems.accounts).toEqual([{ accountId: acc1, balance: kept + 100, sum: kept }]);
    expect((await timebankCounts(ctx.db, town1)).lastCheck).toEqual({ on: today(), ok: false });
    await ctx.db.updateTable('timebank_accounts').set({ balance_minutes: kept }).where('id', '=', acc1).execute();
    const again = await call(app, officer, { method: 'POST', url: '/api/timebank/checks', payload: {} });
    expect(again.statusCode).toBe(201);
    expect(again.json<{ ok: boolean }>().ok).toBe(true);
  });
});
