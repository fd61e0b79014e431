import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * The time bank's API contract (routes validate with these; the console imports the inferred
 * types). Hours are integer minutes everywhere.
 */

export const holderKind = z.enum(['volunteer', 'person', 'system']);
export type HolderKind = z.infer<typeof holderKind>;
export const entryKind = z.enum(['deposit', 'redeem', 'transfer', 'reversal']);
export type EntryKind = z.infer<typeof entryKind>;

export const namedRef = z.object({ id: z.number(), name: z.string() });
export type NamedRef = z.infer<typeof namedRef>;

/** A request's own id (a uuid the console makes): a resend with it is stored once. */
const clientId = z.string().trim().min(8).max(64);

/* ---- accounts ---- */

/** An account as the list and the ledger's head show it. */
export const accountView = z.object({
  id: z.number(),
  holderKind,
  /** the volunteer (a user: id is the user's) or the register person (id is the person's); null for a system account */
  holder: namedRef.nullable(),
  /** the system account's key ('issuance' | 'redemption'); null for holders */
  systemKey: z.string().nullable(),
  /** where the account was opened; hours are portable across the jurisdiction (通存通兑) */
  regionCode: z.string(),
  regionName: z.string(),
  balanceMinutes: z.number().int(),
  status: z.string(),
  openedAt: z.string(),
});
export type AccountView = z.infer<typeof accountView>;

export const accountsQuery = z.object({
  ...paging,
  /** a holder's name (part of it) or an account number */
  q: z.string().trim().max(40).optional(),
  /** a region within the viewer's (a town, a village); absent: the viewer's whole region */
  region: z.string().trim().min(1).max(20).optional(),
  kind: z.enum(['volunteer', 'person']).optional(),
});
export type AccountsQuery = z.infer<typeof accountsQuery>;
export const accountsReply = pageOf(accountView);
export type AccountsReply = z.infer<typeof accountsReply>;

/** Opening an account: for an active volunteer (a user), or for an elder on the register (a relative receiving transfers). */
export const openAccountBody = z.object({
  holder: z.union([z.object({ userId: z.number().int().positive() }).strict(), z.object({ personId: z.number().int().positive() }).strict()]),
});
export type OpenAccountBody = z.infer<typeof openAccountBody>;

/* ---- the ledger ---- */

/** The other side of a line: another account (a relative's, a volunteer's), or the system's issuance / redemption. */
export const counterpart = z.object({
  accountId: z.number(),
  holderKind,
  /** the holder's name; null for a system account */
  name: z.string().nullable(),
  systemKey: z.string().nullable(),
});

/** One entry as an account sees it. */
export const ledgerLine = z.object({
  entryId: z.number(),
  kind: entryKind,
  /** signed: + into this account, − out of it */
  minutes: z.number().int(),
  /** the account's balance after this entry (the sum of its lines up to it) */
  balanceAfter: z.number().int(),
  counterpart: counterpart.nullable(),
  note: z.string().nullable(),
  /** who recorded it; null: the system (a deposit made when the event was confirmed) */
  by: namedRef.nullable(),
  at: z.string(),
  eventId: z.number().nullable(),
  rewardKey: z.string().nullable(),
  /** the entry this one reverses */
  reversesId: z.number().nullable(),
  /** the entry that reversed this one */
  reversedById: z.number().nullable(),
});
export type LedgerLine = z.infer<typeof ledgerLine>;
export const ledgerPage = pageOf(ledgerLine);

export const accountQuery = z.object({ ...paging });
export const accountDetail = z.object({ account: accountView, ledger: ledgerPage });
export type AccountDetail = z.infer<typeof accountDetail>;

/* ---- events waiting ---- */

/** A volunteer's event as the time bank sees it: waiting for confirmation, or confirmed and not deposited. */
export const pendingEvent = z.object({
  eventId: z.number(),
  kind: z.string(),
  status: z.enum(['recorded', 'confirmed']),
  performer: namedRef,
  personId: z.number(),
  personName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMinutes: z.number().int(),
  /** what a deposit would credit (rounded down, capped) */
  minutes: z.number().int(),
  /** the performer's account; null: none opened yet (a deposit needs one) */
  accountId: z.number().nullable(),
});
export type PendingEvent = z.infer<typeof pendingEvent>;
export const pendingReply = z.object({ toDeposit: z.array(pendingEvent), unconfirmed: z.array(pendingEvent) });
export type PendingReply = z.infer<typeof pendingReply>;

export const meQuery = z.object({ ...paging });
export const meReply = z.object({
  account: accountView.nullable(),
  ledger: ledgerPage.nullable(),
  pending: z.array(pendingEvent),
});
export type MeReply = z.infer<typeof meReply>;

/* ---- movements ---- */

export const depositBody = z.object({ eventId: z.number().int().positive() });
export type DepositBody = z.infer<typeof depositBody>;

export const redeemBody = z.object({
  accountId: z.number().int().positive(),
  rewardKey: z.string().trim().min(1).max(40),
  quantity: z.number().int().min(1).max(100).default(1),
  clientId,
});
export type RedeemBody = z.infer<typeof redeemBody>;

export const transferBody = z.object({
  fromAccountId: z.number().int().positive(),
  /**
   * the relative: their account, their register id (who may read the register), or — what a
   * volunteer knows of a parent — their 18-digit resident ID number with their name as registered
   * (any mismatch answers TIMEBANK_TRANSFER_UNMATCHED, the same whatever did not match)
   */
  to: z.union([
    z.object({ accountId: z.number().int().positive() }).strict(),
    z.object({ personId: z.number().int().positive() }).strict(),
    z.object({ idNumber: z.string().trim().min(1).max(40), name: z.string().trim().min(1).max(60) }).strict(),
  ]),
  /** whole minutes; zero or less is refused with TIMEBANK_AMOUNT_INVALID */
  minutes: z.number().int().min(-1_000_000).max(1_000_000),
  note: z.string().trim().max(200).nullish(),
  clientId,
});
export type TransferBody = z.infer<typeof transferBody>;

export const reverseBody = z.object({ reason: z.string().trim().min(1).max(200) });
export type ReverseBody = z.infer<typeof reverseBody>;

/** What a movement answers: the entry, and the balance it left on the account it was made for. */
export const movementReply = z.object({
  entryId: z.number(),
  kind: entryKind,
  /** true: a resend of a request already stored (nothing was written again) */
  merged: z.boolean(),
  /** the amount moved (positive) */
  minutes: z.number().int(),
  /** the holder's account acted on: the volunteer's for a deposit, the payer's for a redemption or a transfer, the first holder's of the reversed entry for a reversal */
  accountId: z.number(),
  /** that account's balance after the entry */
  balanceAfter: z.number().int(),
  /** a transfer's receiving account (opened by it when the person had none) */
  toAccountId: z.number().nullable(),
  at: z.string(),
});
export type MovementReply = z.infer<typeof movementReply>;

/* ---- rewards and checks ---- */

export const rewardView = z.object({
  key: z.string(),
  kind: z.enum(['service', 'goods']),
  label: z.object({ zh: z.string(), en: z.string() }),
  minutes: z.number().int(),
});
export const rewardsReply = z.object({ items: z.array(rewardView), roundMinutes: z.number().int(), maxMinutesPerEvent: z.number().int() });
export type RewardsReply = z.infer<typeof rewardsReply>;

/** What a check found wrong (ids and figures only: no names). */
export const checkProblems = z.object({
  /** accounts whose kept balance differs from the sum of their lines */
  accounts: z.array(z.object({ accountId: z.number(), balance: z.number(), sum: z.number() })),
  /** entries whose lines do not sum to zero, or that have fewer than two lines */
  entries: z.array(z.object({ entryId: z.number(), sum: z.number(), lines: z.number() })),
  /** the sum of every line of the ledger (0 when it balances) */
  ledgerSum: z.number(),
});
export type CheckProblems = z.infer<typeof checkProblems>;

export const checkView = z.object({
  id: z.number(),
  on: z.string(),
  ok: z.boolean(),
  accounts: z.number().int(),
  entries: z.number().int(),
  problems: checkProblems,
  at: z.string(),
});
export type CheckView = z.infer<typeof checkView>;
export const checksQuery = z.object({ ...paging });
export const checksReply = pageOf(checkView);
export type ChecksReply = z.infer<typeof checksReply>;
