import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk; the service worker (assessment-form/sw-plugin.ts) keeps every chunk of
// the build once the phone has opened the console online, so both open with no network
const TodayPage = lazyPage(() => import('./today'), 'TodayPage');
const RecordVisitPage = lazyPage(() => import('./record'), 'RecordVisitPage');

/**
 * Visits on the grid worker's phone (issue 16): today's list with the monthly rate, and recording a
 * visit — both working offline (today's list, the people's essentials and the checklist kept on the
 * phone; visits queued in an outbox and sent once when the network is back).
 */
export const visitsPhone = defineModule({
  id: 'visits-phone',
  messages: () => import('./messages'),
  routes: [
    { path: 'm/visits', action: 'visits.record', element: <TodayPage /> },
    { path: 'm/visits/:personId', action: 'visits.record', element: <RecordVisitPage /> },
  ],
  nav: [{ path: '/m/visits', label: 'vp.menu', action: 'visits.record' }],
});
