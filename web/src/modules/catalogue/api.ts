import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post } from '../../shared/api';
import type { ParameterImpact } from '../entitlements/types';
import type { CatalogueView } from './types';

/** The catalogue in force for the viewer's jurisdiction (its items and parameters). */
export function useCatalogueInForce(enabled = true) {
  return useQuery({ queryKey: ['catalogue', 'in-force'], queryFn: () => get<CatalogueView>('/api/catalogue'), enabled });
}

/** Another jurisdiction's catalogue (to compare with the one in force); off while `jurisdiction` is null. */
export function useCatalogueOf(jurisdiction: string | null) {
  return useQuery({
    queryKey: ['catalogue', 'of', jurisdiction],
    queryFn: () => get<CatalogueView>(`/api/catalogues/${encodeURIComponent(jurisdiction ?? '')}`),
    enabled: jurisdiction !== null,
  });
}

/** A parameter's new value from a date on, with its basis. */
export interface ParameterChange {
  name: string;
  from: string;
  value: string;
}

/**
 * What a parameter's new value would leave out of date (the months already run it reaches), asked
 * before saving. A question, not a change: nothing is refreshed.
 */
export function useParameterImpact(jurisdiction: string) {
  return useMutation({
    mutationFn: (change: ParameterChange) => post<ParameterImpact>('/api/runs/parameter-impact', { jurisdiction, ...change }),
  });
}

/**
 * 调整: sets a parameter of the jurisdiction's catalogue. The new value shows in the catalogue, and
 * the runs (and their rolls) it reaches become out of date, so those are refreshed.
 */
export function useSetParameter(jurisdiction: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, from, value, note }: ParameterChange & { note: string }) =>
      post(`/api/catalogues/${jurisdiction}/parameters/${name}`, { from, value, note }),
    onSuccess: () => Promise.all([['catalogue'], ['runs'], ['rolls']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
