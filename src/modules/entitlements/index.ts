import { defineModule } from '../../platform/module.js';
import { guardParameterChanges } from '../catalogue/parameter-guards.js';
import { registerRunSink } from './decision-sinks.js';
import { entitlementRoutes } from './entitlements.routes.js';
import { pauseRoutes } from './pauses.routes.js';
import { exportRoutes } from './exports.routes.js';
import * as m003 from './migrations/003-entitlements.js';
import * as m004 from './migrations/004-run-claims.js';
import * as m005 from './migrations/005-trust-rolls.js';
import * as m011 from './migrations/011-verify.js';
import * as m013 from './migrations/013-decision-items.js';
import * as runsOnJobs from './migrations/001-runs-on-jobs.js';
import * as differenceRolls from './migrations/002-difference-rolls.js';
import * as paymentPauses from './migrations/003-payment-pauses.js';
import * as runRegion from './migrations/014-run-region.js';
import * as partitionByRun from './migrations/015-partition-by-run.js';
import { movePartitionlessRuns } from './partitions.js';
import { notIntoPaidMonth } from './paid-months.js';
import { rollsSink } from './rolls.sink.js';
import { differencesSink } from './differences.sink.js';

/** Entitlement runs (免申即享, R3), their change lists and the payment rolls. */
export const entitlements = defineModule({
  id: 'entitlements',
  routes: [entitlementRoutes, pauseRoutes, exportRoutes],
  tables: [
    'entitlement_runs',
    'decisions',
    'decision_items',
    'decision_changes',
    'payment_rolls',
    'roll_lines',
    'roll_rerun_changes',
    'difference_months',
    'payment_pauses',
  ],
  recordedMigrations: { '003-entitlements': m003, '004-run-claims': m004, '005-trust-rolls': m005, '011-verify': m011, '013-decision-items': m013 },
  migrations: {
    '001-runs-on-jobs': runsOnJobs,
    '002-difference-rolls': differenceRolls,
    '003-payment-pauses': paymentPauses,
    '014-run-region': runRegion,
    '015-partition-by-run': partitionByRun,
  },
  actions: {
    'entitlements.read': {
      roles: ['bureau_admin', 'town_officer', 'grid_worker', 'hotline_operator', 'hotline_supervisor'],
      zh: '查看待遇与测算',
      en: 'View entitlements and runs',
    },
    'entitlements.run': { roles: ['bureau_admin'], zh: '开始测算', en: 'Start runs' },
    // grid workers follow up the change lists of their villages (newly eligible, no longer eligible)
    'entitlements.handle_change': { roles: ['bureau_admin', 'town_officer', 'grid_worker'], zh: '跟进变动', en: 'Follow up changes' },
    'rolls.read': { roles: ['bureau_admin', 'town_officer'], zh: '查看发放名册', en: 'View payment rolls' },
    // a town prepares its own payment rolls (maker); the bureau checks and approves them (checker)
    'rolls.prepare': { roles: ['bureau_admin', 'town_officer'], zh: '编制发放名册', en: 'Prepare payment rolls' },
    'rolls.approve': { roles: ['bureau_admin'], zh: '审核发放名册', en: 'Approve payment rolls' },
    // a town or the bureau pauses a person's payments (abroad, missing, under verification…) and lifts it
    'rolls.pause': { roles: ['bureau_admin', 'town_officer'], zh: '暂停或恢复发放', en: 'Pause or resume payments' },
  },
  start: async (db) => {
    // the difference rolls first: the regular rolls' end carries over and supersedes the month's earlier rolls, these included
    registerRunSink('differences', differencesSink);
    registerRunSink('payment_rolls', rollsSink);
    guardParameterChanges('payment_rolls', notIntoPaidMonth);
    // PostgreSQL: runs whose rows went to the DEFAULT partitions get their own (partitions.ts)
    await movePartitionlessRuns(db);
  },
});
