import { Navigate, useParams } from 'react-router-dom';
import { useAuth } from '../../shared/auth';
import { AssessmentFormPage } from './form';
import { AssessmentReportPage } from './report';

/** /assessments/:id/edit (the form, for whoever may write assessments) and /assessments/:id/report. */
export function AssessmentSubPage() {
  const { id, page } = useParams();
  const { can } = useAuth();
  if (page === 'edit' && can('assessments.write')) return <AssessmentFormPage />;
  if (page === 'report') return <AssessmentReportPage />;
  return <Navigate to={`/assessments/${id}`} replace />;
}
