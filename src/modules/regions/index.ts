import { defineModule } from '../../platform/module.js';
import { regionRoutes } from './regions.routes.js';

/** The region tree (county → town → village); its table is part of the foundation migration. */
export const regions = defineModule({
  id: 'regions',
  routes: [regionRoutes],
  tables: ['regions'],
  actions: {
    'regions.read': {
      roles: [
        'bureau_admin',
        'town_officer',
        'grid_worker',
        'assessor',
        'provider',
        'caregiver',
        'institution_staff',
        'hotline_operator',
        'hotline_supervisor',
        'inspector',
        'village_head',
        'volunteer',
      ],
      zh: '查看行政区划',
      en: 'View regions',
    },
  },
});
