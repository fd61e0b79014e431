import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, qs, request } from '../../shared/api';
import type {
  BreakdownReply,
  DefinitionsReply,
  IndicatorStatusName,
  MembersReply,
  RefreshBody,
  RefreshReply,
  ReportReply,
  SeriesReply,
  ShapesBody,
  ShapesReply,
  ShapesUploadReply,
  ValuesReply,
} from './types';

/** Every query of the module starts with 'indicators'. */
export const keys = {
  all: ['indicators'] as const,
  values: (period?: string, region?: string) => ['indicators', 'values', period ?? '', region ?? ''] as const,
  regions: (key: string, period?: string, region?: string) => ['indicators', 'regions', key, period ?? '', region ?? ''] as const,
  series: (key: string, region?: string, to?: string) => ['indicators', 'series', key, region ?? '', to ?? ''] as const,
  members: (key: string, period: string | undefined, region: string | undefined, part: string) =>
    ['indicators', 'members', key, period ?? '', region ?? '', part] as const,
  definitions: ['indicators', 'definitions'] as const,
  report: (quarter: string, region?: string) => ['indicators', 'report', quarter, region ?? ''] as const,
  shapes: (parent: string) => ['indicators', 'shapes', parent] as const,
};

export function useValues(period?: string, region?: string) {
  return useQuery({
    queryKey: keys.values(period, region),
    queryFn: () => get<ValuesReply>(`/api/indicators${qs({ period, region })}`),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useBreakdown(key: string | undefined, period?: string, region?: string) {
  return useQuery({
    queryKey: keys.regions(key ?? '', period, region),
    queryFn: () => get<BreakdownReply>(`/api/indicators/${key}/regions${qs({ period, region })}`),
    enabled: !!key,
    retry: false,
  });
}

export function useSeries(key: string | undefined, region?: string, to?: string) {
  return useQuery({
    queryKey: keys.series(key ?? '', region, to),
    queryFn: () => get<SeriesReply>(`/api/indicators/${key}/series${qs({ region, to, months: 12 })}`),
    enabled: !!key,
    retry: false,
  });
}

export const fetchMembers = (key: string, f: { period?: string; region?: string; part: string }, page: number, pageSize: number) =>
  get<MembersReply>(`/api/indicators/${key}/members${qs({ ...f, page, pageSize })}`);

export function useDefinitions() {
  return useQuery({ queryKey: keys.definitions, queryFn: () => get<DefinitionsReply>('/api/indicators/definitions'), staleTime: 10 * 60_000 });
}

export function useReport(quarter: string, region?: string) {
  return useQuery({
    queryKey: keys.report(quarter, region),
    queryFn: () => get<ReportReply>(`/api/indicators/report${qs({ quarter, region })}`),
    retry: false,
  });
}

export function useShapes(parent: string | undefined) {
  return useQuery({
    queryKey: keys.shapes(parent ?? ''),
    queryFn: () => get<ShapesReply>(`/api/regions/shapes${qs({ parent })}`),
    enabled: !!parent,
    staleTime: 30 * 60_000,
    retry: false,
  });
}

/** 重新计算: the month computed again (incremental, or in full); every figure shown is fetched again. */
export function useRefresh() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RefreshBody) => request<RefreshReply>('/api/indicators/refresh', { method: 'POST', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.all }),
  });
}

/** A bureau's own outlines (GeoJSON): the maps drawn from them are fetched again. */
export function useUploadShapes() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ShapesBody) => request<ShapesUploadReply>('/api/regions/shapes', { method: 'PUT', body }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['indicators', 'shapes'] }),
  });
}

/** The export URLs, with the page's month and region. */
export const exportUrl = (period?: string, region?: string) => `/api/indicators/export.xlsx${qs({ period, region })}`;
export const membersExportUrl = (key: string, f: { period?: string; region?: string; part: string }) => `/api/indicators/${key}/members.xlsx${qs(f)}`;

export const STATUS_COLOR: Record<IndicatorStatusName, string> = {
  met: '#389e0d',
  not_met: '#cf1322',
  no_target: '#1677ff',
  no_data: '#8c8c8c',
};
export const STATUS_TAG: Record<IndicatorStatusName, string> = { met: 'green', not_met: 'red', no_target: 'blue', no_data: 'default' };
