import type { AppContext } from '../../platform/context.js';
import type { Scope } from '../../platform/scope.js';
import { nextPeriod, previousPeriod, today } from '../../platform/time.js';
import { setParameter } from '../catalogue/catalogue.service.js';
import { startRun } from '../entitlements/runs.service.js';
import { catalogueOf } from '../catalogue/catalogue.settings.js';

/**
 * Illustrative standards for the parameters the seeds leave open, so the demo county can run its
 * catalogue at once. They are marked as demo values in each parameter's history; a real
 * deployment sets its own in the console.
 */
export const DEMO_PARAMETER_VALUES: Record<string, Record<string, number | string>> = {
  nanxun: {
    nx_service_subsidy: 200,
    nx_nursing_moderate: 100,
    nx_nursing_severe: 200,
    nx_disability_living: 80,
    nx_disability_nursing: 100,
    nx_insurer_basic: '示例财产保险公司甲',
    nx_insurer_80: '示例人寿保险公司乙',
    nx_insurer_hardship: '示例财产保险公司甲',
  },
  daye: {
    dy_high_age_80: 50,
    dy_high_age_90: 100,
    dy_high_age_100: 300,
    dy_dibao_standard_urban: 700,
    dy_dibao_standard_rural: 550,
    dy_insurer_accident: '示例财产保险公司甲',
  },
};

/** Sets the demo standards of the scope's jurisdiction and runs last month and this month, so change lists and rolls exist. */
export async function seedDemoEntitlements(ctx: AppContext, scope: Scope, log: (s: string) => void = () => {}): Promise<void> {
  const j = catalogueOf(ctx, scope.regionCode);
  if (!j) return;
  const first = ctx.catalogues.versions(j)[0]!;
  for (const [name, value] of Object.entries(DEMO_PARAMETER_VALUES[j] ?? {})) {
    if (!first.parameters.has(name)) continue;
    await setParameter(ctx, scope, { jurisdiction: j, name, from: first.effective, value, note: '演示示例值（非当地实际标准）' });
  }
  const thisMonth = today().slice(0, 7);
  for (const period of [previousPeriod(thisMonth), thisMonth]) {
    if (period > nextPeriod(thisMonth)) continue;
    const t = Date.now();
    const { run, done } = await startRun(ctx, scope, period, ctx.regions.jurisdictionOf(scope.regionCode)?.code);
    await done;
    log(`  entitlement run ${period} (${j}): ${run.persons_total} persons in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
}
