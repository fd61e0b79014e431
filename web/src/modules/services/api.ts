import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, request } from '../../shared/api';
import type {
  AnomaliesReply,
  AnomalyCodesReply,
  CaregiversReply,
  CaregiverView,
  ClientsReply,
  ClientView,
  CoverageReply,
  CreateOrderBody,
  EntitlementReply,
  FeedbackReply,
  FollowupsReply,
  ItemsReply,
  OrderDetail,
  OrdersReply,
  CreateProviderBody,
  ProvidersReply,
  ProviderView,
  ServiceItemView,
  SettlementDetail,
  SettlementsReply,
} from './types';

/** Every query of the module starts with 'services', so a change refreshes all it may have touched. */
export const keys = {
  all: ['services'] as const,
  orders: ['services', 'orders'] as const,
  order: (id: number) => ['services', 'order', id] as const,
  anomalies: ['services', 'anomalies'] as const,
  providers: ['services', 'providers'] as const,
  caregivers: (providerId?: number) => ['services', 'caregivers', providerId ?? null] as const,
  clients: ['services', 'clients'] as const,
  items: ['services', 'items'] as const,
  settlements: (period: string) => ['services', 'settlements', period] as const,
  settlement: (providerId: number, period: string) => ['services', 'settlement', providerId, period] as const,
  feedback: (providerId: number, period: string) => ['services', 'feedback', providerId, period] as const,
  entitlement: (personId: number, period: string) => ['services', 'entitlement', personId, period] as const,
  coverage: (year: number, regionCode?: string) => ['services', 'coverage', year, regionCode ?? null] as const,
};

const BASE = '/api/services';
const patch = <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body });

/** A fresh id for a request the server stores once (a resend after a lost answer is merged). */
export function newClientId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export interface OrderFilters {
  period?: string;
  status?: string;
  providerId?: number;
  regionCode?: string;
  personId?: number;
  caregiverId?: number;
}
export const fetchOrders = (f: OrderFilters, page: number, pageSize: number) => get<OrdersReply>(`${BASE}/orders${qs({ ...f, page, pageSize })}`);

export function useOrder(id: number) {
  return useQuery({ queryKey: keys.order(id), queryFn: () => get<OrderDetail>(`${BASE}/orders/${id}`), enabled: Number.isFinite(id) && id > 0 });
}

export interface AnomalyFilters {
  status?: string;
  code?: string;
  providerId?: number;
  period?: string;
}
export const fetchAnomalies = (f: AnomalyFilters, page: number, pageSize: number) => get<AnomaliesReply>(`${BASE}/anomalies${qs({ ...f, page, pageSize })}`);

/** The reason and resolution codes with their labels and which resolutions fit each reason (the server's list). */
export function useAnomalyCodes(enabled = true) {
  return useQuery({ queryKey: ['services', 'anomaly-codes'], queryFn: () => get<AnomalyCodesReply>(`${BASE}/anomalies/codes`), enabled, staleTime: Infinity });
}

export function useProviders(enabled = true) {
  return useQuery({ queryKey: keys.providers, queryFn: async () => (await get<ProvidersReply>(`${BASE}/providers`)).items, enabled, staleTime: 30_000 });
}

export function useCaregivers(providerId: number | undefined, enabled = true) {
  return useQuery({
    queryKey: keys.caregivers(providerId),
    queryFn: async () => (await get<CaregiversReply>(`${BASE}/caregivers${qs({ providerId })}`)).items,
    enabled,
  });
}

export function useItems(enabled = true) {
  return useQuery({ queryKey: keys.items, queryFn: async () => (await get<ItemsReply>(`${BASE}/items`)).items, enabled, staleTime: 30_000 });
}

export const fetchClients = (f: { providerId?: number; q?: string }, page: number, pageSize: number) =>
  get<ClientsReply>(`${BASE}/clients${qs({ ...f, page, pageSize })}`);

/** The provider's active clients matching a name (for the create-order dialog). */
export function useClientSearch(providerId: number | undefined, q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...keys.clients, 'search', providerId ?? null, q],
    queryFn: async () => (await fetchClients({ providerId, q: q.trim() || undefined }, 1, 20)).items.filter((c) => c.active),
    enabled: enabled && providerId !== undefined,
    staleTime: 15_000,
  });
}

/** The open home-service follow-ups of visits in the viewer's scope: an order made from one closes it. */
export function useFollowups(enabled: boolean) {
  return useQuery({
    queryKey: ['services', 'followups'],
    queryFn: async () => (await get<FollowupsReply>(`${BASE}/followups${qs({ pageSize: 100 })}`)).items,
    enabled,
    retry: false,
  });
}

/** A person's entitlement for a month: amount, used, balance and the orders drawn (audited). */
export function useEntitlement(personId: number | undefined, period: string | undefined) {
  return useQuery({
    queryKey: keys.entitlement(personId ?? 0, period ?? ''),
    queryFn: () => get<EntitlementReply>(`${BASE}/entitlements/${personId}${qs({ period })}`),
    enabled: personId !== undefined && !!period,
    retry: false,
  });
}

export function useSettlements(period: string, enabled = true) {
  return useQuery({ queryKey: keys.settlements(period), queryFn: () => get<SettlementsReply>(`${BASE}/settlements${qs({ period })}`), enabled });
}

export function useSettlement(providerId: number, period: string) {
  return useQuery({ queryKey: keys.settlement(providerId, period), queryFn: () => get<SettlementDetail>(`${BASE}/settlements/${providerId}/${period}`) });
}

export function useFeedback(providerId: number, period: string, enabled = true) {
  return useQuery({
    queryKey: keys.feedback(providerId, period),
    queryFn: async () => (await get<FeedbackReply>(`${BASE}/feedback${qs({ providerId, period })}`)).items,
    enabled,
  });
}

export const statementUrl = (providerId: number, period: string) => `${BASE}/settlements/${providerId}/${period}/statement.xlsx`;

export function useCoverage(year: number, regionCode: string | undefined) {
  return useQuery({ queryKey: keys.coverage(year, regionCode), queryFn: () => get<CoverageReply>(`${BASE}/coverage${qs({ year, regionCode })}`) });
}

/** After any change: every services query is read again (lists, details, balances, the workbench). */
function useRefreshAll() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: keys.all }), client.invalidateQueries({ queryKey: ['workbench'] })]);
}

/** A mutation of the module: refreshes everything after it, whatever its answer. */
function useChange<V, R>(fn: (v: V) => Promise<R>) {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: fn, onSettled: refresh });
}

export const useCreateOrder = () => useChange((body: CreateOrderBody) => post<OrderDetail>(`${BASE}/orders`, body));
export const useAssign = () =>
  useChange(({ id, caregiverId }: { id: number; caregiverId: number }) => post<OrderDetail>(`${BASE}/orders/${id}/assign`, { caregiverId }));
export const useCancel = () => useChange(({ id, reason }: { id: number; reason: string }) => post<OrderDetail>(`${BASE}/orders/${id}/cancel`, { reason }));
export const useRate = () =>
  useChange(({ id, rating, by, note }: { id: number; rating: number; by: 'elder' | 'family'; note?: string }) =>
    post<OrderDetail>(`${BASE}/orders/${id}/rate`, { rating, by, note }),
  );
export const useCorrect = () =>
  useChange(({ id, ...body }: { id: number; checkInAt?: string; checkOutAt?: string; itemsDone?: string[]; reason: string }) =>
    post<OrderDetail>(`${BASE}/orders/${id}/correct`, body),
  );
export const useResolve = () =>
  useChange(({ id, code, note }: { id: number; code: string; note: string }) => post<unknown>(`${BASE}/anomalies/${id}/resolve`, { code, note }));
export const useReview = () =>
  useChange(({ id, decision, note }: { id: number; decision: 'accepted' | 'rejected'; note: string }) =>
    post<unknown>(`${BASE}/anomalies/${id}/review`, { decision, note }),
  );
export const useCloseMonth = () =>
  useChange(({ providerId, period }: { providerId: number; period: string }) => post<unknown>(`${BASE}/settlements/${providerId}/${period}/close`, {}));
export const useDrawSample = () =>
  useChange(({ providerId, period }: { providerId: number; period: string }) => post<unknown>(`${BASE}/settlements/${providerId}/${period}/draw`, {}));
export const useFeedbackOutcome = () =>
  useChange(({ id, outcome, note }: { id: number; outcome: 'given' | 'not_given' | 'unreachable'; note?: string }) =>
    post<unknown>(`${BASE}/feedback/${id}`, { outcome, note }),
  );

export const useCreateProvider = () => useChange((body: CreateProviderBody) => post<ProviderView>(`${BASE}/providers`, body));
export const useUpdateProvider = () =>
  useChange(({ id, ...body }: { id: number; name?: string; active?: boolean; contactName?: string; contactPhone?: string }) =>
    patch<ProviderView>(`${BASE}/providers/${id}`, body),
  );
export const useCreateCaregiver = () =>
  useChange((body: { providerId: number; name: string; phone?: string; skillLevel: number; username?: string }) =>
    post<CaregiverView>(`${BASE}/caregivers`, body),
  );
export const useUpdateCaregiver = () =>
  useChange(({ id, ...body }: { id: number; name?: string; phone?: string; skillLevel?: number; active?: boolean }) =>
    patch<CaregiverView>(`${BASE}/caregivers/${id}`, body),
  );
export const useAddCertificate = () =>
  useChange(({ caregiverId, ...body }: { caregiverId: number; kind: string; number: string; issuedOn: string; expiresOn: string | null }) =>
    post<CaregiverView>(`${BASE}/caregivers/${caregiverId}/certificates`, body),
  );
export const useEnrolClient = () =>
  useChange((body: { providerId: number; personId: number; home: { lat: number; lng: number }; cardCode?: string }) =>
    post<ClientView>(`${BASE}/clients`, body),
  );
export const useEndClient = () => useChange((id: number) => post<ClientView>(`${BASE}/clients/${id}/end`, {}));
export const useCreateItem = () =>
  useChange((body: { code: string; category: string; nameZh: string; nameEn: string; priceFen: number; standardMinutes: number }) =>
    post<ServiceItemView>(`${BASE}/items`, body),
  );
export const useUpdateItem = () =>
  useChange(({ id, ...body }: { id: number; nameZh?: string; nameEn?: string; priceFen?: number; standardMinutes?: number; active?: boolean }) =>
    patch<ServiceItemView>(`${BASE}/items/${id}`, body),
  );
