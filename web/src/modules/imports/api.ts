import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post } from '../../api';

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
