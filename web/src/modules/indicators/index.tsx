import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const DashboardPage = lazyPage(() => import('./dashboard'), 'IndicatorsPage');
const DetailPage = lazyPage(() => import('./detail'), 'IndicatorDetailPage');
const ReportPage = lazyPage(() => import('./report'), 'IndicatorReportPage');

/**
 * 养老服务指标 (issue 20, R11): every indicator per region and month against its target, with charts,
 * a region map and drill-down to the people or facilities behind a figure; the printable quarterly
 * report in seed 001's table layout.
 */
export const indicators = defineModule({
  id: 'indicators',
  messages: () => import('./messages'),
  routes: [
    { path: 'indicators', action: 'indicators.read', element: <DashboardPage /> },
    { path: 'indicators/report', action: 'indicators.read', element: <ReportPage /> },
    { path: 'indicators/:key', action: 'indicators.read', element: <DetailPage /> },
  ],
  nav: [
    { path: '/indicators', label: 'menu.indicators', action: 'indicators.read' },
    { path: '/indicators/report', label: 'menu.indicatorsReport', action: 'indicators.read' },
  ],
});
