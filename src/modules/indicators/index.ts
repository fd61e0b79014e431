import { defineModule } from '../../platform/module.js';
import './daily.js';
import './indicators.tables.js';
import { indicatorsRoutes } from './indicators.routes.js';
import * as m001 from './migrations/001-indicators.js';
import * as m002 from './migrations/002-fact-blocks.js';

/**
 * Indicators (R11, issue 20): the seeds' indicator table computed per region and month from the
 * capabilities' public sources (contract.ts), into a flat analytics table refreshed incrementally,
 * with drill-down to the people or things behind each figure.
 */
export const indicators = defineModule({
  id: 'indicators',
  routes: [indicatorsRoutes],
  tables: ['indicator_fact_blocks', 'indicator_values', 'indicator_refreshes', 'indicator_lock'],
  migrations: { '001-indicators': m001, '002-fact-blocks': m002 },
  actions: {
    // statistics of a region: the bureau, the towns, and a village's head for their village
    'indicators.read': {
      roles: ['bureau_admin', 'town_officer', 'village_head'],
      zh: '查看养老服务指标及其明细',
      en: 'View elderly-care indicators and the people behind them',
    },
    'indicators.refresh': { roles: ['bureau_admin'], zh: '刷新指标计算', en: 'Refresh the indicators' },
  },
});
