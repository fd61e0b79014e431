import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * The verified-event record's API contract: the list (what happened, for whom, by whom; no notes),
 * one event with its sealed parts opened (notes, location, confirmation note, photos' metadata),
 * confirming and voiding. Routes validate with these; the console imports the inferred types.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');

export const careEventKind = z.enum(['visit', 'service', 'meal', 'volunteer', 'alarm_response']);
export const careEventStatus = z.enum(['recorded', 'confirmed', 'voided']);
export const confirmationKind = z.enum(['person', 'proxy', 'officer']);
export type CareEventStatusValue = z.infer<typeof careEventStatus>;
export type ConfirmationKindValue = z.infer<typeof confirmationKind>;

export const eventsQuery = z.object({
  ...paging,
  personId: z.coerce.number().int().positive().optional(),
  performerId: z.coerce.number().int().positive().optional(),
  kind: careEventKind.optional(),
  status: careEventStatus.optional(),
  /** civil dates (Asia/Shanghai), both included: events that started on these days */
  from: civilDate.optional(),
  to: civilDate.optional(),
});
export type EventsQuery = z.infer<typeof eventsQuery>;

const ref = z.object({ id: z.number(), name: z.string() });

export const eventItem = z.object({
  id: z.number(),
  kind: z.string(),
  source: z.string(),
  sourceId: z.number().nullable(),
  person: z.object({ id: z.number(), name: z.string(), idMasked: z.string() }),
  performer: z.object({ id: z.number(), name: z.string(), role: z.string() }),
  regionCode: z.string(),
  regionName: z.string(),
  mode: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMinutes: z.number().int(),
  findings: z.array(z.string()),
  status: careEventStatus,
  confirmedKind: confirmationKind.nullable(),
  confirmedAt: z.string().nullable(),
  photos: z.number().int(),
});
export type EventItem = z.infer<typeof eventItem>;
export const eventsReply = pageOf(eventItem);
export type EventsReply = z.infer<typeof eventsReply>;

export const photoMeta = z.object({
  id: z.number(),
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  bytes: z.number().int(),
  locationKept: z.boolean(),
  addedAt: z.string(),
});

export const eventDetail = eventItem.extend({
  notes: z.string().nullable(),
  location: z.object({ lat: z.number(), lng: z.number(), accuracy: z.number() }).nullable(),
  confirmedBy: ref.nullable(),
  confirmationNote: z.string().nullable(),
  voidReason: z.string().nullable(),
  voidedAt: z.string().nullable(),
  voidedBy: ref.nullable(),
  recordedAt: z.string(),
  photoList: z.array(photoMeta),
  /** what the viewer may do now: the confirmation kinds open to them, and voiding */
  can: z.object({ confirm: z.array(confirmationKind), void: z.boolean() }),
});
export type EventDetail = z.infer<typeof eventDetail>;

/** What confirming or voiding answers: the event as other modules see it (no sealed content). */
export const eventSummary = z.object({
  id: z.number(),
  kind: z.string(),
  source: z.string(),
  sourceId: z.number().nullable(),
  performerId: z.number(),
  performerRole: z.string(),
  personId: z.number(),
  regionCode: z.string(),
  mode: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMinutes: z.number().int(),
  findings: z.array(z.string()),
  status: careEventStatus,
  confirmedKind: confirmationKind.nullable(),
  confirmedAt: z.string().nullable(),
  photos: z.number().int(),
});
export type EventSummaryReply = z.infer<typeof eventSummary>;

export const photoParams = z.object({ id: z.coerce.number().int().positive(), photoId: z.coerce.number().int().positive() });

export const confirmBody = z.object({
  kind: confirmationKind,
  /** the proxy's name and relation, or the officer's note */
  note: z.string().trim().max(500).nullish(),
});
export type ConfirmBody = z.infer<typeof confirmBody>;

export const voidBody = z.object({ reason: z.string().trim().min(1).max(500) });
export type VoidBody = z.infer<typeof voidBody>;
