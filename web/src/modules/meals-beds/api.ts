import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, request, type Page, type PersonRow } from '../../shared/api';
import type {
  BedsReply,
  BedView,
  CloseBedBody,
  DailyReply,
  MealBody,
  MealCoverageReply,
  MealPointBody,
  MealPointsReply,
  MealPointView,
  MealsReply,
  MealView,
  OpenBedBody,
  PatchBedBody,
  PatchMealPointBody,
  ProvidersReply,
  QuoteBody,
  QuoteReply,
} from './types';

const BASE = '/api/services';

/** Every query of the module starts with 'meals-beds', so a change refreshes all it may have touched. */
export const keys = {
  all: ['meals-beds'] as const,
  beds: ['meals-beds', 'beds'] as const,
  points: ['meals-beds', 'points'] as const,
  meals: ['meals-beds', 'meals'] as const,
  daily: ['meals-beds', 'daily'] as const,
  coverage: ['meals-beds', 'coverage'] as const,
};

/** A fresh id for a request the server stores once (a resend after a lost answer is merged). */
export function newClientId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export interface BedFilter {
  status?: 'active' | 'closed';
  regionCode?: string;
  providerId?: number;
}

/** A page of the viewer's beds, with the target and the counts (audited: names shown). */
export async function fetchBeds(f: BedFilter, page: number, pageSize: number) {
  const { page: rows, ...summary } = await get<BedsReply>(`${BASE}/beds${qs({ ...f, page, pageSize })}`);
  // the page as the paged list reads it, the target and the counts beside it
  return { ...rows, summary };
}

/** The providers the viewer may pick (a provider's staff: their own). */
export function useProviders(enabled = true) {
  return useQuery({
    queryKey: [...keys.all, 'providers'],
    queryFn: async () => (await get<ProvidersReply>(`${BASE}/providers`)).items,
    enabled,
    staleTime: 30_000,
  });
}

/** Register persons by name prefix or full resident ID (the register's search: audited, in scope). */
export function usePersonSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.all, 'person-search', q],
    queryFn: () => get<Page<PersonRow>>(`/api/persons${qs({ q, pageSize: 20 })}`),
    enabled: enabled && q.trim().length > 0,
    staleTime: 30_000,
  });
}

export function usePoints() {
  return useQuery({ queryKey: keys.points, queryFn: async () => (await get<MealPointsReply>(`${BASE}/meal-points`)).items });
}

export function useMeals(servedOn: string, pointId: number | undefined) {
  return useQuery({
    queryKey: [...keys.meals, servedOn, pointId],
    queryFn: () => get<MealsReply>(`${BASE}/meals${qs({ servedOn, pointId, pageSize: 200 })}`),
  });
}

export function useDaily(from: string, to: string, pointId: number | undefined) {
  return useQuery({ queryKey: [...keys.daily, from, to, pointId], queryFn: () => get<DailyReply>(`${BASE}/meals/daily${qs({ from, to, pointId })}`) });
}

export function useMealCoverage(enabled = true) {
  return useQuery({ queryKey: keys.coverage, queryFn: () => get<MealCoverageReply>(`${BASE}/meals/coverage`), enabled });
}

/** The price of a meal before it is recorded (every check of recording it; nothing written). */
export function useQuote(body: QuoteBody | null) {
  return useQuery({
    queryKey: [...keys.all, 'quote', body],
    queryFn: () => post<QuoteReply>(`${BASE}/meals/quote`, body),
    enabled: body !== null,
    retry: false,
    staleTime: 0,
    gcTime: 0,
  });
}

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.all });
}

export function useOpenBed() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: OpenBedBody) => post<BedView>(`${BASE}/beds`, body), onSuccess: refresh });
}

export function usePatchBed() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: PatchBedBody }) => request<BedView>(`${BASE}/beds/${id}`, { method: 'PATCH', body }),
    onSuccess: refresh,
  });
}

export function useCloseBed() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: CloseBedBody }) => post<BedView>(`${BASE}/beds/${id}/close`, body),
    onSuccess: refresh,
  });
}

export function useCreatePoint() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: MealPointBody) => post<MealPointView>(`${BASE}/meal-points`, body), onSuccess: refresh });
}

export function usePatchPoint() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: PatchMealPointBody }) => request<MealPointView>(`${BASE}/meal-points/${id}`, { method: 'PATCH', body }),
    onSuccess: refresh,
  });
}

export function useRecordMeal() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: MealBody) => post<MealView>(`${BASE}/meals`, body), onSuccess: refresh });
}
