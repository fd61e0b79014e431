import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

const DevicesPage = lazyPage(() => import('./devices'), 'DevicesPage');
const VendorsPage = lazyPage(() => import('./vendors'), 'VendorsPage');

/** Skeleton of the alarm-devices console module (issue 18). */
export const alarmDevices = defineModule({
  id: 'alarm-devices',
  messages: () => import('./messages'),
  routes: [
    { path: 'alarms/devices', action: 'alarms.read', element: <DevicesPage /> },
    { path: 'alarms/vendors', action: 'alarms.vendors', element: <VendorsPage /> },
  ],
  nav: [
    { path: '/alarms/devices', label: 'menu.adDevices', action: 'alarms.read' },
    { path: '/alarms/vendors', label: 'menu.adVendors', action: 'alarms.vendors' },
  ],
});
