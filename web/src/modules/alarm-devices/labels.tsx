import { Space, Tag, Tooltip, Typography } from 'antd';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { ago } from './time';

/** The kinds a device is registered as (the tables' list; smoke and gas are read, not offered). */
export const DEVICE_KINDS = ['emergency_button', 'call_terminal', 'mattress', 'bracelet', 'door_sensor', 'other'] as const;
const KNOWN_KINDS = [...DEVICE_KINDS, 'smoke', 'gas'];
const EVENT_KINDS = ['sos', 'service_call', 'fall', 'in_bed', 'out_of_bed', 'movement', 'door_open', 'door_close', 'heartbeat', 'battery', 'test'];
/** at or below this a battery is shown low (the default battery_low rule's threshold) */
export const LOW_BATTERY = 20;

/** A code's label, or the code itself when the console does not know it yet. */
export function useKindWords() {
  const { t } = useI18n();
  return {
    device: (k: string) => (KNOWN_KINDS.includes(k) ? t(`ad.kind.${k}` as MessageKey) : k),
    event: (k: string) => (EVENT_KINDS.includes(k) ? t(`ad.event.${k}` as MessageKey) : k),
  };
}

/** A device's state in words: 在线 / 离线 (or 已停用), the battery in %, last seen "5 分钟前". */
export function DeviceState({
  d,
  testId,
}: {
  d: { id: number; status: string; link: string; battery: number | null; lastSeenAt: string | null };
  testId?: string;
}) {
  const { t } = useI18n();
  const low = d.battery !== null && d.battery <= LOW_BATTERY;
  return (
    <div style={{ lineHeight: 1.4 }} data-testid={testId ?? `ad-state-${d.id}`}>
      <Space size={4} wrap>
        {d.status === 'retired' ? (
          <Tag>{t('ad.retired')}</Tag>
        ) : d.link === 'online' ? (
          <Tag color="green">{t('ad.online')}</Tag>
        ) : (
          <Tag color="red">{t('ad.offline')}</Tag>
        )}
        {d.battery !== null && (
          <Typography.Text type={low ? 'danger' : undefined} strong={low}>
            {t('ad.batteryPct', { n: d.battery })}
            {low ? t('ad.batteryLow') : ''}
          </Typography.Text>
        )}
      </Space>
      <div>
        <Tooltip title={d.lastSeenAt ? shanghaiTime(d.lastSeenAt) : undefined}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ad.lastSeen', { when: ago(t, d.lastSeenAt) })}
          </Typography.Text>
        </Tooltip>
      </div>
    </div>
  );
}
