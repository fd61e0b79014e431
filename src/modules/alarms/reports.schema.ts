import { z } from 'zod';

/** Shapes of the alarm and hotline reports (issue 18, reports part). Pure zod: the console imports the types. */

const civilDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

/** The alarm kinds the reports always list (zero included); a kind a rule adds later is listed after them. */
export const REPORT_ALARM_KINDS = [
  'emergency',
  'fall',
  'service_request',
  'no_movement',
  'out_of_bed',
  'door_night',
  'offline',
  'battery_low',
  'other',
] as const;
/** The ticket kinds (hotline part's vocabulary). */
export const REPORT_TICKET_KINDS = ['consultation', 'service_request', 'complaint', 'emergency'] as const;
/** Alarm kinds whose real outcome counts toward the "attended within" target (the default rules' priority-1 kinds). */
export const ATTEND_KINDS = ['emergency', 'fall'] as const;

/** GET /alarms/reports and its export: a period of civil dates (Beijing), default this month up to today; a region of the viewer's. */
export const reportQuery = z.object({
  from: civilDate.optional(),
  to: civilDate.optional(),
  regionCode: z.string().min(1).max(32).optional(),
  lang: z.enum(['zh', 'en']).optional(),
});
export type ReportQuery = z.infer<typeof reportQuery>;

export const kindCount = z.object({ kind: z.string(), count: z.number().int() });
export type KindCount = z.infer<typeof kindCount>;

export const regionCount = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  alarms: z.number().int(),
  /** of them emergency (red button) and fall alarms */
  emergencies: z.number().int(),
  tickets: z.number().int(),
  devicesOffline: z.number().int(),
});
export type RegionCount = z.infer<typeof regionCount>;

/** Durations of the period's alarms, seconds (nearest-rank percentiles over the rows; null: none). */
export const timeFigures = z.object({
  /** alarms measured (acknowledged; for resolution: resolved) */
  count: z.number().int(),
  medianSeconds: z.number().int().nullable(),
  p90Seconds: z.number().int().nullable(),
  maxSeconds: z.number().int().nullable(),
});
export type TimeFigures = z.infer<typeof timeFigures>;

export const targetKey = z.enum(['ack', 'ackLong', 'attend']);
export type TargetKey = z.infer<typeof targetKey>;

/**
 * One response-time target against the period: of `population` alarms, `within` met the time.
 * An alarm not yet acknowledged counts as a miss once it is older than the limit (and is not
 * counted while it still could make it). met is null when there is nothing to measure.
 */
export const targetStatus = z.object({
  key: targetKey,
  limitSeconds: z.number().int(),
  targetPermille: z.number().int(),
  population: z.number().int(),
  within: z.number().int(),
  sharePermille: z.number().int().nullable(),
  met: z.boolean().nullable(),
  /** the status in words: 达标 / 未达标 / 无数据, with the share and the target */
  zh: z.string(),
  en: z.string(),
});
export type TargetStatus = z.infer<typeof targetStatus>;

export const alarmReport = z.object({
  from: z.string(),
  to: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  /** the instant the report was computed (devices offline are "now") */
  at: z.string(),
  alarms: z.object({
    total: z.number().int(),
    open: z.number().int(),
    byKind: z.array(kindCount),
    byRegion: z.array(regionCount),
  }),
  ack: timeFigures.extend({ pending: z.number().int() }),
  resolution: timeFigures,
  /** emergencies and falls resolved real: raised → resolved */
  attend: timeFigures,
  targets: z.array(targetStatus),
  outcomes: z.object({
    resolved: z.number().int(),
    real: z.number().int(),
    falseAlarms: z.number().int(),
    tests: z.number().int(),
    /** false alarms among resolved, per mille; null: none resolved */
    falseSharePermille: z.number().int().nullable(),
  }),
  escalations: z.object({ toAll: z.number().int(), toSupervisor: z.number().int() }),
  devices: z.object({ active: z.number().int(), offline: z.number().int() }),
  tickets: z.object({ total: z.number().int(), byKind: z.array(kindCount) }),
  complaints: z.object({
    /** complaints opened in the period */
    total: z.number().int(),
    closedInTime: z.number().int(),
    closedLate: z.number().int(),
    openOverdue: z.number().int(),
    openInTime: z.number().int(),
    /** closed in time among those closed or overdue, per mille */
    inTimeSharePermille: z.number().int().nullable(),
  }),
  /** return calls due in the period */
  callbacks: z.object({ due: z.number().int(), done: z.number().int(), unreachable: z.number().int(), open: z.number().int() }),
});
export type AlarmReport = z.infer<typeof alarmReport>;

export const qualityQuery = z.object({ month, regionCode: z.string().min(1).max(32).optional() });
export type QualityQuery = z.infer<typeof qualityQuery>;

export const qualityTicket = z.object({
  ticketId: z.number().int(),
  kind: z.string(),
  status: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  subject: z.string(),
  outcome: z.string().nullable(),
  personId: z.number().int().nullable(),
  personName: z.string().nullable(),
  /** the draw's rank: hex sha256 of `${month}|${operatorId}|${ticketId}` (lowest first) */
  rank: z.string(),
});
export type QualityTicket = z.infer<typeof qualityTicket>;

export const qualityOperator = z.object({
  operatorId: z.number().int(),
  operatorName: z.string(),
  /** the operator's tickets of the month in the region (the population drawn from) */
  tickets: z.number().int(),
  sample: z.array(qualityTicket),
});
export type QualityOperator = z.infer<typeof qualityOperator>;

export const qualityReply = z.object({
  month: z.string(),
  regionCode: z.string(),
  perOperator: z.number().int(),
  /** how the draw is made, so anyone can re-run it */
  method: z.string(),
  operators: z.array(qualityOperator),
});
export type QualityReply = z.infer<typeof qualityReply>;
