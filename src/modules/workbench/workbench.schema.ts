import { z } from 'zod';
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
});
export type WorkbenchReply = z.infer<typeof workbenchReply>;
