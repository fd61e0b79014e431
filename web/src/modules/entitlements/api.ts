import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import type { Duties, PaymentHistory, PauseView, PersonEntitlements, PersonPauses, RollList, RunDetail, RunList, StartedRun } from './types';

/** What a roll list is filtered by (the URL's query of 发放名册). */
export interface RollFilters {
  runId: string;
  period: string;
  status: string;
  itemId: string;
}

/** 发放名册: the rolls matching the filters; the rows shown stay until a new filter's answer comes. */
export function useRolls(filters: RollFilters) {
  return useQuery({
    queryKey: ['rolls', 'list', filters],
    queryFn: () => get<RollList>(`/api/rolls${qs({ ...filters })}`),
    placeholderData: keepPreviousData,
  });
}

/** 待遇测算: the runs of a jurisdiction ('' the viewer's own), newest first. */
export function useRuns(jurisdiction = '') {
  return useQuery({
    queryKey: ['runs', 'list', jurisdiction],
    queryFn: () => get<RunList>(`/api/runs${qs({ pageSize: '200', jurisdiction: jurisdiction || undefined })}`),
  });
}

/** A run: what it used (catalogue version, parameters), its counts and calendar. */
export function useRun(id: number | null) {
  return useQuery({ queryKey: ['runs', id, 'detail'], queryFn: () => get<RunDetail>(`/api/runs/${id}`), enabled: id !== null });
}

/** 待遇 of a person: what they receive now and why (the latest run's decision), an audited read. */
export function usePersonEntitlements(personId: string) {
  return useQuery({
    queryKey: ['persons', 'entitlements', personId],
    queryFn: () => get<PersonEntitlements>(`/api/persons/${personId}/entitlements`),
  });
}

/** A person's payment history (发放记录): every roll line, newest month first; an audited read. */
export function usePaymentHistory(personId: string) {
  return useQuery({
    queryKey: ['persons', 'payments', personId],
    queryFn: () => get<PaymentHistory>(`/api/persons/${personId}/payments`),
  });
}

/** This month's calendar duties of a run (birthdays, 重阳 visits, insurers' rosters). */
export function useRunDuties(runId: number) {
  return useQuery({ queryKey: ['runs', runId, 'duties'], queryFn: () => get<Duties>(`/api/runs/${runId}/duties`) });
}

/** A state step of a roll: 提交审核 (maker), 审核通过 / 退回 (checker). */
export type RollStep = 'submit' | 'approve' | 'return';

/** Every roll query: the list (发放名册) and each roll's detail with its lines. */
const rollsKey = ['rolls'] as const;

/** Submits, approves or returns a roll with its note: the roll and the roll list are refreshed. */
export function useRollStep() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ rollId, step, note }: { rollId: number; step: RollStep; note: string }) => post(`/api/rolls/${rollId}/${step}`, { note }),
    onSuccess: () => client.invalidateQueries({ queryKey: rollsKey }),
  });
}

/** 暂停发放 / 恢复: the maker holds a line back (remark required) or restores it; the roll's total and the list change. */
export function useHoldLine() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ rollId, personId, excluded, remark }: { rollId: number; personId: number; excluded: boolean; remark: string }) =>
      post(`/api/rolls/${rollId}/lines/${personId}`, { excluded, remark }),
    onSuccess: () => client.invalidateQueries({ queryKey: rollsKey }),
  });
}

/** 已跟进: ticks (or unticks) a change of a run; the run's change list and its counts are refreshed. */
export function useMarkChangeHandled(runId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ changeId, handled }: { changeId: number; handled: boolean }) => post(`/api/changes/${changeId}/handled`, { handled }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['runs', runId] }),
  });
}

/**
 * Starts the run of a month: the run list shows it at once (its progress follows live), and the
 * rolls it replaces or reopens are refreshed.
 */
export function useStartRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { period: string; jurisdiction?: string }) => post<StartedRun>('/api/runs', v),
    onSuccess: () => Promise.all([['runs'], rollsKey].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** A person's payment pauses (active first) and whether an account is on file. */
export function usePersonPauses(personId: string) {
  return useQuery({ queryKey: ['persons', 'pauses', personId], queryFn: () => get<PersonPauses>(`/api/persons/${personId}/pauses`) });
}

export interface PauseInput {
  reason: PauseView['reason'];
  items: string[] | null;
  since: string;
  note: string;
}

/** 暂停发放 on a person, or 解除暂停 (with or without pay-back): the person's pauses and the paused list refresh. */
export function usePauseSteps(personId: string) {
  const client = useQueryClient();
  const refresh = () => Promise.all([['persons', 'pauses', personId], ['paused']].map((queryKey) => client.invalidateQueries({ queryKey })));
  return {
    set: useMutation({ mutationFn: (input: PauseInput) => post<PauseView>(`/api/persons/${personId}/pauses`, input), onSuccess: refresh }),
    lift: useMutation({
      mutationFn: ({ pauseId, backpay, note }: { pauseId: number; backpay: boolean; note: string }) =>
        post<PauseView>(`/api/pauses/${pauseId}/lift`, { backpay, note }),
      onSuccess: refresh,
    }),
  };
}
