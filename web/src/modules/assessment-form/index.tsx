import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened (bundle split, issue 14); the service worker
// (sw-plugin.ts) keeps them all once an assessor has opened the form online
const AssessmentFormPage = lazyPage(() => import('./form'), 'AssessmentFormPage');
const AssessmentViewPage = lazyPage(() => import('./view'), 'AssessmentViewPage');
const AssessmentSubPage = lazyPage(() => import('./sub-page'), 'AssessmentSubPage');
const VerifyPage = lazyPage(() => import('./verify'), 'VerifyPage');

/**
 * Capability assessment (GB/T 42195-2022), the assessor's side: the tablet form that works offline,
 * the drafts on the device, a record's view (submit, co-sign, review, correct, conflicts), the
 * printable report, and the public check of a report's code. The lists, due list and coverage are
 * the assessment module's (../assessment), which links here.
 */
export const assessmentForm = defineModule({
  id: 'assessment-form',
  messages: () => import('./messages'),
  routes: [
    // without a person: the landing of a day of visits (the drafts on this device, the people kept for offline)
    { path: 'assessments/new', action: 'assessments.write', element: <AssessmentFormPage /> },
    { path: 'assessments/:id', action: 'assessments.read', element: <AssessmentViewPage /> },
    // /assessments/:id/edit (the form, assessments.write) and /assessments/:id/report: one route, so
    // that each page extends the list's path (modules.test.ts)
    { path: 'assessments/:id/:page', action: 'assessments.read', element: <AssessmentSubPage /> },
  ],
  publicRoutes: [{ path: '/verify', element: <VerifyPage /> }],
  nav: [{ path: '/assessments/new', label: 'af.menu', action: 'assessments.write' }],
});
