import { defineModule } from '../../platform/module.js';
import { admissionRoutes } from './admission.routes.js';
import { registerAdmissionHolds } from './applications.js';
import './admission.settings.js';
import './admission.tables.js';
import './daily.js';
import * as m001 from './migrations/001-admission.js';

/**
 * The public-institution admission queue (轮候, R8): applications to public and publicly built
 * institutions (facilities' directory), ranked per facility and bed type by the jurisdiction's
 * priority tiers in the shared rule language (admission.settings.ts, ranking.ts), recomputed on
 * every arrival and departure and daily, each change of place kept with its reason; beds offered
 * to the first waiting applicant and admitted through facilities' admitResident; a public
 * tracking page by the receipt's code.
 */
export const admission = defineModule({
  id: 'admission',
  routes: [admissionRoutes],
  start: registerAdmissionHolds,
  tables: ['admission_applications', 'admission_position_changes', 'admission_offers'],
  migrations: { '001-admission': m001 },
  actions: {
    'admission.read': {
      roles: ['bureau_admin', 'town_officer', 'institution_staff', 'inspector'],
      zh: '查看公办养老机构轮候',
      en: 'View public institution queues',
    },
    'admission.apply': { roles: ['bureau_admin', 'town_officer'], zh: '受理与撤回入住申请', en: 'Take and withdraw admission applications' },
    'admission.offer': { roles: ['bureau_admin', 'institution_staff'], zh: '提供床位并记录接受或放弃', en: 'Offer beds and record the answer' },
    'admission.refresh': { roles: ['bureau_admin', 'town_officer'], zh: '按规则重新排序轮候', en: 'Recompute the queues by rule' },
  },
});
