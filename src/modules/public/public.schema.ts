import { z } from 'zod';
import { BENEFIT_KINDS, SERVICE_TYPES } from '../catalogue/catalogue.schema.js';
import { publicFacility } from '../facilities/facilities.schema.js';
import { publicResult } from '../supervision/supervision.schema.js';
import { GRADES } from '../supervision/supervision.settings.js';

/** The public pages' API contract (no login; the console imports the inferred types). */

const words = z.object({ zh: z.string(), en: z.string() });

/** GET /api/public/portal: whom to call, when, how to apply, where to go, and the consent text. */
export const portalReply = z.object({
  jurisdiction: z.object({ code: z.string(), name: z.string() }),
  /** the counties to choose from first where the platform holds several (empty: one county) */
  places: z.array(z.object({ code: z.string(), name: z.string(), parent: z.string().nullable() })),
  hotline: z.string(),
  hotlineLabel: words,
  hours: words,
  apply: z.array(words),
  window: words,
  consent: words,
  /** the public pages, by key: the console's paths */
  links: z.array(
    z.object({ key: z.enum(['services', 'facilities', 'selfCheck', 'complaint', 'track', 'admissionTrack', 'apply', 'supervision']), path: z.string() }),
  ),
});
/** The place a public page is about: a county's (or a town's, a village's) code; absent, the platform's top or only county. */
export const placeQuery = z.object({
  place: z
    .string()
    .regex(/^\d{6,12}$/)
    .optional(),
});
export type PortalReply = z.infer<typeof portalReply>;

/** One catalogue item in plain words. */
export const serviceItem = z.object({
  id: z.string(),
  no: z.string(),
  name: z.string(),
  /** what it is (the catalogue's content) */
  what: z.string(),
  /** the target group as the catalogue words it (老年人, 80周岁以上老年人, …) */
  group: z.string(),
  /** who can get it: the rule in words */
  who: words,
  /** how much, in yuan (the figures in force, from fen), or what is provided; null: no amount */
  amount: words.nullable(),
  kind: z.enum(BENEFIT_KINDS),
  types: z.array(z.enum(SERVICE_TYPES)),
  /** 免申即享: granted by the monthly run without an application */
  automatic: z.boolean(),
  /** whom to ask: the department the catalogue names, else the town window */
  ask: words,
});
export type ServiceItem = z.infer<typeof serviceItem>;

/** GET /api/public/services: the catalogue in force, each item in plain words. */
export const servicesReply = z.object({
  title: z.string(),
  effective: z.string(),
  period: z.string(),
  county: z.string(),
  /** the catalogue lists only the items its document defines */
  partial: z.boolean(),
  items: z.array(serviceItem),
});
export type ServicesReply = z.infer<typeof servicesReply>;

/** Where a published inspection's rectification stands: checked as done, still within its deadline, or past it. */
export const RECTIFICATION_STATES = ['rectified', 'rectifying', 'overdue'] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

/** GET /api/public/facilities/:id: a facility's page: the place, its published inspections, its credit grade. */
export const facilityPageReply = z.object({
  facility: publicFacility,
  /** each with where its rectification stands (null: nothing to rectify) */
  inspections: z.array(publicResult.extend({ rectification: z.enum(RECTIFICATION_STATES).nullable() })),
  rating: z.object({ grade: z.enum(GRADES), computedOn: z.string() }).nullable(),
});
export type FacilityPageReply = z.infer<typeof facilityPageReply>;
