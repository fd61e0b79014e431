import { useMutation, useQueryClient } from '@tanstack/react-query';
import { post, type AuditVerify } from '../../shared/api';

/** The audit log's queries (each filter's pages). */
const auditKey = ['audit'] as const;

/** 校验: walks the hash chain on the server; the check is itself logged, so the log is refreshed. */
export function useVerifyAudit() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => post<AuditVerify>('/api/audit/verify'),
    onSuccess: () => client.invalidateQueries({ queryKey: auditKey }),
  });
}
