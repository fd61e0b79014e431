import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * Family care beds (家庭养老床位) and meal aid (助餐): the API contract (routes validate with these;
 * the console imports the inferred types). Money in integer fen, dates civil 'YYYY-MM-DD' (Beijing).
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD / a date as YYYY-MM-DD');
const regionCode = z.string().trim().min(1).max(20);
/** A request's own id (a uuid the console makes): a resend with it is stored once. */
const clientId = z.string().trim().min(8).max(64);

/* ---- family care beds ---- */

export const bedStatus = z.enum(['active', 'closed']);
export type BedStatus = z.infer<typeof bedStatus>;

/** One piece of home adaptation done (适老化改造): a handrail, a ramp, a non-slip floor… */
export const adaptationItem = z.object({ item: z.string().trim().min(1).max(60), doneOn: civilDate }).strict();
export type AdaptationItem = z.infer<typeof adaptationItem>;
/** A device installed at the bed (a fall sensor, an emergency button, a smoke alarm…). */
export const deviceItem = z.object({ kind: z.string().trim().min(1).max(40), serial: z.string().trim().min(1).max(60), installedOn: civilDate }).strict();
export type DeviceItem = z.infer<typeof deviceItem>;

export const bedView = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  providerId: z.number(),
  providerName: z.string(),
  status: bedStatus,
  openedOn: z.string(),
  closedOn: z.string().nullable(),
  closeReason: z.string().nullable(),
  adaptation: z.array(adaptationItem),
  devices: z.array(deviceItem),
  /** the provider's orders for this person scheduled this month (Beijing), not cancelled */
  servicesThisMonth: z.number().int(),
});
export type BedView = z.infer<typeof bedView>;

export const bedsQuery = z.object({
  ...paging,
  status: bedStatus.optional(),
  /** a region within the viewer's (a town, a village); absent: the viewer's whole region */
  regionCode: regionCode.optional(),
  providerId: z.coerce.number().int().positive().optional(),
});
export type BedsQuery = z.infer<typeof bedsQuery>;

export const bedsReply = z.object({
  /** the jurisdiction's target of family care beds (settings.bedsTarget; 000 §5: 580) */
  target: z.number().int(),
  /** active beds in the viewer's region (whatever the list's filters) */
  active: z.number().int(),
  /** active beds in the whole jurisdiction, the figure the target is measured against (a count, no one named) */
  jurisdictionActive: z.number().int(),
  byTown: z.array(z.object({ regionCode: z.string(), regionName: z.string(), active: z.number().int() })),
  page: pageOf(bedView),
});
export type BedsReply = z.infer<typeof bedsReply>;

export const openBedBody = z
  .object({
    personId: z.number().int().positive(),
    providerId: z.number().int().positive(),
    openedOn: civilDate,
    adaptation: z.array(adaptationItem).max(50).default([]),
    devices: z.array(deviceItem).max(50).default([]),
  })
  .strict();
export type OpenBedBody = z.input<typeof openBedBody>;

export const patchBedBody = z
  .object({
    adaptation: z.array(adaptationItem).max(50).optional(),
    devices: z.array(deviceItem).max(50).optional(),
  })
  .strict();
export type PatchBedBody = z.infer<typeof patchBedBody>;

export const closeBedBody = z.object({ closedOn: civilDate, reason: z.string().trim().min(1).max(200) }).strict();
export type CloseBedBody = z.infer<typeof closeBedBody>;

/* ---- meal points ---- */

export const mealPointKind = z.enum(['canteen', 'delivery_point']);
export type MealPointKind = z.infer<typeof mealPointKind>;

export const mealPointView = z.object({
  id: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  name: z.string(),
  kind: mealPointKind,
  /** the communities and villages it serves (its own included) */
  serves: z.array(z.object({ code: z.string(), name: z.string() })),
  active: z.boolean(),
});
export type MealPointView = z.infer<typeof mealPointView>;
export const mealPointsReply = z.object({ items: z.array(mealPointView) });
export type MealPointsReply = z.infer<typeof mealPointsReply>;

export const mealPointBody = z
  .object({
    providerId: z.number().int().positive(),
    regionCode,
    name: z.string().trim().min(1).max(60),
    kind: mealPointKind,
    serves: z.array(regionCode).max(200).default([]),
  })
  .strict();
export type MealPointBody = z.input<typeof mealPointBody>;

export const patchMealPointBody = z
  .object({
    name: z.string().trim().min(1).max(60).optional(),
    serves: z.array(regionCode).max(200).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type PatchMealPointBody = z.infer<typeof patchMealPointBody>;

/* ---- meals served ---- */

export const mealKind = z.enum(['breakfast', 'lunch', 'dinner']);
export type MealKind = z.infer<typeof mealKind>;
export const mealMode = z.enum(['dine_in', 'delivery']);
export type MealMode = z.infer<typeof mealMode>;
/** The price rules a meal can take: age discounts ('age_60', 'age_80', … from the settings), free delivery and the hardship discount. */
export type MealRule = string;

export const quoteBody = z
  .object({
    pointId: z.number().int().positive(),
    personId: z.number().int().positive(),
    servedOn: civilDate,
    meal: mealKind,
    mode: mealMode,
  })
  .strict();
export type QuoteBody = z.infer<typeof quoteBody>;
export const mealBody = quoteBody.extend({ clientId }).strict();
export type MealBody = z.infer<typeof mealBody>;

/** A meal's price as the rules make it: paid = price − discount + delivery (never below the delivery). */
export const mealPrice = z.object({
  priceFen: z.number().int(),
  discountFen: z.number().int(),
  deliveryFen: z.number().int(),
  paidFen: z.number().int(),
  rules: z.array(z.string()),
});
export type MealPrice = z.infer<typeof mealPrice>;
/** What a meal would cost, before it is recorded (the console shows it before saving). */
export const quoteReply = mealPrice.extend({ age: z.number().int() });
export type QuoteReply = z.infer<typeof quoteReply>;

export const mealView = mealPrice.extend({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  pointId: z.number(),
  pointName: z.string(),
  servedOn: z.string(),
  meal: mealKind,
  mode: mealMode,
});
export type MealView = z.infer<typeof mealView>;

export const mealsQuery = z.object({
  ...paging,
  servedOn: civilDate.optional(),
  pointId: z.coerce.number().int().positive().optional(),
});
export type MealsQuery = z.infer<typeof mealsQuery>;
export const mealsReply = pageOf(mealView);
export type MealsReply = z.infer<typeof mealsReply>;

export const dailyQuery = z.object({
  /** absent: the 30 days up to today (Beijing) */
  from: civilDate.optional(),
  to: civilDate.optional(),
  pointId: z.coerce.number().int().positive().optional(),
});
export type DailyQuery = z.infer<typeof dailyQuery>;
export const dailyRow = z.object({
  date: z.string(),
  pointId: z.number(),
  pointName: z.string(),
  dineIn: z.number().int(),
  delivery: z.number().int(),
  /** distinct persons served that day at that point */
  persons: z.number().int(),
  priceFen: z.number().int(),
  discountFen: z.number().int(),
  paidFen: z.number().int(),
});
export type DailyRow = z.infer<typeof dailyRow>;
export const dailyReply = z.object({ from: z.string(), to: z.string(), items: z.array(dailyRow) });
export type DailyReply = z.infer<typeof dailyReply>;

/** Coverage of one kind of place: urban communities (社区/居委会) or rural villages (村). */
export const coveragePart = z.object({
  communities: z.number().int(),
  covered: z.number().int(),
  /** covered / communities × 100, one decimal; 0 when there are none */
  percent: z.number(),
  targetPercent: z.number(),
});
export type CoveragePart = z.infer<typeof coveragePart>;
export const mealCoverageReply = z.object({
  urban: coveragePart,
  rural: coveragePart,
  byTown: z.array(z.object({ regionCode: z.string(), regionName: z.string(), urban: coveragePart, rural: coveragePart })),
});
export type MealCoverageReply = z.infer<typeof mealCoverageReply>;
