import type { Words } from '../../lib/rules/facts.js';

/** Why a line is paused (pauses.ts): the reasons and their words, without dependencies (the API schema reads them). */
export const PAUSE_REASONS = ['no_account', 'abroad', 'missing', 'verification', 'institution', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
/** The reasons an officer sets; `no_account` is the register's to clear. */
export const OFFICER_PAUSE_REASONS = ['abroad', 'missing', 'verification', 'institution', 'other'] as const satisfies readonly PauseReason[];
export type OfficerPauseReason = (typeof OFFICER_PAUSE_REASONS)[number];

export const PAUSE_WORDS: Record<PauseReason, Words> = {
  no_account: { zh: '无发放账户', en: 'no account to pay into' },
  abroad: { zh: '出境居住', en: 'living abroad' },
  missing: { zh: '失联', en: 'cannot be reached' },
  verification: { zh: '待核实', en: 'facts under verification' },
  institution: { zh: '入住机构（已含此项待遇）', en: 'in an institution that covers it' },
  other: { zh: '其他', en: 'other' },
};
