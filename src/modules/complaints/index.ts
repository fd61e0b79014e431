import { defineModule } from '../../platform/module.js';
import { complaintsRoutes } from './complaints.routes.js';
import { registerComplaintsSinks } from './intake.js';
import './overdue.js';
import './complaints.settings.js';
import './complaints.tables.js';
import * as m001 from './migrations/001-complaints.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * Complaints and reports (投诉举报, R9) from the public page and the hotline, handled to a deadline
 * with a reply the complainant reads by tracking number; monthly satisfaction surveys of service
 * recipients (004 §15). Supervision's credit ratings read signals.ts.
 */
export const complaints = defineModule({
  id: 'complaints',
  routes: [complaintsRoutes],
  tables: ['complaints', 'complaint_steps', 'survey_draws', 'survey_calls'],
  migrations: { '001-complaints': m001 },
  // a hotline ticket of kind 'complaint' files a complaint in the ticket's transaction
  start: registerComplaintsSinks,
  actions: {
    'complaints.read': {
      roles: [...OFFICERS, 'inspector', 'hotline_supervisor'],
      zh: '查看投诉举报与满意度调查',
      en: 'View complaints and satisfaction surveys',
    },
    'complaints.handle': { roles: [...OFFICERS], zh: '办理投诉举报（交办、调查、答复、办结）', en: 'Handle complaints (assign, investigate, reply, close)' },
    'complaints.survey': {
      roles: [...OFFICERS, 'hotline_operator', 'hotline_supervisor'],
      zh: '满意度回访（抽样、记录回访结果）',
      en: 'Satisfaction survey calls (draw, record answers)',
    },
  },
});
