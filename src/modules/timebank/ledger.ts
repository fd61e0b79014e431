import { sql, type Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, type Text } from '../../platform/errors.js';
import { nowIso } from '../../platform/time.js';
import type { EntryKind } from './timebank.schema.js';
import './timebank.tables.js';

/**
 * The double-entry ledger in minutes: every movement is one entry of two or more lines that sum to
 * zero, and each account's kept balance changes with its lines in the same transaction. A holder's
 * balance is taken down only by a guarded UPDATE (`… where balance_minutes >= n`), the one check
 * of affordability: two redemptions racing on one account cannot both pass it (PostgreSQL re-reads
 * the row after the first commits; SQLite's writers are serial), and the database's CHECK
 * (migrations/001) refuses a negative holder balance whatever the code does. Entries and lines are
 * append-only in the database: a correction is a reversing entry.
 */

/** by_user / opened_by of what the system itself did (an automatic deposit, a system account). */
export const SYSTEM_USER = 0;

export type SystemKey = 'issuance' | 'redemption';

/**
 * Minutes as hours and minutes in both languages, written as the console writes them
 * (web/src/modules/timebank/hours.tsx): 150 → 2 小时 30 分 / 2 h 30 min; 45 → 45 分; 120 → 2 小时;
 * a negative amount keeps its sign (−).
 */
export function hoursText(minutes: number): Text {
  const sign = minutes < 0 ? '−' : '';
  const a = Math.abs(Math.round(minutes));
  const h = Math.floor(a / 60);
  const m = a % 60;
  if (h === 0) return { zh: `${sign}${m} 分`, en: `${sign}${m} min` };
  if (m === 0) return { zh: `${sign}${h} 小时`, en: `${sign}${h} h` };
  return { zh: `${sign}${h} 小时 ${m} 分`, en: `${sign}${h} h ${m} min` };
}

/** The system's account of this key, opened on first use (issuance alone may go negative: it is where hours come from). */
export async function systemAccount(ctx: AppContext, db: Executor, key: SystemKey): Promise<number> {
  const find = () => db.selectFrom('timebank_accounts').select('id').where('system_key', '=', key).executeTakeFirst();
  const found = await find();
  if (found) return found.id;
  await db
    .insertInto('timebank_accounts')
    .values({
      holder_kind: 'system',
      user_id: null,
      person_id: null,
      system_key: key,
      // one of each key for the whole platform: it belongs to the platform's top region
      region_code: ctx.regions.top()?.code ?? '',
      balance_minutes: 0,
      status: 'open',
      opened_by: SYSTEM_USER,
      opened_at: nowIso(),
    })
    .onConflict((oc) => oc.column('system_key').doNothing())
    .execute();
  return (await find())!.id;
}

export interface Line {
  accountId: number;
  /** signed minutes */
  minutes: number;
}

export interface Posting {
  kind: EntryKind;
  eventId?: number | null;
  reversesId?: number | null;
  rewardKey?: string | null;
  clientId?: string | null;
  /** plain text: sealed here (a note may name a relative) */
  note?: string | null;
  by: number;
  lines: Line[];
}

/**
 * Posts one entry in `trx`: the entry and its lines, then `audit` (the caller's audit entry, which
 * locks the audit chain's head), then the balances, account by account in id order, each holder's
 * decrease guarded. The order of locks is the same in every transaction that moves hours — the
 * audit head first (a confirmation, whose sink deposits, takes it before its deposit too), then
 * the accounts by id (two transfers in opposite directions wait rather than deadlock). Throws
 * TIMEBANK_INSUFFICIENT naming the balance and the amount when a holder cannot pay; the caller's
 * transaction then writes nothing.
 */
export async function post(
  ctx: AppContext,
  trx: Transaction<Database>,
  p: Posting,
  audit: (entryId: number) => Promise<unknown>,
): Promise<{ entryId: number; at: string }> {
  if (p.lines.length < 2) throw new Error('a ledger entry has two lines or more');
  if (p.lines.some((l) => !Number.isSafeInteger(l.minutes) || l.minutes === 0)) throw new Error('a ledger line is a whole, non-zero number of minutes');
  if (p.lines.reduce((s, l) => s + l.minutes, 0) !== 0) throw new Error('the lines of a ledger entry sum to zero');

  const at = nowIso();
  const { id } = await trx
    .insertInto('timebank_entries')
    .values({
      kind: p.kind,
      event_id: p.eventId ?? null,
      reverses_id: p.reversesId ?? null,
      reward_key: p.rewardKey ?? null,
      client_id: p.clientId ?? null,
      note: p.note ? ctx.cipher.encrypt(p.note) : null,
      by_user: p.by,
      at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('timebank_lines')
    .values(p.lines.map((l) => ({ entry_id: id, account_id: l.accountId, minutes: l.minutes })))
    .execute();
  await audit(id);
  for (const line of [...p.lines].sort((a, b) => a.accountId - b.accountId)) {
    let q = trx
      .updateTable('timebank_accounts')
      .set({ balance_minutes: sql`balance_minutes + ${line.minutes}` })
      .where('id', '=', line.accountId);
    // the one check that a holder can pay: no read of the balance comes before it
    if (line.minutes < 0) q = q.where((eb) => eb.or([eb('holder_kind', '=', 'system'), eb('balance_minutes', '>=', -line.minutes)]));
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      const a = await trx.selectFrom('timebank_accounts').select('balance_minutes').where('id', '=', line.accountId).executeTakeFirst();
      if (!a) throw new AppError('TIMEBANK_ACCOUNT_NOT_FOUND', { id: line.accountId });
      throw new AppError('TIMEBANK_INSUFFICIENT', { account: line.accountId, balance: hoursText(a.balance_minutes), amount: hoursText(-line.minutes) });
    }
  }
  return { entryId: id, at };
}

/** How many times a movement is tried when SQLite says another connection holds the write lock. */
const BUSY_TRIES = 8;

/**
 * Runs a movement's transaction. On SQLite a second connection to the same file (another app
 * instance, a command-line tool) that finds the write lock taken fails at once with SQLITE_BUSY
 * (its read snapshot is older than the writer's): the transaction wrote nothing, so it is run again
 * after a short pause, and then sees the committed balance — the guard refuses it or lets it pass
 * as it would have in turn. PostgreSQL waits on the row lock instead and needs no retry.
 */
export async function movementTransaction<T>(ctx: AppContext, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.db.transaction().execute(fn);
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || attempt >= BUSY_TRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.floor(Math.random() * 10)));
    }
  }
}

/** A stored note in plain text (null when none, or unreadable under this key). */
export function noteText(ctx: AppContext, stored: string | null): string | null {
  if (!stored) return null;
  try {
    return ctx.cipher.decrypt(stored);
  } catch {
    return null;
  }
}

/** The account's balance after an entry: the sum of its lines up to and including it (the ledger's own word, not the kept figure). */
export async function balanceAfter(db: Executor, accountId: number, entryId: number): Promise<number> {
  const r = await db
    .selectFrom('timebank_lines')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('minutes'), sql<number>`0`).as('n'))
    .where('account_id', '=', accountId)
    .where('entry_id', '<=', entryId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Which unique column of the entries (or an account's holder) a failed insert collided on, if that is what failed (a race the first check did not see). */
export function uniqueCollision(e: unknown): 'event_id' | 'client_id' | 'reverses_id' | 'person_id' | null {
  const err = e as { code?: string; message?: string; constraint?: string; detail?: string };
  const text = `${err.message ?? ''} ${err.constraint ?? ''} ${err.detail ?? ''}`;
  const unique = err.code === '23505' || String(err.code).startsWith('SQLITE_CONSTRAINT');
  if (!unique) return null;
  for (const col of ['event_id', 'client_id', 'reverses_id', 'person_id'] as const) if (text.includes(col)) return col;
  return null;
}
