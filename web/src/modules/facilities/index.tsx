import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const FacilitiesPage = lazyPage(() => import('./list'), 'FacilitiesPage');
const FacilityPage = lazyPage(() => import('./detail'), 'FacilityPage');
const FacilityMapPage = lazyPage(() => import('./map'), 'FacilityMapPage');

/**
 * 养老服务设施 (issue 19, R8): the facilities with their checks, a facility's beds, staff roster and
 * residents; the public facility map (no login).
 */
export const facilities = defineModule({
  id: 'facilities',
  messages: () => import('./messages'),
  routes: [
    { path: 'facilities', action: 'facilities.read', element: <FacilitiesPage /> },
    { path: 'facilities/:id', action: 'facilities.read', element: <FacilityPage /> },
  ],
  publicRoutes: [{ path: '/facility-map', element: <FacilityMapPage /> }],
  nav: [{ path: '/facilities', label: 'menu.facilities', action: 'facilities.read' }],
});
