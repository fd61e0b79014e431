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
});
export type WorkbenchReply = z.infer<typeof workbenchReply>;
