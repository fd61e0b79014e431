import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PaymentsReply, ReturnReply, RollPaymentsReply } from '../../../../src/modules/payments/payments.schema';
import { get, request } from '../../shared/api';

/** Approved rolls with their disbursement batch and its paid/failed counts. */
export function usePayments() {
  return useQuery({ queryKey: ['payments'], queryFn: () => get<PaymentsReply>('/api/payments') });
}

/** One roll's batch, return files and failed lines. */
export function useRollPayments(rollId: number) {
  return useQuery({ queryKey: ['payments', rollId], queryFn: () => get<RollPaymentsReply>(`/api/payments/${rollId}`) });
}

/** The disbursement file's address (downloaded with the session: the first export records the batch). */
export const disbursementUrl = (rollId: number, bank: string | undefined) =>
  `/api/payments/${rollId}/disbursement${bank ? `?bank=${encodeURIComponent(bank)}` : ''}`;

/** Applies the bank's return file; the batch and the lists are refreshed whether it is taken or refused. */
export function useUploadReturn(rollId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const fd = new FormData();
      fd.append('file', file);
      return request<ReturnReply>(`/api/payments/${rollId}/returns`, { method: 'POST', body: fd });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['payments'] }),
  });
}

/** After an export the batch exists: refresh. */
export function useRefreshPayments() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['payments'] });
}
