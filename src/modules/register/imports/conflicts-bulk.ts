import type { AppContext } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { requireAction, type Scope } from '../../../platform/scope.js';
import { resolveIn } from '../register.service.js';
import { departments, findDepartment } from '../sources/departments.js';
import { openConflictIds, openConflictsBySource } from './imports.repository.js';

/**
 * Conflicts in bulk: after a department's file brings many new values, an officer accepts all of
 * that department's open conflicts at once, or keeps every current value (of one department's, or
 * of all). Each conflict is settled and audited exactly as the single action does it
 * (register.service resolveIn), all in one transaction: a conflict that cannot be settled (a
 * locked field) leaves every one of them open. Only the viewer's region is touched, and only the
 * number they confirmed: if the open conflicts changed since, nothing is done.
 */
export async function conflictSummary(ctx: AppContext, scope: Scope) {
  requireAction(scope, 'register.read');
  const rows = await openConflictsBySource(ctx.db, scope);
  return {
    total: rows.reduce((a, r) => a + r.n, 0),
    sources: rows.map((r) => {
      const d = findDepartment(r.source);
      return { source: r.source, label: d?.label ?? r.source, labelEn: d?.labelEn ?? r.source, open: r.n };
    }),
  };
}

export interface BulkResolve {
  choice: 'accept' | 'keep';
  /** the department whose values came in; required to accept */
  source?: string;
  /** how many open conflicts the officer confirmed */
  expected: number;
}

export async function resolveAll(ctx: AppContext, scope: Scope, req: BulkResolve): Promise<{ resolved: number }> {
  requireAction(scope, 'register.resolve_conflict');
  if (req.source !== undefined && !departments.some((d) => d.key === req.source)) throw new AppError('UNKNOWN_SOURCE', { source: req.source });
  const source = req.source ?? null;
  return ctx.db.transaction().execute(async (trx) => {
    const ids = await openConflictIds(trx, scope, source);
    if (ids.length !== req.expected) throw new AppError('CONFLICTS_CHANGED', { count: ids.length, expected: req.expected });
    for (const id of ids) await resolveIn(ctx, trx, scope, id, req.choice, { bulk: source ?? 'all' });
    return { resolved: ids.length };
  });
}
