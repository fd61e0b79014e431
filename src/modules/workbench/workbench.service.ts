import { assignedDueCount, dueFigures, regionCoverage, toCosignCount, toReviewCount } from '../assessment/workbench.queries.js';
import { jurisdictionsFor } from '../catalogue/jurisdictions.js';
import {
  allowanceTotalsByMonth,
  latestFinishedRun,
  pausedPersonCount,
  recentRuns,
  rollCountsByStatus,
  unhandledChangeCounts,
} from '../entitlements/workbench.queries.js';
import { failedPaymentCount } from '../payments/workbench.queries.js';
import { AGE_BANDS, activeByRegionAndAgeBand, failedImportCount, openConflictCount, recentImports, type AgeBand } from '../register/workbench.queries.js';
import { findDepartment } from '../register/sources/departments.js';
import { timebankSettingsOf } from '../timebank/timebank.settings.js';
import { timebankCounts } from '../timebank/workbench.queries.js';
import { visitsWorkbench } from '../visits/workbench.queries.js';
// issue 18 (alarms-reports)
import { hotlineCard } from '../alarms/reports.js';
// end alarms-reports
import type { AppContext } from '../../platform/context.js';
import { can, type Action } from '../../platform/policy.js';
import type { Scope } from '../../platform/scope.js';
import { previousPeriod, today } from '../../platform/time.js';
import type { WorkbenchReply } from './workbench.schema.js';

/** How far back a failed import still counts as work (days). */
const FAILED_IMPORT_DAYS = 30;
/** How many months of allowance totals the chart shows. */
const ALLOWANCE_MONTHS = 12;

const may = (scope: Scope, a: Action) => scope.role === 'system' || (scope.role !== 'anonymous' && can(scope.role, a));

/**
 * The viewer's workbench: what waits for them (each count only where their role may do the work,
 * over their region), what happened lately, and their region's figures. Counts only — no person
 * is named — so it is not an audited read of personal data.
 */
export async function workbench(ctx: AppContext, scope: Scope, on: string = today()): Promise<WorkbenchReply> {
  const db = ctx.db;
  // the jurisdictions whose runs reach the viewer's people: their county's, and a city's that pays items of its own
  const jurisdictions = jurisdictionsFor(ctx, scope).map((j) => j.code);
  const todos: WorkbenchReply['todos'] = [];

  const readsRolls = may(scope, 'rolls.read');
  const rollCounts = readsRolls ? await rollCountsByStatus(db, scope) : {};
  if (may(scope, 'rolls.prepare')) todos.push({ key: 'rollsToSubmit', count: (rollCounts.draft ?? 0) + (rollCounts.returned ?? 0), runId: null });
  if (may(scope, 'rolls.approve')) todos.push({ key: 'rollsToApprove', count: rollCounts.submitted ?? 0, runId: null });
  if (may(scope, 'entitlements.handle_change')) {
    // each jurisdiction's latest change list; the to-do opens the run when one list holds them all
    const open = { changes: 0, verify: 0 };
    const withOpen: number[] = [];
    let only: number | null = null;
    for (const code of jurisdictions) {
      const run = await latestFinishedRun(db, code);
      if (!run) continue;
      only ??= run.id;
      const n = await unhandledChangeCounts(db, scope, run.id);
      open.changes += n.changes;
      open.verify += n.verify;
      if (n.changes + n.verify > 0) withOpen.push(run.id);
    }
    const runId = withOpen.length === 1 ? withOpen[0]! : withOpen.length === 0 ? only : null;
    todos.push({ key: 'changes', count: open.changes, runId }, { key: 'verify', count: open.verify, runId });
  }
  // eligible but not paid this month (no account, paused by an officer, held back by the town)
  if (readsRolls) todos.push({ key: 'paused', count: await pausedPersonCount(db, scope), runId: null });
  if (may(scope, 'payments.read')) todos.push({ key: 'failedPayments', count: await failedPaymentCount(db, scope), runId: null });
  if (may(scope, 'register.resolve_conflict')) todos.push({ key: 'conflicts', count: await openConflictCount(db, scope), runId: null });
  if (may(scope, 'register.import')) {
    const since = new Date(Date.now() - FAILED_IMPORT_DAYS * 86_400_000).toISOString();
    todos.push({ key: 'failedImports', count: await failedImportCount(db, scope, since), runId: null });
  }

  const activity: WorkbenchReply['activity'] = [];
  if (may(scope, 'entitlements.read'))
    for (const code of jurisdictions)
      for (const r of await recentRuns(db, code, 5))
        activity.push({ kind: 'run', id: r.id, at: r.finished_at ?? r.started_at, period: r.period, status: r.status });
  if (may(scope, 'register.import'))
    for (const i of await recentImports(db, scope, 5))
      activity.push({
        kind: 'import',
        id: i.id,
        at: i.finished_at ?? i.started_at,
        source: i.source,
        sourceLabel: findDepartment(i.source)?.label ?? i.source,
        sourceLabelEn: findDepartment(i.source)?.labelEn ?? i.source,
        status: i.status,
        created: i.created,
        updated: i.updated,
      });
  activity.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));

  return {
    on,
    todos,
    activity: activity.slice(0, 8),
    // the region's figures, not for an organisation's staff: they read the register only for the persons they serve
    population: may(scope, 'register.read') && scope.organisationId === null ? await population(ctx, scope, on) : null,
    allowance: readsRolls ? await allowanceTotalsByMonth(db, scope, monthsBefore(on.slice(0, 7), ALLOWANCE_MONTHS - 1)) : null,
    rolls: readsRolls ? Object.entries(rollCounts).map(([status, n]) => ({ status: status as keyof typeof rollCounts, n })) : null,
    assessment: may(scope, 'assessments.read') ? await assessment(ctx, scope, on) : null,
    visits: may(scope, 'visits.read') ? await visitsWorkbench(ctx, db, scope, on) : null,
    timebank: may(scope, 'timebank.read') ? await timebankCounts(db, scope, timebankSettingsOf(ctx, scope.regionCode)) : null,
    // issue 18 (alarms-reports): the hotline's queue and this month's acknowledgement share (alarms' public function)
    alarms: may(scope, 'alarms.read') ? await hotlineCard(ctx, scope) : null,
    // end alarms-reports
  };
}

async function assessment(ctx: AppContext, scope: Scope, on: string): Promise<NonNullable<WorkbenchReply['assessment']>> {
  const db = ctx.db;
  const cov = await regionCoverage(ctx, db, scope, on);
  const due = await dueFigures(ctx, db, scope);
  return {
    on,
    olderAge: cov?.olderAge ?? 80,
    target: cov?.target ?? 1,
    coverage: cov?.region ?? { code: scope.regionCode, name: '', older: 0, covered: 0, rate: null },
    byRegion: cov?.children ?? [],
    ...due,
    toReview: may(scope, 'assessments.review') ? await toReviewCount(db, scope) : null,
    assignedToMe: scope.role === 'assessor' ? await assignedDueCount(ctx, db, scope) : null,
    toCosign: scope.role === 'assessor' ? await toCosignCount(db, scope) : null,
  };
}

function monthsBefore(period: string, n: number): string {
  let p = period;
  for (let i = 0; i < n; i++) p = previousPeriod(p);
  return p;
}

async function population(ctx: AppContext, scope: Scope, on: string): Promise<NonNullable<WorkbenchReply['population']>> {
  const rows = await activeByRegionAndAgeBand(ctx.db, scope, on);
  const zero = () => new Map<AgeBand, number>(AGE_BANDS.map((b) => [b.band, 0]));
  const byBand = zero();
  const towns = new Map<string, Map<AgeBand, number>>();
  for (const r of rows) {
    byBand.set(r.band, byBand.get(r.band)! + r.n);
    // a person registered on a town's own code (no village) counts for that town
    const town = ctx.regions.town(r.regionCode)?.code ?? r.regionCode;
    const bands = towns.get(town) ?? zero();
    bands.set(r.band, bands.get(r.band)! + r.n);
    towns.set(town, bands);
  }
  const list = (m: Map<AgeBand, number>) => [...m].map(([band, n]) => ({ band, n }));
  const sum = (m: Map<AgeBand, number>) => [...m.values()].reduce((a, n) => a + n, 0);
  return {
    total: sum(byBand),
    over80: (['80-89', '90-99', '100+'] as const).reduce((a, b) => a + byBand.get(b)!, 0),
    byBand: list(byBand),
    byTown: [...towns]
      .map(([code, bands]) => ({ code, name: ctx.regions.get(code)?.name ?? code, total: sum(bands), bands: list(bands) }))
      .sort((a, b) => a.code.localeCompare(b.code)),
  };
}
