import { useQuery } from '@tanstack/react-query';
import { get } from '../../shared/api';
import type { FacilityPageReply, PortalReply, ServicesReply } from './types';

/** The portal's facts change rarely: kept for ten minutes (a phone on a slow line asks once). */
const STALE = 10 * 60_000;

export function usePortal() {
  return useQuery({ queryKey: ['public', 'portal'], queryFn: () => get<PortalReply>('/api/public/portal'), staleTime: STALE });
}

export function useServices() {
  return useQuery({ queryKey: ['public', 'services'], queryFn: () => get<ServicesReply>('/api/public/services'), staleTime: STALE });
}

export function useFacilityPage(id: number) {
  return useQuery({
    queryKey: ['public', 'facility', id],
    queryFn: () => get<FacilityPageReply>(`/api/public/facilities/${id}`),
    enabled: Number.isInteger(id) && id > 0,
    staleTime: 60_000,
  });
}
