import type { Generated, Selectable } from 'kysely';

/**
 * The time bank (时间银行, R10): accounts and a double-entry, append-only ledger in minutes. Every
 * movement is one entry with two or more lines that sum to zero; a correction is a reversing entry,
 * never a delete or an update of a line (the ledger tables are append-only in the database).
 * Deposits come from the system's issuance account (which alone may go negative), redemptions go
 * to its redemption account; a holder's balance is the sum of its lines and never negative.
 */
export interface TimebankAccountTable {
  id: Generated<number>;
  /** volunteer (a user) | person (a register person: an elder receiving a transfer) | system */
  holder_kind: string;
  user_id: number | null;
  person_id: number | null;
  /** system accounts: 'issuance' | 'redemption'; null for holders */
  system_key: string | null;
  /** where the account was opened; hours are portable across the jurisdiction's regions (通存通兑) */
  region_code: string;
  /** the balance in minutes: the sum of the account's lines, kept with every entry in the same transaction */
  balance_minutes: number;
  /** open | closed */
  status: string;
  opened_by: number;
  opened_at: string;
}

/** One movement: deposit | redeem | transfer | reversal. */
export interface TimebankEntryTable {
  id: Generated<number>;
  kind: string;
  /** a deposit's verified event (care-events): one deposit per event */
  event_id: number | null;
  /** the entry a reversal reverses (one reversal per entry) */
  reverses_id: number | null;
  /** a redemption's reward (the jurisdiction's list, timebank.settings.ts) */
  reward_key: string | null;
  /** the request's own id: a resend is stored once */
  client_id: string | null;
  note: string | null;
  by_user: number;
  at: string;
}

export interface TimebankLineTable {
  id: Generated<number>;
  entry_id: number;
  account_id: number;
  /** signed minutes: the lines of an entry sum to zero */
  minutes: number;
}

/** The daily check: every account's balance equals the sum of its lines, and the ledger sums to zero. */
export interface TimebankCheckTable {
  id: Generated<number>;
  on_date: string;
  ok: number;
  accounts: number;
  entries: number;
  /** JSON: the accounts and entries that do not balance */
  problems: string;
  at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    timebank_accounts: TimebankAccountTable;
    timebank_entries: TimebankEntryTable;
    timebank_lines: TimebankLineTable;
    timebank_checks: TimebankCheckTable;
  }
}

export type TimebankAccountRow = Selectable<TimebankAccountTable>;
export type TimebankEntryRow = Selectable<TimebankEntryTable>;
export type TimebankLineRow = Selectable<TimebankLineTable>;
