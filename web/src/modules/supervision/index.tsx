import { Navigate } from 'react-router-dom';
import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const RoundsPage = lazyPage(() => import('./rounds'), 'RoundsPage');
const RoundPage = lazyPage(() => import('./rounds'), 'RoundPage');
const InspectionsPage = lazyPage(() => import('./inspections'), 'InspectionsPage');
const RatingsPage = lazyPage(() => import('./ratings'), 'RatingsPage');
const ConflictsPage = lazyPage(() => import('./ratings'), 'ConflictsPage');
const PublicSupervisionPage = lazyPage(() => import('./public'), 'PublicSupervisionPage');
const PublicRoundPage = lazyPage(() => import('./public'), 'PublicRoundPage');

/**
 * 监管 (issue 19): 双随机 rounds (announce, draw, re-run), inspections with their checklist form,
 * credit ratings with their explanation, inspectors' declared links; public pages: the rounds with
 * the re-run button, the published results, the rating formula.
 */
export const supervision = defineModule({
  id: 'supervision',
  messages: () => import('./messages'),
  routes: [
    { path: 'supervision', action: 'supervision.read', element: <RoundsPage /> },
    // the round's parent address leads to the list
    { path: 'supervision/rounds', action: 'supervision.read', element: <Navigate to="/supervision" replace /> },
    { path: 'supervision/rounds/:id', action: 'supervision.read', element: <RoundPage /> },
    { path: 'supervision/inspections', action: 'supervision.read', element: <InspectionsPage /> },
    { path: 'supervision/ratings', action: 'supervision.read', element: <RatingsPage /> },
    { path: 'supervision/conflicts', action: 'supervision.manage', element: <ConflictsPage /> },
  ],
  publicRoutes: [
    { path: '/public/supervision', element: <PublicSupervisionPage /> },
    { path: '/public/supervision/rounds/:id', element: <PublicRoundPage /> },
  ],
  nav: [
    { path: '/supervision', label: 'menu.svRounds', action: 'supervision.read' },
    { path: '/supervision/inspections', label: 'menu.svInspections', action: 'supervision.read' },
    { path: '/supervision/ratings', label: 'menu.svRatings', action: 'supervision.read' },
    { path: '/supervision/conflicts', label: 'menu.svConflicts', action: 'supervision.manage' },
  ],
});
