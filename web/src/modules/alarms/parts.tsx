import { useQueryClient } from '@tanstack/react-query';
import { Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLiveEvents } from '../../hooks/use-events';
import { useI18n } from '../../shared/i18n-core';
import { keys } from './api';
import { elapsed } from './queue';
import type { AlarmItem } from './types';

/** The live event the server publishes on every change of an alarm (contract: `alarms.alarm`). */
export interface LiveAlarmNotice {
  id: number;
  state: string;
  kind: string;
  priority: number;
  escalation: number;
  regionCode: string;
  at: string;
}

/** A clock for the waiting timers: one re-render a second. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/**
 * Refreshes every alarm query on the live event; without a live stream the queue polls. Returns
 * the poll interval to give the queries.
 */
export function useAlarmsLive(): { live: boolean; poll: number } {
  const qc = useQueryClient();
  // the lists, and the one alarm that changed (an alarm's detail is a read of its notes: not
  // repeated for every other alarm's change)
  const onEvent = useCallback(
    (e: LiveAlarmNotice) => {
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: keys.shift });
      if (typeof e?.id === 'number') void qc.invalidateQueries({ queryKey: keys.alarm(e.id) });
    },
    [qc],
  );
  const state = useLiveEvents<LiveAlarmNotice>('alarms.alarm', onEvent);
  // with the stream, a slow poll still catches what a dropped connection missed
  return { live: state === 'live', poll: state === 'failed' ? 3000 : 15_000 };
}

/** The escalation badge: 超时 (every operator alerted), 值班长 (the supervisor alerted). */
export function EscalationTag({ alarm }: { alarm: Pick<AlarmItem, 'id' | 'escalation' | 'state'> }) {
  const { t } = useI18n();
  if (alarm.escalation < 1 || alarm.state === 'resolved') return null;
  const top = alarm.escalation >= 2;
  return (
    <Tooltip title={t(top ? 'al.esc2Title' : 'al.esc1Title')}>
      <Tag color={top ? 'magenta' : 'volcano'} data-testid={`al-escalation-${alarm.id}`} className="al-escalation">
        {t(top ? 'al.esc2' : 'al.esc1')}
      </Tag>
    </Tooltip>
  );
}

export function PriorityTag({ priority }: { priority: number }) {
  const { t } = useI18n();
  const color = priority <= 1 ? 'red' : priority === 2 ? 'orange' : priority === 3 ? 'blue' : 'default';
  return <Tag color={color}>{t('al.priority', { n: priority })}</Tag>;
}

/** Who holds it and since when, or how long it has waited. */
export function WaitText({
  alarm,
  now,
  meId,
}: {
  alarm: Pick<AlarmItem, 'state' | 'raisedAt' | 'acknowledgedAt' | 'escalation'> & { acknowledgedBy?: AlarmItem['acknowledgedBy'] };
  now: number;
  meId?: number;
}) {
  const { t } = useI18n();
  if (alarm.state === 'raised') {
    return (
      <Typography.Text strong type={alarm.escalation > 0 ? 'danger' : undefined} className="al-waiting">
        {t('al.waiting', { time: elapsed(alarm.raisedAt, now) })}
      </Typography.Text>
    );
  }
  const time = elapsed(alarm.acknowledgedAt, now);
  const by = alarm.acknowledgedBy;
  return (
    <Typography.Text type="secondary">
      {by && by.id === meId ? t('al.heldByMe', { time }) : by ? t('al.heldBy', { name: by.name, time }) : t('al.held', { time })}
    </Typography.Text>
  );
}
