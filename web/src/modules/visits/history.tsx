import { Alert, Space, Tag, Timeline, Typography } from 'antd';
import { shanghaiTime } from '../../shared/format';
import { useI18n, type MessageKey } from '../../shared/i18n-core';
import { usePersonAssignments } from './api';

/** A worker's role in words (grid worker, volunteer). */
export function roleText(t: (k: MessageKey) => string, role: string) {
  return role === 'grid_worker' || role === 'volunteer' ? t(`v.role.${role}` as MessageKey) : role;
}

/** A person's assignments, newest first: who, from when to when, by whom, the note. */
export function AssignmentHistory({ personId }: { personId: number | string }) {
  const { t } = useI18n();
  const history = usePersonAssignments(personId);
  // the system (id 0: the server names it 系统) in the reader's language
  const byName = (who: { id: number; name: string }) => (who.id === 0 ? t('v.fu.system') : who.name);
  if (history.error) return <Alert type="error" showIcon message={history.error.message} />;
  if (!history.data) return <Typography.Text type="secondary">…</Typography.Text>;
  if (!history.data.length) return <Typography.Text type="secondary">{t('v.assign.historyNone')}</Typography.Text>;
  return (
    <Timeline
      data-testid="visits-assignment-history"
      items={history.data.map((h) => ({
        color: h.endedAt ? 'gray' : 'green',
        children: (
          <div data-testid={`visits-history-${h.id}`}>
            <Space size={6} wrap>
              <Typography.Text strong>{h.worker.name}</Typography.Text>
              {h.worker.role && <Tag>{roleText(t, h.worker.role)}</Tag>}
              {!h.endedAt && <Tag color="green">{t('v.assign.current')}</Tag>}
            </Space>
            <div style={{ fontSize: 12 }}>
              {t('v.assign.assignedAt')} {shanghaiTime(h.assignedAt)}
              {h.assignedBy ? ` · ${t('v.assign.assignedBy')} ${byName(h.assignedBy)}` : ''}
            </div>
            {h.endedAt && (
              <div style={{ fontSize: 12 }}>
                {t('v.assign.endedAt')} {shanghaiTime(h.endedAt)}
                {h.endedBy ? ` · ${byName(h.endedBy)}` : ''}
              </div>
            )}
            {h.note && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {h.note}
              </Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}
