import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import type {
  AnswerBody,
  AssignBody,
  ClassifyBody,
  CloseBody,
  ComplaintDetail,
  ComplaintsReply,
  ContactReply,
  DrawReply,
  FileBody,
  FileReply,
  PublicTargetsReply,
  ResultsReply,
  SurveysReply,
  TrackReply,
} from '../../../../src/modules/complaints/complaints.schema';

export type { ComplaintDetail, ComplaintItem, ComplaintStep, SurveyCall, TrackReply } from '../../../../src/modules/complaints/complaints.schema';
export { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from '../../../../src/modules/complaints/complaints.schema';

/** Every query of the module starts with 'complaints', so a change refreshes all it may have touched. */
export const keys = {
  all: ['complaints'] as const,
  list: ['complaints', 'list'] as const,
  one: (id: number) => ['complaints', 'one', id] as const,
  surveys: ['complaints', 'surveys'] as const,
  results: (from: string, to: string) => ['complaints', 'results', from, to] as const,
  targets: ['complaints', 'public-targets'] as const,
};

export interface InboxFilter {
  status?: string;
  open?: string;
  overdue?: string;
  category?: string;
  targetKind?: string;
}

export const fetchComplaints = (f: InboxFilter, page: number, pageSize: number) => get<ComplaintsReply>(`/api/complaints${qs({ ...f, page, pageSize })}`);

export function useComplaint(id: number) {
  return useQuery({ queryKey: keys.one(id), queryFn: () => get<ComplaintDetail>(`/api/complaints/${id}`) });
}

type StepBody =
  | { step: 'assign'; body: AssignBody }
  | { step: 'investigate'; body: { note?: string } }
  | { step: 'notes'; body: { note: string } }
  | { step: 'classify'; body: ClassifyBody }
  | { step: 'reply'; body: { reply: string } }
  | { step: 'close'; body: CloseBody };

/** One handling step; the answer is the complaint as it now stands. */
export function useStep(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (s: StepBody) => post<ComplaintDetail>(`/api/complaints/${id}/${s.step}`, s.body),
    onSuccess: (d) => {
      qc.setQueryData(keys.one(id), d);
      void qc.invalidateQueries({ queryKey: keys.list });
    },
  });
}

export function useRevealContact(id: number) {
  return useMutation({ mutationFn: () => post<ContactReply>(`/api/complaints/${id}/contact`) });
}

// ---- public ----

export function usePublicTargets() {
  return useQuery({ queryKey: keys.targets, queryFn: () => get<PublicTargetsReply>('/api/complaints/public/targets'), staleTime: 10 * 60_000 });
}
export function useFile() {
  return useMutation({ mutationFn: (b: FileBody) => post<FileReply>('/api/complaints/public', b) });
}
export function useTrack() {
  return useMutation({ mutationFn: (trackingNumber: string) => post<TrackReply>('/api/complaints/public/track', { trackingNumber }) });
}

// ---- surveys ----

export const fetchSurveys = (f: { period?: string; status?: string; flagged?: string }, page: number, pageSize: number) =>
  get<SurveysReply>(`/api/complaints/surveys${qs({ ...f, page, pageSize })}`);

export function useDraw() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (period: string) => post<DrawReply>('/api/complaints/surveys/draw', { period }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.surveys }),
  });
}
export function useAnswer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: AnswerBody }) =>
      post<{ id: number; complaintId: number | null }>(`/api/complaints/surveys/${id}/answer`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.all }),
  });
}
export function useResults(from: string, to: string) {
  return useQuery({ queryKey: keys.results(from, to), queryFn: () => get<ResultsReply>(`/api/complaints/surveys/results${qs({ from, to })}`) });
}
