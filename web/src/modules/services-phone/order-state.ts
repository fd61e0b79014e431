import type { StepItem, StepKind } from './offline';
import type { MyOrder, OrderFacts, OrderStatus } from './types';

/**
 * Where an order stands on the phone: the server's status from today's list, moved on by the steps
 * the caregiver has taken on the device (queued or sent; a step the server refused does not count).
 */
const RANK: Record<OrderStatus, number> = { created: 0, assigned: 1, checked_in: 2, checked_out: 3, rated: 4, cancelled: 9 };
const STEP_STATUS: Partial<Record<StepKind, OrderStatus>> = { 'check-in': 'checked_in', 'check-out': 'checked_out', rate: 'rated' };

export function stepsOf(steps: readonly StepItem[] | undefined, orderId: number): StepItem[] {
  return (steps ?? []).filter((s) => s.meta.orderId === orderId);
}

/** The newest step of a kind for the order (any state). */
export function lastStep(steps: readonly StepItem[], kind: StepKind): StepItem | undefined {
  return [...steps].reverse().find((s) => s.meta.kind === kind);
}

export function effectiveStatus(order: Pick<MyOrder, 'status'>, steps: readonly StepItem[]): OrderStatus {
  let status = order.status;
  if (status === 'cancelled') return status;
  for (const s of steps) {
    const to = STEP_STATUS[s.meta.kind];
    if (to && s.state !== 'refused' && RANK[to] > RANK[status]) status = to;
  }
  return status;
}

/** Steps of the order still on the device, not yet answered. */
export function waitingSteps(steps: readonly StepItem[]): StepItem[] {
  return steps.filter((s) => s.state === 'waiting' || s.state === 'sending');
}

export interface FarNotice {
  distanceM: number | null;
  accuracyM: number | null;
}

/**
 * The check-in was measured far from the home (the server's far_checkin): from the newest answer the
 * phone has (a step's reply or the order read from the server).
 */
export function farNotice(detail: OrderFacts | null | undefined): FarNotice | null {
  if (!detail) return null;
  const anomaly = detail.anomalies?.find((a) => a.code === 'far_checkin');
  if (!anomaly && !detail.openAnomalies?.includes('far_checkin')) return null;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return {
    distanceM: num(anomaly?.detail.distanceM) ?? detail.checkIn?.distanceM ?? detail.checkInDistanceM ?? null,
    accuracyM: num(anomaly?.detail.accuracyM) ?? detail.checkIn?.accuracyM ?? detail.checkInAccuracyM ?? null,
  };
}

/** The newest server answer about the order (not a photo's ids) among its sent steps. */
export function newestReply(steps: readonly StepItem[]): OrderFacts | null {
  const sent = steps.filter((s) => s.state === 'sent' && s.reply && s.meta.kind !== 'photo').sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? ''));
  return (sent.at(-1)?.reply as OrderFacts | undefined) ?? null;
}

/** A distance in words' figures: metres under 1 km, else km with one decimal. */
export function distanceWords(m: number, locale: 'zh-CN' | 'en'): string {
  if (m < 1000) return locale === 'en' ? `${Math.round(m)} m` : `${Math.round(m)} 米`;
  const km = (m / 1000).toFixed(1);
  return locale === 'en' ? `${km} km` : `${km} 公里`;
}
