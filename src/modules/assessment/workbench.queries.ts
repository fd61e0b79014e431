import type { Executor } from '../../db/database.js';
import type { AppContext } from '../../platform/context.js';
import { inRegion, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { dueCount } from '../register/capability.queries.js';
import { scheduleOf } from './assessment.settings.js';
import { coverageOf } from './coverage.js';
import { dueCounts, dueSpec, ensureScheduleDates } from './due.js';
import type { CoverageReply } from './schedule.schema.js';

/**
 * What the workbench shows of capability assessments, counts only (workbench/workbench.service.ts):
 * the 80+ coverage of the viewer's region and of its child regions, the due list's counts, the
 * assessments waiting for review, and for an assessor the due persons assigned to them.
 */

/** The 80+ coverage of the viewer's region (and its children) on `on`. */
export async function regionCoverage(ctx: AppContext, db: Executor, scope: Scope, on = today()): Promise<CoverageReply | null> {
  const region = ctx.regions.get(scope.regionCode) ?? ctx.regions.top();
  await ensureScheduleDates(ctx);
  return region ? coverageOf(ctx, db, scope, region, on) : null;
}

/** Overdue, due soon and requested in the viewer's region. */
export function dueFigures(ctx: AppContext, db: Executor, scope: Scope) {
  return dueCounts(ctx, db, scope);
}

/** Submitted and co-signed assessments in the viewer's region, waiting for a review. */
export async function toReviewCount(db: Executor, scope: Scope): Promise<number> {
  const r = await db
    .selectFrom('assessments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'submitted')
    .where('cosigned_at', 'is not', null)
    .where(inRegion(scope, 'region_code'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Submitted assessments that name the viewer as second assessor and wait for their co-signature. */
export async function toCosignCount(db: Executor, scope: Scope): Promise<number> {
  if (scope.userId === null) return 0;
  const r = await db
    .selectFrom('assessments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'submitted')
    .where('cosigned_at', 'is', null)
    .where('assessor2_id', '=', scope.userId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Persons due (any state) with an open assignment to the viewer. */
export async function assignedDueCount(ctx: AppContext, db: Executor, scope: Scope): Promise<number> {
  if (scope.userId === null) return 0;
  return dueCount(db, scope, dueSpec(scheduleOf(ctx, scope.regionCode), today(), 'all', { assessorId: scope.userId }));
}
