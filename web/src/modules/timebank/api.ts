import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, type Page, type PersonRow } from '../../shared/api';
import type {
  AccountDetail,
  AccountsReply,
  AccountView,
  CheckView,
  ChecksReply,
  MeReply,
  MovementReply,
  OpenAccountBody,
  PendingReply,
  RedeemBody,
  RewardsReply,
  TransferBody,
} from './types';
import type { WorkersReply } from '../../../../src/modules/visits/work.schema';

/** Every query of the module starts with 'timebank', so a change refreshes all it may have touched. */
export const keys = {
  all: ['timebank'] as const,
  accounts: ['timebank', 'accounts'] as const,
  account: (id: number) => ['timebank', 'account', id] as const,
  me: ['timebank', 'me'] as const,
  pending: ['timebank', 'pending'] as const,
  checks: ['timebank', 'checks'] as const,
  rewards: ['timebank', 'rewards'] as const,
};

/** A fresh id for a request the server stores once (a resend after a lost answer is merged). */
export function newClientId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.randomUUID) return c.randomUUID();
  // older browsers: a v4-shaped id from Math.random (unique enough for one user's resends)
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

/** One page of accounts in the viewer's scope (audited: the holders shown). */
export const fetchAccounts = (q: string, kind: 'volunteer' | 'person' | undefined, page: number, pageSize: number) =>
  get<AccountsReply>(`/api/timebank/accounts${qs({ q, kind, page, pageSize })}`);

/** An account with one page of its ledger, newest first (audited). */
export const fetchAccount = (id: number, page: number, pageSize: number) => get<AccountDetail>(`/api/timebank/accounts/${id}${qs({ page, pageSize })}`);

/** The volunteer's own account, ledger page and events waiting. */
export const fetchMe = (page: number, pageSize: number) => get<MeReply>(`/api/timebank/me${qs({ page, pageSize })}`);

export function usePending() {
  return useQuery({ queryKey: keys.pending, queryFn: () => get<PendingReply>('/api/timebank/pending') });
}

export const fetchChecks = (page: number, pageSize: number) => get<ChecksReply>(`/api/timebank/checks${qs({ page, pageSize })}`);

/** The jurisdiction's rewards (积分超市) with their price in minutes. */
export function useRewards(enabled = true) {
  return useQuery({
    queryKey: keys.rewards,
    queryFn: async () => (await get<RewardsReply>('/api/timebank/rewards')).items,
    enabled,
    staleTime: 60_000,
  });
}

/** Volunteers the viewer may open accounts for: the visit workers of their region whose role is volunteer (who reads visits). */
export function useVolunteers(enabled: boolean) {
  return useQuery({
    queryKey: ['timebank', 'volunteers'],
    queryFn: async () => (await get<WorkersReply>('/api/visits/workers')).items.filter((w) => w.role === 'volunteer'),
    enabled,
    staleTime: 60_000,
    retry: false,
  });
}

/** Register persons by name prefix or full resident ID (for a relative's account or a transfer). */
export function usePersonSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['timebank', 'person-search', q],
    queryFn: () => get<Page<PersonRow>>(`/api/persons${qs({ q, pageSize: 20 })}`),
    enabled: enabled && q.trim().length > 0,
    staleTime: 30_000,
  });
}

/** After any movement: every time-bank query is read again (balances, ledgers, pending, the workbench). */
function useRefreshAll() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: keys.all }), client.invalidateQueries({ queryKey: ['workbench'] })]);
}

export function useOpenAccount() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: (body: OpenAccountBody) => post<AccountView>('/api/timebank/accounts', body), onSuccess: refresh });
}

export function useRedeem() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: (body: RedeemBody) => post<MovementReply>('/api/timebank/redemptions', body), onSettled: refresh });
}

export function useTransfer() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: (body: TransferBody) => post<MovementReply>('/api/timebank/transfers', body), onSettled: refresh });
}

export function useReverse() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: ({ entryId, reason }: { entryId: number; reason: string }) => post<MovementReply>(`/api/timebank/entries/${entryId}/reverse`, { reason }),
    onSettled: refresh,
  });
}

export function useDeposit() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: (eventId: number) => post<MovementReply>('/api/timebank/deposits', { eventId }), onSettled: refresh });
}

/** Confirms a care event as an officer (care-events' route); a volunteer's event may then be deposited (or is, automatically). */
export function useConfirmEvent() {
  const refresh = useRefreshAll();
  return useMutation({
    mutationFn: ({ eventId, note }: { eventId: number; note: string }) => post<unknown>(`/api/care-events/${eventId}/confirm`, { kind: 'officer', note }),
    onSettled: refresh,
  });
}

export function useRunCheck() {
  const refresh = useRefreshAll();
  return useMutation({ mutationFn: () => post<CheckView>('/api/timebank/checks', {}), onSettled: refresh });
}
