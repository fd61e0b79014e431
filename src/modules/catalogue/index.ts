import { defineModule } from '../../platform/module.js';
import { catalogueRoutes } from './catalogue.routes.js';

/**
 * The catalogue as rules (R2): catalogue files, dated parameters, the facts rules read. Its tables
 * (parameter_values, catalogue_versions) are part of the foundation migration.
 */
export const catalogue = defineModule({
  id: 'catalogue',
  routes: [catalogueRoutes],
  tables: ['catalogue_versions', 'parameter_values'],
  actions: {
    'catalogue.read': {
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
      zh: '查看服务清单',
      en: 'View catalogue',
    },
    'catalogue.set_parameter': { roles: ['bureau_admin'], zh: '调整参数', en: 'Set parameters' },
  },
});
