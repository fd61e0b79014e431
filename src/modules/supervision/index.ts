import { defineModule } from '../../platform/module.js';
import { supervisionRoutes } from './supervision.routes.js';
import './supervision.settings.js';
import './supervision.tables.js';
import * as m001 from './migrations/001-supervision.js';

/**
 * Supervision (监管, R9; 000 §17, 001 §25–§28, 004 §15): 双随机一公开 rounds drawn reproducibly
 * (commit-reveal with a drand value, src/lib/draw.ts, docs/supervision-draw.md), inspections with
 * checklists and published results, credit ratings with a published formula, and differentiated
 * supervision (a round draws more of the lower grades).
 */
export const supervision = defineModule({
  id: 'supervision',
  routes: [supervisionRoutes],
  tables: ['supervision_conflicts', 'supervision_rounds', 'supervision_inspections', 'supervision_inspectors', 'supervision_items', 'supervision_ratings'],
  migrations: { '001-supervision': m001 },
  actions: {
    'supervision.read': {
      roles: ['bureau_admin', 'town_officer', 'inspector'],
      zh: '查看抽查轮次、检查与信用评价',
      en: 'View inspection rounds, inspections and ratings',
    },
    'supervision.manage': {
      roles: ['bureau_admin'],
      zh: '管理监管（公告与抽取、回避关系、签发检查、计算信用评价）',
      en: 'Manage supervision (announce and draw, declared links, sign-off, ratings)',
    },
    'supervision.inspect': { roles: ['inspector'], zh: '填写检查记录', en: 'Record inspections' },
  },
});
