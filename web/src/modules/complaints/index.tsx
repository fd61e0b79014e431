import { lazyPage } from '../shell/lazy-page';
import { defineModule } from '../types';

// each page its own chunk, fetched when first opened
const InboxPage = lazyPage(() => import('./inbox'), 'InboxPage');
const DetailPage = lazyPage(() => import('./detail'), 'ComplaintDetailPage');
const SurveysPage = lazyPage(() => import('./surveys'), 'SurveysPage');
const PublicFormPage = lazyPage(() => import('./public-form'), 'PublicComplaintPage');
const PublicTrackPage = lazyPage(() => import('./public-track'), 'PublicTrackPage');

/**
 * 投诉举报 (issue 19, R9): the public complaint form and tracking page (no login, for a phone), the
 * officer's inbox with each complaint's timeline and steps, and the monthly satisfaction survey calls.
 */
export const complaints = defineModule({
  id: 'complaints',
  messages: () => import('./messages'),
  routes: [
    { path: 'complaints', action: 'complaints.read', element: <InboxPage /> },
    { path: 'complaints/surveys', action: 'complaints.survey', element: <SurveysPage /> },
    { path: 'complaints/:id', action: 'complaints.read', element: <DetailPage /> },
  ],
  publicRoutes: [
    { path: '/complaint', element: <PublicFormPage /> },
    { path: '/complaint/track', element: <PublicTrackPage /> },
  ],
  nav: [
    { path: '/complaints', label: 'menu.complaints', action: 'complaints.read' },
    { path: '/complaints/surveys', label: 'menu.complaintSurveys', action: 'complaints.survey' },
  ],
});
