import type { Generated, Selectable } from 'kysely';

/**
 * The payments module's tables (bank disbursement and reconciliation), merged into the database's
 * typed schema here, beside the module that owns them.
 */

/** One approved roll as sent to the bank: its disbursement file's reference and who exported it. */
export interface PaymentBatchTable {
  id: Generated<number>;
  roll_id: number;
  /** the batch reference the disbursement file carries and the bank's return file must quote */
  reference: string;
  period: string;
  item_id: string;
  item_name: string;
  town_code: string;
  /** the bank layout (payments.settings.ts) the file was written in */
  bank: string;
  lines: number;
  total_fen: number;
  exported_by: number | null;
  exported_by_name: string;
  exported_at: string;
  exports: number;
}

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** One line of a batch: a person's payment for the roll's month and item, and what the bank said. */
export interface PaymentLineTable {
  id: Generated<number>;
  batch_id: number;
  roll_id: number;
  person_id: number;
  region_code: string;
  period: string;
  item_id: string;
  /** the roll's kind: a month's regular payment and a back-pay roll of the same month are not duplicates */
  kind: string;
  amount_fen: number;
  /** lookup hashes (keyed) of the ID and the card the file carried: the return file names either */
  id_hash: string;
  card_hash: string;
  card_masked: string;
  bank: string | null;
  holder: string | null;
  status: PaymentStatus;
  /** the bank's status code and reason, for a failed line */
  bank_code: string | null;
  reason: string | null;
  return_id: number | null;
  /** the later roll a failed line was paid again in (entitlements' roll sink, markReissued) */
  reissued_roll_id: number | null;
  reissued_at: string | null;
}

/** One bank return file, applied whole. */
export interface PaymentReturnTable {
  id: Generated<number>;
  batch_id: number;
  file_name: string;
  rows: number;
  paid: number;
  failed: number;
  imported_by: number | null;
  imported_by_name: string;
  imported_at: string;
}

declare module '../../db/tables.js' {
  interface Database {
    payment_batches: PaymentBatchTable;
    payment_lines: PaymentLineTable;
    payment_returns: PaymentReturnTable;
  }
}

export type PaymentBatchRow = Selectable<PaymentBatchTable>;
export type PaymentLineRow = Selectable<PaymentLineTable>;
