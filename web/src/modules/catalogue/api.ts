import { useQuery } from '@tanstack/react-query';
import { get } from '../../shared/api';
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
