import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import type {
  AssessmentSummary,
  AssessorsReply,
  AssignBody,
  AssignmentsReply,
  AssignmentView,
  AssignReply,
  CoverageReply,
  DrawBody,
  DrawsReply,
  DrawView,
  DueReply,
  PersonCapabilityReply,
  RequestBody,
  RequestView,
} from './types';
import type { Page } from '../../shared/api';

/** Every query of the module starts with one of these, so a change refreshes what it touched. */
export const keys = {
  list: ['assessments', 'list'] as const,
  due: ['assessments', 'due'] as const,
  coverage: ['assessments', 'coverage'] as const,
  draws: ['assessments', 'draws'] as const,
  capability: (personId: string) => ['persons', 'capability', personId] as const,
  assignments: (personId: string) => ['persons', 'assessment-assignments', personId] as const,
};

export type ListFilter = 'mine' | 'cosign' | 'review' | 'conflicts' | 'all';

/** One page of assessments for a tab of 能力评估 (an audited read on the server). */
export const fetchAssessments = (filter: ListFilter, page: number, pageSize: number) =>
  get<Page<AssessmentSummary>>(`/api/assessments${qs({ filter, page, pageSize })}`);

export interface DueFilters {
  regionCode?: string;
  state: 'overdue' | 'due_soon' | 'requested' | 'all';
  assessorId?: number;
  unassigned?: boolean;
}

/** The due list's query string (the list and its export share it). */
export const dueParams = (f: DueFilters) => ({
  regionCode: f.regionCode || undefined,
  state: f.state,
  assessorId: f.assessorId,
  unassigned: f.unassigned ? 'true' : undefined,
});

/** One page of the due list. */
export const fetchDue = (f: DueFilters, page: number, pageSize: number) => get<DueReply>(`/api/assessments/due${qs({ ...dueParams(f), page, pageSize })}`);

/** The assessors the viewer may pick (their region subtree). */
export function useAssessors(enabled = true) {
  return useQuery({ queryKey: ['assessors'], queryFn: () => get<AssessorsReply>('/api/assessors'), enabled, staleTime: 60_000 });
}

/** Assigns persons to an assessor (reassigning those assigned to someone else); the due list and the persons' assignments refresh. */
export function useAssign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: AssignBody) => post<AssignReply>('/api/assessments/assignments', body),
    onSuccess: () => Promise.all([keys.due, ['persons', 'assessment-assignments'], ['workbench']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** Ends an open assignment. */
export function useEndAssignment(personId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (assignmentId: number) => post<AssignmentView>(`/api/assessments/assignments/${assignmentId}/end`, {}),
    onSuccess: () => Promise.all([keys.due, keys.assignments(personId)].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** The profile's 能力评估: the level the rules read, the LTC grade beside it, the open request, the history (audited). */
export function usePersonCapability(personId: string) {
  return useQuery({ queryKey: keys.capability(personId), queryFn: () => get<PersonCapabilityReply>(`/api/persons/${personId}/capability`) });
}

/** A person's assignments to assessors, newest first. */
export function usePersonAssignments(personId: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.assignments(personId),
    queryFn: () => get<AssignmentsReply>(`/api/persons/${personId}/assessment-assignments`),
    enabled,
  });
}

/** 申请评估: the person becomes due now; the profile and the due list refresh. */
export function useRequestAssessment(personId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: RequestBody) => post<RequestView>(`/api/persons/${personId}/assessment-requests`, body),
    onSuccess: () => Promise.all([keys.capability(personId), keys.due].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** 80+ coverage of a region (absent: the viewer's) and its sub-regions. */
export function useCoverage(regionCode: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...keys.coverage, regionCode ?? ''],
    queryFn: () => get<CoverageReply>(`/api/assessments/coverage${qs({ regionCode })}`),
    enabled,
  });
}

/** One page of quality draws, newest first. */
export const fetchDraws = (page: number, pageSize: number) => get<DrawsReply>(`/api/assessments/quality-draws${qs({ page, pageSize })}`);

/** A draw with its samples. */
export function useDraw(id: number | null) {
  return useQuery({ queryKey: [...keys.draws, 'one', id], queryFn: () => get<DrawView>(`/api/assessments/quality-draws/${id}`), enabled: id !== null });
}

/** Draws a sample; the draws list refreshes. */
export function useNewDraw() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DrawBody) => post<DrawView>('/api/assessments/quality-draws', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.draws }),
  });
}

/** Names the re-assessor of a sample. */
export function useAssignSample() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ sampleId, assessorId }: { sampleId: number; assessorId: number }) =>
      post(`/api/assessments/quality-samples/${sampleId}/assign`, { assessorId }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.draws }),
  });
}
