import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { inRegion, narrowScope, regionInScope, type Scope } from '../../platform/scope.js';
import { today } from '../../platform/time.js';
import { eventsOf } from '../care-events/care-events.service.js';
import { activeByRegionAndAgeBand } from '../register/workbench.queries.js';
import { serviceSettingsOf } from './services.settings.js';
import type { CoverageReply, CoverageRow } from './settlement.schema.js';

/**
 * Home-service coverage (居家上门服务覆盖率, target 18 %: 000 §11): of the elders of a region, the
 * share served in a year.
 *
 * - served: distinct persons with an order scheduled in the year that was checked out (or rated
 *   after) and whose verified event is not voided, counted in the region of the order;
 * - elders: the register's living residents (status active) aged 60 or more in the region, on the
 *   year's last day — or today while the year runs — by the register's public aggregate (the
 *   workbench's age bands, all of which start at 60);
 * - rows: the child regions of the chosen region (default the viewer's), and the region's total.
 *
 * Aggregates only (no person is shown), so the read is not an audited one. Exported for issue 20's
 * indicators.
 */
export async function coverage(ctx: AppContext, scope: Scope, year: number, regionCode?: string): Promise<CoverageReply> {
  const code = regionCode ?? (scope.regionCode || ctx.regions.top()?.code || '');
  const region = ctx.regions.get(code);
  if (!region || !regionInScope(scope, region.code) || !region.prefix.startsWith(scope.regionPrefix))
    throw new AppError('SERVICE_COVERAGE_REGION', { region: code });
  const narrowed = narrowScope(scope, region.code, region.prefix);
  const children = ctx.regions
    .all()
    .filter((r) => r.parent_code === region.code)
    .sort((a, b) => (a.code < b.code ? -1 : 1));
  const childOf = (regionCode: string) => children.find((c) => regionCode.startsWith(c.prefix));

  const now = today();
  const on = `${year}-12-31` < now ? `${year}-12-31` : now;
  const elders = new Map<string, number>();
  let totalElders = 0;
  for (const r of await activeByRegionAndAgeBand(ctx.db, narrowed, on)) {
    totalElders += r.n;
    const c = childOf(r.regionCode);
    if (c) elders.set(c.code, (elders.get(c.code) ?? 0) + r.n);
  }

  const orders = await ctx.db
    .selectFrom('service_orders')
    .select(['person_id', 'region_code', 'event_id'])
    .where('period', '>=', `${year}-01`)
    .where('period', '<=', `${year}-12`)
    .where('status', 'in', ['checked_out', 'rated'])
    .where(inRegion(narrowed, 'service_orders.region_code'))
    .execute();
  const voided = new Set((await eventsOf(ctx.db, { source: 'services', status: 'voided', scope: narrowed, from: `${year - 1}-12-30` })).map((e) => e.id));
  const served = new Map<string, Set<number>>();
  const all = new Set<number>();
  for (const o of orders) {
    if (o.event_id !== null && voided.has(o.event_id)) continue;
    all.add(o.person_id);
    const c = childOf(o.region_code);
    if (!c) continue;
    let s = served.get(c.code);
    if (!s) served.set(c.code, (s = new Set()));
    s.add(o.person_id);
  }
  const row = (code: string, name: string, e: number, s: number): CoverageRow => ({
    regionCode: code,
    regionName: name,
    elders: e,
    served: s,
    percent: e > 0 ? Math.round((s * 1000) / e) / 10 : 0,
  });
  return {
    year,
    regionCode: region.code,
    regionName: region.name,
    targetPercent: serviceSettingsOf(ctx, region.code).coverageTargetPercent,
    total: row(region.code, region.name, totalElders, all.size),
    rows: children.map((c) => row(c.code, c.name, elders.get(c.code) ?? 0, served.get(c.code)?.size ?? 0)),
  };
}
