import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, qs, request } from '../../shared/api';
import type {
  ArticleView,
  CallbackDoneBody,
  CallbackDoneReply,
  CallbacksReply,
  CloseTicketBody,
  ContactsReply,
  ContactView,
  CreateArticleBody,
  CreateContactBody,
  CreateTicketBody,
  KnowledgeReply,
  OverrideBody,
  OverridesReply,
  PatchArticleBody,
  PatchContactBody,
  RevealContactReply,
  RulesReply,
  SummaryReply,
  TicketDetail,
  CreatedTicket,
  TicketsReply,
} from './types';

/** Every query of the module starts with 'hotline'; a change refreshes them all. */
export const keys = {
  all: ['hotline'] as const,
  tickets: ['hotline', 'tickets'] as const,
  ticket: (id: number) => ['hotline', 'ticket', id] as const,
  callbacks: ['hotline', 'callbacks'] as const,
  knowledge: (q: string, inactive: boolean) => ['hotline', 'knowledge', q, inactive] as const,
  summary: (id: number) => ['hotline', 'summary', id] as const,
  contacts: (id: number) => ['hotline', 'contacts', id] as const,
  overrides: (id: number) => ['hotline', 'overrides', id] as const,
  rules: ['hotline', 'rules'] as const,
};

const BASE = '/api/alarms';
const patch = <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body });
const put = <T>(path: string, body: unknown) => request<T>(path, { method: 'PUT', body });

function useRefresh() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: keys.all }), client.invalidateQueries({ queryKey: ['workbench'] })]);
}

/* ---- tickets ---- */

export interface TicketFilters {
  kind?: string;
  status?: string;
  overdue?: string;
}
export const fetchTickets = (f: TicketFilters, page: number, pageSize: number) =>
  get<TicketsReply>(`${BASE}/hotline/tickets${qs({ kind: f.kind, status: f.status === 'all' ? undefined : f.status, overdue: f.overdue, page, pageSize })}`);

export function useTicket(id: number | null) {
  return useQuery({ queryKey: keys.ticket(id ?? 0), queryFn: () => get<TicketDetail>(`${BASE}/hotline/tickets/${id}`), enabled: id !== null && id > 0 });
}

export function useCreateTicket() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (b: CreateTicketBody) => post<CreatedTicket>(`${BASE}/hotline/tickets`, b), onSuccess: refresh });
}

export function useCloseTicket() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...b }: CloseTicketBody & { id: number }) => post<TicketDetail>(`${BASE}/hotline/tickets/${id}/close`, b),
    onSuccess: refresh,
  });
}

/* ---- return calls ---- */

export interface CallbackFilters {
  status: string;
  due: string;
  personId?: number;
}
export const fetchCallbacks = (f: CallbackFilters, page: number, pageSize: number) =>
  get<CallbacksReply>(`${BASE}/hotline/callbacks${qs({ ...f, page, pageSize })}`);

export function useCallbackDone() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, ...b }: CallbackDoneBody & { id: number }) => post<CallbackDoneReply>(`${BASE}/hotline/callbacks/${id}/done`, b),
    onSuccess: refresh,
  });
}

/* ---- knowledge ---- */

export function useKnowledge(q: string, enabled = true, inactive = false) {
  return useQuery({
    queryKey: keys.knowledge(q.trim(), inactive),
    queryFn: () => get<KnowledgeReply>(`${BASE}/hotline/knowledge${qs({ q: q.trim() || undefined, inactive: inactive ? 'true' : undefined })}`),
    enabled,
    staleTime: 30_000,
  });
}

export function useSaveArticle() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: CreateArticleBody | PatchArticleBody }) =>
      id === null ? post<ArticleView>(`${BASE}/hotline/knowledge`, body) : patch<ArticleView>(`${BASE}/hotline/knowledge/${id}`, body),
    onSuccess: refresh,
  });
}

/* ---- a person ---- */

export function useSummary(personId: number, enabled = true) {
  return useQuery({
    queryKey: keys.summary(personId),
    queryFn: () => get<SummaryReply>(`${BASE}/persons/${personId}/summary`),
    enabled: enabled && personId > 0,
  });
}

export function useContacts(personId: number, enabled = true) {
  return useQuery({
    queryKey: keys.contacts(personId),
    queryFn: async () => (await get<ContactsReply>(`${BASE}/persons/${personId}/contacts`)).items,
    enabled: enabled && personId > 0,
  });
}

export function useSaveContact(personId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: CreateContactBody | PatchContactBody }) =>
      id === null ? post<ContactView>(`${BASE}/persons/${personId}/contacts`, body) : patch<ContactView>(`${BASE}/contacts/${id}`, body),
    onSuccess: refresh,
  });
}

/** The full number to dial (audited on the server); never cached. */
export function useRevealContact() {
  return useMutation({ mutationFn: (id: number) => post<RevealContactReply>(`${BASE}/contacts/${id}/reveal`) });
}

export function useOverrides(personId: number, enabled = true) {
  return useQuery({
    queryKey: keys.overrides(personId),
    queryFn: () => get<OverridesReply>(`${BASE}/persons/${personId}/overrides`),
    enabled: enabled && personId > 0,
  });
}

export function useRules(enabled = true) {
  return useQuery({ queryKey: keys.rules, queryFn: () => get<RulesReply>(`${BASE}/rules`), enabled, staleTime: 60_000 });
}

export function useSetOverride(personId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ ruleKey, body }: { ruleKey: string; body: OverrideBody }) => put<unknown>(`${BASE}/persons/${personId}/overrides/${ruleKey}`, body),
    onSuccess: refresh,
  });
}

export function useClearOverride(personId: number) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ ruleKey, reason }: { ruleKey: string; reason: string }) =>
      post<unknown>(`${BASE}/persons/${personId}/overrides/${ruleKey}/clear`, { reason }),
    onSuccess: refresh,
  });
}
