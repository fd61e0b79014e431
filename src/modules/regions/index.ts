import { defineModule } from '../../platform/module.js';
import { regionRoutes } from './regions.routes.js';
import { shapesRoutes } from './shapes.routes.js';
import './shapes.tables.js';
import * as m001 from './migrations/001-shapes.js';

/**
 * The region tree (county → town → village); its table is part of the foundation migration. The
 * regions' outlines (issue 20: the indicator map) are its own table, a bureau's upload or the demo's.
 */
export const regions = defineModule({
  id: 'regions',
  routes: [regionRoutes, shapesRoutes],
  tables: ['regions', 'region_shapes'],
  migrations: { '001-shapes': m001 },
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
    'regions.shapes': { roles: ['bureau_admin'], zh: '上传行政区划边界（地图）', en: 'Upload region outlines (the map)' },
  },
});
