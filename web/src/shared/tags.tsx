import { Tag } from 'antd';
import { useI18n } from './i18n-core';

const statusColors: Record<string, string> = { active: 'green', deceased: 'default', moved_out: 'default' };

export function PersonStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = status === 'active' || status === 'deceased' || status === 'moved_out' ? (`status.${status}` as const) : null;
  return <Tag color={statusColors[status]}>{key ? t(key) : status}</Tag>;
}
