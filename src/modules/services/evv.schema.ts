import { z } from 'zod';

/**
 * The caregiver's phone API (issue 17, services-evv): the day's orders, check-in, check-out with
 * the elder's confirmation, the check-out photo; and the photo for the console. Instants are ISO
 * strings with a zone as the device sends them; locations WGS-84 with the device's accuracy.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The device's own id of the request (a uuid the phone's outbox makes): a resend with it is stored once. */
const clientId = z.string().uuid();

/** A fix as the phone reports it; geo.checkFix refuses impossible ones with the services' own errors. */
export const fixBody = z.object({
  lat: z.number(),
  lng: z.number(),
  accuracy: z.number(),
});

/* ---- the caregiver's orders ---- */

export const myOrdersQuery = z.object({ date: civilDate.optional() });
export type MyOrdersQuery = z.infer<typeof myOrdersQuery>;

export const orderStatus = z.enum(['created', 'assigned', 'checked_in', 'checked_out', 'rated', 'cancelled']);

export const myOrder = z.object({
  id: z.number(),
  personId: z.number(),
  /** the full name: the caregiver serves them */
  personName: z.string(),
  /**
   * Where to go, as the register knows it: the person's town and village or community (the
   * register keeps no street address; the provider's office gives the door).
   */
  address: z.string(),
  itemCode: z.string(),
  itemNameZh: z.string(),
  itemNameEn: z.string(),
  category: z.string(),
  orderedMinutes: z.number().int(),
  scheduledOn: civilDate,
  status: orderStatus,
  checkInAt: z.string().nullable(),
  checkOutAt: z.string().nullable(),
  /** item codes the caregiver may tick at check-out: the order's item and the jurisdiction's other active items of its category */
  tasks: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() })),
  /** codes of the order's open exceptions (far_checkin …), for a notice on the phone */
  openAnomalies: z.array(z.string()),
  /** how far from the registered home the check-in was measured, and the phone's accuracy then (metres; null before check-in or with no location) */
  checkInDistanceM: z.number().nullable(),
  checkInAccuracyM: z.number().nullable(),
  /** the elder has a service card on record (the card confirmation can be offered) */
  hasCard: z.boolean(),
});
export type MyOrder = z.infer<typeof myOrder>;

export const myOrdersReply = z.object({
  caregiver: z.object({ id: z.number(), name: z.string(), providerName: z.string() }).nullable(),
  date: civilDate,
  items: z.array(myOrder),
});
export type MyOrdersReply = z.infer<typeof myOrdersReply>;

/* ---- check-in, check-out ---- */

export const checkInBody = z.object({
  clientId,
  /** the device's instant of the check-in */
  at: z.string().min(1).max(40),
  location: fixBody,
});
export type CheckInBody = z.infer<typeof checkInBody>;

export const confirmationBody = z.union([
  z.object({ kind: z.enum(['person', 'proxy']), note: z.string().max(200).nullish() }),
  /** the elder's service card: its code is checked against the keyed hash on record, never stored */
  z.object({ kind: z.literal('card'), cardCode: z.string().trim().min(1).max(40) }),
]);
export type ConfirmationBody = z.infer<typeof confirmationBody>;

export const checkOutBody = z.object({
  clientId,
  at: z.string().min(1).max(40),
  location: fixBody,
  /** codes of the tasks done (MyOrder.tasks), at least one */
  itemsDone: z.array(z.string().min(1).max(40)).min(1).max(40),
  notes: z.string().max(2000).nullish(),
  confirmation: confirmationBody.nullable(),
});
export type CheckOutBody = z.infer<typeof checkOutBody>;

/* ---- the check-out photo ---- */

export const photoBody = z.object({
  clientId,
  /** the photo's bytes in base64 (JPEG, PNG or WebP); location metadata stripped unless kept */
  dataBase64: z.string().min(1),
  keepLocation: z.boolean().default(false),
});
export type PhotoBody = z.input<typeof photoBody>;

export const photoReply = z.object({
  orderId: z.number(),
  eventId: z.number(),
  photoId: z.number(),
  /** true: a resend of a photo already stored; nothing was written */
  merged: z.boolean(),
});
export type PhotoReply = z.infer<typeof photoReply>;

export const orderPhotoParams = z.object({ id: z.coerce.number().int().positive(), photoId: z.coerce.number().int().positive() });
