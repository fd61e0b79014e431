import { z } from 'zod';

/** Shapes of the settlement, feedback-call and coverage endpoints (issue 17). Pure zod: the console imports the types. */

export const periodString = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/**
 * pending: an order of a month that has not ended, not checked out and scheduled today or later
 * (Beijing): not yet due, so neither rejected nor held, and not counted (未完成，不计入). Once the
 * month has ended such an order is rejected ('not_completed'); a closed month has none.
 */
export const lineOutcome = z.enum(['accepted', 'rejected', 'held', 'pending', 'adjustment']);
export type LineOutcomeValue = z.infer<typeof lineOutcome>;
export const settlementStatus = z.enum(['open', 'closed']);
export const feedbackOutcome = z.enum(['pending', 'given', 'not_given', 'unreachable']);
export type FeedbackOutcomeValue = z.infer<typeof feedbackOutcome>;

export const settlementsQuery = z.object({ period: periodString });
export type SettlementsQuery = z.infer<typeof settlementsQuery>;

/** A provider's month in the list. */
export const settlementItem = z.object({
  providerId: z.number().int(),
  providerName: z.string(),
  status: settlementStatus,
  accepted: z.number().int(),
  rejected: z.number().int(),
  held: z.number().int(),
  /** Σ entitled_fen of the held lines: what is held back, paid later as adjustments once cleared (not in payableFen) */
  heldFen: z.number().int(),
  /** lines of an open month not yet due (outcome 'pending'); always 0 once the month has ended */
  pending: z.number().int(),
  /** adjustment lines (of earlier closed months) in this month */
  adjustments: z.number().int(),
  /** Σ accepted + Σ adjustments, fen */
  payableFen: z.number().int(),
  closedAt: z.string().nullable(),
  /** feedback calls drawn, made (given/not_given/unreachable), and saying not given */
  sample: z.number().int(),
  calls: z.number().int(),
  notGiven: z.number().int(),
});
export type SettlementItem = z.infer<typeof settlementItem>;
export const settlementsReply = z.object({ period: z.string(), items: z.array(settlementItem) });
export type SettlementsReply = z.infer<typeof settlementsReply>;

export const monthParams = z.object({ providerId: z.coerce.number().int().positive(), period: periodString });
export type MonthParams = z.infer<typeof monthParams>;

export const settlementHeader = settlementItem.extend({
  period: z.string(),
  acceptedFen: z.number().int(),
  adjustmentsFen: z.number().int(),
  closedByName: z.string().nullable(),
  /** hex SHA-256 of the closed statement's XLSX; null while open */
  statementSha256: z.string().nullable(),
  /** whether the month may be closed now (it has ended, Beijing time, and is open) */
  closable: z.boolean(),
  /**
   * once the month has ended: the persons served whose visits done fall short of what their
   * entitlement buys (seed 001 专栏1, visits-per-month.ts), reason code 'under_served'; not in the
   * statement, and nothing paid or held by it
   */
  underServed: z.array(
    z.object({ code: z.literal('under_served'), personId: z.number().int(), personName: z.string(), visits: z.number().int(), minimum: z.number().int() }),
  ),
});
export type SettlementHeader = z.infer<typeof settlementHeader>;

export const settlementLine = z.object({
  orderId: z.number().int(),
  personId: z.number().int(),
  personName: z.string(),
  itemNameZh: z.string(),
  scheduledOn: z.string(),
  caregiverName: z.string().nullable(),
  outcome: lineOutcome,
  reasons: z.array(z.string()),
  amountFen: z.number().int(),
  /** the order's part paid by the elder (self_paid_fen): an accepted line with amountFen 0 and this > 0 is 全部自费 */
  selfPaidFen: z.number().int(),
  /** for an adjustment: the closed month it corrects */
  adjustsPeriod: z.string().nullable(),
});
export type SettlementLineView = z.infer<typeof settlementLine>;

export const settlementDetail = z.object({ header: settlementHeader, lines: z.array(settlementLine) });
export type SettlementDetail = z.infer<typeof settlementDetail>;

export const drawReply = z.object({
  providerId: z.number().int(),
  period: z.string(),
  /** checked-out orders of the month the sample is drawn from */
  population: z.number().int(),
  /** ceil(population × feedbackPercent / 100) */
  sample: z.number().int(),
  /** calls newly drawn by this request (0 on a repeat) */
  added: z.number().int(),
  orderIds: z.array(z.number().int()),
});
export type DrawReply = z.infer<typeof drawReply>;

export const feedbackQuery = z.object({
  period: periodString,
  providerId: z.coerce.number().int().positive().optional(),
  outcome: feedbackOutcome.optional(),
});
export type FeedbackQuery = z.infer<typeof feedbackQuery>;

export const feedbackView = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  providerId: z.number().int(),
  providerName: z.string(),
  period: z.string(),
  personId: z.number().int(),
  personName: z.string(),
  idMasked: z.string(),
  /** masked; the full number through the register's audited reveal */
  phoneMasked: z.string().nullable(),
  itemNameZh: z.string(),
  scheduledOn: z.string(),
  caregiverName: z.string().nullable(),
  outcome: feedbackOutcome,
  note: z.string().nullable(),
  calledByName: z.string().nullable(),
  calledAt: z.string().nullable(),
  drawnAt: z.string(),
});
export type FeedbackView = z.infer<typeof feedbackView>;
export const feedbackReply = z.object({ items: z.array(feedbackView) });
export type FeedbackReply = z.infer<typeof feedbackReply>;

export const feedbackBody = z.object({
  outcome: z.enum(['given', 'not_given', 'unreachable']),
  note: z.string().trim().max(500).optional(),
});
export type FeedbackBody = z.infer<typeof feedbackBody>;

export const coverageQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  regionCode: z.string().min(1).max(20).optional(),
});
export type CoverageQuery = z.infer<typeof coverageQuery>;

export const coverageRow = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  /** living residents aged 60 or more on the register in the region (on the year's last day, or today) */
  elders: z.number().int(),
  /** distinct persons with a checked-out order (event not voided) scheduled in the year */
  served: z.number().int(),
  /** served / elders × 100, one decimal; 0 when no elders */
  percent: z.number(),
});
export type CoverageRow = z.infer<typeof coverageRow>;
export const coverageReply = z.object({
  year: z.number().int(),
  regionCode: z.string(),
  regionName: z.string(),
  targetPercent: z.number(),
  total: coverageRow,
  rows: z.array(coverageRow),
});
export type CoverageReply = z.infer<typeof coverageReply>;
