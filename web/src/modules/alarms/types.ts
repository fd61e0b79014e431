/**
 * The shapes of the alarms and hotline API the console reads (issue 18): the types inferred from
 * the server's zod schemas (src/modules/alarms/alarms.schema.ts, hotline.schema.ts), the same that
 * validate its answers. Type-only.
 */
export type {
  AlarmAction,
  AlarmDetail,
  AlarmItem,
  AlarmOutcome,
  AlarmsReply,
  AlarmState,
  AlarmStepView,
  AssignBody,
  ResolveBody,
  ResolveFollowUp,
  ShiftReply,
} from '../../../../src/modules/alarms/alarms.schema';
export type { ContactView, RevealContactReply, SummaryReply } from '../../../../src/modules/alarms/hotline.schema';
