import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened
const PlansPage = lazyPage(() => import('./plans'), 'PlansPage');
const AssignPage = lazyPage(() => import('./assign'), 'AssignPage');
const OverduePage = lazyPage(() => import('./overdue'), 'OverduePage');
const FollowupsPage = lazyPage(() => import('./followups'), 'FollowupsPage');

/** Roles whose visits work is on the phone (/m/visits) or the hotline queue: the supervisor's lists stay out of their menu. */
const FIELD = ['volunteer', 'hotline_operator', 'hotline_supervisor'] as const;

/**
 * Visits to special-difficulty elders (探访关爱), the desktop pages: the plans with their rules in
 * words and the monthly visit rate, assignment of members to grid workers and volunteers, overdue
 * visits, follow-ups and escalations (the hotline operator's queue). The phone's pages are the
 * visits-phone module's; the profile's 探访 tab and the workbench card are here too.
 */
export const visits = defineModule({
  id: 'visits',
  messages: () => import('./messages'),
  routes: [
    { path: 'visits/plans', action: 'visits.read', element: <PlansPage /> },
    { path: 'visits/assign', action: 'visits.assign', element: <AssignPage /> },
    { path: 'visits/overdue', action: 'visits.read', element: <OverduePage /> },
    { path: 'visits/followups', action: 'visits.read', element: <FollowupsPage /> },
  ],
  nav: [
    { path: '/visits/plans', label: 'menu.visitsPlans', action: 'visits.read', hiddenFor: FIELD },
    { path: '/visits/assign', label: 'menu.visitsAssign', action: 'visits.assign' },
    { path: '/visits/overdue', label: 'menu.visitsOverdue', action: 'visits.read', hiddenFor: FIELD },
    { path: '/visits/followups', label: 'menu.visitsFollowups', action: 'visits.read', hiddenFor: ['volunteer'] },
  ],
});
