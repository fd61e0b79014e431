import type { Executor } from '../../db/database.js';
import type { RegionRow } from '../../db/tables.js';
import type { AppContext } from '../../platform/context.js';
import { narrowScope, requireAction, type Scope } from '../../platform/scope.js';
import { today, type CivilDate } from '../../platform/time.js';
import { olderCoverage } from '../register/capability.queries.js';
import { scheduleOf } from './assessment.settings.js';
import { ensureScheduleDates, regionScope } from './due.js';
import type { CoverageQuery, CoverageReply, CoverageRow } from './schedule.schema.js';

/**
 * 80+ coverage (issue 15; seeds 000 §2 and 004 §2 set it at 100 % by 2025): of the active persons
 * aged olderAge (80) or more on the date, those holding a valid assessment — its reference date on
 * or before the date and its level still counting (capability_until, the due date plus the grace
 * days, on or after it). Counts only: no personal data.
 */

/** The coverage target: every 80+ elder assessed (1 = 100 %). */
export const COVERAGE_TARGET = 1;

const rate = (covered: number, older: number) => (older ? Math.round((covered / older) * 10_000) / 10_000 : null);

/** The coverage of `region` and of each of its child regions, on `on` (80+ as the region's schedule says: its county's, or its city's). */
export async function coverageOf(ctx: AppContext, db: Executor, scope: Scope, region: RegionRow, on: CivilDate): Promise<CoverageReply> {
  const s = scheduleOf(ctx, region.code);
  const within = narrowScope(scope, region.code, region.prefix);
  const counts = await olderCoverage(db, within, on, s.olderAge);
  const children = ctx.regions
    .all()
    .filter((r) => r.parent_code === region.code)
    .sort((a, b) => a.code.localeCompare(b.code));
  const row = (r: RegionRow): CoverageRow => {
    let older = 0;
    let covered = 0;
    for (const c of counts)
      if (c.regionCode.startsWith(r.prefix)) {
        older += c.older;
        covered += c.covered;
      }
    return { code: r.code, name: r.name, older, covered, rate: rate(covered, older) };
  };
  return { on, olderAge: s.olderAge, target: COVERAGE_TARGET, region: row(region), children: children.map(row) };
}

/** GET /api/assessments/coverage?regionCode: the region (default the viewer's) and its children. */
export async function coverage(ctx: AppContext, scope: Scope, q: CoverageQuery): Promise<CoverageReply> {
  requireAction(scope, 'assessments.read');
  const within = regionScope(ctx, scope, q.regionCode);
  const region = ctx.regions.get(within.regionCode) ?? ctx.regions.top()!;
  await ensureScheduleDates(ctx);
  return coverageOf(ctx, ctx.db, scope, region, today());
}
