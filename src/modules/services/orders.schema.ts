import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';
import { anomalyView } from './anomalies.schema.js';

/**
 * Service orders' API contract (routes validate with these; the console imports the inferred
 * types). Money is integer fen; dates are civil 'YYYY-MM-DD' (Beijing), months 'YYYY-MM'.
 */

const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份应为 YYYY-MM');
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
/** A request's own id (a uuid the page makes): a resend with it is stored once. */
const clientId = z.string().trim().min(8).max(64);

export const orderStatus = z.enum(['created', 'assigned', 'checked_in', 'checked_out', 'rated', 'cancelled']);
export type OrderStatus = z.infer<typeof orderStatus>;
export const createdVia = z.enum(['officer', 'provider', 'visit_followup', 'green_button']);
export type CreatedVia = z.infer<typeof createdVia>;
export const itemCategory = z.enum(['meal', 'clean', 'bath', 'walk', 'medical', 'emergency', 'other']);

/* ---- entitlements ---- */

export const personIdParam = z.object({ personId: z.coerce.number().int().positive() });
export const entitlementQuery = z.object({ period: period.optional() });
export type EntitlementQuery = z.infer<typeof entitlementQuery>;

export const entitlementOrder = z.object({
  id: z.number(),
  itemName: z.string(),
  scheduledOn: z.string(),
  status: orderStatus,
  entitledFen: z.number().int(),
  selfPaidFen: z.number().int(),
});
/** A person's month: the amount bought for them, what orders drew (cancelled ones not counted), what is left. */
export const entitlementReply = z.object({
  personId: z.number(),
  personName: z.string(),
  period: z.string(),
  amountFen: z.number().int(),
  usedFen: z.number().int(),
  balanceFen: z.number().int(),
  /** the catalogue items that gave it (and the meal items the services read) */
  items: z.array(z.string()),
  /** the month's orders drawing on it (not cancelled), and the visits its amount buys (null: no number set); balanceFen is 0 once they are used */
  visitsUsed: z.number().int(),
  visitsAllowed: z.number().int().nullable(),
  orders: z.array(entitlementOrder),
});
export type EntitlementReply = z.infer<typeof entitlementReply>;

/* ---- orders ---- */

export const createOrderBody = z
  .object({
    clientId,
    providerId: z.number().int().positive(),
    personId: z.number().int().positive(),
    itemId: z.number().int().positive(),
    scheduledOn: civilDate,
    /** the item's standard minutes when left out */
    minutes: z.number().int().min(5).max(720).optional(),
    /** the elder pays what the month's balance does not cover */
    selfPaidBeyond: z.boolean(),
    /** the visits' home-service follow-up this order answers (closed with it) */
    followupId: z.number().int().positive().optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type CreateOrderBody = z.infer<typeof createOrderBody>;

export const ordersQuery = z.object({
  ...paging,
  period: period.optional(),
  providerId: z.coerce.number().int().positive().optional(),
  status: orderStatus.optional(),
  personId: z.coerce.number().int().positive().optional(),
  caregiverId: z.coerce.number().int().positive().optional(),
  regionCode: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
});
export type OrdersQuery = z.infer<typeof ordersQuery>;

export const orderItem = z.object({
  id: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  itemId: z.number(),
  itemCode: z.string(),
  itemNameZh: z.string(),
  itemNameEn: z.string(),
  category: itemCategory,
  scheduledOn: z.string(),
  period: z.string(),
  orderedMinutes: z.number().int(),
  priceFen: z.number().int(),
  entitledFen: z.number().int(),
  selfPaidFen: z.number().int(),
  status: orderStatus,
  createdVia,
  caregiverId: z.number().nullable(),
  caregiverName: z.string().nullable(),
  checkInAt: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  /** whole minutes between check-in and check-out (an officer's latest correction's, if any: checkInAt and checkOutAt stay the phone's) */
  minutesOnSite: z.number().int().nullable(),
  /** reason codes of the order's exceptions still open (far_checkin, too_short, …) */
  openAnomalies: z.array(z.string()),
  rating: z.number().int().nullable(),
});
export type OrderItem = z.infer<typeof orderItem>;
export const ordersReply = pageOf(orderItem);
export type OrdersReply = z.infer<typeof ordersReply>;

/** Where a check-in or check-out was made: distance to the home (metres) beside the fix's reported accuracy. */
export const placeFact = z.object({ at: z.string(), distanceM: z.number().nullable(), accuracyM: z.number().nullable() });
export const confirmedKind = z.enum(['person', 'proxy', 'card', 'officer']);
export const historyLine = z.object({
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  byName: z.string(),
  at: z.string(),
});
export type HistoryLine = z.infer<typeof historyLine>;

/** An officer's correction of the visit's start and end (the latest one; the check-in and check-out facts stay as recorded). */
export const orderCorrection = z.object({
  id: z.number(),
  checkInAt: z.string(),
  checkOutAt: z.string(),
  /** null: the items done as the check-out recorded them */
  itemsDone: z.array(z.string()).nullable(),
  reason: z.string(),
  byName: z.string(),
  at: z.string(),
});
export type OrderCorrection = z.infer<typeof orderCorrection>;

export const orderDetail = orderItem.extend({
  note: z.string().nullable(),
  checkIn: placeFact.nullable(),
  checkOut: placeFact.nullable(),
  itemsDone: z.array(z.string()),
  eventId: z.number().nullable(),
  photos: z.array(z.object({ id: z.number() })),
  confirmedKind: confirmedKind.nullable(),
  anomalies: z.array(anomalyView),
  history: z.array(historyLine),
  ratingBy: z.string().nullable(),
  ratedAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  /** the latest correction, or null (checkIn and checkOut above stay as the phone recorded them; minutesOnSite follows the correction) */
  correction: orderCorrection.nullable(),
});
export type OrderDetail = z.infer<typeof orderDetail>;

export const assignBody = z.object({ caregiverId: z.number().int().positive() }).strict();
export type AssignBody = z.infer<typeof assignBody>;
export const cancelBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type CancelBody = z.infer<typeof cancelBody>;
/**
 * POST /services/orders/:id/correct (an officer, services.review): the visit's real start and end,
 * and optionally the items done, with the reason. An omitted time keeps the current one (the
 * latest correction's, else the phone's); an order never checked out needs checkOutAt.
 */
export const correctBody = z
  .object({
    checkInAt: z.string().trim().min(10).max(40).optional(),
    checkOutAt: z.string().trim().min(10).max(40).optional(),
    itemsDone: z.array(z.string().trim().min(1).max(40)).max(20).optional(),
    reason: z.string().trim().min(2).max(500),
  })
  .strict();
export type CorrectBody = z.infer<typeof correctBody>;
export const rateBody = z
  .object({
    rating: z.number().int().min(1).max(5),
    by: z.enum(['elder', 'family']),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type RateBody = z.infer<typeof rateBody>;

/* ---- follow-ups from visits ---- */

export const followupsQuery = z.object({ ...paging });
export const followupItem = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  finding: z.string(),
  findingWords: z.object({ zh: z.string(), en: z.string() }),
  note: z.string().nullable(),
  status: z.string(),
  raisedAt: z.string(),
});
export type FollowupItem = z.infer<typeof followupItem>;
export const followupsReply = pageOf(followupItem);
export type FollowupsReply = z.infer<typeof followupsReply>;
