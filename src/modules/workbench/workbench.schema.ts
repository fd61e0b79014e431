import { z } from 'zod';
import { coverageRow } from '../assessment/schedule.schema.js';
import { rollStatus, runStatus } from '../entitlements/entitlements.schema.js';

/** What the workbench lists as work waiting for the viewer; the console links each to its page. */
export const todoKey = z.enum(['rollsToSubmit', 'rollsToApprove', 'changes', 'verify', 'paused', 'failedPayments', 'conflicts', 'failedImports']);
export type TodoKey = z.infer<typeof todoKey>;

export const todo = z.object({
  key: todoKey,
  count: z.number().int().nonnegative(),
  /** the run whose change list the changes and 待核实 counts are of */
  runId: z.number().nullable(),
});

export const ageBand = z.enum(['60-69', '70-79', '80-89', '90-99', '100+']);

export const activity = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), id: z.number(), at: z.string(), period: z.string(), status: runStatus }),
  z.object({
    kind: z.literal('import'),
    id: z.number(),
    at: z.string(),
    source: z.string(),
    sourceLabel: z.string(),
    sourceLabelEn: z.string(),
    status: z.string(),
    created: z.number(),
    updated: z.number(),
  }),
]);

export const workbenchReply = z.object({
  /** the civil date ages are counted on */
  on: z.string(),
  todos: z.array(todo),
  activity: z.array(activity),
  /** the viewer's region in counts; null for a role that reads no register (a provider) */
  population: z
    .object({
      total: z.number(),
      over80: z.number(),
      byBand: z.array(z.object({ band: ageBand, n: z.number() })),
      byTown: z.array(z.object({ code: z.string(), name: z.string(), total: z.number(), bands: z.array(z.object({ band: ageBand, n: z.number() })) })),
    })
    .nullable(),
  /** the monthly allowance over the viewer's towns, in fen; null for a role that reads no rolls */
  allowance: z.array(z.object({ period: z.string(), totalFen: z.number(), approvedFen: z.number() })).nullable(),
  /** roll statuses a viewer who reads rolls sees in their region */
  rolls: z.array(z.object({ status: rollStatus, n: z.number() })).nullable(),
  /**
   * Capability assessments in the viewer's region (issue 15); null for a role that does not read
   * assessments. coverage: the 80+ with a valid assessment (GET /api/assessments/coverage's region
   * row), byRegion: its child regions (a county's towns, a town's villages); the due list's counts
   * (GET /api/assessments/due?state=overdue|due_soon|requested); toReview: submitted and co-signed,
   * waiting for a reviewer (null for a role that does not review); assignedToMe: persons due with an
   * open assignment to the viewer (null unless an assessor).
   */
  assessment: z
    .object({
      on: z.string(),
      olderAge: z.number().int(),
      target: z.number(),
      coverage: coverageRow,
      byRegion: z.array(coverageRow),
      overdue: z.number().int(),
      dueSoon: z.number().int(),
      requested: z.number().int(),
      toReview: z.number().int().nullable(),
      assignedToMe: z.number().int().nullable(),
      /** an assessor's submitted assessments waiting for their co-signature as second assessor */
      toCosign: z.number().int().nullable(),
    })
    .nullable(),
  /**
   * Visits (issue 16); null for a role that does not read visits. rate: this month's visit rate
   * (visits/rate.ts, the one formula) over the viewer's region, a grid worker's or volunteer's over
   * their people; overdue: persons whose latest ended window was not visited (overdueHighRisk: of
   * them in the high-risk plan); escalationsOpen: escalations not closed (the village head's card);
   * followupsOpen: follow-ups not closed (the hotline operator's: hotline tickets, the hotline's
   * queue); myDueToday: a visitor's persons with a due open in today's window (null otherwise).
   */
  visits: z
    .object({
      month: z.string(),
      rate: z.object({ due: z.number().int(), done: z.number().int(), percent: z.number().nullable() }),
      /** last month's rate, the same formula over the whole month (on the 1st this month's has little in it yet) */
      rateLastMonth: z.object({ month: z.string(), due: z.number().int(), done: z.number().int(), percent: z.number().nullable() }),
      targetPercent: z.number().int(),
      overdue: z.number().int(),
      overdueHighRisk: z.number().int(),
      escalationsOpen: z.number().int(),
      followupsOpen: z.number().int(),
      myDueToday: z.number().int().nullable(),
    })
    .nullable(),
  /** The time bank (issue 16): counts over the viewer's region (a volunteer: their own account); null for a role that does not read it. */
  timebank: z
    .object({
      accounts: z.number().int(),
      minutesOutstanding: z.number().int(),
      pendingDeposits: z.number().int(),
      lastCheck: z.object({ on: z.string(), ok: z.boolean() }).nullable(),
    })
    .nullable(),
  // issue 18 (alarms-reports)
  /**
   * Smart monitoring and the hotline (issue 18), over the viewer's region; null for a role that does
   * not read alarms. The queue now (open, still raised, escalated), return calls due today or
   * earlier, and this month's alarms with the share acknowledged within ackSeconds against the target.
   */
  alarms: z
    .object({
      openAlarms: z.number().int(),
      raised: z.number().int(),
      escalated: z.number().int(),
      callbacksDue: z.number().int(),
      monthAlarms: z.number().int(),
      ackSeconds: z.number().int(),
      ackTargetPermille: z.number().int(),
      ackSharePermille: z.number().int().nullable(),
      ackMet: z.boolean().nullable(),
    })
    // optional in the type only (the server always answers it): the workbench's older fixtures stay valid
    .nullish(),
  // end alarms-reports
});
export type WorkbenchReply = z.infer<typeof workbenchReply>;
