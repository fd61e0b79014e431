import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createSeededContext, dialects, importText, type TestContext } from '../../../testing/harness.js';
import { AppError } from '../../../platform/errors.js';
import { demoCard } from '../../demo/files.js';
import { payeeAccounts } from '../people.js';
import { makeResidentId } from '../resident-id.js';
import { luhnValid, maskCard } from './payee.js';

describe('card numbers', () => {
  it('checks the Luhn digit and masks to the first and last four', () => {
    expect(luhnValid('6222021234567890123')).toBe(luhnValid('6222021234567890123'));
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid(demoCard('330503194103040012'))).toBe(true);
    expect(maskCard('6222021234561234')).toBe('6222 **** **** 1234');
    expect(maskCard('6222021234567891234')).toBe('6222 **** **** 1234');
  });
});

// The payee account comes from the civil-affairs file: encrypted at rest, masked on the way out.
describe.each(dialects)('payee account from the civil-affairs file (%s)', (dialect) => {
  let ctx: TestContext;
  const a = makeResidentId('990101', '1941-03-04', 1, 'F');
  const b = makeResidentId('990101', '1941-03-04', 2, 'M');
  const cardA = demoCard(a);
  const cardB = demoCard(b);
  const HEADER = '身份证号,姓名,救助类别,银行卡号,开户银行,账户户名';
  const person = async (id: string) =>
    (await sql<Record<string, unknown>>`select * from persons where name = ${id === a ? '赵秀兰' : '钱国强'}`.execute(ctx.db)).rows[0]!;

  beforeAll(async () => {
    ctx = await createSeededContext(dialect);
    const village = ctx.regions.all().find((r) => r.level === 'village')!.code;
    const ps = await importText(ctx, 'public_security', ['身份证号,姓名,村（社区）代码', `${a},赵秀兰,${village}`, `${b},钱国强,${village}`].join('\n'));
    expect(ps).toMatchObject({ status: 'applied', created: 2 });
  }, 60_000);
  afterAll(async () => ctx?.cleanup());

  it('stores the number encrypted with its lookup hash and mask, and the bank and holder', async () => {
    const res = await importText(ctx, 'civil_affairs', [HEADER, `${a},赵秀兰,低保,${cardA.replace(/(\d{4})/g, '$1 ').trim()},农村商业银行,赵秀兰`].join('\n'));
    expect(res).toMatchObject({ status: 'applied', updated: 1 });
    const p = await person(a);
    expect(p.payee_card_masked).toBe(maskCard(cardA));
    expect(p.payee_bank).toBe('农村商业银行');
    expect(p.payee_holder).toBe('赵秀兰');
    expect(String(p.payee_card_enc)).not.toContain(cardA);
    expect(ctx.cipher.decrypt(String(p.payee_card_enc))).toBe(cardA);
    expect(p.payee_card_hash).toBe(ctx.cipher.lookupHash(cardA));
    // history keeps the masked number only
    const history = await sql<{ new_value: string | null }>`select new_value from person_history where field = 'payeeCard'`.execute(ctx.db);
    expect(history.rows.map((h) => h.new_value)).toEqual([maskCard(cardA)]);
    const all = JSON.stringify((await sql`select * from person_history`.execute(ctx.db)).rows);
    expect(all).not.toContain(cardA);
    const accounts = await payeeAccounts(ctx.db, [Number(p.id), 999999]);
    expect(accounts.get(Number(p.id))).toMatchObject({
      cardMasked: maskCard(cardA),
      bank: '农村商业银行',
      holder: '赵秀兰',
      cardHash: ctx.cipher.lookupHash(cardA),
    });
    expect(accounts.has(999999)).toBe(false);
  });

  it('refuses a card number with a wrong check digit, naming row and column, and changes nothing', async () => {
    const wrong = cardB.slice(0, -1) + String((Number(cardB.at(-1)) + 1) % 10);
    const err = await importText(ctx, 'civil_affairs', [HEADER, `${b},钱国强,低保,${wrong},农村商业银行,钱国强`].join('\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('IMPORT_ROWS');
    const importId = ((err as AppError).details as { importId: number }).importId;
    const rows = await ctx.db.selectFrom('import_errors').selectAll().where('import_id', '=', importId).execute();
    expect(rows).toEqual([expect.objectContaining({ row_no: 2, column_name: '银行卡号', code: 'card_check_digit' })]);
    expect((await person(b)).payee_card_enc).toBeNull();
    // the refused number is kept in the row report masked, however the file spaced it
    const spaced = wrong.replace(/(\d{4})/g, '$1 ').trim();
    const err2 = (await importText(ctx, 'civil_affairs', [HEADER, `${b},钱国强,低保,${spaced},农村商业银行,钱国强`].join('\n')).catch(
      (e: unknown) => e,
    )) as AppError;
    const stored = await ctx.db
      .selectFrom('import_errors')
      .select('value')
      .where('import_id', '=', (err2.details as { importId: number }).importId)
      .executeTakeFirstOrThrow();
    expect(stored.value).toBe(maskCard(wrong));
    expect(await codeOf(importText(ctx, 'civil_affairs', [HEADER, `${b},钱国强,低保,62220212,农村商业银行,钱国强`].join('\n')))).toBe('IMPORT_ROWS');
  });
});
