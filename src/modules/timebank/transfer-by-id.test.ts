import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { NewPerson } from '../../db/tables.js';
import { mask } from '../../platform/mask.js';
import type { Scope } from '../../platform/scope.js';
import { nowIso } from '../../platform/time.js';
import { codeOf, createSeededContext, dialects, userScope, type TestContext } from '../../testing/harness.js';
import { call, errorCode, loginAs, type Session } from '../../testing/http.js';
import { confirmEvent, recordEvent } from '../care-events/care-events.service.js';
import { personByIdNumber } from '../register/people.js';
import { makeResidentId } from '../register/resident-id.js';
import { openAccount } from './accounts.js';
import { transfer } from './movements.js';
import type { MovementReply } from './timebank.schema.js';

/**
 * A volunteer gives hours to a parent named as they know them: the 18-digit resident ID number and
 * the name as registered. Whatever does not match (the name, an ID not on the register, a wrong
 * check digit, someone no longer on the register) answers one refusal, so the route tells no one
 * who is on the register; the number is kept nowhere in plain text.
 */
describe.each(dialects)('time-bank transfer by resident ID and name on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let town1: Scope;
  let volunteer: Session;
  let acc: number;
  let village1: string;
  const mother = { id: '', name: '王秀兰', personId: 0 };
  const father = { id: '', name: '李建国', personId: 0 };
  const deceased = { id: '', name: '赵福生', personId: 0 };

  async function person(idNumber: string, name: string, region: string, status = 'active') {
    const now = nowIso();
    const row = {
      id_hash: ctx.cipher.lookupHash(idNumber),
      id_enc: ctx.cipher.encrypt(idNumber),
      id_masked: mask('idNumber', idNumber),
      name,
      sex: Number(idNumber[16]) % 2 === 1 ? 'M' : 'F',
      birth_date: `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      region_code: region,
      hukou_local: 1,
      phone_enc: null,
      phone_masked: null,
      status,
      closed_on: status === 'active' ? null : '2026-01-05',
      hardship: 'none',
      provenance: '{}',
      created_at: now,
      updated_at: now,
    } as NewPerson;
    return (await ctx.db.insertInto('persons').values(row).returning('id').executeTakeFirstOrThrow()).id;
  }

  const count = async (table: 'timebank_entries' | 'timebank_accounts' | 'audit_log') =>
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
  const send = (to: object, minutes = 30, lang = 'zh-CN') =>
    call(app, volunteer, {
      method: 'POST',
      url: '/api/timebank/transfers',
      payload: { fromAccountId: acc, to, minutes, note: null, clientId: randomUUID() },
      headers: { 'accept-language': lang },
    });

  beforeAll(async () => {
    ctx = await createSeededContext(dialect, { loginRatePerMinute: 10_000 });
    town1 = await userScope(ctx, 'town1');
    const vol1 = await userScope(ctx, 'vol1');
    village1 = vol1.regionCode;
    // the father lives in another town of the county: hours are given across the jurisdiction
    const elsewhere = ctx.regions.all().find((r) => r.level === 'village' && !r.code.startsWith(town1.regionPrefix))!.code;
    mother.id = makeResidentId(village1.slice(0, 6), '1948-05-12', 31, 'F');
    father.id = makeResidentId(elsewhere.slice(0, 6), '1946-11-02', 44, 'M');
    deceased.id = makeResidentId(village1.slice(0, 6), '1930-02-20', 12, 'M');
    mother.personId = await person(mother.id, mother.name, village1);
    father.personId = await person(father.id, father.name, elsewhere);
    deceased.personId = await person(deceased.id, deceased.name, village1, 'deceased');
    acc = (await openAccount(ctx, town1, { holder: { userId: vol1.userId! } })).id;
    app = await buildApp(ctx, { serveWeb: false });
    volunteer = await loginAs(app, 'vol1');
    // two hours for vol1 to give
    await topUp(120, vol1.userId!);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await ctx?.cleanup();
  });

  /** vol1's confirmed visit of `minutes`: deposited on confirmation (the ordinary way hours arrive). */
  async function topUp(minutes: number, volunteerId: number) {
    const end = new Date(Date.now() - 60_000);
    const { id } = await ctx.db.transaction().execute((trx) =>
      recordEvent(ctx, trx, {
        clientId: randomUUID(),
        kind: 'volunteer',
        source: 'timebank-test',
        sourceId: null,
        performer: { id: volunteerId, role: 'volunteer' },
        personId: mother.personId,
        regionCode: village1,
        mode: 'home',
        startedAt: new Date(end.getTime() - minutes * 60_000).toISOString(),
        endedAt: end.toISOString(),
        findings: [],
      }),
    );
    await confirmEvent(ctx, town1, id, { kind: 'officer' });
  }

  it('the register finds a person by resident ID through its keyed hash only', async () => {
    expect(await personByIdNumber(ctx.db, ctx, ` ${mother.id.toLowerCase()} `)).toEqual({
      id: mother.personId,
      name: mother.name,
      regionCode: village1,
      status: 'active',
    });
    expect(await personByIdNumber(ctx.db, ctx, makeResidentId('990101', '1950-01-01', 3, 'F'))).toBeNull();
  });

  it('gives hours to a parent by ID number and name, opening their account; the ID is kept nowhere in plain text', async () => {
    expect(await balance(acc)).toBe(120);
    const accounts = await count('timebank_accounts');
    const res = await send({ idNumber: ` ${father.id} `, name: ` ${father.name} ` }, 30);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json<MovementReply>();
    expect(r).toMatchObject({ kind: 'transfer', merged: false, minutes: 30, accountId: acc, balanceAfter: 90 });
    expect(r.toAccountId).not.toBeNull();
    expect(await count('timebank_accounts')).toBe(accounts + 1);
    const opened = await ctx.db.selectFrom('timebank_accounts').selectAll().where('id', '=', r.toAccountId!).executeTakeFirstOrThrow();
    expect(opened).toMatchObject({ holder_kind: 'person', person_id: father.personId, balance_minutes: 30 });
    // a second gift to the same parent lands in the same account
    const again = (await send({ idNumber: father.id, name: father.name }, 15)).json<MovementReply>();
    expect(again.toAccountId).toBe(r.toAccountId);
    expect(await balance(r.toAccountId!)).toBe(45);
    expect(await balance(acc)).toBe(75);
    // the audit names the person by id; no row of the time bank or the audit log holds the number
    const audit = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'timebank.transfer')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(audit.detail))).toMatchObject({ toPersonId: father.personId, toAccountId: r.toAccountId, minutes: 15 });
    const tables = ['audit_log', 'timebank_entries', 'timebank_accounts', 'timebank_lines'] as const;
    for (const t of tables) {
      const rows = await ctx.db.selectFrom(t).selectAll().execute();
      expect(JSON.stringify(rows), t).not.toContain(father.id);
      expect(JSON.stringify(rows), t).not.toContain(father.id.slice(6, 14) + father.id.slice(14));
    }
  });

  it('answers one refusal, in both languages, for a wrong name, an unknown ID, a wrong check digit, a malformed ID or someone off the register, writing nothing', async () => {
    const before = [await count('timebank_entries'), await count('timebank_accounts'), await count('audit_log'), await balance(acc)];
    const wrongCheck = mother.id.slice(0, 17) + (mother.id[17] === '0' ? '1' : '0');
    const cases = [
      { idNumber: mother.id, name: '王秀英' },
      { idNumber: mother.id, name: '王秀' },
      { idNumber: makeResidentId(village1.slice(0, 6), '1949-01-01', 7, 'F'), name: mother.name },
      { idNumber: wrongCheck, name: mother.name },
      { idNumber: mother.id.slice(0, 15), name: mother.name },
      { idNumber: deceased.id, name: deceased.name },
      // the father's ID with the mother's name
      { idNumber: father.id, name: mother.name },
    ];
    const bodies = new Set<string>();
    for (const to of cases) {
      const res = await send(to);
      expect(res.statusCode, JSON.stringify(to)).toBe(404);
      expect(errorCode(res)).toBe('TIMEBANK_TRANSFER_UNMATCHED');
      bodies.add(JSON.stringify(res.json<{ error: { code: string; message: string } }>().error));
    }
    // word for word the same answer, whichever check failed
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain('没有找到与该身份证号和姓名一致的在册老人');
    expect([...bodies][0]).not.toContain(mother.id.slice(6, 14));
    const en = await send(cases[0]!, 30, 'en');
    expect(en.json<{ error: { message: string } }>().error.message).toContain('No elder on the register matches this resident ID number and name');
    expect([await count('timebank_entries'), await count('timebank_accounts'), await count('audit_log'), await balance(acc)]).toEqual(before);
  });

  it('still refuses a transfer to oneself, and zero minutes, by ID too', async () => {
    // an officer moving hours from the mother's own account back to her, named by ID and name
    const mine = (await openAccount(ctx, town1, { holder: { personId: mother.personId } })).id;
    const before = await count('timebank_entries');
    expect(
      await codeOf(transfer(ctx, town1, { fromAccountId: mine, to: { idNumber: mother.id, name: mother.name }, minutes: 10, clientId: randomUUID() })),
    ).toBe('TIMEBANK_SELF_TRANSFER');
    const self = await send({ accountId: acc });
    expect(self.statusCode).toBe(400);
    expect(errorCode(self)).toBe('TIMEBANK_SELF_TRANSFER');
    const zero = await send({ idNumber: mother.id, name: mother.name }, 0);
    expect(errorCode(zero)).toBe('TIMEBANK_AMOUNT_INVALID');
    expect(await count('timebank_entries')).toBe(before);
    // and the mother, rightly named, receives hours into that account
    const ok = (await send({ idNumber: mother.id, name: mother.name }, 15)).json<MovementReply>();
    expect(ok.toAccountId).toBe(mine);
  });
});
