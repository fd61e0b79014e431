import { useI18n } from '../../shared/i18n-core';

/** Minutes as people read them: 150 → 2 小时 30 分 / 2 h 30 min; 45 → 45 分; 120 → 2 小时. Negative keeps its sign. */
export function useHours() {
  const { t } = useI18n();
  return (minutes: number, signed = false): string => {
    const sign = minutes < 0 ? '−' : signed && minutes > 0 ? '+' : '';
    const a = Math.abs(Math.round(minutes));
    const h = Math.floor(a / 60);
    const m = a % 60;
    const text = h === 0 ? t('tb.m', { m }) : m === 0 ? t('tb.h', { h }) : t('tb.hm', { h, m });
    return sign + text;
  };
}

/** A signed amount of minutes, green into the account and red out of it. */
export function Minutes({ minutes, signed = false, testId }: { minutes: number; signed?: boolean; testId?: string }) {
  const hours = useHours();
  const color = !signed ? undefined : minutes > 0 ? '#389e0d' : minutes < 0 ? '#cf1322' : undefined;
  return (
    <span style={{ color, whiteSpace: 'nowrap' }} data-testid={testId}>
      {hours(minutes, signed)}
    </span>
  );
}
