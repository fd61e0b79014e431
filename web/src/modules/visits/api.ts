import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import type { Page } from '../../shared/api';
import type {
  VisitAssignBody,
  AssignmentHistoryRow,
  AssignmentRow,
  VisitAssignReply,
  EscalationRow,
  EscalationStatus,
  FollowupKind,
  FollowupRow,
  FollowupStatus,
  MemberRow,
  OverdueRow,
  OverdueSummary,
  PersonPlanReply,
  PersonVisitsReply,
  PlansReply,
  RateReply,
  VillageBody,
  WorkerRow,
} from './types';

type Paged<T> = Page<T>;

/** Every query of the module starts with one of these, so a change refreshes what it touched. */
export const keys = {
  plans: ['visits', 'plans'] as const,
  members: ['visits', 'members'] as const,
  rate: ['visits', 'rate'] as const,
  workers: ['visits', 'workers'] as const,
  assignments: ['visits', 'assignments'] as const,
  overdue: ['visits', 'overdue'] as const,
  escalations: ['visits', 'escalations'] as const,
  followups: ['visits', 'followups'] as const,
  personPlan: (personId: string) => ['persons', 'visit-plan', personId] as const,
  personVisits: (personId: string) => ['persons', 'visits', personId] as const,
  personAssignments: (personId: number | string) => ['persons', 'visit-assignments', String(personId)] as const,
};

/** A list reply the server may send bare or as `{ items }`. */
export const itemsOf = <T>(r: T[] | { items: T[] } | undefined): T[] => (r === undefined ? [] : Array.isArray(r) ? r : r.items);

/** The plans with their rules in words, the settings that shape them and the last refresh. */
export function usePlans(poll = false) {
  return useQuery({
    queryKey: keys.plans,
    queryFn: () => get<PlansReply>('/api/visits/plans'),
    refetchInterval: poll ? 1500 : false,
  });
}

/** Starts a refresh of the plans (a job); the plans query then follows it. */
export function useRefreshPlans() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => post<{ jobId: number }>('/api/visits/plans/refresh', {}),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.plans }),
  });
}

export interface MemberFilters {
  plan?: string;
  region?: string;
  q?: string;
}

/** One page of plan members (an audited read). */
export const fetchMembers = (f: MemberFilters, page: number, pageSize: number) =>
  get<Paged<MemberRow>>(`/api/visits/members${qs({ plan: f.plan, region: f.region, q: f.q, page, pageSize })}`);

/** The month's visit rate of a region's child regions (the server's one formula). */
export function useRate(month: string | undefined, region: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...keys.rate, month ?? '', region ?? ''],
    queryFn: () => get<RateReply>(`/api/visits/rate${qs({ month, region })}`),
    enabled,
  });
}

/** Grid workers and volunteers of a region (the viewer's when none), with their people and overdue. */
export function useWorkers(region: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...keys.workers, region ?? ''],
    queryFn: async () => itemsOf(await get<WorkerRow[] | { items: WorkerRow[] }>(`/api/visits/workers${qs({ region })}`)),
    enabled,
    staleTime: 30_000,
  });
}

export interface AssignmentFilters {
  region?: string;
  worker?: number;
  unassigned?: boolean;
}

/** One page of plan members with their worker (an audited read). */
export const fetchAssignments = (f: AssignmentFilters, page: number, pageSize: number) =>
  get<Paged<AssignmentRow>>(
    `/api/visits/assignments${qs({ region: f.region, worker: f.worker, unassigned: f.unassigned ? 'true' : undefined, page, pageSize })}`,
  );

const invalidateWork = (client: ReturnType<typeof useQueryClient>) =>
  Promise.all(
    [keys.assignments, keys.workers, keys.members, keys.overdue, ['persons', 'visit-assignments'], ['workbench']].map((queryKey) =>
      client.invalidateQueries({ queryKey }),
    ),
  );

/** Assigns persons to a worker of their village (reassigning those with another). */
export function useAssign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: VisitAssignBody) => post<VisitAssignReply>('/api/visits/assignments', body),
    onSuccess: () => invalidateWork(client),
  });
}

/** Moves a village's plan members (all, or one worker's) to another worker. */
export function useReassignVillage() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: VillageBody) => post<unknown>('/api/visits/assignments/village', body),
    onSuccess: () => invalidateWork(client),
  });
}

/** A person's assignments to workers, newest first (an audited read). */
export function usePersonAssignments(personId: number | string | null) {
  return useQuery({
    queryKey: keys.personAssignments(personId ?? ''),
    queryFn: async () => itemsOf(await get<AssignmentHistoryRow[] | { items: AssignmentHistoryRow[] }>(`/api/persons/${personId}/visit-assignments`)),
    enabled: personId !== null,
  });
}

export interface OverdueFilters {
  region?: string;
  worker?: number;
  highRisk?: boolean;
}

/** One page of overdue dues (an audited read). */
export const fetchOverdue = (f: OverdueFilters, page: number, pageSize: number) =>
  get<Paged<OverdueRow>>(`/api/visits/overdue${qs({ region: f.region, worker: f.worker, highRisk: f.highRisk ? 'true' : undefined, page, pageSize })}`);

/** Overdue counts per worker and per region. */
export function useOverdueSummary(region: string | undefined) {
  return useQuery({
    queryKey: [...keys.overdue, 'summary', region ?? ''],
    queryFn: () => get<OverdueSummary>(`/api/visits/overdue/summary${qs({ region })}`),
  });
}

export interface FollowupFilters {
  kind?: FollowupKind;
  /** active: open or in progress (the server's default) */
  status: FollowupStatus | 'active' | 'all';
  region?: string;
}

/** One page of follow-ups (an audited read). */
export const fetchFollowups = (f: FollowupFilters, page: number, pageSize: number) =>
  get<Paged<FollowupRow>>(`/api/visits/followups${qs({ kind: f.kind, status: f.status, region: f.region, page, pageSize })}`);

/** One page of escalations (an audited read). */
export const fetchEscalations = (status: EscalationStatus | 'active' | 'all', page: number, pageSize: number) =>
  get<Paged<EscalationRow>>(`/api/visits/escalations${qs({ status, page, pageSize })}`);

const invalidateFollowups = (client: ReturnType<typeof useQueryClient>) =>
  Promise.all([keys.followups, keys.escalations, ['workbench']].map((queryKey) => client.invalidateQueries({ queryKey })));

/** 接手 / 办结 a follow-up; 确认 / 关闭 an escalation. */
export function useFollowupAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ what, id, resolution }: { what: 'take' | 'close' | 'acknowledge' | 'closeEscalation'; id: number; resolution?: string }) => {
      switch (what) {
        case 'take':
          return post(`/api/visits/followups/${id}/take`, {});
        case 'close':
          return post(`/api/visits/followups/${id}/close`, { resolution });
        case 'acknowledge':
          return post(`/api/visits/escalations/${id}/acknowledge`, {});
        case 'closeEscalation':
          return post(`/api/visits/escalations/${id}/close`, { resolution });
      }
    },
    onSuccess: () => invalidateFollowups(client),
  });
}

/** The profile's 探访: the person's plan memberships and dues (an audited read). */
export function usePersonPlan(personId: string) {
  return useQuery({ queryKey: keys.personPlan(personId), queryFn: () => get<PersonPlanReply>(`/api/persons/${personId}/visit-plan`) });
}

/** The profile's 探访: the person's visits (an audited read). */
export function usePersonVisits(personId: string) {
  return useQuery({ queryKey: keys.personVisits(personId), queryFn: () => get<PersonVisitsReply>(`/api/persons/${personId}/visits`) });
}
