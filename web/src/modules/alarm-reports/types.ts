/**
 * The shapes of the alarm and hotline reports API (issue 18): the types inferred from the server's
 * zod schemas (src/modules/alarms/reports.schema.ts), the same that validate its answers. Type-only.
 */
export type {
  AlarmReport,
  KindCount,
  QualityOperator,
  QualityReply,
  QualityTicket,
  RegionCount,
  TargetStatus,
  TimeFigures,
} from '../../../../src/modules/alarms/reports.schema';
