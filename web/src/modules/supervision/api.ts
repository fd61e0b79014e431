import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DrandHint,
  FormulaReply,
  InspectionView,
  InspectorLinkView,
  PoolsReply,
  PublicResult,
  RatingView,
  RoundsReply,
  RoundView,
  SubmitBody,
} from '../../../../src/modules/supervision/supervision.schema';
import { get, post, qs } from '../../shared/api';

export type { FormulaReply, InspectionView, InspectorLinkView, PoolsReply, PublicResult, RatingView, RoundsReply, RoundView, SubmitBody };

/** Every query of the module starts with 'supervision', so a change refreshes all it may have touched. */
const all = ['supervision'] as const;

export const useRounds = () => useQuery({ queryKey: [...all, 'rounds'], queryFn: () => get<RoundsReply>('/api/supervision/rounds') });
export const useRound = (id: number, isPublic = false) =>
  useQuery({
    queryKey: [...all, 'round', id, isPublic],
    queryFn: () => get<RoundView>(isPublic ? `/api/supervision/public/rounds/${id}` : `/api/supervision/rounds/${id}`),
  });
export const useDrand = () => useQuery({ queryKey: [...all, 'drand'], queryFn: () => get<DrandHint>('/api/supervision/drand') });
export const usePools = () => useQuery({ queryKey: [...all, 'pools'], queryFn: () => get<PoolsReply>('/api/supervision/pools') });
export const useChecklists = () =>
  useQuery({ queryKey: [...all, 'formula'], queryFn: () => get<FormulaReply>('/api/supervision/public/formula'), staleTime: 60_000 });
export const useInspections = (mine: boolean) =>
  useQuery({
    queryKey: [...all, 'inspections', mine],
    queryFn: () => get<{ items: InspectionView[] }>(`/api/supervision/inspections${qs({ mine: mine ? '1' : '0' })}`),
  });
export const useRatings = () => useQuery({ queryKey: [...all, 'ratings'], queryFn: () => get<{ items: RatingView[] }>('/api/supervision/ratings') });
export const useConflicts = () =>
  useQuery({ queryKey: [...all, 'conflicts'], queryFn: () => get<{ items: InspectorLinkView[] }>('/api/supervision/conflicts') });
export const usePublicRounds = () => useQuery({ queryKey: [...all, 'public-rounds'], queryFn: () => get<RoundsReply>('/api/supervision/public/rounds') });
export const usePublicResults = () =>
  useQuery({ queryKey: [...all, 'public-results'], queryFn: () => get<{ items: PublicResult[] }>('/api/supervision/public/results') });
export const useFormula = useChecklists;

function useAct<B, R>(fn: (b: B) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void qc.invalidateQueries({ queryKey: all }) });
}
export const useAnnounce = () =>
  useAct((b: { name: string; checklistKey: string; drandRound: number }) => post<{ round: RoundView; secret: string }>('/api/supervision/rounds', b));
export const useDraw = () =>
  useAct((b: { id: number; secret: string; externalValue: string }) =>
    post<RoundView>(`/api/supervision/rounds/${b.id}/draw`, { secret: b.secret, externalValue: b.externalValue }),
  );
export const useSubmit = () => useAct((b: { id: number; body: SubmitBody }) => post<InspectionView>(`/api/supervision/inspections/${b.id}/submit`, b.body));
export const useSignOff = () => useAct((id: number) => post<InspectionView>(`/api/supervision/inspections/${id}/sign-off`, {}));
export const useFollowUp = () =>
  useAct((b: { id: number; note: string; on: string }) => post<InspectionView>(`/api/supervision/inspections/${b.id}/follow-up`, { note: b.note, on: b.on }));
export const useCompute = () => useAct(() => post<{ computed: number; on: string }>('/api/supervision/ratings/compute', {}));
export const useAddConflict = () =>
  useAct((b: { inspectorId: number; targetKey: string; relation: string; note?: string | null }) => post<InspectorLinkView>('/api/supervision/conflicts', b));
export const useEndConflict = () => useAct((id: number) => post<{ id: number }>(`/api/supervision/conflicts/${id}/end`, {}));
