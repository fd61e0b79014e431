import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get, qs } from '../../shared/api';
import type { Duties, PersonEntitlements, RollList, RunDetail, RunList } from './types';

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

/** 待遇测算: the runs of the viewer's jurisdiction, newest first. */
export function useRuns() {
  return useQuery({ queryKey: ['runs', 'list'], queryFn: () => get<RunList>('/api/runs?pageSize=200') });
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

/** This month's calendar duties of a run (birthdays, 重阳 visits, insurers' rosters). */
export function useRunDuties(runId: number) {
  return useQuery({ queryKey: ['runs', runId, 'duties'], queryFn: () => get<Duties>(`/api/runs/${runId}/duties`) });
}
