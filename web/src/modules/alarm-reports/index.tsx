import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

const ReportsPage = lazyPage(() => import('./reports'), 'ReportsPage');

/** Skeleton of the alarm-reports console module (issue 18). */
export const alarmReports = defineModule({
  id: 'alarm-reports',
  messages: () => import('./messages'),
  routes: [{ path: 'alarms/reports', action: 'alarms.reports', element: <ReportsPage /> }],
  nav: [{ path: '/alarms/reports', label: 'menu.arReports', action: 'alarms.reports' }],
});
