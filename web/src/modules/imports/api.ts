import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConflictSummary, ResolveAllBody } from '../../../../src/modules/register/imports/imports.schema';
import { get, post, request, type ImportReply, type SourcesReply } from '../../shared/api';

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

/** A department's file to import, with the date its data is as of and what to do with bad rows. */
export interface Upload {
  source: string;
  asOf: string;
  mode: 'all' | 'valid';
  file: File;
}

/**
 * Uploads a department's file. Whether it is taken or refused, the history (a rejected file is in
 * it too), the register and the conflicts it may have changed are refreshed.
 */
export function useUpload() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (u: Upload) => {
      // The server reads the fields before the file part, so they are appended first.
      const fd = new FormData();
      fd.append('source', u.source);
      fd.append('asOf', u.asOf);
      fd.append('mode', u.mode);
      fd.append('file', u.file);
      return request<ImportReply>('/api/imports', { method: 'POST', body: fd });
    },
    onSettled: () => Promise.all([['imports'], ['persons'], ['conflicts']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

/** The open conflicts in the viewer's region, counted by the department whose value came in (the bulk buttons' counts). */
export function useConflictSummary() {
  return useQuery({ queryKey: ['conflicts', 'summary'], queryFn: () => get<ConflictSummary>('/api/conflicts/summary') });
}

/**
 * 采用某部门的全部新值 / 全部保留现值: every open conflict of the viewer's region (of one department,
 * when named), each audited as the single action; refused unless `expected` still holds. The
 * conflict lists and the persons' profiles are refreshed either way.
 */
export function useResolveAll() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ResolveAllBody) => post<{ resolved: number }>('/api/conflicts/resolve-all', body),
    onSettled: () => Promise.all([['conflicts'], ['persons', 'detail']].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
