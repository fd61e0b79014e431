/**
 * The shapes of the time-bank API: the types inferred from the server's zod schemas
 * (src/modules/timebank/timebank.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  AccountDetail,
  AccountsReply,
  AccountView,
  CheckProblems,
  ChecksReply,
  CheckView,
  EntryKind,
  HolderKind,
  LedgerLine,
  MeReply,
  MovementReply,
  NamedRef,
  OpenAccountBody,
  PendingEvent,
  PendingReply,
  RedeemBody,
  RewardsReply,
  TransferBody,
} from '../../../../src/modules/timebank/timebank.schema';

import type { RewardsReply } from '../../../../src/modules/timebank/timebank.schema';
export type Reward = RewardsReply['items'][number];
