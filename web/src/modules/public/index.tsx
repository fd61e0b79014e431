import { Navigate } from 'react-router-dom';
import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened; none pulls charts (a phone on a slow line)
const PortalPage = lazyPage(() => import('./home'), 'PortalPage');
const CataloguePage = lazyPage(() => import('./catalogue'), 'CataloguePage');
const FacilityPublicPage = lazyPage(() => import('./facility'), 'FacilityPublicPage');
const ApplyPage = lazyPage(() => import('./apply'), 'ApplyPage');

/**
 * 公众服务 (issue 20, R12): the public portal an elder and her daughter use on a phone, no login:
 * big buttons to every public page, the catalogue in plain words, a facility's page, how to apply
 * and whom to call.
 */
export const publicPages = defineModule({
  id: 'public',
  messages: () => import('./messages'),
  publicRoutes: [
    { path: '/public', element: <PortalPage /> },
    { path: '/public/catalogue', element: <CataloguePage /> },
    // the address a facility's page extends: the map lists them
    { path: '/public/facilities', element: <Navigate to="/facility-map" replace /> },
    { path: '/public/facilities/:id', element: <FacilityPublicPage /> },
    { path: '/public/apply', element: <ApplyPage /> },
  ],
});
