import { z } from 'zod';

/**
 * The facilities' API contract (routes validate with these; the console imports the inferred
 * types). Ranges that need a clear refusal of their own (coordinates, a bulk bed count, a grade for
 * the kind) are checked by the service with the catalogue's errors, so a direct call is checked too.
 */

export const facilityKind = z.enum(['institution', 'regional_centre', 'day_care', 'community_station', 'canteen', 'care_bed_provider']);
export const ownership = z.enum(['public', 'public_private', 'private']);
export const bedType = z.enum(['ordinary', 'nursing', 'dementia']);
export const staffRole = z.enum(['caregiver', 'nurse', 'doctor', 'social_worker', 'manager', 'other']);
export type StaffRole = z.infer<typeof staffRole>;
export const employment = z.enum(['full_time', 'part_time']);
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const words = z.object({ zh: z.string(), en: z.string() });

/* ---- facilities ---- */

export const facilityBody = z
  .object({
    name: z.string().trim().min(2).max(80),
    kind: facilityKind,
    ownership,
    /** a town or village code in the region tree, within the viewer's area */
    regionCode: z.string().trim().min(6).max(20),
    address: z.string().trim().min(2).max(200),
    /** WGS-84 degrees; both or neither */
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    /** institutions '1'…'5' (一级…五级); home-care organisations 'basic' (基础级), '1A'…'5A'; null: not rated */
    grade: z.string().trim().max(10).nullable(),
    governmentWork: z.boolean(),
    providerId: z.number().int().positive().nullable(),
    /** a 特困供养机构 (rural 敬老院): the staffing rule applies */
    hardshipHome: z.boolean(),
    active: z.boolean(),
  })
  .strict();
export type FacilityBody = z.infer<typeof facilityBody>;

export const checkStatus = z.enum(['pass', 'fail', 'not_applicable']);
export const facilityView = z.object({
  id: z.number(),
  name: z.string(),
  kind: facilityKind,
  ownership,
  regionCode: z.string(),
  regionName: z.string(),
  townCode: z.string().nullable(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  /** GCJ-02 (for a Chinese base map), from the WGS-84 point */
  gcj: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  grade: z.string().nullable(),
  gradeText: words.nullable(),
  governmentWork: z.boolean(),
  providerId: z.number().nullable(),
  hardshipHome: z.boolean(),
  active: z.boolean(),
  beds: z.number().int(),
  nursingBeds: z.number().int(),
  occupied: z.number().int(),
  /** failing checks of the facility (keys), for the list */
  failing: z.array(z.string()),
});
export type FacilityView = z.infer<typeof facilityView>;

export const facilitiesQuery = z.object({
  kind: facilityKind.optional(),
  region: z.string().trim().min(1).max(20).optional(),
  failing: z.enum(['1', '0']).optional(),
  q: z.string().trim().max(40).optional(),
});
export const facilitiesReply = z.object({ items: z.array(facilityView), total: z.number().int() });
export type FacilitiesReply = z.infer<typeof facilitiesReply>;

/* ---- beds ---- */

export const addBedsBody = z
  .object({
    type: bedType,
    /** how many beds to add, 1–2000 */
    count: z.number().int(),
    /** label prefix (a room, a floor): beds are labelled prefix-1, prefix-2, … after the highest number there */
    prefix: z.string().trim().min(1).max(20),
  })
  .strict();
export type AddBedsBody = z.infer<typeof addBedsBody>;
export const retireBedBody = z.object({ on: civilDate }).strict();

export const bedView = z.object({
  id: z.number(),
  label: z.string(),
  type: bedType,
  addedOn: z.string(),
  retiredOn: z.string().nullable(),
  /** the open stay in it, if any */
  stayId: z.number().nullable(),
  residentName: z.string().nullable(),
  since: z.string().nullable(),
});
export type BedView = z.infer<typeof bedView>;

/* ---- staff ---- */

export const certificate = z
  .object({
    /** e.g. 养老护理员, 社会工作者证, 护士执业证书 */
    kind: z.string().trim().min(1).max(40),
    /** e.g. 四级/中级 */
    level: z.string().trim().max(20).nullable(),
    expiresOn: civilDate.nullable(),
  })
  .strict();
export const staffBody = z
  .object({
    name: z.string().trim().min(1).max(40),
    role: staffRole,
    employment,
    /** the share of a full-time post: 1 for full time, (0, 1) for part time */
    fte: z.number(),
    certificates: z.array(certificate).max(10),
    startedOn: civilDate,
    endedOn: civilDate.nullable(),
  })
  .strict();
export type StaffBody = z.infer<typeof staffBody>;
export const staffView = staffBody.extend({
  id: z.number(),
  facilityId: z.number(),
  /** on today: working (started, not ended) */
  current: z.boolean(),
  certificates: z.array(certificate.extend({ expired: z.boolean() })),
});
export type StaffView = z.infer<typeof staffView>;
export const staffReply = z.object({ items: z.array(staffView) });

/* ---- residents ---- */

export const admitBody = z.object({ personId: z.number().int().positive(), bedId: z.number().int().positive(), on: civilDate }).strict();
export type AdmitBody = z.infer<typeof admitBody>;
export const transferBody = z.object({ facilityId: z.number().int().positive(), bedId: z.number().int().positive(), on: civilDate }).strict();
export type TransferBody = z.infer<typeof transferBody>;
export const endStayBody = z.object({ on: civilDate, note: z.string().trim().max(200).optional() }).strict();
export type EndStayBody = z.infer<typeof endStayBody>;

export const residentView = z.object({
  stayId: z.number(),
  personId: z.number(),
  name: z.string(),
  idMasked: z.string(),
  bedId: z.number(),
  bedLabel: z.string(),
  bedType,
  since: z.string(),
  source: z.string(),
  /** the assessed disablement level the staffing check reads (none…complete), and whether an assessment is in force */
  disablement: z.string(),
  assessed: z.boolean(),
  tekun: z.boolean(),
});
export type ResidentView = z.infer<typeof residentView>;
export const residentsReply = z.object({ items: z.array(residentView) });
export const stayReply = z.object({ stayId: z.number() });

/* ---- checks ---- */

export const checkView = z.object({
  key: z.enum(['nursing_share', 'staffing', 'grade', 'social_workers']),
  status: checkStatus,
  /** the rule in words, with its source paragraph */
  rule: words,
  /** what was counted and required, in words */
  figures: words,
  values: z.record(z.string(), z.number()),
});
export type CheckView = z.infer<typeof checkView>;
export const checksReply = z.object({ facilityId: z.number(), on: z.string(), items: z.array(checkView) });
export type ChecksReply = z.infer<typeof checksReply>;

export const facilityDetail = z.object({
  facility: facilityView,
  beds: z.array(bedView),
  checks: checksReply,
});
export type FacilityDetail = z.infer<typeof facilityDetail>;

export const failingReply = z.object({
  items: z.array(z.object({ facility: facilityView, failing: z.array(checkView) })),
});
export type FailingReply = z.infer<typeof failingReply>;

/* ---- the public map ---- */

export const publicQuery = z.object({
  kind: facilityKind.optional(),
  town: z.string().trim().min(1).max(20).optional(),
  /** the grade as recorded ('1'…'5', 'basic', '1A'…'5A') */
  grade: z.string().trim().min(1).max(10).optional(),
  /** only facilities with at least one free bed of this type */
  freeBed: bedType.optional(),
});
export type PublicQuery = z.infer<typeof publicQuery>;
/** Beds in service and free beds of one type. */
export const bedsOfType = z.object({ type: bedType, beds: z.number().int(), free: z.number().int() });
export const publicFacility = z.object({
  id: z.number(),
  name: z.string(),
  kind: facilityKind,
  ownership,
  grade: z.string().nullable(),
  gradeText: words.nullable(),
  townCode: z.string().nullable(),
  townName: z.string(),
  address: z.string(),
  beds: z.number().int(),
  freeBeds: z.number().int(),
  /** by bed type, the types it has */
  byType: z.array(bedsOfType),
  /** WGS-84 */
  lat: z.number().nullable(),
  lng: z.number().nullable(),
});
export type PublicFacility = z.infer<typeof publicFacility>;
export const publicReply = z.object({
  items: z.array(publicFacility),
  towns: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type PublicReply = z.infer<typeof publicReply>;
