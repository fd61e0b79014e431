import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs } from '../../shared/api';
import type { AlarmAction, AlarmDetail, AlarmsReply, AssignBody, ResolveBody, RevealContactReply, ShiftReply, SummaryReply } from './types';

/** Every query of the console starts with 'alarms', so a live event refreshes all of them at once. */
export const keys = {
  all: ['alarms'] as const,
  lists: ['alarms', 'list'] as const,
  active: ['alarms', 'list', 'active'] as const,
  alarm: (id: number) => ['alarms', 'alarm', id] as const,
  /** not under 'alarms': the summary is an audited read, not repeated on every live event */
  summary: (personId: number) => ['alarm-summary', personId] as const,
  shift: ['alarms', 'shift'] as const,
};

const BASE = '/api/alarms';

/** The active alarms (raised and acknowledged, not resolved) of the viewer's scope. */
export function useActiveAlarms(refetchInterval: number | false) {
  return useQuery({
    queryKey: keys.active,
    queryFn: async () => (await get<AlarmsReply>(`${BASE}/alarms${qs({ state: 'active', pageSize: 200 })}`)).items,
    refetchInterval,
  });
}

export function useAlarm(id: number | null) {
  return useQuery({
    queryKey: keys.alarm(id ?? 0),
    queryFn: () => get<AlarmDetail>(`${BASE}/alarms/${id}`),
    enabled: id !== null && id > 0,
  });
}

/** The person's summary for the operator (audited on the server: read only when an alarm is opened). */
export function usePersonSummary(personId: number | null) {
  return useQuery({
    queryKey: keys.summary(personId ?? 0),
    queryFn: () => get<SummaryReply>(`${BASE}/persons/${personId}/summary`),
    enabled: personId !== null && personId > 0,
    staleTime: 30_000,
  });
}

export function useShift(refetchInterval: number | false) {
  return useQuery({ queryKey: keys.shift, queryFn: () => get<ShiftReply>(`${BASE}/shift`), refetchInterval });
}

export const revealContact = (contactId: number) => post<RevealContactReply>(`${BASE}/contacts/${contactId}/reveal`);

/** A change to an alarm refreshes every alarm query (the queue, the alarm, the shift). */
function useAlarmMutation<V>(fn: (v: V) => Promise<unknown>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: keys.all }) });
}

export const useAcknowledge = () => useAlarmMutation((id: number) => post(`${BASE}/alarms/${id}/ack`));
export const useAction = () =>
  useAlarmMutation(({ id, action, note }: { id: number; action: AlarmAction; note?: string }) =>
    post(`${BASE}/alarms/${id}/actions`, { action, ...(note ? { note } : {}) }),
  );
export const useNote = () => useAlarmMutation(({ id, note }: { id: number; note: string }) => post(`${BASE}/alarms/${id}/notes`, { note }));
export const useResolve = () => useAlarmMutation(({ id, body }: { id: number; body: ResolveBody }) => post(`${BASE}/alarms/${id}/resolve`, body));
/** The shift supervisor takes a held alarm over (`to`: themselves) or gives it to another operator, on the version seen. */
export const useAssign = () => useAlarmMutation(({ id, body }: { id: number; body: AssignBody }) => post(`${BASE}/alarms/${id}/assign`, body));
