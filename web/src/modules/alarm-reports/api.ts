import { useQuery } from '@tanstack/react-query';
import { get, qs } from '../../shared/api';
import type { AlarmReport, QualityReply } from './types';

const BASE = '/api/alarms/reports';

export const reportKeys = {
  all: ['alarm-reports'] as const,
  report: (from: string, to: string, region: string | undefined) => ['alarm-reports', 'report', from, to, region ?? ''] as const,
  quality: (month: string, region: string | undefined) => ['alarm-reports', 'quality', month, region ?? ''] as const,
};

export function useAlarmReport(from: string, to: string, regionCode: string | undefined) {
  return useQuery({ queryKey: reportKeys.report(from, to, regionCode), queryFn: () => get<AlarmReport>(`${BASE}${qs({ from, to, regionCode })}`) });
}

export function useQuality(month: string, regionCode: string | undefined) {
  return useQuery({ queryKey: reportKeys.quality(month, regionCode), queryFn: () => get<QualityReply>(`${BASE}/quality${qs({ month, regionCode })}`) });
}

export const exportUrl = (from: string, to: string, regionCode: string | undefined, lang: 'zh' | 'en') =>
  `${BASE}/export.xlsx${qs({ from, to, regionCode, lang })}`;
