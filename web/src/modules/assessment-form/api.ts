import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, type PersonDetail } from '../../shared/api';
import type { AssessmentView, AssessorRow, ConflictsReply, PersonCapabilityReply, VerifyReply } from './types';
import type { Page } from '../../shared/api';
import type { AssessmentSummary } from './types';

/** One assessment whole (the view, the report, the form in edit mode). */
export function useAssessment(id: number | null) {
  return useQuery({ queryKey: ['assessments', id], queryFn: () => get<AssessmentView>(`/api/assessments/${id}`), enabled: id !== null });
}

/** The latest assessment of a person (to pre-fill A.2-A.4): the newest of their list, read whole. */
export async function latestAssessmentOf(personId: number): Promise<AssessmentView | null> {
  const page = await get<Page<AssessmentSummary>>(`/api/assessments${qs({ personId, pageSize: 20 })}`);
  const last = [...page.items].filter((a) => a.status !== 'draft').sort((a, b) => b.referenceDate.localeCompare(a.referenceDate))[0];
  return last ? get<AssessmentView>(`/api/assessments/${last.id}`) : null;
}

export function usePerson(id: number | null) {
  return useQuery({ queryKey: ['persons', id, 'detail'], queryFn: () => get<PersonDetail>(`/api/persons/${id}`), enabled: id !== null, retry: false });
}

/** GET /api/assessors: who may be the second assessor. */
export function useAssessors() {
  return useQuery({
    queryKey: ['assessors'],
    queryFn: async () => {
      const r = await get<AssessorRow[] | { items: AssessorRow[] }>('/api/assessors');
      return Array.isArray(r) ? r : r.items;
    },
    retry: false,
    staleTime: 10 * 60_000,
  });
}

export function useConflicts(id: number, enabled: boolean) {
  return useQuery({ queryKey: ['assessments', id, 'conflicts'], queryFn: () => get<ConflictsReply>(`/api/assessments/${id}/conflicts`), enabled });
}

export function useCapability(personId: number | null) {
  return useQuery({
    queryKey: ['persons', personId, 'capability'],
    queryFn: () => get<PersonCapabilityReply>(`/api/persons/${personId}/capability`),
    enabled: personId !== null,
  });
}

export type AssessmentStep =
  | { step: 'submit'; version: number }
  | { step: 'cosign'; version: number; signature: string }
  | { step: 'review'; version: number; decision: 'approve' | 'return'; note: string };

/** 提交 / 复核签名 / 审核通过 / 退回: the record and every list of assessments are refreshed. */
export function useAssessmentStep(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ step, ...body }: AssessmentStep) => post<AssessmentView>(`/api/assessments/${id}/${step}`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['assessments'] }),
  });
}

export function useResolveConflict() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ conflictId, resolution }: { conflictId: number; resolution: 'kept_server' | 'reapplied' }) =>
      post(`/api/assessment-conflicts/${conflictId}/resolve`, { resolution }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['assessments'] }),
  });
}

/** The public check of a report's code (no session). */
export function useVerify(code: string) {
  return useQuery({
    queryKey: ['verify', code],
    queryFn: () => get<VerifyReply>(`/api/public/assessments/verify${qs({ code })}`),
    enabled: code.length >= 6,
    retry: false,
  });
}
