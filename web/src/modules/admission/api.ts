import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, type Page, type PersonRow } from '../../shared/api';
import type { ApplyBody, ApplyReply, BedType, DetailReply, FacilitiesReply, QueueReply, TrackReply } from './types';

/** Every query of the module starts with 'admission', so a change refreshes all it may have touched. */
export const keys = {
  all: ['admission'] as const,
  facilities: ['admission', 'facilities'] as const,
  queue: (facilityId: number, bedType: BedType, page: number) => ['admission', 'queue', facilityId, bedType, page] as const,
  detail: (id: number) => ['admission', 'detail', id] as const,
};

export function useQueueFacilities() {
  return useQuery({ queryKey: keys.facilities, queryFn: () => get<FacilitiesReply>('/api/admission/facilities') });
}

/** A page of a facility's queue for a bed type, in order (audited: the applicants shown). */
export const QUEUE_PAGE = 100;
export function useQueue(facilityId: number | undefined, bedType: BedType, page = 1) {
  return useQuery({
    queryKey: keys.queue(facilityId ?? 0, bedType, page),
    queryFn: () => get<QueueReply>(`/api/admission/queue${qs({ facilityId, bedType, page, pageSize: QUEUE_PAGE })}`),
    enabled: facilityId !== undefined,
  });
}

export function useDetail(id: number | null) {
  return useQuery({ queryKey: keys.detail(id ?? 0), queryFn: () => get<DetailReply>(`/api/admission/applications/${id}`), enabled: id !== null });
}

export function usePersonSearch(q: string) {
  return useQuery({
    queryKey: ['admission', 'person-search', q],
    queryFn: () => get<Page<PersonRow>>(`/api/persons${qs({ q, pageSize: 20 })}`),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });
}

function useRefreshAll() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.all });
}

export function useApply() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: (b: ApplyBody) => post<ApplyReply>('/api/admission/applications', b), onSuccess: refresh });
}

/** withdraw | offer | accept | decline of one application. */
export function useAct() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: ({ id, act, bedId }: { id: number; act: 'withdraw' | 'offer' | 'accept' | 'decline'; bedId?: number }) =>
      post<DetailReply>(`/api/admission/applications/${id}/${act}`, act === 'offer' ? { bedId } : {}),
    onSuccess: refresh,
  });
}

export function useRefreshQueues() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: () => post<{ queues: number; moved: number }>('/api/admission/refresh'), onSuccess: refresh });
}

/** The public look-up by the receipt's code (no session). */
export function useTrack() {
  return useMutation({ mutationFn: (code: string) => post<TrackReply>('/api/admission/public/track', { code }) });
}
