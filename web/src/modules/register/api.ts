import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FactsReply } from '../../../../src/modules/catalogue/facts.schema';
import { get, post, type PersonDetail, type RegionsReply, type RevealReply } from '../../shared/api';

/** A person's profile key; conflicts resolved on the profile and reveals refresh it. */
export const personKey = (id: string | undefined) => ['persons', 'detail', id] as const;

/** A person's profile (itself an audited read). */
export function usePerson(id: string | undefined) {
  return useQuery({ queryKey: personKey(id), queryFn: () => get<PersonDetail>(`/api/persons/${id}`), enabled: id !== undefined });
}

/** 显示完整: the full ID or phone, a separate audited call; the profile's access log then holds it. */
export function useReveal(id: string | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (field: 'idNumber' | 'phone') => post<RevealReply>(`/api/persons/${id}/reveal`, { field }),
    onSuccess: () => client.invalidateQueries({ queryKey: personKey(id) }),
  });
}

/** The viewer's subtree of regions, flat. */
export function useRegions() {
  return useQuery({ queryKey: ['regions'], queryFn: () => get<RegionsReply>('/api/regions'), staleTime: Infinity });
}

/** A register search tag: its key, the fact that gives it, its labels. */
export type SearchTag = FactsReply['tags'][number];

/**
 * The register's search tags with their labels, as the server derives them from the fact
 * declarations (`GET /api/facts`, the same query as the self-check's facts): a flag declared on
 * the server is offered in the search and labelled on a row with no console change.
 */
export function useSearchTags() {
  return useQuery({ queryKey: ['facts'], queryFn: () => get<FactsReply>('/api/facts'), staleTime: 10 * 60_000, select: (r) => r.tags });
}
