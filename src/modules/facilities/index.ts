import { defineModule } from '../../platform/module.js';
import './facilities.settings.js';
import './facilities.tables.js';
import { facilitiesRoutes } from './facilities.routes.js';
import { registerFacilityReach } from './reach.js';
import * as m001 from './migrations/001-facilities.js';

const OFFICERS = ['bureau_admin', 'town_officer'] as const;

/**
 * Facilities and beds (R8): every kind of facility with its location, grade, beds by type and who
 * occupies each, the staff roster, the residents' stays (admission, transfer, discharge, death,
 * which pause and resume home-based items), and the checks against the seeds' standards
 * (nursing-bed share, staffing by assessed disablement, grade for government work, social workers);
 * a public map. Public functions for the modules to its right: directory.ts.
 */
export const facilities = defineModule({
  id: 'facilities',
  routes: [facilitiesRoutes],
  tables: ['facilities', 'facility_beds', 'facility_stays', 'facility_staff'],
  migrations: { '001-facilities': m001 },
  // an institution's staff reach the persons living in their facility
  start: registerFacilityReach,
  actions: {
    'facilities.read': {
      roles: [...OFFICERS, 'institution_staff', 'inspector'],
      zh: '查看养老服务设施、床位与检查结果',
      en: 'View facilities, beds and checks',
    },
    'facilities.manage': { roles: [...OFFICERS], zh: '新建和修改养老服务设施', en: 'Create and change facilities' },
    'facilities.operate': { roles: [...OFFICERS, 'institution_staff'], zh: '管理本设施的床位与工作人员', en: 'Manage a facility’s beds and staff' },
    'facilities.residents': {
      roles: [...OFFICERS, 'institution_staff'],
      zh: '办理入住、转床转院、退住与身故登记',
      en: 'Admit, transfer, discharge residents and record deaths',
    },
  },
});
