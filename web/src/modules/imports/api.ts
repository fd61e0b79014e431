import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, type SourcesReply } from '../../shared/api';

/**
 * 保留现值 / 采用新值 for an open conflict: the conflict list and the person's profile (whose value
 * may change, and whose conflicts tab lists it) are refreshed.
 */
export function useResolveConflict() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, choice }: { id: number; choice: 'keep' | 'accept' }) => post(`/api/conflicts/${id}/resolve`, { choice }),
    onSuccess: () => Promise.all([['conflicts'], ['persons', 'detail']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** The departments whose files the platform reads, with their column maps. */
export function useSources() {
  return useQuery({ queryKey: ['sources'], queryFn: () => get<SourcesReply>('/api/sources'), staleTime: Infinity });
}

/** After an import: the history, the register and the conflicts it may have changed are refreshed. */
export function useImported(): () => void {
  const client = useQueryClient();
  return () => {
    for (const queryKey of [['imports'], ['persons'], ['conflicts']]) void client.invalidateQueries({ queryKey });
  };
}
