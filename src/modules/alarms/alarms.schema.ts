import { z } from 'zod';
import { paging } from '../../platform/paging.js';
import { ALARM_KINDS, alarmRule, ruleHours } from './alarms.rules.js';

/** The alarms' routes (issue 18, rules part): list, detail, the lifecycle, rules, overrides, the shift. */

const words = z.object({ zh: z.string(), en: z.string() });
const userRef = z.object({ id: z.number(), name: z.string() });
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const regionCode = z.string().regex(/^\d{1,20}$/);

export const alarmState = z.enum(['raised', 'acknowledged', 'resolved']);
export type AlarmState = z.infer<typeof alarmState>;
export const alarmKind = z.enum(ALARM_KINDS);
export const ALARM_ACTIONS = ['called_elder', 'called_family', 'dispatched_grid_worker', 'dispatched_provider', 'called_120', 'other'] as const;
export const alarmAction = z.enum(ALARM_ACTIONS);
export type AlarmAction = z.infer<typeof alarmAction>;
export const alarmOutcome = z.enum(['real', 'false_alarm', 'test']);
export type AlarmOutcome = z.infer<typeof alarmOutcome>;
/** 'assigned': the shift supervisor took the alarm over or gave it to another operator (the step's action: the new holder) */
export const stepKind = z.enum(['raised', 'folded', 'escalated', 'acknowledged', 'action', 'note', 'resolved', 'assigned']);

export const alarmsQuery = z.object({
  ...paging,
  /** active: raised or acknowledged (the console's queue) */
  state: z.enum(['active', 'raised', 'acknowledged', 'resolved', 'all']).default('active'),
  kind: alarmKind.optional(),
  regionCode: regionCode.optional(),
  personId: z.coerce.number().int().positive().optional(),
  /** raised on or after this civil date (Beijing) */
  from: civilDate.optional(),
  /** raised on or before this civil date (Beijing) */
  to: civilDate.optional(),
});
export type AlarmsQuery = z.infer<typeof alarmsQuery>;

export const alarmItem = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  deviceId: z.number().nullable(),
  deviceKind: z.string().nullable(),
  ruleKey: z.string(),
  ruleLabel: words,
  kind: alarmKind,
  priority: z.number(),
  state: alarmState,
  raisedAt: z.string(),
  eventCount: z.number(),
  lastEventAt: z.string(),
  escalation: z.number(),
  escalatedAt: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: userRef.nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: userRef.nullable(),
  outcome: alarmOutcome.nullable(),
  followUp: z.string().nullable(),
  version: z.number(),
});
export type AlarmItem = z.infer<typeof alarmItem>;

export const alarmsReply = z.object({ items: z.array(alarmItem), total: z.number(), page: z.number(), pageSize: z.number() });
export type AlarmsReply = z.infer<typeof alarmsReply>;

export const alarmStep = z.object({
  id: z.number(),
  at: z.string(),
  by: userRef.nullable(),
  kind: stepKind,
  action: z.string().nullable(),
  note: z.string().nullable(),
});
export type AlarmStepView = z.infer<typeof alarmStep>;

export const alarmEventView = z.object({
  id: z.number(),
  kind: z.string(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  via: z.string(),
  battery: z.number().nullable(),
  value: z.number().nullable(),
});

export const alarmDetail = alarmItem.extend({
  steps: z.array(alarmStep),
  /** the events raised or folded in, newest first (at most 50) */
  events: z.array(alarmEventView),
  deviceSerial: z.string().nullable(),
});
export type AlarmDetail = z.infer<typeof alarmDetail>;

export const actionBody = z.object({ action: alarmAction, note: z.string().trim().max(1000).optional() }).strict();
export type ActionBody = z.infer<typeof actionBody>;
export const noteBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();
export type NoteBody = z.infer<typeof noteBody>;

/** What resolving a green-button request leads to: a service order or a call-back. */
export const resolveFollowUp = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('order'),
      providerId: z.number().int().positive(),
      itemId: z.number().int().positive(),
      scheduledOn: civilDate,
      minutes: z.number().int().min(5).max(720).optional(),
      selfPaidBeyond: z.boolean().default(false),
      note: z.string().trim().max(500).optional(),
    })
    .strict(),
  z.object({ type: z.literal('callback'), dueOn: civilDate }).strict(),
]);
export type ResolveFollowUp = z.infer<typeof resolveFollowUp>;

export const resolveBody = z.object({ outcome: alarmOutcome, note: z.string().trim().max(2000).optional(), followUp: resolveFollowUp.optional() }).strict();
export type ResolveBody = z.infer<typeof resolveBody>;

/**
 * The shift supervisor takes an alarm an operator holds over (`to`: themselves) or gives it to
 * another operator; `version`: the alarm's version as the supervisor saw it (a change since is refused).
 */
export const assignBody = z
  .object({
    to: z.number().int().positive(),
    version: z.number().int().positive(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type AssignBody = z.infer<typeof assignBody>;

export const ruleView = alarmRule.extend({ whenWords: words.nullable() });
export const rulesReply = z.object({ jurisdiction: z.string(), rules: z.array(ruleView) });
export type RulesReply = z.infer<typeof rulesReply>;

export const personIdParam = z.object({ id: z.coerce.number().int().positive() });
export const overrideParams = z.object({ id: z.coerce.number().int().positive(), ruleKey: z.string().regex(/^[a-z][a-z0-9_]{1,30}$/) });

export const overrideBody = z
  .object({
    enabled: z.boolean(),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .optional(),
    hours: ruleHours.optional(),
    reason: z.string().trim().min(2).max(500),
  })
  .strict();
export type OverrideBody = z.infer<typeof overrideBody>;
export const clearOverrideBody = z.object({ reason: z.string().trim().min(2).max(500) }).strict();

export const overrideView = z.object({
  ruleKey: z.string(),
  ruleLabel: words,
  /** the jurisdiction's rule */
  rule: z.object({ minutes: z.number().nullable(), hours: ruleHours.nullable() }),
  /** the person's change, null: the rule as the jurisdiction has it */
  override: z
    .object({
      enabled: z.boolean(),
      minutes: z.number().nullable(),
      hours: ruleHours.nullable(),
      reason: z.string(),
      setBy: userRef,
      setAt: z.string(),
    })
    .nullable(),
});
export const overridesReply = z.object({ personId: z.number(), personName: z.string(), idMasked: z.string(), rules: z.array(overrideView) });
export type OverridesReply = z.infer<typeof overridesReply>;

const shiftAlarm = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  idMasked: z.string(),
  regionCode: z.string(),
  kind: alarmKind,
  priority: z.number(),
  state: alarmState,
  raisedAt: z.string(),
  escalation: z.number(),
  acknowledgedAt: z.string().nullable(),
  /** what a take-over or reassignment sends back as the version it saw */
  version: z.number(),
});
export const shiftReply = z.object({
  operators: z.array(z.object({ id: z.number(), name: z.string(), role: z.string(), regionCode: z.string(), holding: z.array(shiftAlarm) })),
  /** the alarms nobody has acknowledged, by escalation level (0 none, 1 all operators, 2 supervisor) */
  queue: z.array(z.object({ escalation: z.number(), alarms: z.array(shiftAlarm) })),
});
export type ShiftReply = z.infer<typeof shiftReply>;
