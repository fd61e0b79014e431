import { defineModule } from '../../platform/module.js';
import { careEventRoutes } from './care-events.routes.js';
import './care-events.tables.js';
import * as m001 from './migrations/001-care-events.js';
import * as m002 from './migrations/002-indicator-indexes.js';
import * as m003 from './migrations/003-partition-by-month.js';
import { ensureCareEventPartitions } from './partitions.js';

const OFFICERS = ['bureau_admin', 'town_officer', 'village_head'] as const;

/**
 * The verified-event record (ARCHITECTURE.md): someone did something for someone, somewhere, at
 * some time, with evidence. Visits create them today (../visits); home services, meals, volunteer
 * hours (../timebank reads their confirmation) and alarm responses reuse them through this module's
 * public functions (care-events.service.ts), never its tables.
 */
export const careEvents = defineModule({
  id: 'care-events',
  routes: [careEventRoutes],
  tables: ['care_events', 'care_event_evidence'],
  migrations: { '001-care-events': m001, '002-indicator-indexes': m002, '003-partition-by-month': m003 },
  // PostgreSQL: this month's and the next two months' partitions of care_events (partitions.ts)
  start: (db) => ensureCareEventPartitions(db),
  actions: {
    'care_events.read': {
      roles: [...OFFICERS, 'grid_worker', 'volunteer', 'hotline_operator', 'hotline_supervisor', 'inspector'],
      zh: '查看服务记录（探访、服务、志愿时长）',
      en: 'View verified events (visits, services, volunteer hours)',
    },
    'care_events.confirm': {
      roles: [...OFFICERS, 'grid_worker', 'volunteer'],
      zh: '确认服务记录（本人、代理人或工作人员确认）',
      en: 'Confirm a verified event (by the person, a proxy or an officer)',
    },
    'care_events.void': { roles: ['bureau_admin', 'town_officer'], zh: '作废服务记录', en: 'Void a verified event' },
  },
});
