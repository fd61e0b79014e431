import { Popover, Space, Tag } from 'antd';
import { WarningOutlined } from '@ant-design/icons';
import type { MessageKey } from '../../shared/i18n-core';
import { currentPeriod, shanghaiTime, shanghaiToday } from '../../shared/format';
import { useI18n } from '../../shared/i18n-core';
import { STATUS_TAG } from './api';
import type { IndicatorFlag, IndicatorStatusName, IndicatorTarget, IndicatorUnitName } from './types';

type T = (k: MessageKey, v?: Record<string, string | number>) => string;

/** A figure as people read it: one decimal for rates, whole numbers for counts; '—' when there is none. */
export function figure(value: number | null | undefined, unit: IndicatorUnitName): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return unit === 'count' && Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** The figure with its unit: 45.2%, 12.3 per 10,000, 800. */
export function withUnit(value: number | null | undefined, unit: IndicatorUnitName, t: T): string {
  const f = figure(value, unit);
  return f === '—' || unit === 'count' ? f : `${f}${t(`ind.unit.${unit}` as MessageKey)}`;
}

/** ≥ 18%, ≤ 5: the target as its comparator reads. */
export function targetText(target: IndicatorTarget | null, unit: IndicatorUnitName, t: T): string {
  if (!target) return '—';
  return t(`ind.cmp.${target.comparator}` as MessageKey, { value: withUnit(target.value, unit, t) });
}

export function StatusTag({ status, testId }: { status: IndicatorStatusName; testId?: string }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_TAG[status]} data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {t(`ind.status.${status}` as MessageKey)}
    </Tag>
  );
}

/** The flags as tags; each flag's message on hover or tap (a phone has no hover). */
export function Flags({ flags, testId }: { flags: IndicatorFlag[]; testId?: string }) {
  const { t, pick } = useI18n();
  if (!flags.length) return null;
  return (
    <Space size={4} wrap data-testid={testId}>
      {flags.map((f, i) => (
        <Popover key={i} trigger={['hover', 'click']} content={<div style={{ maxWidth: 280 }}>{pick(f.message.zh, f.message.en)}</div>}>
          <Tag color="orange" icon={<WarningOutlined />} style={{ cursor: 'pointer', marginInlineEnd: 0 }} tabIndex={0} data-flag={f.kind}>
            {t(`ind.flag.${f.kind}` as MessageKey)}
          </Tag>
        </Popover>
      ))}
    </Space>
  );
}

/** The month `delta` months from `period`: shiftMonth('2026-01', -1) is '2025-12'. */
export function shiftMonth(period: string, delta: number): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + delta;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The `n` months ending at `to`, oldest first: the trend's whole window, computed or not. */
export function monthsEnding(to: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => shiftMonth(to, i - n + 1));
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A day as people write it: 12月1日 / 1 Dec. */
export function dayText(date: string): { zh: string; en: string } {
  const [, m, d] = date.split('-').map(Number) as [number, number, number];
  return { zh: `${m}月${d}日`, en: `${d} ${EN_MONTHS[m - 1]}` };
}

/**
 * For the running month (this month in Shanghai): the day its figures run to, the day they were
 * computed (today when that is not known); null for a month that is over.
 */
export function runningDay(period: string, computedAt?: string | null): string | null {
  if (period !== currentPeriod()) return null;
  const computed = computedAt ? shanghaiTime(computedAt).slice(0, 10) : '';
  return computed.startsWith(period) ? computed : shanghaiToday();
}

/** "本月截至 12月1日" / "This month to 1 Dec" for the running month, so a figure is never read as a whole month; null otherwise. */
export function useRunning() {
  const { t, pick } = useI18n();
  return (period: string, computedAt?: string | null): string | null => {
    const day = runningDay(period, computedAt);
    if (!day) return null;
    const d = dayText(day);
    return t('ind.running', { date: pick(d.zh, d.en) });
  };
}

/** The running month's tag beside a month shown; nothing for a month that is over. */
export function RunningTag({ period, computedAt, testId }: { period: string; computedAt?: string | null; testId: string }) {
  const running = useRunning()(period, computedAt);
  if (!running) return null;
  return (
    <Tag color="gold" data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {running}
    </Tag>
  );
}

/** '2026Q4' for a month '2026-11'. */
export function quarterOf(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return `${y}Q${Math.ceil(m / 3)}`;
}

/** 2026年第4季度 / Q4 2026. */
export function quarterLabel(quarter: string, t: T): string {
  const m = /^(\d{4})Q([1-4])$/.exec(quarter);
  return m ? t('ind.r.quarterLabel', { year: m[1]!, q: m[2]! }) : quarter;
}
