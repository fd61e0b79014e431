import { z } from 'zod';

/**
 * The admission queue's API contract (routes validate with these; the console imports the inferred
 * types). Civil dates YYYY-MM-DD, instants UTC ISO.
 */
export const bedType = z.enum(['ordinary', 'nursing', 'dementia']);
export type BedType = z.infer<typeof bedType>;
export const applicationStatus = z.enum(['waiting', 'offered', 'admitted', 'withdrawn', 'declined']);

const words = z.object({ zh: z.string(), en: z.string() });
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期 YYYY-MM-DD');

export const applyBody = z
  .object({
    personId: z.number().int().positive(),
    facilityId: z.number().int().positive(),
    bedType,
    /** the day the family applied (default today); no later than today */
    appliedOn: civilDate.optional(),
  })
  .strict();
export type ApplyBody = z.infer<typeof applyBody>;

export const offerBody = z.object({ bedId: z.number().int().positive() }).strict();
export const acceptBody = z.object({ on: civilDate.optional() }).strict().nullish();

/** A page of the queue, in order (an institution's queue is hundreds; a county-wide test holds 100,000). */
export const queueQuery = z.object({
  facilityId: z.coerce.number().int().positive(),
  bedType: bedType.default('ordinary'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});
export type QueueQuery = z.infer<typeof queueQuery>;

export const trackBody = z.object({ code: z.string().trim().min(1).max(64) }).strict();

export const applicationView = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  age: z.number().nullable(),
  facilityId: z.number(),
  facilityName: z.string(),
  bedType,
  appliedOn: z.string(),
  /** the date the queue orders by (the application date, or the day an offer was declined) */
  queueOn: z.string(),
  status: applicationStatus,
  /** place in the queue (1 first) while waiting or offered */
  position: z.number().nullable(),
  /** the tier (1 first); null: in no priority tier */
  tier: z.number().nullable(),
  tierLabel: words,
  /** in the 同等条件下优先 group */
  preferred: z.boolean(),
  declines: z.number(),
  lastChange: z.object({ at: z.string(), zh: z.string(), en: z.string() }).nullable(),
  offer: z.object({ id: z.number(), bedId: z.number(), bedLabel: z.string(), offeredAt: z.string() }).nullable(),
});
export type ApplicationView = z.infer<typeof applicationView>;

export const why = z.object({
  tier: z.number().nullable(),
  tierLabel: words,
  /** the tier's rule in words; null for an applicant in no tier */
  rule: words.nullable(),
  /** the conditions of the rule that hold for the person */
  held: z.array(words),
  preferred: z.object({ label: words, held: z.array(words) }).nullable(),
  queueOn: z.string(),
});

export const historyRow = z.object({ at: z.string(), from: z.number().nullable(), to: z.number().nullable(), cause: z.string(), reason: words });

export const detailReply = z.object({ application: applicationView, why, history: z.array(historyRow) });
export type DetailReply = z.infer<typeof detailReply>;

export const applyReply = z.object({
  application: applicationView,
  /** shown once, on the receipt: only its keyed hash is stored */
  trackingCode: z.string(),
});
export type ApplyReply = z.infer<typeof applyReply>;

export const facilitiesReply = z.object({
  items: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      ownership: z.string(),
      regionCode: z.string(),
      beds: z.number(),
      nursingBeds: z.number(),
      occupied: z.number(),
      waiting: z.object({ ordinary: z.number(), nursing: z.number(), dementia: z.number() }),
    }),
  ),
});
export type FacilitiesReply = z.infer<typeof facilitiesReply>;

export const queueReply = z.object({
  facility: z.object({ id: z.number(), name: z.string() }),
  bedType,
  freeBeds: z.array(z.object({ id: z.number(), label: z.string() })),
  rules: z.object({
    tiers: z.array(z.object({ tier: z.number(), label: words, rule: words })),
    preference: words,
    preferencePassesEarlier: z.boolean(),
    groupsOrdered: z.boolean(),
    hardshipQualifies: z.string(),
    onDecline: z.string(),
  }),
  items: z.array(applicationView),
  /** the open applications the viewer sees in this queue, all pages */
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type QueueReply = z.infer<typeof queueReply>;

export const refreshReply = z.object({ queues: z.number(), moved: z.number() });

export const trackReply = z.object({
  /** the surname and stars (王**): nothing else of the person */
  maskedName: z.string(),
  facilityName: z.string(),
  bedType,
  appliedOn: z.string(),
  status: applicationStatus,
  position: z.number().nullable(),
  why,
  history: z.array(historyRow),
});
export type TrackReply = z.infer<typeof trackReply>;
