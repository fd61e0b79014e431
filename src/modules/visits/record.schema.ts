import { z } from 'zod';

/**
 * The phone's visits API (issue 16, visits-record): the worker's list for today with what the
 * phone caches offline, the checklist, recording a visit, and a person's visits for the profile.
 * Mode and finding codes are plain strings here so that an unknown one answers the visit's own
 * error (VISIT_MODE_UNKNOWN, VISIT_FINDING_UNKNOWN) naming it, not a generic validation error.
 */

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const words = z.object({ zh: z.string(), en: z.string() });
const userRef = z.object({ id: z.number(), name: z.string() });
const modeName = z.enum(['home', 'phone', 'video', 'message']);
const followupKind = z.enum(['home_service', 'hotline', 'subsidy_review', 'reassessment']);

/* ---- recording a visit ---- */

export const recordBody = z.object({
  /** the device's own id for the visit: a resend carries it and is stored once */
  clientId: z.string().uuid(),
  personId: z.number().int().positive(),
  /** home | phone | video | message */
  mode: z.string().min(1).max(20),
  /** instants (ISO with zone) */
  startedAt: z.string().min(1).max(40),
  endedAt: z.string().min(1).max(40),
  /** codes from the checklist (findings.ts) */
  findings: z.array(z.string().min(1).max(40)).max(40),
  notes: z.string().max(2000).nullish(),
  location: z.object({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), accuracy: z.number().min(0).max(100_000) }).nullish(),
  /** the photo's bytes in base64 (JPEG, PNG or WebP); location metadata stripped unless kept */
  photo: z.object({ dataBase64: z.string().min(1), keepLocation: z.boolean().default(false) }).nullish(),
  /** the elder (person) or someone for them (proxy) confirmed on the worker's phone */
  confirmation: z.object({ kind: z.enum(['person', 'proxy']), note: z.string().max(200).nullish() }).nullish(),
  followups: z
    .array(z.object({ kind: followupKind, finding: z.string().min(1).max(40), note: z.string().max(1000).nullish() }))
    .max(20)
    .default([]),
});
export type RecordBody = z.input<typeof recordBody>;

/**
 * Why a visit did not close the due: outside_window (its start date lies in no due's window, or the
 * person has no due), mode_not_in_plan, below_minimum (shorter than the mode's minimum),
 * already_done (the window's due was closed by an earlier visit).
 */
export const notCountedReason = z.enum(['outside_window', 'mode_not_in_plan', 'below_minimum', 'already_done']);
export type NotCountedReason = z.infer<typeof notCountedReason>;

export const recordReply = z.object({
  eventId: z.number(),
  /** true: a resend of a visit already stored; this is the first answer and nothing was written */
  merged: z.boolean(),
  counted: z.boolean(),
  /** the due the visit was measured against (closed when counted); null when none */
  dueId: z.number().nullable(),
  reason: notCountedReason.nullable(),
  /** the reason in words, for the phone to show */
  reasonWords: words.nullable(),
  followupIds: z.array(z.number()),
});
export type RecordReply = z.infer<typeof recordReply>;

/* ---- today's list ---- */

export const todayItem = z.object({
  dueId: z.number(),
  personId: z.number(),
  /** the full name: the worker visits them */
  name: z.string(),
  sex: z.string(),
  age: z.number(),
  regionCode: z.string(),
  regionName: z.string(),
  phoneMasked: z.string().nullable(),
  /** living_alone, empty_nest, left_behind, solitary, special_family, hardship, disability */
  tags: z.array(z.string()),
  capabilityLevel: z.string().nullable(),
  planKey: z.string(),
  planLabel: words,
  frequency: z.enum(['weekly', 'monthly']),
  modes: z.array(modeName),
  minMinutes: z.record(z.string(), z.number()),
  windowStart: civilDate,
  windowEnd: civilDate,
  /**
   * done: visited this window; missed: the last window was missed (or this one has passed
   * unvisited) and no visit yet; open: due in this window
   */
  status: z.enum(['open', 'missed', 'done']),
  highRisk: z.boolean(),
  /**
   * status missed: the last ended window that went unvisited (the window above is the current one
   * when the plans have made it, so the card says which window was missed); null otherwise
   */
  missedWindow: z.object({ start: civilDate, end: civilDate }).nullable(),
  /** status missed: how many ended windows in a row, up to and including missedWindow, went unvisited; 0 otherwise */
  missedInRow: z.number().int(),
  lastVisit: z.object({ on: civilDate, mode: z.string(), findings: z.array(z.string()) }).nullable(),
});
export type TodayItem = z.infer<typeof todayItem>;

const rateView = z.object({ due: z.number(), done: z.number(), percent: z.number().nullable() });

export const todayReply = z.object({
  on: civilDate,
  worker: userRef,
  /** this month's visit rate (rate.ts, the one formula) of the worker's people */
  rate: rateView.nullable(),
  /** last month's, the same formula over the whole month: on the 1st this month's has little in it yet */
  rateLastMonth: rateView.extend({ month: z.string().regex(/^\d{4}-\d{2}$/) }),
  items: z.array(todayItem),
});
export type TodayReply = z.infer<typeof todayReply>;

/* ---- the checklist ---- */

export const findingsReply = z.object({
  groups: z.array(z.object({ key: z.enum(['health', 'safety', 'living', 'needs']), label: words })),
  findings: z.array(z.object({ code: z.string(), group: z.string(), zh: z.string(), en: z.string(), suggests: followupKind.nullable() })),
  followupKinds: z.array(z.object({ key: followupKind, label: words })),
  modes: z.array(z.object({ key: modeName, label: words, minMinutes: z.number() })),
  /** the largest photo accepted, in bytes (settings): the phone shows it before sending */
  photoMaxBytes: z.number(),
});
export type FindingsReply = z.infer<typeof findingsReply>;

/* ---- a person's visits ---- */

export const personVisitView = z.object({
  id: z.number(),
  mode: z.string(),
  startedAt: z.string(),
  endedAt: z.string(),
  minutes: z.number(),
  performer: userRef.nullable(),
  performerRole: z.string(),
  findings: z.array(z.string()),
  status: z.enum(['recorded', 'confirmed', 'voided']),
  confirmedKind: z.string().nullable(),
  photos: z.number(),
  /** the due it was recorded against, and whether it closed it */
  dueId: z.number().nullable(),
  counted: z.boolean(),
});
export const personDueView = z.object({
  id: z.number(),
  planKey: z.string(),
  windowStart: civilDate,
  windowEnd: civilDate,
  status: z.enum(['open', 'done', 'missed', 'cancelled']),
  doneOn: civilDate.nullable(),
  eventId: z.number().nullable(),
});
export const personVisitsReply = z.object({ visits: z.array(personVisitView), dues: z.array(personDueView) });
export type PersonVisitsReply = z.infer<typeof personVisitsReply>;
