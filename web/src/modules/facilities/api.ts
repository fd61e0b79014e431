import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, type Page, type PersonRow, type RegionsReply } from '../../shared/api';
import type {
  AddBedsBody,
  AdmitBody,
  EndStayBody,
  FacilitiesReply,
  FacilityBody,
  FacilityDetail,
  FacilityView,
  PublicReply,
  ResidentView,
  StaffBody,
  StaffView,
  TransferBody,
} from './types';

/** Every query of the module starts with 'facilities', so a change refreshes all it may have touched. */
export const keys = {
  all: ['facilities'] as const,
  list: (f: object) => ['facilities', 'list', f] as const,
  one: (id: number) => ['facilities', 'one', id] as const,
  staff: (id: number) => ['facilities', 'staff', id] as const,
  residents: (id: number) => ['facilities', 'residents', id] as const,
};

export interface ListFilter {
  kind?: string;
  region?: string;
  failing?: '1' | '0';
  q?: string;
}

export function useFacilities(f: ListFilter) {
  return useQuery({ queryKey: keys.list(f), queryFn: () => get<FacilitiesReply>(`/api/facilities${qs({ ...f })}`) });
}

export function useFacility(id: number) {
  return useQuery({ queryKey: keys.one(id), queryFn: () => get<FacilityDetail>(`/api/facilities/${id}`) });
}

export function useStaff(id: number) {
  return useQuery({ queryKey: keys.staff(id), queryFn: () => get<{ items: StaffView[] }>(`/api/facilities/${id}/staff`) });
}

export function useResidents(id: number, enabled: boolean) {
  return useQuery({ queryKey: keys.residents(id), queryFn: () => get<{ items: ResidentView[] }>(`/api/facilities/${id}/residents`), enabled });
}

export function useRegions() {
  return useQuery({ queryKey: ['regions'], queryFn: () => get<RegionsReply>('/api/regions'), staleTime: Infinity });
}

export function usePersonSearch(q: string) {
  return useQuery({
    queryKey: [...keys.all, 'person-search', q],
    queryFn: () => get<Page<PersonRow>>(`/api/persons${qs({ q, pageSize: 20 })}`),
    enabled: q.trim().length > 0,
    staleTime: 30_000,
  });
}

export function usePublicMap(f: { kind?: string; town?: string; grade?: string; freeBed?: string }) {
  return useQuery({ queryKey: ['facilities-public', f], queryFn: () => get<PublicReply>(`/api/facilities/public/map${qs({ ...f })}`) });
}

/** A change that refreshes everything of the module (lists, the page, its checks). */
function useChange<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }) });
}

export const useSaveFacility = () =>
  useChange(({ id, body }: { id: number | null; body: FacilityBody }) => post<FacilityView>(id ? `/api/facilities/${id}` : '/api/facilities', body));
export const useAddBeds = (id: number) => useChange((body: AddBedsBody) => post<{ added: number; labels: string[] }>(`/api/facilities/${id}/beds`, body));
export const useRetireBed = (id: number) =>
  useChange(({ bedId, on }: { bedId: number; on: string }) => post(`/api/facilities/${id}/beds/${bedId}/retire`, { on }));
export const useSaveStaff = (id: number) =>
  useChange(({ staffId, body }: { staffId: number | null; body: StaffBody }) =>
    post<StaffView>(staffId ? `/api/facilities/${id}/staff/${staffId}` : `/api/facilities/${id}/staff`, body),
  );
export const useAdmit = (id: number) => useChange((body: AdmitBody) => post<{ stayId: number }>(`/api/facilities/${id}/residents`, body));
export const useTransfer = (id: number) =>
  useChange(({ stayId, body }: { stayId: number; body: TransferBody }) => post(`/api/facilities/${id}/residents/${stayId}/transfer`, body));
export const useEndStay = (id: number) =>
  useChange(({ stayId, how, body }: { stayId: number; how: 'discharge' | 'death'; body: EndStayBody }) =>
    post(`/api/facilities/${id}/residents/${stayId}/${how}`, body),
  );
