import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

const ConsolePage = lazyPage(() => import('./console'), 'ConsolePage');
const SupervisorPage = lazyPage(() => import('./supervisor'), 'SupervisorPage');

/** Skeleton of the alarms console module (issue 18). */
export const alarms = defineModule({
  id: 'alarms',
  messages: () => import('./messages'),
  routes: [
    { path: 'alarms', action: 'alarms.read', element: <ConsolePage /> },
    { path: 'alarms/supervisor', action: 'alarms.supervise', element: <SupervisorPage /> },
  ],
  nav: [
    { path: '/alarms', label: 'menu.alConsole', action: 'alarms.read' },
    { path: '/alarms/supervisor', label: 'menu.alSupervisor', action: 'alarms.supervise' },
  ],
});
