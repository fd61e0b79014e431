import { defineModule } from '../../platform/module.js';
import * as m002 from './migrations/002-register-flags.js';
import * as m006 from './migrations/006-import-progress.js';
import * as m009 from './migrations/009-import-error-params.js';
import * as historyEffective from './migrations/001-history-effective.js';
import * as capabilityLevel from './migrations/002-capability-level.js';
import * as capabilityIndex from './migrations/003-capability-index.js';
import * as indicatorIndexes from './migrations/004-indicator-indexes.js';
import * as capabilityDates from './migrations/010-capability-dates.js';
import * as historyMoves from './migrations/011-history-moves.js';
import * as sourceDigests from './migrations/012-source-digests.js';
import { importRoutes } from './imports/imports.routes.js';
import { registerRoutes } from './register.routes.js';
import { addOwnedColumns } from './sources/owned-columns.js';

/** The register of elders (R1) and its imports from departments' files. */
export const register = defineModule({
  id: 'register',
  routes: [registerRoutes, importRoutes],
  tables: ['persons', 'person_history', 'attribute_conflicts', 'imports', 'import_errors'],
  recordedMigrations: { '002-register-flags': m002, '006-import-progress': m006, '009-import-error-params': m009 },
  migrations: {
    '001-history-effective': historyEffective,
    '002-capability-level': capabilityLevel,
    '003-capability-index': capabilityIndex,
    '004-indicator-indexes': indicatorIndexes,
    '010-capability-dates': capabilityDates,
    '011-history-moves': historyMoves,
    '012-source-digests': sourceDigests,
  },
  actions: {
    'register.read': {
      roles: ['bureau_admin', 'town_officer', 'grid_worker', 'assessor', 'hotline_operator', 'hotline_supervisor', 'village_head', 'provider'],
      zh: '查看名册',
      en: 'View register',
    },
    'register.reveal': {
      roles: ['bureau_admin', 'town_officer', 'grid_worker', 'hotline_operator', 'hotline_supervisor'],
      zh: '显示完整号码',
      en: 'Reveal full numbers',
    },
    'register.import': { roles: ['bureau_admin'], zh: '导入数据', en: 'Import data' },
    'register.resolve_conflict': { roles: ['bureau_admin', 'town_officer'], zh: '处理数据冲突', en: 'Resolve conflicts' },
  },
  // columns that declared person facts own (a fact from a department file is one declaration)
  start: addOwnedColumns,
});
