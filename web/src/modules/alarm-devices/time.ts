import type { MessageKey } from '../../shared/i18n-core';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** How long ago an instant was, in words: 刚刚, 5 分钟前, 3 小时前, 2 天前 (now passed in for tests). */
export function ago(t: T, iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return t('ad.never');
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return iso;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('ad.justNow');
  if (minutes < 60) return t('ad.minutesAgo', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('ad.hoursAgo', { n: hours });
  return t('ad.daysAgo', { n: Math.floor(hours / 24) });
}
