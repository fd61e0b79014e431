import type { I18n, MessageKey } from '../../shared/i18n-core';
import type { AlarmItem } from './types';

/**
 * The operator's queue order: alarms nobody has taken first (a waiting alarm above any in hand),
 * among them the most urgent (priority 1 first), then the longest waiting; then the alarms in
 * hand in the same order.
 */
export function orderQueue<T extends Pick<AlarmItem, 'id' | 'state' | 'priority' | 'raisedAt'>>(alarms: readonly T[]): T[] {
  const rank = (s: string) => (s === 'raised' ? 0 : s === 'acknowledged' ? 1 : 2);
  return [...alarms].sort((a, b) => rank(a.state) - rank(b.state) || a.priority - b.priority || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id - b.id);
}

/** The supervisor's order: most escalated first, then the longest waiting. */
export function orderByEscalation<T extends Pick<AlarmItem, 'id' | 'escalation' | 'priority' | 'raisedAt'>>(alarms: readonly T[]): T[] {
  return [...alarms].sort((a, b) => b.escalation - a.escalation || a.priority - b.priority || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id - b.id);
}

/** Time since `iso` as m:ss (h:mm:ss after an hour); never negative (a clock a little ahead). */
export function elapsed(iso: string | null | undefined, now: number): string {
  if (!iso) return '';
  const s = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

const has = (t: I18n['t'], key: string) => t(key as MessageKey) !== key && t(key as MessageKey) !== undefined;

/** A label of the module's vocabulary, or the code itself when the server sends one we do not know. */
export function label(
  t: I18n['t'],
  prefix: 'kind' | 'device' | 'step' | 'action' | 'outcome' | 'state' | 'link' | 'relation' | 'reach' | 'sex' | 'visitKind' | 'visitMode' | 'role',
  code: string | null | undefined,
): string {
  if (!code) return '';
  const key = `al.${prefix}.${code}`;
  return has(t, key) ? t(key as MessageKey) : code;
}

export const ACTIONS = ['called_elder', 'called_family', 'dispatched_grid_worker', 'dispatched_provider', 'called_120', 'other'] as const;
export const OUTCOMES = ['real', 'false_alarm', 'test'] as const;
