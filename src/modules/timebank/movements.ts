import type { Transaction } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database } from '../../db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { regionInScope, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { eventSummaries, type CareEventSummary } from '../care-events/care-events.service.js';
import { personByIdNumber } from '../register/people.js';
import { parseResidentId } from '../register/resident-id.js';
import { displayNames } from '../users/accounts.js';
import { accountFor, insertAccount, registerPerson } from './accounts.js';
import { balanceAfter, hoursText, movementTransaction, post, SYSTEM_USER, systemAccount, uniqueCollision, type Line } from './ledger.js';
import { timebankSettingsOf, type TimebankSettings } from './timebank.settings.js';
import type { DepositBody, EntryKind, MovementReply, RedeemBody, ReverseBody, TransferBody } from './timebank.schema.js';

/**
 * The movements: deposits of confirmed volunteer hours, redemptions of rewards, transfers to a
 * relative and reversals. Each is one ledger entry (ledger.ts post) and its audit entry in one
 * transaction. Redemptions and transfers carry the request's clientId: a resend answers the first
 * movement (merged) and writes nothing.
 */

/** What a deposit of this event credits: its duration rounded down to the setting's step, capped. */
export function depositMinutes(durationMinutes: number, s: Pick<TimebankSettings, 'roundMinutes' | 'maxMinutesPerEvent'>): number {
  const rounded = Math.floor(Math.max(0, durationMinutes) / s.roundMinutes) * s.roundMinutes;
  return Math.min(rounded, s.maxMinutesPerEvent);
}

const STATUS_WORDS: Record<string, { zh: string; en: string }> = {
  recorded: { zh: '尚未确认', en: 'is not confirmed yet' },
  voided: { zh: '已作废', en: 'was voided' },
};

async function entryOfEvent(db: Executor, eventId: number) {
  return db.selectFrom('timebank_entries').select('id').where('event_id', '=', eventId).executeTakeFirst();
}

/**
 * Deposits a confirmed event's hours into its performer's account, in `trx`: refuses an event not
 * confirmed (TIMEBANK_UNCONFIRMED), one already deposited (TIMEBANK_ALREADY_DEPOSITED; the unique
 * event_id guards a race too), a performer without an account, a duration that rounds to nothing.
 */
async function depositIn(ctx: AppContext, trx: Transaction<Database>, scope: Scope, ev: CareEventSummary, by: number): Promise<MovementReply> {
  if (ev.status !== 'confirmed') throw new AppError('TIMEBANK_UNCONFIRMED', { id: ev.id, status: STATUS_WORDS[ev.status] ?? STATUS_WORDS.recorded! });
  const done = await entryOfEvent(trx, ev.id);
  if (done) throw new AppError('TIMEBANK_ALREADY_DEPOSITED', { id: ev.id, entry: done.id });
  const account = await trx
    .selectFrom('timebank_accounts')
    .selectAll()
    .where('user_id', '=', ev.performerId)
    .where('holder_kind', '=', 'volunteer')
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (!account) throw new AppError('TIMEBANK_NO_ACCOUNT', { event: ev.id, user: ev.performerId });
  // counted by the rules of the jurisdiction the event took place in
  const s = timebankSettingsOf(ctx, ev.regionCode);
  const minutes = depositMinutes(ev.durationMinutes, s);
  if (minutes <= 0) throw new AppError('TIMEBANK_DEPOSIT_TOO_SHORT', { id: ev.id, duration: ev.durationMinutes, round: s.roundMinutes });
  const issuance = await systemAccount(ctx, trx, 'issuance');
  const { entryId, at } = await post(
    ctx,
    trx,
    {
      kind: 'deposit',
      eventId: ev.id,
      by,
      lines: [
        { accountId: issuance, minutes: -minutes },
        { accountId: account.id, minutes },
      ],
    },
    (entryId) =>
      recordAudit(trx, scope, {
        action: 'timebank.deposit',
        entityType: 'timebank_entry',
        entityId: entryId,
        regionCode: ev.regionCode,
        detail: { accountId: account.id, eventId: ev.id, minutes, durationMinutes: ev.durationMinutes },
      }),
  );
  return {
    entryId,
    kind: 'deposit',
    merged: false,
    minutes,
    accountId: account.id,
    balanceAfter: await balanceAfter(trx, account.id, entryId),
    toAccountId: null,
    at,
  };
}

/** POST /timebank/deposits: an officer deposits a confirmed event of their region. */
export async function deposit(ctx: AppContext, scope: Scope, body: DepositBody): Promise<MovementReply> {
  // the system account is opened (once ever) outside the movement's transaction: see ledger.ts post on the order of locks
  await systemAccount(ctx, ctx.db, 'issuance');
  try {
    return await movementTransaction(ctx, async (trx) => {
      const ev = (await eventSummaries(trx, [body.eventId])).get(body.eventId);
      if (!ev || !regionInScope(scope, ev.regionCode)) throw new AppError('TIMEBANK_EVENT_NOT_FOUND', { id: body.eventId });
      return depositIn(ctx, trx, scope, ev, scope.userId ?? SYSTEM_USER);
    });
  } catch (e) {
    if (uniqueCollision(e) === 'event_id') {
      const done = await entryOfEvent(ctx.db, body.eventId);
      throw new AppError('TIMEBANK_ALREADY_DEPOSITED', { id: body.eventId, entry: done?.id ?? '?' });
    }
    throw e;
  }
}

/**
 * The confirmation sink (registered at start with care-events): a volunteer's event confirmed, by
 * the served person, a proxy or an officer, deposits its hours at once in the confirmation's
 * transaction when the volunteer has an open account. Nothing to deposit (no account, already
 * deposited, too short) is not an error: the confirmation stands and the event waits on the
 * pending list (an account opened later, then a deposit by an officer).
 */
export async function depositOnConfirmation(ctx: AppContext, trx: Transaction<Database>, ev: CareEventSummary, scope: Scope): Promise<MovementReply | null> {
  if (ev.performerRole !== 'volunteer' || ev.status !== 'confirmed') return null;
  const account = await trx
    .selectFrom('timebank_accounts')
    .select('id')
    .where('user_id', '=', ev.performerId)
    .where('holder_kind', '=', 'volunteer')
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (!account || (await entryOfEvent(trx, ev.id))) return null;
  if (depositMinutes(ev.durationMinutes, timebankSettingsOf(ctx, ev.regionCode)) <= 0) return null;
  return depositIn(ctx, trx, scope, ev, SYSTEM_USER);
}

/** The first answer of a request already stored under this clientId, or null; refuses a clientId reused for another movement. */
async function resent(db: Executor, clientId: string, kind: EntryKind, accountId: number): Promise<MovementReply | null> {
  const e = await db.selectFrom('timebank_entries').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  if (!e) return null;
  const lines = await db.selectFrom('timebank_lines').select(['account_id', 'minutes']).where('entry_id', '=', e.id).execute();
  const mine = lines.find((l) => l.account_id === accountId);
  if (e.kind !== kind || !mine || mine.minutes >= 0) throw new AppError('TIMEBANK_CLIENT_ID_REUSED', { clientId, entry: e.id });
  const to = kind === 'transfer' ? (lines.find((l) => l.minutes > 0)?.account_id ?? null) : null;
  return {
    entryId: e.id,
    kind,
    merged: true,
    minutes: -mine.minutes,
    accountId,
    balanceAfter: await balanceAfter(db, accountId, e.id),
    toAccountId: to,
    at: e.at,
  };
}

/**
 * Runs a clientId movement: a resend answers the first one; a resend racing the first (the unique
 * client_id refused the second insert) answers it too.
 */
async function once(ctx: AppContext, clientId: string, kind: EntryKind, accountId: number, run: (trx: Transaction<Database>) => Promise<MovementReply>) {
  const first = await resent(ctx.db, clientId, kind, accountId);
  if (first) return first;
  try {
    return await movementTransaction(ctx, run);
  } catch (e) {
    if (uniqueCollision(e) === 'client_id') {
      const again = await resent(ctx.db, clientId, kind, accountId);
      if (again) return again;
    }
    throw e;
  }
}

/**
 * POST /timebank/redemptions: a reward × quantity from any holder's account of the viewer's
 * jurisdiction, the reward of the list of the account's jurisdiction.
 */
export async function redeem(ctx: AppContext, scope: Scope, body: RedeemBody): Promise<MovementReply> {
  const account = await accountFor(ctx, ctx.db, scope, body.accountId, { holdersOnly: true });
  const reward = timebankSettingsOf(ctx, account.region_code).rewards.find((r) => r.key === body.rewardKey);
  if (!reward) throw new AppError('TIMEBANK_REWARD_UNKNOWN', { key: body.rewardKey });
  const minutes = reward.minutes * body.quantity;
  await systemAccount(ctx, ctx.db, 'redemption');
  return once(ctx, body.clientId, 'redeem', body.accountId, async (trx) => {
    const redemption = await systemAccount(ctx, trx, 'redemption');
    const { entryId, at } = await post(
      ctx,
      trx,
      {
        kind: 'redeem',
        rewardKey: reward.key,
        clientId: body.clientId,
        note: body.quantity > 1 ? `${reward.label.zh} × ${body.quantity}` : null,
        by: scope.userId ?? SYSTEM_USER,
        lines: [
          { accountId: body.accountId, minutes: -minutes },
          { accountId: redemption, minutes },
        ],
      },
      (entryId) =>
        recordAudit(trx, scope, {
          action: 'timebank.redeem',
          entityType: 'timebank_entry',
          entityId: entryId,
          detail: { accountId: body.accountId, rewardKey: reward.key, quantity: body.quantity, minutes },
        }),
    );
    return {
      entryId,
      kind: 'redeem',
      merged: false,
      minutes,
      accountId: body.accountId,
      balanceAfter: await balanceAfter(trx, body.accountId, entryId),
      toAccountId: null,
      at,
    };
  });
}

/**
 * The relative a volunteer names by resident ID number and name: the ID well formed with its check
 * digit, found by the register's keyed hash, the name as registered (trimmed), on the register
 * (active) and within the viewer's jurisdiction. Every mismatch answers the one TIMEBANK_TRANSFER_UNMATCHED,
 * so the route cannot tell anyone who is on the register; the number is neither logged nor kept
 * (the audit entry names the person by id).
 */
async function personByIdAndName(ctx: AppContext, scope: Scope, idNumber: string, name: string): Promise<{ id: number; regionCode: string }> {
  const id = parseResidentId(idNumber, today());
  const found = typeof id === 'string' ? null : await personByIdNumber(ctx.db, ctx, id.value);
  const jurisdiction = ctx.regions.jurisdictionOf(scope.regionCode);
  if (!found || !jurisdiction || found.name.trim() !== name.trim() || found.status !== 'active' || !found.regionCode.startsWith(jurisdiction.prefix))
    throw new AppError('TIMEBANK_TRANSFER_UNMATCHED');
  return { id: found.id, regionCode: found.regionCode };
}

/**
 * POST /timebank/transfers: hours from a holder's account (a volunteer: their own) to a relative's —
 * an elder on the register, named by their account, by their register id, or by their resident ID
 * number and name (a volunteer's way: they read no register); a person without an account yet has
 * one opened in the same transaction. The person must be on the register of the viewer's
 * jurisdiction; naming them reveals nothing (the answer carries account numbers only).
 */
export async function transfer(ctx: AppContext, scope: Scope, body: TransferBody): Promise<MovementReply> {
  if (body.minutes <= 0) throw new AppError('TIMEBANK_AMOUNT_INVALID', { minutes: body.minutes });
  const from = await accountFor(ctx, ctx.db, scope, body.fromAccountId, { holdersOnly: true });
  let toId: number | null = null;
  let person: { id: number; regionCode: string } | null = null;
  if ('accountId' in body.to) {
    if (body.to.accountId === from.id) throw new AppError('TIMEBANK_SELF_TRANSFER', { id: from.id });
    const to = await ctx.db.selectFrom('timebank_accounts').selectAll().where('id', '=', body.to.accountId).executeTakeFirst();
    if (!to || to.holder_kind === 'system') throw new AppError('TIMEBANK_ACCOUNT_NOT_FOUND', { id: body.to.accountId });
    if (to.holder_kind !== 'person') throw new AppError('TIMEBANK_TRANSFER_TARGET', { id: to.id });
    toId = to.id;
  } else if ('idNumber' in body.to) {
    person = await personByIdAndName(ctx, scope, body.to.idNumber, body.to.name);
    if (from.person_id === person.id) throw new AppError('TIMEBANK_SELF_TRANSFER', { id: from.id });
  } else {
    if (from.person_id === body.to.personId) throw new AppError('TIMEBANK_SELF_TRANSFER', { id: from.id });
    person = await registerPerson(ctx.db, body.to.personId);
    const jurisdiction = ctx.regions.jurisdictionOf(scope.regionCode);
    if (!person || !jurisdiction || !person.regionCode.startsWith(jurisdiction.prefix))
      throw new AppError('NOT_FOUND', { what: { zh: '登记在册的该老人', en: 'The person on the register' } });
  }
  const run = () =>
    once(ctx, body.clientId, 'transfer', from.id, async (trx) => {
      let to = toId;
      if (to === null && person) {
        const existing = await trx.selectFrom('timebank_accounts').select('id').where('person_id', '=', person.id).executeTakeFirst();
        to =
          existing?.id ??
          (
            await insertAccount(
              trx,
              { holder_kind: 'person', user_id: null, person_id: person.id, region_code: person.regionCode },
              scope.userId ?? SYSTEM_USER,
            )
          ).id;
        if (!existing) {
          await recordAudit(trx, scope, {
            action: 'timebank.account_open',
            entityType: 'timebank_account',
            entityId: to,
            regionCode: person.regionCode,
            detail: { holderKind: 'person', personId: person.id, by: 'transfer' },
          });
        }
      }
      const lines: Line[] = [
        { accountId: from.id, minutes: -body.minutes },
        { accountId: to!, minutes: body.minutes },
      ];
      const { entryId, at } = await post(
        ctx,
        trx,
        { kind: 'transfer', clientId: body.clientId, note: body.note ?? null, by: scope.userId ?? SYSTEM_USER, lines },
        (entryId) =>
          recordAudit(trx, scope, {
            action: 'timebank.transfer',
            entityType: 'timebank_entry',
            entityId: entryId,
            detail: { fromAccountId: from.id, toAccountId: to, ...(person ? { toPersonId: person.id } : {}), minutes: body.minutes },
          }),
      );
      return {
        entryId,
        kind: 'transfer',
        merged: false,
        minutes: body.minutes,
        accountId: from.id,
        balanceAfter: await balanceAfter(trx, from.id, entryId),
        toAccountId: to,
        at,
      };
    });
  try {
    return await run();
  } catch (e) {
    // two transfers opened the same person's account at once: the other's is there now
    if (person && uniqueCollision(e) === 'person_id') return run();
    throw e;
  }
}

/**
 * POST /timebank/entries/:id/reverse: a correction — an entry of the same lines with opposite signs,
 * once per entry (the unique reverses_id guards a race). A reversal is not reversed again. Taking
 * back hours already spent is refused by the same guard as any payment (TIMEBANK_INSUFFICIENT).
 */
export async function reverse(ctx: AppContext, scope: Scope, entryId: number, body: ReverseBody): Promise<MovementReply> {
  const entry = await ctx.db.selectFrom('timebank_entries').selectAll().where('id', '=', entryId).executeTakeFirst();
  if (!entry) throw new AppError('TIMEBANK_ENTRY_NOT_FOUND', { id: entryId });
  const lines = await ctx.db.selectFrom('timebank_lines').select(['account_id', 'minutes']).where('entry_id', '=', entryId).orderBy('id').execute();
  const accounts = await ctx.db
    .selectFrom('timebank_accounts')
    .select(['id', 'holder_kind'])
    .where(
      'id',
      'in',
      lines.map((l) => l.account_id),
    )
    .execute();
  const holder = lines.find((l) => accounts.find((a) => a.id === l.account_id)?.holder_kind !== 'system');
  // the entry is visible when its holder's account is (a volunteer never reverses: the route is the managers')
  if (holder) await accountFor(ctx, ctx.db, scope, holder.account_id).catch(() => Promise.reject(new AppError('TIMEBANK_ENTRY_NOT_FOUND', { id: entryId })));
  if (entry.kind === 'reversal') throw new AppError('TIMEBANK_REVERSE_REVERSAL', { id: entryId });
  const already = () => ctx.db.selectFrom('timebank_entries').select('id').where('reverses_id', '=', entryId).executeTakeFirst();
  const done = await already();
  if (done) throw new AppError('TIMEBANK_ALREADY_REVERSED', { id: entryId, by: done.id });
  try {
    return await movementTransaction(ctx, async (trx) => {
      const posted = await post(
        ctx,
        trx,
        {
          kind: 'reversal',
          reversesId: entryId,
          note: body.reason,
          by: scope.userId ?? SYSTEM_USER,
          lines: lines.map((l) => ({ accountId: l.account_id, minutes: -l.minutes })),
        },
        (id) =>
          recordAudit(trx, scope, {
            action: 'timebank.reverse',
            entityType: 'timebank_entry',
            entityId: id,
            detail: { reverses: entryId, kind: entry.kind },
          }),
      );
      const accountId = holder?.account_id ?? lines[0]!.account_id;
      return {
        entryId: posted.entryId,
        kind: 'reversal',
        merged: false,
        minutes: Math.abs(holder?.minutes ?? lines[0]!.minutes),
        accountId,
        balanceAfter: await balanceAfter(trx, accountId, posted.entryId),
        toAccountId: null,
        at: posted.at,
      } satisfies MovementReply;
    });
  } catch (e) {
    if (uniqueCollision(e) === 'reverses_id') {
      const by = await already();
      throw new AppError('TIMEBANK_ALREADY_REVERSED', { id: entryId, by: by?.id ?? '?' });
    }
    throw e;
  }
}

/**
 * The void sink (registered at start with care-events): an event voided after its hours were
 * deposited has its deposit reversed in the void's transaction — a compensating entry (kind
 * 'reversal', reverses_id the deposit, the same lines with opposite signs), never a delete; the
 * ledger stays append-only and balanced. A deposit already reversed by hand is left as it is.
 *
 * The ledger never goes negative (issue 16), so when the volunteer has already spent the hours
 * (redeemed or transferred them) and their balance is less than the deposit, the void is refused
 * (TIMEBANK_VOID_SPENT, naming the volunteer, the hours and the balance) and nothing is written:
 * the officer settles it first by reversing the redemption or transfer that spent them
 * (POST /timebank/entries/:id/reverse), then voids the event. A debt is not recorded: no balance
 * below zero, not even a reversal's.
 */
export async function reverseDepositOnVoid(ctx: AppContext, trx: Transaction<Database>, ev: CareEventSummary, scope: Scope): Promise<MovementReply | null> {
  const entry = await trx.selectFrom('timebank_entries').select(['id', 'kind']).where('event_id', '=', ev.id).where('kind', '=', 'deposit').executeTakeFirst();
  if (!entry) return null;
  if (await trx.selectFrom('timebank_entries').select('id').where('reverses_id', '=', entry.id).executeTakeFirst()) return null;
  const lines = await trx.selectFrom('timebank_lines').select(['account_id', 'minutes']).where('entry_id', '=', entry.id).orderBy('id').execute();
  const credited = lines.find((l) => l.minutes > 0)!;
  let posted: { entryId: number; at: string };
  try {
    posted = await post(
      ctx,
      trx,
      {
        kind: 'reversal',
        reversesId: entry.id,
        note: `服务记录 ${ev.id} 已作废 / verified event ${ev.id} voided`,
        by: scope.userId ?? SYSTEM_USER,
        lines: lines.map((l) => ({ accountId: l.account_id, minutes: -l.minutes })),
      },
      (id) =>
        recordAudit(trx, scope, {
          action: 'timebank.reverse',
          entityType: 'timebank_entry',
          entityId: id,
          regionCode: ev.regionCode,
          detail: { reverses: entry.id, kind: entry.kind, voidedEvent: ev.id, accountId: credited.account_id, minutes: credited.minutes },
        }),
    );
  } catch (e) {
    if (e instanceof AppError && e.code === 'TIMEBANK_INSUFFICIENT') {
      const account = await trx
        .selectFrom('timebank_accounts')
        .select(['user_id', 'balance_minutes'])
        .where('id', '=', credited.account_id)
        .executeTakeFirstOrThrow();
      const names = await displayNames(trx, [account.user_id]);
      throw new AppError('TIMEBANK_VOID_SPENT', {
        event: ev.id,
        volunteer: (account.user_id !== null ? names.get(account.user_id) : undefined) ?? String(account.user_id ?? credited.account_id),
        account: credited.account_id,
        hours: hoursText(credited.minutes),
        balance: hoursText(account.balance_minutes),
      });
    }
    throw e;
  }
  return {
    entryId: posted.entryId,
    kind: 'reversal',
    merged: false,
    minutes: credited.minutes,
    accountId: credited.account_id,
    balanceAfter: await balanceAfter(trx, credited.account_id, posted.entryId),
    toAccountId: null,
    at: posted.at,
  };
}
