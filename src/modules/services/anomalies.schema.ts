import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/**
 * EVV exceptions' API contract (routes validate with these; the console imports the inferred
 * types). An exception has a reason code (what the detector saw), the provider's resolution code
 * (why it happened), then the officer's review (accepted or rejected).
 */

export const reasonCode = z.enum(['far_checkin', 'too_short', 'too_long', 'overlap', 'impossible_travel', 'over_entitlement', 'cert_expired']);
export type ReasonCode = z.infer<typeof reasonCode>;

export const resolutionCode = z.enum([
  'gps_drift',
  'elder_elsewhere',
  'device_clock',
  'shortened_by_elder',
  'extended_need',
  'record_error',
  'cert_renewed',
  'self_paid_agreed',
  'not_performed',
  'other',
]);
export type ResolutionCode = z.infer<typeof resolutionCode>;

export const anomalyStatus = z.enum(['open', 'resolved', 'accepted', 'rejected']);
export type AnomalyStatus = z.infer<typeof anomalyStatus>;

/** The figures that raised an exception: distanceM, accuracyM, farMeters, minutesOnSite, ratioPercent, otherOrderId, speedKmh, … */
export const anomalyDetail = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));
export type AnomalyDetail = z.infer<typeof anomalyDetail>;

export const anomalyView = z.object({
  id: z.number(),
  orderId: z.number(),
  providerId: z.number(),
  providerName: z.string(),
  personId: z.number(),
  personName: z.string(),
  caregiverName: z.string().nullable(),
  scheduledOn: z.string(),
  code: reasonCode,
  detail: anomalyDetail,
  status: anomalyStatus,
  resolutionCode: resolutionCode.nullable(),
  resolutionNote: z.string().nullable(),
  resolvedByName: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  raisedAt: z.string(),
});
export type AnomalyView = z.infer<typeof anomalyView>;

export const anomaliesQuery = z.object({
  ...paging,
  status: anomalyStatus.optional(),
  code: reasonCode.optional(),
  providerId: z.coerce.number().int().positive().optional(),
  /** the orders' month, 'YYYY-MM' */
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
});
export type AnomaliesQuery = z.infer<typeof anomaliesQuery>;
export const anomaliesReply = pageOf(anomalyView);
export type AnomaliesReply = z.infer<typeof anomaliesReply>;

export const resolveBody = z
  .object({
    code: resolutionCode,
    note: z.string().trim().min(1).max(500),
  })
  .strict();
export type ResolveBody = z.infer<typeof resolveBody>;

export const reviewBody = z
  .object({
    decision: z.enum(['accepted', 'rejected']),
    note: z.string().trim().min(1).max(500),
  })
  .strict();
export type ReviewBody = z.infer<typeof reviewBody>;

/** The labels and the fitting resolutions, for the console's dialogs (GET /api/services/anomalies/codes). */
export const anomalyCodesReply = z.object({
  reasons: z.array(z.object({ code: reasonCode, zh: z.string(), en: z.string(), allowed: z.array(resolutionCode) })),
  resolutions: z.array(z.object({ code: resolutionCode, zh: z.string(), en: z.string() })),
});
export type AnomalyCodesReply = z.infer<typeof anomalyCodesReply>;

/** The resolution codes (Sandata-like) with their labels. */
export const RESOLUTION_CODES: Record<ResolutionCode, { zh: string; en: string }> = {
  gps_drift: { zh: '定位偏差', en: 'GPS drift' },
  elder_elsewhere: { zh: '老人临时不在家（在其他地点服务）', en: 'The elder was elsewhere (served at another place)' },
  device_clock: { zh: '设备时间有误', en: "The device's clock was wrong" },
  shortened_by_elder: { zh: '老人要求缩短服务', en: 'The elder asked to shorten the service' },
  extended_need: { zh: '服务需要延长', en: 'The service needed more time' },
  record_error: { zh: '签到签退操作失误', en: 'Check-in or check-out recorded by mistake' },
  cert_renewed: { zh: '证书已续期', en: 'The certificate has been renewed' },
  self_paid_agreed: { zh: '超出部分由老人自费', en: 'The elder pays the part beyond the entitlement' },
  not_performed: { zh: '服务未实际提供', en: 'The service was not performed' },
  other: { zh: '其他', en: 'Other' },
};

/**
 * The reason codes with their labels and the resolution codes that fit each. `not_performed`
 * (the provider admits the visit did not happen: the line is rejected) and `other` (a note
 * explains) fit every reason.
 */
export const REASON_CODES: Record<ReasonCode, { zh: string; en: string; allowed: readonly ResolutionCode[] }> = {
  far_checkin: {
    zh: '签到位置距老人住所过远',
    en: "Check-in far from the elder's home",
    allowed: ['gps_drift', 'elder_elsewhere', 'record_error', 'not_performed', 'other'],
  },
  too_short: {
    zh: '在岗时长过短',
    en: 'Time on site too short',
    allowed: ['shortened_by_elder', 'device_clock', 'record_error', 'not_performed', 'other'],
  },
  too_long: {
    zh: '在岗时长过长',
    en: 'Time on site too long',
    allowed: ['extended_need', 'device_clock', 'record_error', 'not_performed', 'other'],
  },
  overlap: {
    zh: '同一护理员服务时间重叠',
    en: 'One caregiver in two visits at once',
    allowed: ['device_clock', 'record_error', 'not_performed', 'other'],
  },
  impossible_travel: {
    zh: '前后两单之间行程速度不可能',
    en: 'Impossible travel between consecutive visits',
    allowed: ['gps_drift', 'device_clock', 'elder_elsewhere', 'record_error', 'not_performed', 'other'],
  },
  over_entitlement: {
    zh: '超出当月政府购买服务额度',
    en: "Beyond the month's entitlement",
    allowed: ['self_paid_agreed', 'record_error', 'not_performed', 'other'],
  },
  cert_expired: {
    zh: '护理员证书过期或缺失',
    en: "Caregiver's certificate expired or missing",
    allowed: ['cert_renewed', 'record_error', 'not_performed', 'other'],
  },
};
