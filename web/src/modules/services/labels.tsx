import { Tag } from 'antd';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { yuan } from '../../shared/format';
import { zh } from './messages';
import type { AnomalyStatus, OrderStatus, LineOutcomeValue } from './types';

/** The word for a code under a prefix (svc.status.assigned); an unknown code shows as it is. */
export function useWord() {
  const { t } = useI18n();
  return (prefix: string, code: string | null | undefined): string => {
    if (!code) return '';
    const key = `${prefix}.${code}`;
    return key in zh ? t(key as MessageKey) : code;
  };
}

/** Money in yuan with the unit: 1500 → 15.00 元 / ¥15.00. */
export function useMoney() {
  const { t } = useI18n();
  return (fen: number | null | undefined) => t('svc.yuan', { v: yuan(fen) });
}

const STATUS_COLORS: Record<OrderStatus, string | undefined> = {
  created: 'orange',
  assigned: 'blue',
  checked_in: 'processing',
  checked_out: 'green',
  rated: 'cyan',
  cancelled: undefined,
};

export function OrderStatusTag({ status }: { status: OrderStatus }) {
  const word = useWord();
  return <Tag color={STATUS_COLORS[status]}>{word('svc.status', status)}</Tag>;
}

const ANOMALY_COLORS: Record<AnomalyStatus, string> = { open: 'red', resolved: 'orange', accepted: 'green', rejected: 'default' };

export function AnomalyStatusTag({ status }: { status: AnomalyStatus }) {
  const word = useWord();
  return <Tag color={ANOMALY_COLORS[status]}>{word('svc.an', status)}</Tag>;
}

/** An open exception's reason, red: what stands in the way of the order's payment. */
export function ReasonTag({ code, testId }: { code: string; testId?: string }) {
  const word = useWord();
  return (
    <Tag color="red" data-testid={testId}>
      {word('svc.reason', code)}
    </Tag>
  );
}

// 'pending': an open month's order not yet due (not counted)
const OUTCOME_COLORS: Record<string, string | undefined> = { accepted: 'green', rejected: 'red', held: 'orange', adjustment: 'purple', pending: undefined };

export function OutcomeTag({ outcome }: { outcome: LineOutcomeValue }) {
  const word = useWord();
  return <Tag color={OUTCOME_COLORS[outcome]}>{word('svc.outcome', outcome)}</Tag>;
}

/** The reason codes, in the detector's order (the queue's filter). */
export const REASONS = ['far_checkin', 'too_short', 'too_long', 'overlap', 'impossible_travel', 'over_entitlement', 'cert_expired'] as const;

/**
 * An exception's figures in words, every number with its unit, from the keys the detector writes
 * (src/modules/services/anomalies.ts detect()): far_checkin { distanceM, accuracyM, farMeters },
 * too_short / too_long { minutesOnSite, orderedMinutes, ratioPercent, shortPercent | longPercent },
 * overlap { otherOrderId, overlapMinutes }, impossible_travel { otherOrderId, distanceM, minutes,
 * speedKmh | null, maxSpeedKmh }, over_entitlement { entitledFen, usedFen, amountFen }, cert_expired
 * { caregiverId, date } — e.g. 在场 18 分钟（应 60 分钟，30 %，下限 50 %）. A detail of another shape
 * is listed key by key, each with its unit.
 */
export function useFigures() {
  const { t, locale } = useI18n();
  const money = useMoney();
  const word = useWord();
  const num = (v: number) => Math.round(v).toLocaleString('en-US');
  const meters = (v: number) => t('svc.meters', { n: num(v) });
  const minutes = (v: number) => t('svc.minutes', { n: num(v) });
  const pct = (v: number) => t('svc.pct', { n: num(v) });
  const kmh = (v: number) => t('svc.kmh', { n: num(v) });
  const withParts = (main: string, parts: (string | null)[]) => {
    const kept = parts.filter((p): p is string => p !== null);
    if (kept.length === 0) return main;
    return locale === 'en' ? `${main} (${kept.join(', ')})` : `${main}（${kept.join('，')}）`;
  };
  const generic = (detail: Record<string, number | string | null>): string =>
    Object.entries(detail)
      // ids of people or staff are not figures
      .filter(([k, v]) => v !== null && v !== undefined && v !== '' && k !== 'caregiverId')
      .map(([k, v]) => {
        const name = word('svc.fig', k);
        let value = String(v);
        if (typeof v === 'number') {
          if (k.endsWith('Fen')) value = money(v);
          else if (k.endsWith('M') || k.endsWith('Meters')) value = meters(v);
          else if (k.endsWith('Minutes') || k === 'minutes' || k === 'minutesOnSite') value = minutes(v);
          else if (k.endsWith('Percent')) value = pct(v);
          else if (k.endsWith('Kmh')) value = kmh(v);
          else if (k.endsWith('OrderId')) value = `#${v}`;
        }
        return `${name} ${value}`;
      })
      .join(' · ');
  return (detail: Record<string, number | string | null>, code?: string): string => {
    const n = (k: string): number | null => (typeof detail[k] === 'number' ? (detail[k] as number) : null);
    const opt = (k: string, say: (v: number) => string) => {
      const v = n(k);
      return v === null ? null : say(v);
    };
    if (code === 'far_checkin' && n('distanceM') !== null) {
      return withParts(t('svc.fd.far', { v: meters(n('distanceM')!) }), [
        opt('accuracyM', (v) => t('svc.fd.accuracy', { v: meters(v) })),
        opt('farMeters', (v) => t('svc.fd.allowed', { v: meters(v) })),
      ]);
    }
    if ((code === 'too_short' || code === 'too_long') && n('minutesOnSite') !== null) {
      return withParts(t('svc.fd.onSite', { v: minutes(n('minutesOnSite')!) }), [
        opt('orderedMinutes', (v) => t('svc.fd.ordered', { v: minutes(v) })),
        opt('ratioPercent', pct),
        opt('shortPercent', (v) => t('svc.fd.lower', { v: pct(v) })),
        opt('longPercent', (v) => t('svc.fd.upper', { v: pct(v) })),
      ]);
    }
    if (code === 'overlap' && n('overlapMinutes') !== null) {
      return t('svc.fd.overlap', { id: String(detail.otherOrderId ?? '—'), v: minutes(n('overlapMinutes')!) });
    }
    if (code === 'impossible_travel' && n('distanceM') !== null) {
      const speed = n('speedKmh');
      return withParts(t('svc.fd.travel', { id: String(detail.otherOrderId ?? '—'), v: meters(n('distanceM')!) }), [
        opt('minutes', (v) => (v > 0 ? t('svc.fd.gap', { v: minutes(v) }) : t('svc.fd.noTime'))),
        speed === null ? null : t('svc.fd.speed', { v: kmh(speed) }),
        opt('maxSpeedKmh', (v) => t('svc.fd.upper', { v: kmh(v) })),
      ]);
    }
    if (code === 'over_entitlement' && n('entitledFen') !== null) {
      return withParts(t('svc.fd.entitled', { v: money(n('entitledFen')!) }), [
        opt('usedFen', (v) => t('svc.fd.used', { v: money(v) })),
        opt('amountFen', (v) => t('svc.fd.amount', { v: money(v) })),
      ]);
    }
    if (code === 'cert_expired' && typeof detail.date === 'string') return t('svc.fd.cert', { date: detail.date });
    return generic(detail);
  };
}
