import { z } from 'zod';
import { pageOf, paging } from '../../platform/paging.js';

/** Shapes of the visit plans' routes (plans.routes.ts). Pure zod: the console imports the types. */

const words = z.object({ zh: z.string(), en: z.string() });
const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const modes = z.array(z.enum(['home', 'phone', 'video', 'message']));

export const planView = z.object({
  key: z.string(),
  label: words,
  rule: z.string(),
  /** the rule in words, both languages */
  ruleWords: words,
  frequency: z.enum(['weekly', 'monthly']),
  modes,
  highRisk: z.boolean(),
  source: z.string(),
  /** open members in the viewer's region */
  members: z.number().int(),
});

export const refreshView = z.object({
  at: z.string(),
  /** the civil day refreshed for */
  on: z.string(),
  /** running | finished | failed */
  status: z.string(),
  jobId: z.number().int(),
  members: z.number().int(),
  joined: z.number().int(),
  left: z.number().int(),
  changed: z.number().int(),
  dues: z.number().int(),
  cancelled: z.number().int(),
  missed: z.number().int(),
  escalations: z.number().int(),
});

export const plansReply = z.object({
  plans: z.array(planView),
  settings: z.object({
    week: z.enum(['calendar', 'rolling']),
    minMinutes: z.object({ home: z.number().int(), phone: z.number().int(), video: z.number().int(), message: z.number().int() }),
    escalateAfter: z.number().int(),
    rateTargetPercent: z.number().int(),
  }),
  lastRefresh: refreshView.nullable(),
});
export type PlansReply = z.infer<typeof plansReply>;

export const refreshReply = z.object({ jobId: z.number().int() });

export const membersQuery = z.object({
  plan: z.string().max(40).optional(),
  region: z.string().max(20).optional(),
  /** part of the name or of the masked ID number */
  q: z.string().trim().min(1).max(40).optional(),
  ...paging,
});
export type MembersQuery = z.infer<typeof membersQuery>;

export const memberView = z.object({
  personId: z.number().int(),
  name: z.string(),
  idMasked: z.string().optional(),
  regionCode: z.string(),
  regionName: z.string(),
  age: z.number().int(),
  planKey: z.string(),
  frequency: z.enum(['weekly', 'monthly']),
  joinedOn: z.string(),
  /** the rule that put them in the plan, in words */
  why: words,
  worker: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});
export type MemberView = z.infer<typeof memberView>;
export const membersReply = pageOf(memberView);
export type MembersReply = z.infer<typeof membersReply>;

export const membershipView = z.object({
  id: z.number().int(),
  planKey: z.string(),
  /** the plan's label now (null: the plan is no longer in the settings) */
  planLabel: words.nullable(),
  frequency: z.enum(['weekly', 'monthly']),
  modes,
  highRisk: z.boolean(),
  regionCode: z.string(),
  joinedOn: z.string(),
  leftOn: z.string().nullable(),
  /** rule | plan_changed | closed */
  leftReason: z.enum(['rule', 'plan_changed', 'closed']).nullable(),
  rule: z.string(),
  ruleWords: words,
});

export const dueView = z.object({
  id: z.number().int(),
  planKey: z.string(),
  windowStart: civilDate,
  windowEnd: civilDate,
  dueDate: civilDate,
  /** open | done | missed | cancelled */
  status: z.enum(['open', 'done', 'missed', 'cancelled']),
  doneOn: z.string().nullable(),
  eventId: z.number().int().nullable(),
  highRisk: z.boolean(),
});

export const personPlanReply = z.object({
  personId: z.number().int(),
  /** the open membership, if any */
  current: membershipView.nullable(),
  /** why the person is in the current plan today: the rule's conditions that hold for them, in words (empty: none, or no longer) */
  why: z.array(words),
  /** every membership, newest first */
  memberships: z.array(membershipView),
  /** the last 12 dues, newest window first */
  dues: z.array(dueView),
});
export type PersonPlanReply = z.infer<typeof personPlanReply>;

export const rateQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .optional(),
  region: z.string().max(20).optional(),
});

const rateCounts = z.object({ due: z.number().int(), done: z.number().int(), percent: z.number().nullable() });

export const rateReply = z.object({
  month: z.string(),
  /** the day the rate is as of */
  on: z.string(),
  targetPercent: z.number().int(),
  /** the region the rows divide */
  regionCode: z.string(),
  total: rateCounts,
  rows: z.array(rateCounts.extend({ regionCode: z.string(), name: z.string() })),
});
export type RateReply = z.infer<typeof rateReply>;
