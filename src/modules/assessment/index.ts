import { defineModule } from '../../platform/module.js';
import './assessment.settings.js';
import './assessment.tables.js';
import { recordRoutes } from './assessments.routes.js';
import { registerAssessorReach } from './reach.js';
import { scheduleRoutes } from './schedule.routes.js';
import * as m001 from './migrations/001-assessments.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * Capability assessment to GB/T 42195-2022 (R4): the instrument and its scorer, assessment records
 * from draft to reviewed, the offline tablet's sync, the schedule and assignments, quality
 * re-assessments and 80+ coverage. The reviewed level is a person fact the catalogue rules read
 * (./facts.ts); the register keeps it on the person's row for the runs (register/capability.ts).
 */
export const assessment = defineModule({
  id: 'assessment',
  routes: [recordRoutes, scheduleRoutes],
  tables: ['assessments', 'assessment_conflicts', 'assessment_assignments', 'assessment_requests', 'assessment_quality_draws', 'assessment_quality_samples'],
  migrations: { '001-assessments': m001 },
  // the assessor's reach: the persons assigned to them (reach.ts)
  start: registerAssessorReach,
  actions: {
    'assessments.read': { roles: [...OFFICERS, 'assessor', 'inspector'], zh: '查看能力评估', en: 'View capability assessments' },
    'assessments.write': { roles: ['assessor'], zh: '开展能力评估（录入、提交、会签）', en: 'Carry out assessments (enter, submit, co-sign)' },
    'assessments.review': { roles: [...OFFICERS], zh: '审核能力评估', en: 'Review capability assessments' },
    'assessments.request': {
      roles: [...OFFICERS, 'grid_worker', 'assessor'],
      zh: '提出评估申请（状况变化、本人申请）',
      en: 'Ask for an assessment (change of condition, on request)',
    },
    'assessments.schedule': { roles: [...OFFICERS], zh: '安排评估（分派、申请、抽检）', en: 'Schedule assessments (assign, request, quality draws)' },
  },
});
