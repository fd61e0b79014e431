import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk; the service worker (assessment-form/sw-plugin.ts) keeps every chunk of
// the build once the phone has opened the console online, so both open with no network
const TodayPage = lazyPage(() => import('./today'), 'TodayPage');
const OrderPage = lazyPage(() => import('./order'), 'OrderPage');

/**
 * Home services on the caregiver's phone (issue 17): today's orders, and one order's check-in,
 * check-out with the elder's confirmation, and rating — working offline (the orders kept on the
 * phone; each step queued and sent once when the network is back).
 */
export const servicesPhone = defineModule({
  id: 'services-phone',
  messages: () => import('./messages'),
  routes: [
    { path: 'm/services', action: 'services.visit', element: <TodayPage /> },
    { path: 'm/services/:orderId', action: 'services.visit', element: <OrderPage /> },
  ],
  nav: [{ path: '/m/services', label: 'sp.menu', action: 'services.visit' }],
});
