import { useMutation, useQuery } from '@tanstack/react-query';
import type { FactsReply } from '../../../../src/modules/catalogue/facts.schema';
import { get, post } from '../../shared/api';
import type { SelfCheckProfile } from '../catalogue/types';
import type { SelfCheckResult } from '../entitlements/types';

/** One person fact as `GET /api/facts` describes it (labels in both languages, default, which facts it may leave unknown). */
export type DeclaredFact = FactsReply['facts'][number];

export const factsKey = ['facts'] as const;

/**
 * The person facts the server declares (public, nothing about any person): the self-check builds
 * its form from them at run time, so a fact added on the server is asked with no console change.
 */
export function useFacts() {
  return useQuery({ queryKey: factsKey, queryFn: () => get<FactsReply>('/api/facts'), staleTime: 10 * 60_000 });
}

/** Asks which services a stated profile may receive in a place (a county's code; public, the server keeps nothing of it). */
export function useSelfCheck() {
  return useMutation({ mutationFn: (profile: SelfCheckProfile & { place?: string }) => post<SelfCheckResult>('/api/public/self-check', profile) });
}
