import { defineModule } from '../types';
import { lazyPage } from '../shell/lazy-page';

// each page its own chunk, fetched when first opened
const AssessmentsPage = lazyPage(() => import('./list'), 'AssessmentsPage');
const DuePage = lazyPage(() => import('./due'), 'DuePage');
const CoveragePage = lazyPage(() => import('./coverage'), 'CoveragePage');
const QualityPage = lazyPage(() => import('./quality'), 'QualityPage');

/**
 * Capability assessment (GB/T 42195-2022), the lists: the assessments by work queue, who is due
 * (with assignment to assessors), 80+ coverage and quality draws. The form, the view, the report and
 * the public check are the assessment-form module's pages, linked from here.
 */
export const assessment = defineModule({
  id: 'assessment',
  messages: () => import('./messages'),
  routes: [
    { path: 'assessments', action: 'assessments.read', element: <AssessmentsPage /> },
    { path: 'assessments/due', action: 'assessments.read', element: <DuePage /> },
    { path: 'assessments/coverage', action: 'assessments.read', element: <CoveragePage /> },
    { path: 'assessments/quality', action: 'assessments.read', element: <QualityPage /> },
  ],
  nav: [
    { path: '/assessments', label: 'menu.assessments', action: 'assessments.read' },
    { path: '/assessments/due', label: 'menu.assessmentsDue', action: 'assessments.read' },
    { path: '/assessments/coverage', label: 'menu.assessmentsCoverage', action: 'assessments.read' },
    { path: '/assessments/quality', label: 'menu.assessmentsQuality', action: 'assessments.read' },
  ],
});
