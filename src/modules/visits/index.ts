import { defineModule } from '../../platform/module.js';
import './daily.js';
import { planRoutes } from './plans.routes.js';
import { registerFollowupClosure } from './closure.js';
import { registerVisitorReach } from './reach.js';
import { registerVisitVoidSink } from './voided.js';
import { recordRoutes } from './record.routes.js';
import './visits.settings.js';
import './visits.tables.js';
import * as m001 from './migrations/001-visits.js';
import * as m002 from './migrations/002-dues-indexes.js';
import * as m003 from './migrations/003-followup-ticket.js';
import { workRoutes } from './work.routes.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * Visits to special-difficulty elders (探访关爱, R5): plans by rule over person facts (jurisdiction
 * settings in the shared rule language), refreshed by a job; visit dues with windows; assignment
 * to grid workers and volunteers with history; the phone's visits (verified events, ../care-events);
 * follow-ups; overdue lists and escalation; the monthly visit rate (one formula, rate.ts).
 */
export const visits = defineModule({
  id: 'visits',
  routes: [planRoutes, workRoutes, recordRoutes],
  tables: ['visit_plan_members', 'visit_dues', 'visit_assignments', 'visit_followups', 'visit_escalations'],
  migrations: { '001-visits': m001, '002-dues-indexes': m002, '003-followup-ticket': m003 },
  // a volunteer's reach: the persons assigned to them (reach.ts); a voided visit reopens its due
  // (voided.ts); a follow-up closes with what it asked for (closure.ts)
  start: () => {
    registerVisitorReach();
    registerVisitVoidSink();
    registerFollowupClosure();
  },
  actions: {
    'visits.read': {
      roles: [...OFFICERS, 'village_head', 'grid_worker', 'volunteer', 'hotline_operator', 'hotline_supervisor', 'inspector'],
      zh: '查看探访计划与探访记录',
      en: 'View visit plans and visits',
    },
    'visits.record': { roles: ['grid_worker', 'volunteer', 'village_head'], zh: '记录探访', en: 'Record visits' },
    'visits.assign': { roles: [...OFFICERS, 'village_head'], zh: '分派探访人员', en: 'Assign visitors' },
    'visits.refresh': { roles: [...OFFICERS], zh: '按规则更新探访计划', en: 'Refresh visit plans by rule' },
    'visits.followup_raise': {
      roles: [...OFFICERS, 'village_head', 'grid_worker', 'volunteer'],
      zh: '提出跟进事项（上门服务、热线工单、补贴复核、重新评估）',
      en: 'Raise follow-ups (home service, hotline ticket, subsidy review, reassessment)',
    },
    'visits.followup_handle': {
      roles: [...OFFICERS, 'village_head', 'hotline_operator', 'hotline_supervisor'],
      zh: '办理跟进事项与逾期升级',
      en: 'Handle follow-ups and escalations',
    },
  },
});
