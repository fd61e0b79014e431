import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../shared/api';
import type { FacilityPageReply, PortalReply, ServicesReply } from './types';

/** The portal's facts change rarely: kept for ten minutes (a phone on a slow line asks once). */
const STALE = 10 * 60_000;

/** The portal of a place ('' the platform's top): its name, hotline and hours. */
export function usePortal(place = '') {
  return useQuery({ queryKey: ['public', 'portal', place], queryFn: () => get<PortalReply>(`/api/public/portal${qs({ place })}`), staleTime: STALE });
}

/** The catalogue of a place in plain words; off until a place is chosen where there are several (`enabled`). */
export function useServices(place = '', enabled = true) {
  return useQuery({
    queryKey: ['public', 'services', place],
    queryFn: () => get<ServicesReply>(`/api/public/services${qs({ place })}`),
    staleTime: STALE,
    enabled,
  });
}

export function useFacilityPage(id: number) {
  return useQuery({
    queryKey: ['public', 'facility', id],
    queryFn: () => get<FacilityPageReply>(`/api/public/facilities/${id}`),
    enabled: Number.isInteger(id) && id > 0,
    staleTime: 60_000,
  });
}
